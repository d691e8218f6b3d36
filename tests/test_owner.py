"""The owner page (/admin) on the real web app: absent without a token, refused without
signing in, and a hand-off made in the chat appearing in its inbox with the conversation."""

from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient

from assistant.channels.web import create_app

TOKEN = "owner-token-for-the-tests-0123456789"


@pytest.fixture(scope="module")
def owner_client(demo_services):
    from pydantic import SecretStr

    settings = demo_services.settings.model_copy(update={"admin_token": SecretStr(TOKEN), "rate_limit_client": "1000/minute"})
    with TestClient(create_app(dataclasses.replace(demo_services, settings=settings))) as client:
        yield client


def test_no_owner_page_without_a_token(demo_services):
    with TestClient(create_app(demo_services)) as client:
        assert client.get("/admin").status_code == 404
        assert client.post("/admin/sign-in", data={"token": "x"}).status_code in (404, 405)


def test_sign_in_is_refused_without_the_token(owner_client):
    page = owner_client.get("/admin")
    assert page.status_code == 401 and 'type="password"' in page.text and "Hand-off inbox" not in page.text
    wrong = owner_client.post("/admin/sign-in", data={"token": "not-the-token-at-all"}, follow_redirects=False)
    assert wrong.status_code == 401 and "not right" in wrong.text
    owner_client.cookies.set("shopassist_admin", TOKEN, path="/admin")  # the token itself is not the cookie
    assert owner_client.get("/admin").status_code == 401
    owner_client.cookies.clear()
    assert owner_client.post("/admin/tickets/HT-00000000/close").status_code == 401


def test_shopper_pages_never_link_the_owner_page(owner_client):
    for path in ("/", "/widget.js", "/chat/"):
        assert "/admin" not in owner_client.get(path).text


def test_a_hand_off_from_the_chat_reaches_the_inbox_with_its_conversation(owner_client):
    first = owner_client.post("/api/chat", json={"message": "noise cancelling headphones under $100"}).json()
    conversation = first["conversation_id"]
    handed = owner_client.post("/api/chat", json={"message": "I want to talk to a human", "conversation_id": conversation}).json()
    ticket = handed["handoff"]["ticket_id"]
    after = owner_client.post("/api/chat", json={"message": "my email is sam@example.com", "conversation_id": conversation}).json()
    assert after["turn"] == 3

    signed = owner_client.post("/admin/sign-in", data={"token": TOKEN}, follow_redirects=False)
    assert signed.status_code == 303 and "httponly" in signed.headers["set-cookie"].lower()
    assert "samesite=strict" in signed.headers["set-cookie"].lower()
    inbox = owner_client.get("/admin")
    assert inbox.status_code == 200 and ticket in inbox.text and "sam@example.com" in inbox.text
    assert inbox.headers["x-robots-tag"] == "noindex"
    page = owner_client.get(f"/admin/tickets/{ticket}")
    conversation_part = page.text.split('aria-label="Conversation"')[1].split("</section>")[0]
    # the whole conversation, also what the shopper said after the hand-off
    for said in ("noise cancelling headphones under $100", "I want to talk to a human", "sam@example.com"):
        assert said in conversation_part

    closed = owner_client.post(f"/admin/tickets/{ticket}/close", follow_redirects=False)
    assert closed.status_code == 303
    assert ticket not in owner_client.get("/admin").text
    assert ticket in owner_client.get("/admin?status=closed").text
    assert owner_client.post("/admin/tickets/HT-NOSUCH/close").status_code == 404
    assert owner_client.get("/admin/tickets/HT-NOSUCH").status_code == 404


def test_markup_in_a_conversation_is_shown_as_text(owner_client):
    owner_client.post("/admin/sign-in", data={"token": TOKEN})
    reply = owner_client.post("/api/chat", json={"message": "talk to a human <img src=x onerror=alert(1)>"}).json()
    ticket = reply["handoff"]["ticket_id"]
    owner_client.post(f"/admin/tickets/{ticket}/note", data={"text": "<script>alert(2)</script>"})
    for page in (owner_client.get("/admin").text, owner_client.get(f"/admin/tickets/{ticket}").text):
        assert "<img src=x" not in page and "<script>alert" not in page


