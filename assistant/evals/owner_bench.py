"""``shopassist bench owner``: the owner page against a real ``shopassist serve``, and its screenshots.

The server runs on 127.0.0.1 with its own SQLite database in a temporary folder (the
store's real conversations are never touched) and an admin token made for the run.
Scripted shoppers talk to it through /api/chat (the real pipeline): searches for things
the store may not carry, policy questions, a hand-off, ratings. Then the time each owner
view takes to answer is measured, and with ``--screenshots DIR`` Debian's Chromium signs in
and saves the inbox, a ticket with its suggested answer, the shopper's chat showing the
team's reply, and the signals page, at desktop and phone sizes (docs/owner.md shows them).
"""

from __future__ import annotations

import re
import secrets
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from assistant.evals.load_bench import Server
from assistant.evals.widget_bench import ARGS, JPEG_QUALITY, open_widget, playwright_for

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
#: the scripted shoppers: each a conversation; "!down" rates the answer before it down
CONVERSATIONS = (
    ("noise cancelling headphones under $100", "compare the first two", "!up"),
    ("do you sell tvs?", "what about a television", "!down"),
    ("I'm looking for a smart tv",),
    ("do you have a sofa?", "a couch then?"),
    ("do you price match?", "will you match a cheaper price from another shop?"),
    ("how long do I have to return something?", "!up"),
    ("waterproof hiking boots size 15 under $10",),
    ("do you have a loyalty programme?",),
)
#: the conversation handed to a person (the ticket the screenshots show)
HANDOFF = ("waterproof hiking boots for a trip in the rain", "I'd like to talk to a person about sizing")
REPEATS = 5


@dataclass
class ViewTime:
    view: str
    median_ms: float
    worst_ms: float


def _say(client: httpx.Client, conversation: list[str], text: str) -> dict:
    body = {"message": text} | ({"conversation_id": conversation[0]} if conversation else {})
    answer = client.post("/api/chat", json=body, timeout=120)
    answer.raise_for_status()
    reply = answer.json()
    if not conversation:
        conversation.append(reply["conversation_id"])
    return reply


def script(base: str) -> str:
    """Talk to the server as the scripted shoppers; the hand-off's ticket id."""
    with httpx.Client(base_url=base) as client:
        for messages in CONVERSATIONS:
            conversation: list[str] = []
            turn = 0
            for text in messages:
                if text.startswith("!"):
                    client.post("/api/feedback", json={"conversation_id": conversation[0], "turn": turn, "rating": text[1:]})
                    continue
                turn = _say(client, conversation, text)["turn"]
        conversation = []
        replies = [_say(client, conversation, text) for text in HANDOFF]
    handoff = replies[-1]["handoff"]
    if not handoff:
        raise RuntimeError(f"the scripted hand-off was not handed off: {replies[-1]['text']!r}")
    return handoff["ticket_id"]


def time_views(base: str, token: str, ticket: str) -> list[ViewTime]:
    with httpx.Client(base_url=base, follow_redirects=True) as client:
        client.post("/admin/sign-in", data={"token": token}).raise_for_status()
        results = []
        for view in ("/admin", f"/admin/tickets/{ticket}", "/admin/signals?days=30", "/admin/signals/not-carried.csv?days=30"):
            times = []
            for _ in range(REPEATS):
                start = time.perf_counter()
                client.get(view, timeout=120).raise_for_status()
                times.append((time.perf_counter() - start) * 1000)
            label = view.replace(ticket, "<ticket>")
            results.append(ViewTime(label, round(statistics.median(times), 1), round(max(times), 1)))
    return results


def screenshots(base: str, token: str, ticket: str, playwright, chromium: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def shot(page, name: str, full: bool = False) -> None:
        saved.append(out / f"{name}.jpg")
        page.screenshot(path=str(saved[-1]), type="jpeg", quality=JPEG_QUALITY, full_page=full)

    browser = playwright.chromium.launch(executable_path=str(chromium), args=ARGS)
    try:
        for size, (width, height) in VIEWPORTS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 600, has_touch=width < 600)
            owner = context.new_page()
            owner.goto(base + "/admin")
            owner.get_by_label("Admin token").fill(token)
            owner.get_by_role("button", name="Sign in").click()
            owner.get_by_role("heading", name="Hand-off inbox").wait_for()
            shot(owner, f"owner-{size}-inbox")
            owner.goto(f"{base}/admin/tickets/{ticket}")
            owner.get_by_role("heading", name="Suggested answer").wait_for()
            shot(owner, f"owner-{size}-ticket", full=True)
            owner.goto(base + "/admin/signals?days=30")
            owner.get_by_role("heading", name="Demand signals").wait_for()
            shot(owner, f"owner-{size}-signals", full=True)
            context.close()

        # the team's reply reaching the shopper's open chat (desktop)
        width, height = VIEWPORTS["desktop"]
        context = browser.new_context(viewport={"width": width, "height": height})
        shopper = context.new_page()
        chat, box = open_widget(shopper, base)
        box.fill("I'd like to talk to a person about a delivery")
        box.press("Enter")
        chat.locator(".sa-handoff").first.wait_for(timeout=120_000)
        with httpx.Client(base_url=base, follow_redirects=True) as client:
            client.post("/admin/sign-in", data={"token": token}).raise_for_status()
            newest = [t for t in _open_tickets(client) if t != ticket][0]
            client.post(
                f"/admin/tickets/{newest}/reply",
                data={"text": "Hi, I'm Ana from the shop. Your parcel is with the courier and arrives tomorrow.", "author": "Ana"},
            )
        chat.locator(".sa-team").first.wait_for(timeout=30_000)
        shopper.wait_for_timeout(400)
        shot(shopper, "owner-shopper-sees-reply")
        context.close()
    finally:
        browser.close()
    return saved


def _open_tickets(client: httpx.Client) -> list[str]:
    return re.findall(r'<tr id="(HT-[0-9A-F]+)"', client.get("/admin").text)


def run(store: Path | None, shots: Path | None, chromium: Path, log=print) -> list[ViewTime]:
    sync_playwright = playwright_for(chromium) if shots is not None else None
    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="shopassist-owner-") as folder:
        env = {"SHOPASSIST_DATABASE_URL": f"sqlite:///{Path(folder) / 'owner.db'}", "SHOPASSIST_ADMIN_TOKEN": token}
        server = Server(1, 1, store, env=env)
        try:
            log(f"serve started in {server.wait_ready():.1f} s")
            ticket = script(server.base)
            results = time_views(server.base, token, ticket)
            if shots is not None and sync_playwright is not None:
                with sync_playwright() as playwright:
                    for path in screenshots(server.base, token, ticket, playwright, chromium, shots):
                        log(f"wrote {path}")
        finally:
            server.stop()
    return results


def markdown(results: list[ViewTime]) -> str:
    lines = [f"| owner view | median ms ({REPEATS} loads) | slowest ms |", "|---|---:|---:|"]
    lines += [f"| `{r.view}` | {r.median_ms:,.1f} | {r.worst_ms:,.1f} |" for r in results]
    return "\n".join(lines)
