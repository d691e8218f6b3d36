"""The chat's steps (``ChatTurns``) on the real demo store, and the Gradio app served over
HTTP. The page itself, driven by a browser, is tested in test_browser.py."""

import html
import urllib.request
from pathlib import Path

import gradio as gr
import pytest

from assistant.answer.html import CSS
from assistant.channels.sessions import SessionStore
from assistant.channels.ui import LISTENING, TYPING, ChatTurns, build_app, head
from tests.conftest import free_port

AUDIO = Path(__file__).parent / "data" / "audio"


class Request:
    """What ``restore`` reads of gr.Request: the page's query parameters."""

    def __init__(self, **params):
        self.query_params = params


@pytest.fixture(scope="module")
def served(demo_services):
    app = build_app(demo_services)
    port = free_port()
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, css=CSS, head=head(), quiet=True)
    yield f"http://127.0.0.1:{port}/"
    app.close()


@pytest.fixture
def turns(demo_services):
    return ChatTurns(demo_services, SessionStore(demo_services.log, 30))


def say(turns, text, history=None, conversation=None, files=()):
    """The three steps of one turn, as the page runs them; the history after each."""
    shown, pending, box, *_ = turns.show({"text": text, "files": list(files)}, history or [])
    steps = [list(step) for step in turns.answer(pending, shown, conversation)]
    heard = steps[0][0] if len(steps) == 2 else shown  # a recording's transcript comes first
    answered, conversation, _listening, _seen, *chips = steps[-1]
    return shown, heard, answered, conversation, chips


def test_page_is_served_with_its_script(served):
    with urllib.request.urlopen(served, timeout=30) as response:
        page = response.read().decode()
    assert response.status == 200 and "gradio" in page.lower()
    assert "shopassist:add-to-cart" in page  # chat.js, put in the page's head


def test_the_message_shows_at_once_then_the_answer_with_cards(turns):
    shown, _, answered, conversation, chips = say(turns, "noise cancelling headphones")
    assert shown[-2] == {"role": "user", "content": "noise cancelling headphones"} and shown[-1]["content"] == TYPING
    answer = answered[-1]["content"]
    assert 'class="sa-card"' in answer and "$" in answer
    # the products are shown once: as cards, not listed again in the words above them
    titles = html.unescape(answer).split('<ul class="sa-cards"')[0]
    assert "1." not in titles and conversation
    assert any(c.get("visible") for c in chips)


def test_turns_continue_one_conversation_and_come_back_after_a_reload(turns, demo_services):
    _, _, history, conversation, _ = say(turns, "running shoes under $70")
    _, _, history, again, _ = say(turns, "compare the first two", history, conversation)
    assert again == conversation and 'class="sa-table"' in history[-1]["content"]
    restored, kept, _, _, *chips = turns.restore(conversation, Request())
    assert kept == conversation
    assert [m["content"] for m in restored["value"]] == [m["content"] for m in history]
    gone, kept, _, _, *chips = turns.restore("no-such-conversation", Request(welcome="Hello <b>you</b>", suggestions="Shoes|Returns"))
    assert kept is None and gone["placeholder"] == html.escape("Hello <b>you</b>")  # the widget's words, shown as text
    assert [c["value"] for c in chips if c.get("visible")] == ["Shoes", "Returns"]


def test_a_team_reply_joins_the_open_chat_and_comes_back_after_a_reload(turns, demo_services):
    _, _, history, conversation, _ = say(turns, "I'd like to talk to a person")
    ticket = turns.sessions.get(conversation)[0].handed_off
    assert turns.team(conversation, history, 0.0) == (gr.skip(), gr.skip())
    demo_services.desk.add_message(ticket, "reply", "Ana", "Hello, I'm here <b>now</b>.")
    demo_services.desk.add_message(ticket, "note", "Ana", "internal")
    shown, seen = turns.team(conversation, history, 0.0)
    assert len(shown) == len(history) + 1 and "Ana, " in shown[-1]["content"] and "internal" not in str(shown)
    assert "&lt;b&gt;now" in shown[-1]["content"] and turns.team(conversation, shown, seen) == (gr.skip(), gr.skip())
    restored, _, listening, restored_seen, *_ = turns.restore(conversation, Request())
    assert restored["value"][-1] == shown[-1] and restored_seen == seen
    assert listening.active is True  # handed off: the reloaded chat listens for the team
    # a thumb on the team's reply is not the assistant's; one on the answer before it is its turn
    turns.rate(gr.LikeData(target=None, data={"index": len(shown) - 1, "value": "", "liked": False}), conversation, shown)
    assert demo_services.log.feedback(conversation) == []
    turns.rate(gr.LikeData(target=None, data={"index": 1, "value": "", "liked": True}), conversation, shown)
    assert [(f.turn, f.rating) for f in demo_services.log.feedback(conversation)] == [(1, "up")]


