"""The real Gradio app served over HTTP, driven with gradio_client."""

import html
import urllib.request

import pytest
from gradio_client import Client

from assistant.answer.html import CSS
from assistant.channels.ui import build_app
from tests.conftest import free_port


@pytest.fixture(scope="module")
def served(demo_services):
    app = build_app(demo_services)
    port = free_port()
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, css=CSS, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    app.close()


def test_page_is_served(served):
    with urllib.request.urlopen(served, timeout=30) as response:
        assert response.status == 200
        assert b"gradio" in response.read().lower()


def test_chat_streams_answer_with_product_cards(served):
    client = Client(served, verbose=False)
    history, *_ = client.predict({"text": "noise cancelling headphones", "files": []}, [], api_name="/chat")
    answer = history[-1]["content"]
    text = answer if isinstance(answer, str) else str(answer)
    assert 'class="sa-card"' in text and "$" in text
    assert history[0]["role"] == "user"


def test_bad_input_gets_a_message_not_an_error(served):
    client = Client(served, verbose=False)
    history, *_ = client.predict({"text": "", "files": []}, [], api_name="/chat")
    assert "didn't catch a question" in html.unescape(str(history[-1]["content"]))
    history, *_ = client.predict({"text": "x" * 5000, "files": []}, [], api_name="/chat")
    assert "only read the first" in html.unescape(str(history[-1]["content"]))


def test_voice_message_is_transcribed_and_answered(served):
    from pathlib import Path

    from gradio_client import handle_file

    clip = Path(__file__).parent / "data" / "audio" / "sony_headphones.webm"
    client = Client(served, verbose=False)
    history, *_ = client.predict({"text": "", "files": [handle_file(str(clip))]}, [], api_name="/chat")
    shopper = html.unescape(str(history[-2]["content"]))
    assert "🎤" in shopper and "sony" in shopper.lower()
    assert 'class="sa-card"' in str(history[-1]["content"])
    bad = Path(__file__).parent / "data" / "audio" / "not_audio.ogg"
    history, *_ = client.predict({"text": "", "files": [handle_file(str(bad))]}, [], api_name="/chat")
    assert "couldn't read that file as audio" in html.unescape(str(history[-1]["content"]))
