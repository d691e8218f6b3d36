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
    assert inbox.status_code == 200 and ticket in inbox.text
    article = inbox.text.split(f'id="{ticket}"')[1].split("</article>")[0]
    # the whole conversation, also what the shopper said after the hand-off
    for said in ("noise cancelling headphones under $100", "I want to talk to a human", "sam@example.com"):
        assert said in article
    assert inbox.headers["x-robots-tag"] == "noindex"

    closed = owner_client.post(f"/admin/tickets/{ticket}/close", follow_redirects=False)
    assert closed.status_code == 303
    assert ticket not in owner_client.get("/admin").text
    assert owner_client.post("/admin/tickets/HT-NOSUCH/close").status_code == 404


def test_markup_in_a_conversation_is_shown_as_text(owner_client):
    owner_client.post("/admin/sign-in", data={"token": TOKEN})
    reply = owner_client.post("/api/chat", json={"message": "talk to a human <img src=x onerror=alert(1)>"}).json()
    page = owner_client.get("/admin").text
    assert reply["handoff"] and "<img src=x" not in page


@pytest.mark.model
def test_the_owner_page_in_a_browser(demo_services, tmp_path):
    """Debian's Chromium: the inbox is refused until the token is typed, then a hand-off made
    in the chat widget appears with its conversation, and Close takes it away."""
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
            card = owner.locator(f"article#{ticket}")
            card.wait_for(timeout=10_000)
            assert "lake district" in card.inner_text() and "talk to a human" in card.inner_text()
            card.get_by_role("button", name="Close ticket").click()
            owner.get_by_role("heading", name="Hand-off inbox").wait_for()
            assert owner.locator(f"article#{ticket}").count() == 0
        finally:
            browser.close()
