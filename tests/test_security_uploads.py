"""Security suite, uploads to the chat UI: a file over the limit is refused with 413, an
accepted one is kept under the state directory (not /tmp/gradio) and deleted once its turn
is answered; the 3-hour audio bomb sent through the real chat is refused by its length.
The real web app with the real Gradio chat mounted, over TestClient and over uvicorn."""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.channels.web import create_app
from tests.conftest import serving
from tools.security.audio_bombs import silence_flac


@pytest.fixture(scope="module")
def client(demo_services):
    with TestClient(create_app(demo_services)) as test_client:
        yield test_client


def upload(client, name: str, data: bytes):
    return client.post("/chat/gradio_api/upload", files={"files": (name, data, "audio/flac")})


def test_an_upload_far_over_the_limit_is_refused_before_it_is_read(client):
    response = upload(client, "big.flac", b"\0" * 60_000_000)
    assert response.status_code == 413


def test_an_upload_just_over_the_limit_is_refused_by_the_chat(client, demo_services):
    response = upload(client, "big.flac", b"\0" * (demo_services.settings.asr_max_bytes + 50_000))
    assert response.status_code == 413


def test_uploads_are_kept_under_the_state_directory(client, demo_services):
    response = upload(client, "clip.flac", b"fLaC not really")
    assert response.status_code == 200
    (stored,) = response.json()
    assert stored.startswith(str(demo_services.settings.upload_dir()))


@pytest.fixture(scope="module")
def served(demo_services):
    with serving(create_app(demo_services)) as base:
        yield base


def test_the_audio_bomb_through_the_chat_is_refused_and_deleted(served, demo_services, tmp_path):
    """Uploaded over HTTP as the chat's voice button does, then sent as the chat's turn."""
    import httpx

    from assistant.channels.sessions import SessionStore
    from assistant.channels.ui import ChatTurns

    bomb = silence_flac(tmp_path / "bomb-3h.flac", 3 * 3600)
    uploads = demo_services.settings.upload_dir()
    before = {p for p in uploads.rglob("*") if p.is_file()}
    with bomb.open("rb") as data:
        response = httpx.post(served + "/chat/gradio_api/upload", files={"files": ("bomb-3h.flac", data, "audio/flac")}, timeout=60)
    assert response.status_code == 200
    (stored,) = response.json()
    turns = ChatTurns(demo_services, SessionStore(demo_services.log, 30))
    shown, pending, *_ = turns.show({"text": "", "files": [{"path": stored}]}, [])
    history, *_ = list(turns.answer(pending, shown, None))[-1]
    answer = html.unescape(str(history[-1]["content"]))
    assert "That recording is 10800 seconds long; I can take up to 30 seconds" in answer
    assert {p for p in uploads.rglob("*") if p.is_file()} <= before  # the upload is gone once answered
    assert not list((Path(tempfile.gettempdir()) / "gradio").rglob("bomb-3h.flac"))  # and never went to /tmp/gradio
