"""Security suite, bad input: the probes of issue 17 that crashed the app or echoed input
back now get a clear 4xx (the real FastAPI app over TestClient) or one clear line (the
real CLI in a subprocess)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client(demo_services):
    from assistant.channels.web import create_app

    with TestClient(create_app(demo_services)) as test_client:
        yield test_client


def cli(*args: str, home: Path, env: dict | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """``python -m assistant`` of this checkout (not whatever ``shopassist`` is installed)."""
    full = {**os.environ, "SHOPASSIST_HOME": str(home), "PYTHONPATH": str(ROOT), "SHOPASSIST_INTENT_PARSER": "rules", **(env or {})}
    full.pop("SHOPASSIST_STORE", None)
    return subprocess.run([sys.executable, "-m", "assistant", *args], env=full, capture_output=True, timeout=300, input=stdin)


def post_raw(client: TestClient, path: str, body: str | bytes):
    return client.post(path, content=body, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("field", ["message", "conversation_id"])
def test_a_lone_surrogate_in_any_string_field_is_a_422_not_a_500(client, field):
    body = {"message": "hello"}
    body[field] = "a\ud800b"
    response = post_raw(client, "/api/chat", json.dumps(body))  # json.dumps writes it as the escape "\ud800"
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["field"] == field and "unicode" in problem["problem"]


def test_a_lone_surrogate_in_feedback_is_a_422(client):
    response = post_raw(client, "/api/feedback", '{"conversation_id": "x", "turn": 1, "rating": "up", "comment": "\\udfff"}')
    assert response.status_code == 422


@pytest.mark.parametrize("turn", [2**63, 2**64, -1, 0])
def test_a_huge_or_negative_feedback_turn_is_a_422_not_a_500(client, turn):
    response = client.post("/api/feedback", json={"conversation_id": "x", "turn": turn, "rating": "up"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "turn"


def test_a_body_over_the_limit_is_a_413_at_once(client, demo_services):
    limit = demo_services.settings.max_body_bytes
    response = post_raw(client, "/api/chat", '{"message": "' + "x" * (limit + 10) + '"}')
    assert response.status_code == 413
    assert response.json() == {"detail": f"The request body is too large; the limit is {limit:,} bytes."}


def test_a_streamed_body_without_length_is_cut_off_at_the_limit(client):
    """The real app at the ASGI level: a chunked body is refused after the chunk that passes
    the limit, never read whole."""
    reads = 0

    async def receive():
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 65_536, "more_body": reads < 200}  # 12.8 MB in all

    sent = []

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/chat",
        "raw_path": b"/api/chat",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(client.app(scope, receive, send))
    assert sent[0]["status"] == 413 and reads <= 2


def test_a_422_never_echoes_the_input(client):
    big = "y" * 19_000
    response = post_raw(client, "/api/chat", json.dumps({"message": big, "extra": big}))
    assert response.status_code == 422
    assert len(response.content) < 1_000 and "yyyy" not in response.text
    response = post_raw(client, "/api/chat", '{"message": "' + "z" * 30_000 + '"}')  # over MAX_API_MESSAGE
    assert response.status_code == 422 and len(response.content) < 1_000
    response = post_raw(client, "/api/chat", "{not json" + "w" * 5_000)
    assert response.status_code == 422 and "wwww" not in response.text


def test_an_empty_message_is_answered_but_not_logged(client, demo_services):
    before = demo_services.log.turn_count()
    response = client.post("/api/chat", json={"message": "   "})
    assert response.status_code == 200 and "didn't catch a question" in response.json()["text"]
    assert demo_services.log.turn_count() == before


def test_replay_reports_a_bad_turn_and_goes_on(tmp_path, home):
    conversations = tmp_path / "conversations.jsonl"
    conversations.write_text(
        '{"id": "a", "turns": [{"text": "hi \\ud800"}, {"text": "headphones"}]}\n{"id": "b\\udc00", "turns": [{"text": "hello"}]}\n',
        encoding="utf-8",
    )
    result = cli("replay", str(conversations), home=home)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    lines = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [(line["conversation"], line["turn"]) for line in lines] == [("a", 1), ("a", 2), ("b\ufffd", 1)]
    assert "not valid Unicode" in lines[0]["error"] and lines[1]["intent"] == "search_products"


def test_non_utf8_input_to_ask_is_one_clear_line(home):
    result = cli("ask", os.fsdecode(b"shoes \xff\xfe"), home=home)
    assert result.returncode == 1
    assert result.stderr.decode() == "error: the question is not valid UTF-8 text; check your terminal's encoding\n"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ('["https://shop.example.com"', "SHOPASSIST_ALLOWED_ORIGINS: not a JSON list"),
        ("shop.example.com", "SHOPASSIST_ALLOWED_ORIGINS: 'shop.example.com' is not an origin"),
    ],
)
def test_a_malformed_setting_is_one_clear_line(home, value, says):
    result = cli("serve", home=home, env={"SHOPASSIST_ALLOWED_ORIGINS": value})
    stderr = result.stderr.decode()
    assert result.returncode == 1 and stderr.startswith(f"error: {says}") and stderr.count("\n") == 1, stderr


def test_origins_may_be_a_comma_separated_list(monkeypatch):
    from assistant.settings import get_settings

    monkeypatch.setenv("SHOPASSIST_ALLOWED_ORIGINS", "https://shop.example.com, http://localhost:8000/")
    assert get_settings().allowed_origins == ["https://shop.example.com", "http://localhost:8000"]


def test_a_lone_surrogate_typed_into_the_chat_ui_is_answered(demo_services):
    """The Gradio chat hands typed text to the turn handler as it came; a surrogate in it is
    replaced, so the turn is answered and recorded instead of failing to encode."""
    from assistant.channels.sessions import SessionStore
    from assistant.channels.ui import ChatTurns

    turns = ChatTurns(demo_services, SessionStore(demo_services.log, 30))
    history, pending, *_ = turns.show({"text": "running shoes \ud800", "files": []}, [])
    history, conversation, *_ = list(turns.answer(pending, history, None))[-1]
    assert 'class="sa-card"' in history[-1]["content"]
    assert demo_services.log.turn_count(conversation) == 1
