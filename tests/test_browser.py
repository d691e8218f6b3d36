"""The whole web app in a real headless Chromium (Debian's, driven by Playwright):
support page -> widget -> question -> product cards -> follow-up -> thumbs up -> stored;
the chat embedded in another site; a question spoken into Chromium's fake microphone.

Needs /usr/bin/chromium (``.ci/run`` installs it). Without it the test is skipped,
unless SHOPASSIST_REQUIRE_BROWSER=1 (CI sets it), where a missing browser fails.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port, serving

#: loads a large model or a browser: deselect with -m 'not model' for a quick run
pytestmark = pytest.mark.model

CHROMIUM = os.environ.get("SHOPASSIST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def other_site() -> int:
    """The port of the shop's own site, which embeds the chat: its origin is configured."""
    return free_port()


@pytest.fixture(scope="module")
def web_server(demo_services, other_site):
    import dataclasses

    from assistant.channels.web import create_app

    settings = demo_services.settings.model_copy(update={"allowed_origins": [f"http://127.0.0.1:{other_site}"]})
    with serving(create_app(dataclasses.replace(demo_services, settings=settings))) as base:
        yield base


@pytest.fixture(scope="module")
def playwright():
    """One Playwright driver for the module (a second sync driver cannot start inside the first)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("SHOPASSIST_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser_context(playwright, tmp_path_factory):
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900},
    )
    yield context
    context.close()


def test_widget_conversation_with_cards_follow_up_and_feedback(web_server, browser_context, demo_services):
    page = browser_context.new_page()
    page.goto(web_server + "/")
    assert "Help Center" in page.title()

    launcher = page.get_by_role("button", name="Chat with us")
    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    chat = page.frame_locator("#sa-panel iframe")

    box = chat.get_by_label("Message to the shopping assistant")
    box.wait_for(timeout=60_000)
    assert chat.get_by_role("button", name="Record audio").count() == 1

    box.fill("noise cancelling headphones under $100")
    box.press("Enter")
    cards = chat.locator(".sa-card")
    cards.first.wait_for(timeout=60_000)
    first_titles = [cards.nth(i).locator(".sa-title").inner_text() for i in range(cards.count())]
    assert len(first_titles) >= 2
    for i in range(cards.count()):
        pid = cards.nth(i).get_attribute("title").removeprefix("Item ")
        product = demo_services.products.by_id[pid]
        assert product.category == "headphones" and product.price <= 100
        assert f"${product.price:,.2f}" in cards.nth(i).inner_text()

    # "Add to cart" on an in-stock card tells the host page, which adds it with its own code
    page.evaluate("window.__carts = []; window.addEventListener('shopassist:add-to-cart', e => window.__carts.push(e.detail))")
    in_stock = [i for i in range(cards.count()) if cards.nth(i).locator(".sa-in").count()]
    assert in_stock, "no card in stock"
    card = cards.nth(in_stock[0])
    wanted = card.get_attribute("title").removeprefix("Item ")
    card.locator("a.sa-cart").click()
    deadline = time.time() + 10
    while time.time() < deadline and not page.evaluate("window.__carts.length"):
        time.sleep(0.1)
    assert page.evaluate("window.__carts") == [{"productId": wanted, "quantity": 1}]

    # the follow-up only makes sense with the first answer: the second product shown
    box.fill("tell me more about the second one")
    box.press("Enter")
    second = first_titles[1]
    chat.get_by_text(second, exact=False).nth(1).wait_for(timeout=60_000)
    page.wait_for_timeout(500)  # let the stream finish

    # suggestion chips follow the answer
    assert chat.locator(".sa-chip").first.is_visible()

    likes = chat.get_by_role("button", name="Like", exact=True)
    likes.last.click()
    deadline = time.time() + 20
    stored = []
    while time.time() < deadline and not stored:
        stored = [f for f in demo_services.log.feedback() if f.rating == "up" and f.turn == 2]
        time.sleep(0.2)
    assert stored, "the thumbs up was not stored"
    assert stored[-1].intent == "product_question"
    assert second.split(" ")[0] in stored[-1].reply_text

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-conversation.png"), full_page=True)


def test_health_and_json_api(web_server):
    import json

    with urllib.request.urlopen(web_server + "/health", timeout=10) as r:
        health = json.load(r)
    assert health["status"] == "ok" and health["products"] > 500

    def post(path, body):
        req = urllib.request.Request(web_server + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, (json.load(r) if r.status != 204 else None)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    status, first = post("/api/chat", {"message": "running shoes under $70"})
    assert status == 200
    for key in ("conversation", "turn", "transcript", "intent", "slots", "text", "products", "sources", "handoff", "timings_ms"):
        assert key in first
    assert first["intent"] == "search_products" and first["products"]
    assert all(p["price"] <= 70 for p in first["products"])
    status, second = post("/api/chat", {"message": "cheaper", "conversation_id": first["conversation_id"]})
    assert status == 200 and second["turn"] == 2
    assert second["slots"]["price_max"] < min(p["price"] for p in first["products"])
    assert post("/api/feedback", {"conversation_id": first["conversation_id"], "turn": 2, "rating": "down"})[0] == 204
    assert post("/api/feedback", {"conversation_id": first["conversation_id"], "turn": 9, "rating": "up"})[0] == 404
    assert post("/api/chat", {"message": 5})[0] == 422
    status, empty = post("/api/chat", {"message": ""})
    assert status == 200 and "didn't catch a question" in empty["text"]


def test_web_component_script_is_served_locally(web_server):
    with urllib.request.urlopen(web_server + "/chat/gradio.js", timeout=10) as r:
        script = r.read().decode()
    target = script.split('"')[1]  # import("./assets/index-....js")
    with urllib.request.urlopen(web_server + "/chat/" + target.removeprefix("./"), timeout=10) as r:
        assert r.status == 200
    with urllib.request.urlopen(web_server + "/widget.js", timeout=10) as r:
        assert b'allow = "microphone"' in r.read()


def test_web_component_embeds_in_another_site(web_server, browser_context, tmp_path, other_site):
    """A page on the shop's origin (SHOPASSIST_ALLOWED_ORIGINS) embeds the chat with the
    <gradio-app> snippet from the README."""
    import functools
    import http.server

    (tmp_path / "index.html").write_text(
        "<!doctype html><html><head><title>Another shop</title>"
        f'<script type="module" src="{web_server}/chat/gradio.js"></script></head>'
        f'<body><h1>Another shop</h1><gradio-app src="{web_server}/chat/"></gradio-app></body></html>'
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    site = http.server.ThreadingHTTPServer(("127.0.0.1", other_site), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        page = browser_context.new_page()
        page.goto(f"http://127.0.0.1:{site.server_address[1]}/index.html")
        box = page.locator("gradio-app #sa-input textarea")
        box.wait_for(timeout=60_000)
        box.fill("running shoes")
        box.press("Enter")
        page.locator("gradio-app .sa-card").first.wait_for(timeout=60_000)
        assert page.locator("gradio-app .sa-card").count() >= 1
    finally:
        site.shutdown()


def test_spoken_question_through_the_microphone(web_server, playwright, tmp_path_factory):
    """Chromium's fake microphone plays a checked-in recording into the chat's mic button;
    the transcript appears as the shopper's message and the answer shows product cards."""
    clip = Path(__file__).parent / "data" / "audio" / "sony_headphones.wav"
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={clip}%noloop",
    ]
    # a browser of its own: the fake microphone is a launch flag
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-mic")),
        executable_path=CHROMIUM,
        headless=True,
        args=args,
        viewport={"width": 1100, "height": 900},
        permissions=["microphone"],
    )
    try:
        page = context.new_page()
        page.goto(web_server + "/chat/")
        box = page.get_by_label("Message to the shopping assistant")
        box.wait_for(timeout=60_000)
        page.get_by_role("button", name="Record audio").click()  # opens the recorder (device list + record button)
        page.locator("#sa-input .record-button").first.click()
        stop = page.locator("#sa-input .stop-button").first
        stop.wait_for(timeout=20_000)
        page.wait_for_timeout(4_000)  # the clip is about 3 s
        stop.click()
        page.get_by_role("button", name="Attach audio").click()  # the recording becomes the message's file
        page.get_by_role("button", name="Submit").click()
        page.locator(".sa-card").first.wait_for(timeout=90_000)
        shopper = page.locator(".message.user, [data-testid='user']").last.inner_text().lower()
        assert "sony" in shopper and "headphones" in shopper, shopper
        titles = page.locator(".sa-card .sa-title").all_inner_texts()
        assert titles and any("Sony" in t for t in titles), titles
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "voice-question.png"), full_page=True)
    finally:
        context.close()