def test_a_team_reply_written_while_a_turn_is_answered_is_kept(turns, demo_services):
    _, _, history, conversation, _ = say(turns, "can I speak to a person please")
    ticket = turns.sessions.get(conversation)[0].handed_off
    shown, pending, *_ = turns.show({"text": "are you there?", "files": []}, history)
    demo_services.desk.add_message(ticket, "reply", "Ana", "Yes, Ana here.")  # written while the answer is computed
    *_, (answered, _, _, seen, *_) = list(turns.answer(pending, shown, conversation, 0.0))
    assert sum("Yes, Ana here." in m["content"] for m in answered) == 1 and seen > 0
    assert turns.team(conversation, answered, seen) == (gr.skip(), gr.skip())  # not shown twice


def test_bad_input_gets_a_message_not_an_error(turns):
    shown, pending, *_ = turns.show({"text": "", "files": []}, [])
    assert shown == [] and pending is None  # nothing sent, nothing shown
    *_, history, _, _ = say(turns, "x" * 5000)
    assert "only read the first" in html.unescape(history[-1]["content"])
    *_, history, _, _ = say(turns, "<script>alert(1)</script> shoes")
    assert "<script>" not in history[-2]["content"]


def test_voice_shows_the_transcript_before_the_answer(turns):
    shown, heard, answered, _, _ = say(turns, "", files=[str(AUDIO / "sony_headphones.webm")])
    assert shown[-2]["content"] == LISTENING
    transcript = html.unescape(heard[-2]["content"])
    assert "🎤" in transcript and "sony" in transcript.lower() and heard[-1]["content"] == TYPING
    assert 'class="sa-card"' in answered[-1]["content"]
    *_, answered, _, _ = say(turns, "", files=[str(AUDIO / "not_audio.ogg")])
    assert "couldn't read that file as audio" in html.unescape(answered[-1]["content"])


def test_identify_gives_the_email_not_the_order(turns):
    """The shop's page names the signed-in shopper: the email counts as typed, so their order
    needs only its number; another shopper's order still does not match it."""
    import json

    from assistant.demo import __file__ as demo

    orders = json.loads((Path(demo).parent / "orders.json").read_text())
    mine, other = orders[0], next(o for o in orders if o["email"] != orders[0]["email"])
    assert turns.identify("Not an email", None) is None
    conversation = turns.identify(mine["email"].upper(), None)
    session, _ = turns.sessions.get(conversation)
    assert session.identified_email == mine["email"] and session.verified is None
    *_, history, same, _ = say(turns, f"where is my order {mine['order_id']}?", conversation=conversation)
    assert same == conversation and mine["status"].replace("_", " ") in html.unescape(history[-1]["content"]).lower()
    *_, history, _, _ = say(turns, f"where is my order {other['order_id']}?", history, conversation)
    assert other["email"] not in html.unescape(history[-1]["content"]) and "couldn't find" in html.unescape(history[-1]["content"]).lower()


def test_a_shop_name_is_shown_as_written_in_the_heading():
    from assistant.channels.ui import _markdown_text

    assert _markdown_text("Bob's *Best* <Shop> #1_x") == "Bob's \\*Best\\* \\<Shop\\> \\#1\\_x"


def test_gradio_is_imported_without_writing_its_type_stubs():
    """``channels.gradio_stubs``: Gradio's per-import stub writing (about 1.1 s of a start) is
    a no-op once the channels are imported, and the chat is built as before (a fresh
    interpreter, so the import order is the real one)."""
    import subprocess
    import sys

    script = (
        "import assistant.channels.ui, gradio, gradio.component_meta as m\n"
        "assert m.create_or_modify_pyi.__name__ == '_no_stub', m.create_or_modify_pyi\n"
        "with gradio.Blocks() as demo:\n"
        "    gradio.Chatbot()\n"
        "    gradio.Textbox()\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-2000:]


def test_the_stub_hook_leaves_an_already_imported_gradio_alone():
    import sys

    import gradio  # noqa: F401  (imported already in this process)

    from assistant.channels import gradio_stubs

    before = list(sys.meta_path)
    gradio_stubs.skip()
    assert sys.meta_path == before
