"""The whole web app in a real headless Chromium (Debian's, driven by Playwright):
support page -> widget -> question -> product cards -> follow-up -> thumbs up -> stored;
the chat embedded in another site; a question spoken into Chromium's fake microphone.

Needs /usr/bin/chromium (``.ci/run`` installs it). Without it the test is skipped,
unless SHOPASSIST_REQUIRE_BROWSER=1 (CI sets it), where a missing browser fails.
"""

from __future__ import annotations

import os
import re
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.evals.widget_bench import open_widget
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

    # every browser here is one client address (127.0.0.1): the per-client limit is for one shopper
    settings = demo_services.settings.model_copy(
        update={"allowed_origins": [f"http://127.0.0.1:{other_site}"], "rate_limit_client": "1000/minute"}
    )
    with serving(create_app(dataclasses.replace(demo_services, settings=settings))) as base:
        yield base


def require_chromium() -> None:
    """Skip without Debian's Chromium, unless SHOPASSIST_REQUIRE_BROWSER=1 (CI), where it fails."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("SHOPASSIST_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def playwright():
    """One Playwright driver for the module (a second sync driver cannot start inside the first)."""
    require_chromium()
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


VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844), "small-phone": (360, 640)}


def _context(playwright, tmp_path_factory, size: tuple[int, int], *args: str, **options):
    width, height = size
    return playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, *args],
        viewport={"width": width, "height": height},
        is_mobile=width < 600,
        has_touch=width < 600,
        **options,
    )


def _open_widget(page, base: str):
    chat, box = open_widget(page, base, timeout_ms=90_000)
    assert page.locator("#sa-launcher").get_attribute("aria-expanded") == "true"
    return chat, box


def _inside_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"] + 1
        and box["x"] + box["width"] <= size["width"] + 1
    )


#: records, as the page changes, how many shopper messages and answers it shows (the typing
#: indicator is no answer) and whether the indicator shows
WATCH = """() => { if (window.__saWatch) return; window.__saWatch = [];
  const state = () => ({
    users: document.querySelectorAll('#sa-chat .message-row.user-row').length,
    answers: [...document.querySelectorAll('#sa-chat .message-row.bot-row')].filter(r => !r.querySelector('.sa-typing')).length,
    typing: !!document.querySelector('#sa-chat .sa-typing'),
  });
  window.__saState = state;
  new MutationObserver(() => {
    const now = state(), last = window.__saWatch[window.__saWatch.length - 1];
    if (!last || JSON.stringify(last) !== JSON.stringify(now)) window.__saWatch.push(now);
  }).observe(document.body, {subtree: true, childList: true, characterData: true}); }"""


def _chat_frame(page):
    """The chat's frame: the widget's iframe, or the page itself at /chat/."""
    return next(f for f in page.frames if "/chat/" in f.url)


def _send(page, chat, box, text: str):
    """Type and send: the shopper's message must show (with the typing indicator) before the
    answer does; returns the answer."""
    frame = _chat_frame(page)
    frame.evaluate(WATCH)
    before = frame.evaluate("() => { window.__saWatch.length = 0; return window.__saState(); }")
    box.fill(text)
    box.press("Enter")
    try:
        frame.wait_for_function(
            f"() => {{ const s = window.__saState(); return s.answers > {before['answers']} && !s.typing; }}", timeout=90_000
        )
    except Exception:  # what the shopper saw, for the CI artifacts
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "send-failed.png"))
        raise
    seen = frame.evaluate("() => window.__saWatch")
    echoed = {"users": before["users"] + 1, "answers": before["answers"], "typing": True}
    assert echoed in seen, f"the message was not shown before the answer: {seen}"
    assert text[:20] in chat.locator("#sa-chat .message-row.user-row").last.inner_text()
    return chat.locator("#sa-chat .message-row.bot-row").last


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_whole_conversation_in_the_widget(viewport, web_server, playwright, tmp_path_factory, demo_services):
    """Search, refine, compare, add to cart, a policy, a hand-off and a reload, at each size,
    asserting what a shopper sees: the input in view, the message echoed before the answer,
    cards with working actions, a readable table, each source and ticket once, the
    conversation back after a reload, and Escape closing the widget."""
    context = _context(playwright, tmp_path_factory, VIEWPORTS[viewport])
    try:
        page = context.new_page()
        chat, box = _open_widget(page, web_server)
        assert _inside_viewport(page, box), "the message box is out of view"
        assert float(box.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 16  # no zoom on iOS
        if viewport != "desktop":  # a full-screen sheet on a phone
            panel = page.locator("#sa-panel").bounding_box()
            assert panel["width"] >= VIEWPORTS[viewport][0] - 1 and panel["height"] >= VIEWPORTS[viewport][1] - 1

        answer = _send(page, chat, box, "noise cancelling headphones under $100")
        cards = answer.locator(".sa-card")
        assert cards.count() >= 2 and _inside_viewport(page, box)
        for i in range(cards.count()):
            product = demo_services.products.by_id[cards.nth(i).get_attribute("title").removeprefix("Item ")]
            assert product.category == "headphones" and product.price <= 100
            assert f"${product.price:,.2f}" in cards.nth(i).inner_text()
        said = answer.inner_text().split(cards.first.inner_text()[:10])[0]
        assert "1. " not in said, "the products are listed in words and again as cards"

        # "Add to cart" tells the host page, which adds it with its own code; keyboard reachable
        page.evaluate("window.__carts = []; ShopAssistant.on('add-to-cart', d => window.__carts.push(d))")
        in_stock = [i for i in range(cards.count()) if cards.nth(i).locator(".sa-in").count()]
        card = cards.nth(in_stock[0])
        wanted = card.get_attribute("title").removeprefix("Item ")
        card.locator("a.sa-cart").focus()
        card.locator("a.sa-cart").press("Enter")
        deadline = time.time() + 10
        while time.time() < deadline and not page.evaluate("window.__carts.length"):
            time.sleep(0.1)
        assert page.evaluate("window.__carts") == [{"productId": wanted, "quantity": 1}]

        # in words: the product is named and the host page told, as for the card's action
        ordinal = ["first", "second", "third", "fourth", "fifth"][in_stock[-1]]
        said = cards.nth(in_stock[-1]).get_attribute("title").removeprefix("Item ")
        added = _send(page, chat, box, f"add the {ordinal} one to my cart")
        assert demo_services.products.by_id[said].title in added.inner_text()
        deadline = time.time() + 10
        while time.time() < deadline and page.evaluate("window.__carts.length") < 2:
            time.sleep(0.1)
        assert page.evaluate("window.__carts")[1:] == [{"productId": said, "quantity": 1}]
        cards = _send(page, chat, box, "noise cancelling headphones under $100").locator(".sa-card")

        table = _send(page, chat, box, "compare the first two").locator(".sa-table")
        assert table.locator("thead th").count() == 2
        heads = table.locator("thead th").all_inner_texts()
        assert all(len(h) <= 40 for h in heads), heads
        for cell in (table.locator("tbody th").first, table.locator("thead th").first):  # never "Wat/erp/roo/f"
            assert cell.evaluate("e => [getComputedStyle(e).wordBreak, getComputedStyle(e).overflowWrap]") == ["normal", "normal"]

        policy = _send(page, chat, box, "how long do I have to return something?")
        assert policy.locator(".sa-source").count() == 1 and "(Source:" not in policy.inner_text()

        handoff = _send(page, chat, box, "I want to talk to a human")
        ticket = handoff.locator(".sa-handoff")
        assert ticket.count() == 1
        words = handoff.inner_text()
        numbers = re.findall(r"[A-Z]{1,4}-?\d{4,}", words)
        assert len(numbers) == len(set(numbers)), f"a ticket number said twice: {words}"

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"widget-{viewport}.png"))

        # a reload (or another page of the shop) shows the conversation again
        page.reload()
        chat, box = _open_widget(page, web_server)
        chat.locator("#sa-chat .sa-table").first.wait_for(timeout=30_000)
        assert chat.locator("#sa-chat .sa-card").count() >= 2 and chat.locator("#sa-chat .sa-handoff").count() == 1

        box.press("Escape")  # from inside the chat
        page.wait_for_function("document.getElementById('sa-panel').dataset.open === 'false'", timeout=5_000)
    finally:
        context.close()


def test_feedback_is_stored_and_the_widget_takes_options(web_server, browser_context, demo_services):
    page = browser_context.new_page()
    page.goto(web_server + "/")
    # the widget's data- options, as a shop would set them
    page.evaluate(
        """() => { document.getElementById('sa-launcher').remove(); document.getElementById('sa-panel').remove();
        delete window.ShopAssistant;
        const s = document.createElement('script'); s.src = 'widget.js';
        Object.assign(s.dataset, {title: 'Ask Ada', color: '#0f766e', position: 'left', welcome: 'Welcome to our shop!',
                                  suggestions: 'Show me headphones|What is your returns policy?', theme: 'dark'});
        document.body.appendChild(s); }"""
    )
    launcher = page.get_by_role("button", name="Ask Ada")
    launcher.wait_for()
    assert launcher.evaluate("e => getComputedStyle(e).left") == "20px"
    assert launcher.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(15, 118, 110)"
    page.evaluate("ShopAssistant.open()")
    assert "__theme=dark" in page.locator("#sa-panel iframe").get_attribute("src")
    chat = page.frame_locator("#sa-panel iframe")
    chat.get_by_text("Welcome to our shop!").wait_for(timeout=60_000)
    chip = chat.get_by_role("button", name="Show me headphones")
    chip.click()
    chat.locator(".sa-card").first.wait_for(timeout=60_000)
    chat.locator("#sa-chat .sa-typing").first.wait_for(state="detached", timeout=60_000)
    likes = chat.get_by_role("button", name="Like", exact=True)
    likes.last.click()
    deadline = time.time() + 20
    stored = []
    while time.time() < deadline and not stored:
        stored = [f for f in demo_services.log.feedback() if f.rating == "up" and f.shopper_text == "Show me headphones"]
        time.sleep(0.2)
    assert stored, "the thumbs up was not stored"
    assert stored[-1].intent == "search_products"


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
        assert b'frame.allow = "microphone' in r.read()


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


def test_spoken_question_in_one_tap(web_server, playwright, tmp_path_factory):
    """Chromium's fake microphone plays a checked-in recording: one tap on the microphone
    records, the pause after the words stops it, and it is sent by itself; the transcript
    shows as the shopper's message before the answer, which shows product cards."""
    clip = Path(__file__).parent / "data" / "audio" / "sony_headphones.wav"
    fake_mic = ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={clip}%noloop")
    context = _context(playwright, tmp_path_factory, VIEWPORTS["phone"], *fake_mic, permissions=["microphone"])
    try:
        page = context.new_page()
        page.goto(web_server + "/chat/")
        page.get_by_label("Message to the shopping assistant").wait_for(timeout=60_000)
        mic = page.get_by_role("button", name="Speak your question")
        mic.click()
        page.locator("#sa-mic[data-state=recording]").wait_for(timeout=10_000)
        # no second tap: the pause after the clip ends the recording, and it is sent
        page.locator("#sa-chat .sa-typing").first.wait_for(timeout=30_000)
        shopper = page.locator("#sa-chat .message-row.user-row").last
        page.wait_for_function(
            "() => { const u = [...document.querySelectorAll('#sa-chat .message-row.user-row')].pop(); return u && /sony/i.test(u.innerText); }",
            timeout=90_000,
        )
        assert "headphones" in shopper.inner_text().lower()
        page.locator(".sa-card").first.wait_for(timeout=90_000)
        titles = page.locator(".sa-card .sa-title").all_inner_texts()
        assert titles and any("Sony" in t for t in titles), titles
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "voice-question.png"))
    finally:
        context.close()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_no_serious_accessibility_violations(viewport, web_server, playwright, tmp_path_factory):
    """axe-core (the axe-playwright-python wheel's copy) on the support page with the widget
    open and on the chat itself after an answer with cards and one with a table: no serious
    or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = _context(playwright, tmp_path_factory, VIEWPORTS[viewport])
    try:
        page = context.new_page()
        chat, box = _open_widget(page, web_server)
        found = [("support page", v) for v in axe.run(page).response["violations"]]
        chat_page = context.new_page()
        chat_page.goto(web_server + "/chat/")
        box = chat_page.get_by_label("Message to the shopping assistant")
        box.wait_for(timeout=60_000)
        for text in ("noise cancelling headphones under $100", "compare the first two"):
            _send(chat_page, chat_page, box, text)
        found += [("chat", v) for v in axe.run(chat_page).response["violations"]]
        serious = [
            f"{where}: {v['id']} ({v['impact']}) {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for where, v in found
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, "\n".join(serious)
    finally:
        context.close()


def test_api_docs_work_offline(web_server, browser_context):
    """/api/docs renders the API (Swagger UI 5, OpenAPI 3.1) from files the app serves: no
    request leaves this host."""
    page = browser_context.new_page()
    elsewhere = []
    page.on("request", lambda r: None if r.url.startswith(web_server) or r.url.startswith("data:") else elsewhere.append(r.url))
    page.goto(web_server + "/api/docs")
    page.locator(".opblock-summary-path", has_text="/api/chat").first.wait_for(timeout=30_000)
    page.get_by_text("ChatAnswer").first.wait_for(timeout=10_000)  # the typed response model
    assert not elsewhere, elsewhere


def test_a_send_without_a_connection_keeps_the_message(web_server, playwright, tmp_path_factory):
    """Offline, the message stays in the box and the shopper reads a plain sentence; back
    online, Send again answers it."""
    context = _context(playwright, tmp_path_factory, VIEWPORTS["phone"])
    try:
        page = context.new_page()
        page.goto(web_server + "/chat/")
        box = page.get_by_label("Message to the shopping assistant")
        box.wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        context.set_offline(True)
        box.fill("running shoes under $70")
        box.press("Enter")
        notice = page.locator(".toast-body")
        notice.first.wait_for(timeout=15_000)
        assert "connection to the server was lost" in notice.first.inner_text().lower()
        assert box.input_value() == "running shoes under $70"
        context.set_offline(False)
        page.wait_for_timeout(3_000)  # the page reconnects
        answer = _send(page, page, box, "running shoes under $70")
        assert answer.locator(".sa-card").count() >= 1
    finally:
        context.close()
