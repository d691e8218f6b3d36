"""``shopassist bench widget``: what opening the widget costs a shopper, and screenshots.

A real ``shopassist serve`` on 127.0.0.1 and Debian's Chromium (Playwright). On the support
page, the "Chat with us" button is clicked and the clock runs until the message box can be
typed into; every response in between is counted (bytes as transferred, compressed where
the server compressed). Cold: a new browser profile (empty cache), first right after the
server started, then again once the server has compressed the chat's files at the highest
quality. Warm: the same browser after a reload (what a shopper who opened it on another page
of the shop gets).

``--screenshots DIR`` also drives a scripted conversation at phone and desktop sizes and
saves what the shopper sees (docs/screenshots/ is made by this).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.evals.load_bench import Server

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-quic"]
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844), "small-phone": (360, 640)}
#: the conversation the screenshots show: a search, a comparison and a policy question
SCRIPT = (
    "noise cancelling headphones under $100",
    "compare the first two",
    "how long do I have to return something?",
)


#: screenshots are JPEG at this quality (about 50 KB each, small enough for git)
JPEG_QUALITY = 70
#: after the box is usable, responses are counted this much longer (the chat keeps a
#: connection open for its updates, so the network never goes quiet)
SETTLE_MS = 2000
#: after the server's first opening, time for it to compress what was fetched (about 1 s of CPU)
COMPRESS_S = 5


@dataclass
class WidgetOpen:
    cache: str  # "cold, first since start", "cold" or "warm"
    requests: int  # fetched over the network (not from the browser's cache)
    kilobytes: float  # as transferred
    usable_ms: float  # click to a message box that takes typing


def open_panel(page, timeout_ms: float = 120_000):
    """Click "Chat with us" on a page with the widget: (the chat's frame, its message box once
    it takes typing)."""
    page.get_by_role("button", name="Chat with us").click()
    chat = page.frame_locator("#sa-panel iframe")
    box = chat.get_by_label("Message to the shopping assistant")
    box.wait_for(state="visible", timeout=timeout_ms)
    return chat, box


def open_widget(page, base: str, timeout_ms: float = 120_000):
    """The support page at ``base`` with the widget opened (``open_panel``)."""
    page.goto(base + "/")
    return open_panel(page, timeout_ms)


def _open(page, base: str) -> WidgetOpen:
    sizes: list[int] = []

    def counted(response) -> None:
        try:
            size = response.request.sizes()
            sizes.append(size["responseBodySize"] + size["responseHeadersSize"])
        except Exception:  # a response that ended before its size was known
            sizes.append(0)

    page.goto(base + "/", wait_until="load")
    page.wait_for_timeout(500)
    page.on("response", counted)
    start = time.perf_counter()
    open_panel(page)
    usable = (time.perf_counter() - start) * 1000
    page.wait_for_timeout(SETTLE_MS)  # what the chat still fetches once usable counts too
    page.remove_listener("response", counted)
    fetched = [size for size in sizes if size > 0]  # from the browser's cache: nothing transferred
    return WidgetOpen("", len(fetched), sum(fetched) / 1024, usable)


def _browser(playwright, chromium: Path, profile: str):
    return playwright.chromium.launch_persistent_context(
        profile, executable_path=str(chromium), headless=True, args=ARGS, viewport={"width": 1366, "height": 900}
    )


def measure(base: str, playwright, chromium: Path) -> list[WidgetOpen]:
    """Openings of the widget at the desktop size: the first since the server started, with a
    cold browser cache (on a machine whose server never served the chat, its files are not
    compressed at the highest quality yet: ``channels/assets.py``); another cold browser
    once the server has compressed them; that browser again, warm (another page)."""
    with tempfile.TemporaryDirectory() as profile:
        context = _browser(playwright, chromium, profile)
        try:
            first = _open(context.new_page(), base)
            first.cache = "cold, first since start"
        finally:
            context.close()
    time.sleep(COMPRESS_S)
    with tempfile.TemporaryDirectory() as profile:
        context = _browser(playwright, chromium, profile)
        try:
            cold = _open(context.new_page(), base)
            cold.cache = "cold"
            warm = _open(context.new_page(), base)
            warm.cache = "warm"
        finally:
            context.close()
    return [first, cold, warm]


def screenshots(base: str, playwright, chromium: Path, out: Path) -> list[Path]:
    """The scripted conversation in the widget at each size, and the page after each answer."""
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for name, (width, height) in VIEWPORTS.items():
        with tempfile.TemporaryDirectory() as profile:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=str(chromium),
                headless=True,
                args=ARGS,
                viewport={"width": width, "height": height},
                is_mobile=width < 600,
                has_touch=width < 600,
            )
            try:
                page = context.new_page()
                chat, box = open_widget(page, base)
                page.wait_for_timeout(500)
                saved.append(out / f"{name}-0.jpg")
                page.screenshot(path=str(saved[-1]), type="jpeg", quality=JPEG_QUALITY)
                for i, text in enumerate(SCRIPT, start=1):
                    answers = chat.locator("#sa-chat .message-row.bot-row").count()
                    box.fill(text)
                    box.press("Enter")
                    chat.locator("#sa-chat .message-row.bot-row").nth(answers).wait_for(timeout=30_000)
                    chat.locator("#sa-chat .sa-typing").first.wait_for(state="detached", timeout=120_000)
                    page.wait_for_timeout(400)
                    # the answer's top in view, as a shopper reading it would scroll
                    chat.locator("#sa-chat .message-row.bot-row").last.scroll_into_view_if_needed()
                    saved.append(out / f"{name}-{i}.jpg")
                    page.screenshot(path=str(saved[-1]), type="jpeg", quality=JPEG_QUALITY)
            finally:
                context.close()
    return saved


def playwright_for(chromium: Path):
    """Playwright's ``sync_playwright``, once it and Debian's Chromium are known to be there
    (``RuntimeError`` saying how to install either, before a server is started)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise RuntimeError("this bench needs Playwright: pip install -e '.[test]'") from exc
    if not chromium.exists():
        raise RuntimeError(f"{chromium} is missing: apt-get install chromium (or set SHOPASSIST_CHROMIUM)")
    return sync_playwright


def run(store: Path | None, shots: Path | None, chromium: Path, log=print) -> list[WidgetOpen]:
    sync_playwright = playwright_for(chromium)
    server = Server(1, 1, store)
    try:
        log(f"serve started in {server.wait_ready():.1f} s")
        with sync_playwright() as playwright:
            results = measure(server.base, playwright, chromium)
            if shots is not None:
                for path in screenshots(server.base, playwright, chromium, shots):
                    log(f"wrote {path}")
    finally:
        server.stop()
    return results


def markdown(results: list[WidgetOpen]) -> str:
    lines = ["| cache | requests fetched | KB transferred | click to usable box (ms) |", "|---|---:|---:|---:|"]
    lines += [f"| {r.cache} | {r.requests} | {r.kilobytes:,.0f} | {r.usable_ms:,.0f} |" for r in results]
    return "\n".join(lines)