@pytest.mark.model
def test_the_owner_page_in_a_browser(demo_services, tmp_path):
    """Debian's Chromium: the inbox is refused until the token is typed, then a hand-off made
    in the chat widget appears with its conversation, the agent's reply reaches the
    shopper's open chat, a correction marked from the ticket reaches the training data,
    and Close takes the ticket off the inbox."""
    from pydantic import SecretStr

    from tests.conftest import serving
    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _open_widget, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    settings = demo_services.settings.model_copy(update={"admin_token": SecretStr(TOKEN), "rate_limit_client": "1000/minute"})
    with serving(create_app(dataclasses.replace(demo_services, settings=settings))) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            shopper = browser.new_page()
            chat, box = _open_widget(shopper, base)
            box.fill("hiking boots for my trip to the lake district")
            box.press("Enter")
            chat.locator(".sa-card").first.wait_for(timeout=60_000)
            box.fill("I want to talk to a human")
            box.press("Enter")
            chat.locator(".sa-handoff").first.wait_for(timeout=60_000)
            ticket = next(t for t in demo_services.desk.tickets() if "lake district" in t["transcript"])["ticket_id"]

            owner = browser.new_page()
            owner.goto(base + "/admin")
            assert "Hand-off inbox" not in owner.content()
            owner.get_by_label("Admin token").fill("wrong-token-wrong-token")
            owner.get_by_role("button", name="Sign in").click()
            owner.get_by_role("alert").wait_for()
            owner.get_by_label("Admin token").fill(TOKEN)
            owner.get_by_role("button", name="Sign in").click()
            row = owner.locator(f"tr#{ticket}")
            row.wait_for(timeout=10_000)
            row.get_by_role("link", name=ticket).click()
            conversation = owner.get_by_role("region", name="Conversation")
            conversation.wait_for(timeout=30_000)
            assert "lake district" in conversation.inner_text() and "talk to a human" in conversation.inner_text()
            # an agent's reply reaches the shopper's chat; with the panel closed, the launcher says so
            shopper.get_by_role("button", name="Close the assistant").click()
            owner.get_by_label("Reply (the shopper sees it").fill("Hi, this is Ana: the Lake District boots are in stock.")
            owner.get_by_label("Signed as").fill("Ana")
            owner.get_by_role("button", name="Send reply").click()
            owner.get_by_text("Ana (reply):").wait_for(timeout=10_000)
            shopper.locator("#sa-launcher[data-unread=true]").wait_for(timeout=30_000)
            shopper.get_by_role("button", name="Chat with us (new reply from the shop)").click()
            team = chat.locator(".sa-team")
            team.wait_for(timeout=10_000)
            assert "Lake District boots are in stock" in team.inner_text() and "Ana" in team.inner_text()
            assert shopper.locator("#sa-launcher[data-unread=true]").count() == 0
            # a correction marked from the ticket reaches the training data
            owner.get_by_role("link", name="correct what they meant").first.click()
            owner.get_by_label("What the shopper wanted").select_option("search_products")
            owner.get_by_label("What they are looking for").fill("hiking boots")
            owner.get_by_role("button", name="Save correction").click()
            owner.get_by_role("heading", name="Kept").wait_for()
            from assistant.evals.learning import correction_rows

            conversation_id = next(t for t in demo_services.desk.tickets() if t["ticket_id"] == ticket)["conversation_id"]
            kept = [c for c in demo_services.log.corrections() if c.conversation_id == conversation_id]
            assert kept and kept[0].parsed.slots.query == "hiking boots" and correction_rows(kept, set())[0]
            owner.goto(f"{base}/admin/tickets/{ticket}")
            owner.get_by_role("button", name="Close ticket").click()
            owner.get_by_role("button", name="Reopen ticket").wait_for()
            owner.goto(base + "/admin")
            assert owner.locator(f"tr#{ticket}").count() == 0
        finally:
            browser.close()


