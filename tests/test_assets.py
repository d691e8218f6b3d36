"""The chat's build files compressed once at Brotli's highest quality (channels/assets.py): the
same bytes once decompressed, fewer of them, kept across restarts, and never for what the
middleware must not answer."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import brotli
import gradio as gr
import pytest
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse

from assistant.channels.assets import CompressedAssets
from assistant.channels.web import create_app

GRADIO_ASSETS = Path(gr.__file__).parent / "templates" / "frontend" / "assets"
#: a real build file of Gradio's (its chat page's main script)
SCRIPT = sorted(GRADIO_ASSETS.glob("index-*.js"), key=lambda p: p.stat().st_size)[-1].read_text(encoding="utf-8")
BR = {"Accept-Encoding": "gzip, deflate, br"}
SHOP = "https://shop.example.com"


def _app(directory: Path, cache: Path, skip: frozenset[str] = frozenset()) -> tuple[TestClient, CompressedAssets]:
    inner = PlainTextResponse("from the app")  # an ASGI app answering every request
    middleware = CompressedAssets(inner, prefix="/chat/assets/", directory=directory, cache=cache, skip=skip)
    return TestClient(middleware), middleware


@pytest.fixture
def files(tmp_path):
    directory = tmp_path / "assets"
    directory.mkdir()
    (directory / "index-Ab12.js").write_text(SCRIPT)
    (directory / "font-Cd34.woff2").write_bytes(b"\x00" * 2000)
    (directory / "hls-Ef56.js").write_text(SCRIPT)
    return directory


def test_a_file_is_answered_by_the_app_until_compressed_then_smaller_and_the_same(files, tmp_path):
    client, middleware = _app(files, tmp_path / "cache")
    assert client.get("/chat/assets/index-Ab12.js", headers=BR).text == "from the app"
    middleware.wait()
    response = client.get("/chat/assets/index-Ab12.js", headers=BR)
    assert response.status_code == 200 and response.headers["content-encoding"] == "br"
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.text == SCRIPT  # the client decompressed it
    quick = len(brotli.compress(SCRIPT.encode(), quality=4, mode=brotli.MODE_TEXT))  # what Gradio sends
    assert int(response.headers["content-length"]) < 0.95 * quick


def test_a_restart_serves_from_the_disk_cache_at_once(files, tmp_path):
    client, middleware = _app(files, tmp_path / "cache")
    client.get("/chat/assets/index-Ab12.js", headers=BR)
    middleware.wait()
    restarted, _ = _app(files, tmp_path / "cache")
    assert restarted.get("/chat/assets/index-Ab12.js", headers=BR).text == SCRIPT
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["index-Ab12.js.br"]  # no partial files left


@pytest.mark.parametrize(
    "path, headers",
    [
        ("/chat/assets/index-Ab12.js", {"Accept-Encoding": "gzip, deflate"}),  # a browser without Brotli
        ("/chat/assets/font-Cd34.woff2", BR),  # not a script or style sheet
        ("/chat/assets/hls-Ef56.js", BR),  # a stub the app serves instead
        ("/chat/assets/missing-Zz99.js", BR),
        ("/chat/assets/..%2f..%2fsecret.js", BR),
        ("/chat/other.js", BR),
    ],
)
def test_what_it_must_not_answer_goes_on_to_the_app(files, tmp_path, path, headers):
    client, middleware = _app(files, tmp_path / "cache", skip=frozenset({"hls-Ef56.js"}))
    for _ in range(2):
        assert client.get(path, headers=headers).text == "from the app"
        middleware.wait()
    assert not (tmp_path / "cache").exists() or [p.name for p in (tmp_path / "cache").iterdir()] == []


def test_the_chat_serves_gradios_files_compressed_once_with_the_cors_cache_and_security_headers(demo_services):
    page_scripts = sorted(GRADIO_ASSETS.glob("index-*.js"))
    name = page_scripts[0].name
    settings = demo_services.settings.model_copy(update={"allowed_origins": [SHOP]})
    headers = {**BR, "Origin": SHOP}  # the web component on the shop's page loads these as module scripts
    with TestClient(create_app(dataclasses.replace(demo_services, settings=settings))) as client:
        first = client.get(f"/chat/assets/{name}", headers=headers)
        assert first.status_code == 200
        deadline = time.monotonic() + 60
        while (response := client.get(f"/chat/assets/{name}", headers=headers)).headers.get("etag") and time.monotonic() < deadline:
            time.sleep(0.2)  # Gradio's answer carries an etag; the compressed file does not
        assert "etag" not in response.headers and response.headers["content-encoding"] == "br"
        assert response.content == first.content == page_scripts[0].read_bytes()
        quick = len(brotli.compress(page_scripts[0].read_bytes(), quality=4, mode=brotli.MODE_TEXT))  # Gradio's level
        assert int(response.headers["content-length"]) < quick
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["access-control-allow-origin"] == SHOP


def test_a_cache_that_cannot_be_written_still_serves_from_memory_and_compresses_once(files, tmp_path, monkeypatch):
    import assistant.channels.assets as assets

    calls = []
    real = assets.brotli.compress
    monkeypatch.setattr(assets.brotli, "compress", lambda data, **kw: calls.append(1) or real(data, **kw))
    (tmp_path / "a-file").write_text("not a folder")
    client, middleware = _app(files, tmp_path / "a-file" / "cache")
    assert client.get("/chat/assets/index-Ab12.js", headers=BR).text == "from the app"
    middleware.wait()
    for _ in range(3):
        response = client.get("/chat/assets/index-Ab12.js", headers=BR)
        assert response.headers["content-encoding"] == "br" and response.text == SCRIPT
    assert len(calls) == 1
