"""The help-desk webhook: events from the outbox POSTed in order to the shop's URL.

Each POST carries one event as JSON (``{"id", "event", "created_at", "data"}``) with the
headers ``X-ShopAssist-Event``, ``X-ShopAssist-Delivery`` (the event id: a receiver that
sees one twice, after a timeout, can drop it) and ``X-ShopAssist-Signature:
t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the shared secret>``. Any 2xx
answer takes the event; anything else, or no answer, keeps it and tries again after
``retry_s``, then twice as long each time up to an hour. Later events wait behind it,
so a help desk always sees a ticket before its messages.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable

import httpx

from assistant.records.outbox import Outbox

log = logging.getLogger(__name__)

#: the longest wait between two attempts at one event
MAX_RETRY_S = 3600.0
#: how long one deliverer holds the head of the outbox (more than one POST's timeout)
LEASE_S = 30.0
TIMEOUT_S = 10.0


def signature(secret: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, body: bytes, header: str, tolerance_s: float = 300.0, now: float | None = None) -> bool:
    """What a receiver checks: the signature matches and is recent (for receivers written in Python, and the tests)."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(signature(secret, body, timestamp), f"t={timestamp},v1={parts.get('v1', '')}")


class WebhookSender:
    def __init__(
        self,
        outbox: Outbox,
        url: str,
        secret: str,
        retry_s: float = 5.0,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.outbox = outbox
        self.url = url
        self.secret = secret
        self.retry_s = retry_s
        self.client = client or httpx.Client(timeout=TIMEOUT_S, follow_redirects=False)
        self.clock = clock
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def deliver_once(self) -> bool | None:
        """One attempt at the oldest waiting event: True delivered, False failed (kept for a
        retry), None when there is nothing due (or another process holds it)."""
        event = self.outbox.claim(LEASE_S, now=self.clock())
        if event is None:
            return None
        body = json.dumps(
            {"id": event.event_id, "event": event.event, "created_at": event.created_at, "data": event.payload}, ensure_ascii=False
        ).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "shopassist-webhook/1",
            "X-ShopAssist-Event": event.event,
            "X-ShopAssist-Delivery": event.event_id,
            "X-ShopAssist-Signature": signature(self.secret, body, int(self.clock())),
        }
        try:
            answer = self.client.post(self.url, content=body, headers=headers)
            error = None if 200 <= answer.status_code < 300 else f"HTTP {answer.status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        if error is None:
            self.outbox.delivered(event)
            return True
        wait = min(MAX_RETRY_S, self.retry_s * 2**event.attempts)
        self.outbox.failed(event, error, retry_at=self.clock() + wait)
        log.warning("webhook %s (%s) not taken: %s; next try in %.0f s", event.event_id, event.event, error, wait)
        return False

    def drain(self) -> int:
        """Deliver what is due until something fails or nothing is due; how many were delivered."""
        sent = 0
        while self.deliver_once():
            sent += 1
        return sent

    def start(self, poll_s: float = 1.0) -> None:
        """Deliver in a background thread until ``stop``."""
        if self._thread is not None:
            return

        def run() -> None:
            while not self._stop.is_set():
                try:
                    self.drain()
                except Exception:  # the database went away a moment: keep the thread, try again
                    log.exception("webhook delivery failed")
                self._wake.wait(poll_s)
                self._wake.clear()

        self._thread = threading.Thread(target=run, name="shopassist-webhook", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=TIMEOUT_S + 1)
            self._thread = None
        self.client.close()