def test_a_team_reply_reaches_the_shopper_and_a_note_never_does(owner_client):
    owner_client.post("/admin/sign-in", data={"token": TOKEN})
    first = owner_client.post("/api/chat", json={"message": "I want to talk to a person about my delivery"}).json()
    conversation, ticket = first["conversation_id"], first["handoff"]["ticket_id"]
    assert owner_client.get(f"/api/chat/{conversation}/team").json() == {"replies": []}

    sent = owner_client.post(
        f"/admin/tickets/{ticket}/reply",
        data={"text": "Hi! Your parcel left our warehouse today.", "author": "Ana"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    owner_client.post(f"/admin/tickets/{ticket}/note", data={"text": "courier delayed, checked with them"})
    replies = owner_client.get(f"/api/chat/{conversation}/team").json()["replies"]
    assert [(r["author"], r["text"]) for r in replies] == [("Ana", "Hi! Your parcel left our warehouse today.")]
    assert owner_client.get(f"/api/chat/{conversation}/team", params={"after": replies[-1]["at"]}).json() == {"replies": []}

    page = owner_client.get(f"/admin/tickets/{ticket}").text
    assert "Ana (reply):" in page and "Ana (note):" in page and "courier delayed" in page  # the note signed with the same name
    assert owner_client.post(f"/admin/tickets/{ticket}/reply", data={"text": "   "}).status_code == 400
    assert owner_client.post("/admin/tickets/HT-NOSUCH/reply", data={"text": "hello"}).status_code == 404
    assert owner_client.get("/api/chat/not-a-conversation/team").status_code == 404
    owner_client.cookies.clear()
    assert owner_client.post(f"/admin/tickets/{ticket}/reply", data={"text": "forged"}).status_code == 401
    assert len(owner_client.get(f"/api/chat/{conversation}/team").json()["replies"]) == 1


def test_agent_assist_suggests_what_the_assistant_would_answer_without_changing_anything(owner_client, demo_services):
    owner_client.post("/admin/sign-in", data={"token": TOKEN})
    first = owner_client.post("/api/chat", json={"message": "do you have waterproof hiking boots?"}).json()
    handed = owner_client.post("/api/chat", json={"message": "let me talk to a human", "conversation_id": first["conversation_id"]}).json()
    ticket = handed["handoff"]["ticket_id"]
    turns = demo_services.log.turn_count(first["conversation_id"])
    tickets = len(demo_services.desk.tickets())
    page = owner_client.get(f"/admin/tickets/{ticket}").text
    suggestion = page.split('aria-label="Suggested answer"')[1].split("</section>")[0]
    assert "would say" in suggestion and "would show" in suggestion
    draft = page.split('<textarea id="reply"')[1].split("</textarea>")[0]
    assert draft.split(">", 1)[1].strip()  # the reply box holds the suggestion, ready to send or edit
    # the rehearsal logged no turn and opened no ticket
    assert demo_services.log.turn_count(first["conversation_id"]) == turns and len(demo_services.desk.tickets()) == tickets


def test_the_rehearsal_desk_only_reads(demo_services):
    from assistant.errors import WouldChange
    from assistant.owner.assist import ReadOnlyDesk

    desk = ReadOnlyDesk(demo_services.desk)
    assert desk.order_count() == demo_services.desk.order_count()
    for write in ("create_ticket", "record_return", "record_action", "set_reply_to", "add_message", "load_orders"):
        with pytest.raises(WouldChange):
            getattr(desk, write)


def test_a_correction_marked_on_the_page_becomes_a_training_example(owner_client, demo_services):
    from assistant.evals.learning import correction_rows, evaluation_texts
    from assistant.intent.format import decode

    owner_client.post("/admin/sign-in", data={"token": TOKEN})
    first = owner_client.post("/api/chat", json={"message": "trail running shoes"}).json()
    conversation = first["conversation_id"]
    second = owner_client.post(
        "/api/chat", json={"message": "can the second pair go in a washing machine", "conversation_id": conversation}
    )
    owner_client.post("/api/feedback", json={"conversation_id": conversation, "turn": 2, "rating": "down", "comment": "wrong"})
    review = owner_client.get("/admin/corrections").text
    assert "can the second pair go in a washing machine" in review and "rated down: wrong" in review

    form = owner_client.get(f"/admin/corrections/{conversation}/2").text
    categories = form.split('name="category"')[1].split("</select>")[0]
    assert all(f'value="{c}"' in categories for c in demo_services.vocabulary.categories)  # the store's own values only
    assert "On screen when they wrote it" in form  # the turn's context was kept with it
    refused = owner_client.post(f"/admin/corrections/{conversation}/2", data={"intent": "product_question", "category": "spaceships"})
    assert refused.status_code == 400 and "not one of this store" in refused.text
    bad_price = owner_client.post(f"/admin/corrections/{conversation}/2", data={"intent": "product_question", "price_max": "cheap"})
    assert bad_price.status_code == 400 and "write a number" in bad_price.text
    saved = owner_client.post(
        f"/admin/corrections/{conversation}/2",
        data={
            "intent": "product_question",
            "product_refs": "2",
            "attribute": "machine_washable" if "machine_washable" in demo_services.vocabulary.attributes else "",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303 and second.status_code == 200
    kept = [c for c in demo_services.log.corrections() if c.conversation_id == conversation]
    assert len(kept) == 1 and kept[0].parsed.intent == "product_question" and kept[0].parsed.slots.product_refs == ["2"]
    assert kept[0].context.shown_titles  # the products on screen when the shopper wrote it
    rows, refused_rows = correction_rows(kept, evaluation_texts(), repeats=3)
    assert len(rows) == 3 and not refused_rows
    assert decode(rows[0]["target"]).intent == "product_question" and "can the second pair" in rows[0]["prompt"]
    assert owner_client.post(f"/admin/corrections/{conversation}/9/remove").status_code == 404
    assert owner_client.post(f"/admin/corrections/{conversation}/2/remove", follow_redirects=False).status_code == 303
    assert not [c for c in demo_services.log.corrections() if c.conversation_id == conversation]


def test_a_correction_of_a_held_out_message_never_reaches_training(demo_services):
    from assistant.evals.learning import correction_rows, evaluation_texts
    from assistant.evals.service import load_service
    from assistant.records.conversations import Correction
    from assistant.types import DialogueContext, ParsedIntent

    held = load_service()[0]
    mine = Correction(
        conversation_id="c",
        turn=1,
        text=f"  {held.text.upper()}? ",
        parsed=ParsedIntent(intent="order_status"),
        context=DialogueContext(),
        created_at="x",
    )
    rows, refused = correction_rows([mine], evaluation_texts())
    assert rows == [] and refused == [mine]


def test_a_saved_correction_is_how_the_chat_reads_that_message_from_then_on(owner_client, demo_services):
    """Recalled at parse time (intent.corrections): the corrected message and one worded nearly
    the same are read as the owner said; another message is not; removing it undoes it."""
    owner_client.post("/admin/sign-in", data={"token": TOKEN})

    def intent_of(message: str) -> str:
        return owner_client.post("/api/chat", json={"message": message}).json()["intent"]

    said = "can i pick my order up myself instead"
    first = owner_client.post("/api/chat", json={"message": said}).json()
    assert first["intent"] != "human_agent"
    saved = owner_client.post(f"/admin/corrections/{first['conversation_id']}/1", data={"intent": "human_agent"}, follow_redirects=False)
    assert saved.status_code == 303
    assert intent_of(said) == "human_agent"
    assert intent_of("Can I pick up my order myself instead?") == "human_agent"  # nearly the same words
    assert intent_of("can i pick a colour for my order") != "human_agent"  # other words, read as before
    removed = owner_client.post(f"/admin/corrections/{first['conversation_id']}/1/remove", follow_redirects=False)
    assert removed.status_code == 303
    assert intent_of(said) == first["intent"]
