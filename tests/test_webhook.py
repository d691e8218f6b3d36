"""The help-desk webhook against a real local receiver (HTTP on 127.0.0.1) that fails its
first attempts: every event arrives once, in order, signed; nothing is lost while the
receiver is down; two deliverers sharing the database never send one event twice."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.owner.webhook import WebhookSender, verify
from assistant.records.orders import OrderDesk
from assistant.records.outbox import Outbox

SECRET = "webhook-secret-for-the-tests"


class Receiver:
    """A help desk's endpoint: answers 503 to its first ``fail_first`` POSTs, then takes them."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.attempts = 0
        self.taken: list[dict] = []
        self.bad_signatures = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.attempts += 1
                    if receiver.attempts <= receiver.fail_first:
                        self.send_response(503)
                        self.end_headers()
                        return
                    if not verify(SECRET, body, self.headers["X-ShopAssist-Signature"]):
                        receiver.bad_signatures += 1
                    event = json.loads(body)
                    assert event["id"] == self.headers["X-ShopAssist-Delivery"] and event["event"] == self.headers["X-ShopAssist-Event"]
                    receiver.taken.append(event)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def desk(tmp_path):
    desk = OrderDesk(tmp_path / "shop.db", events=True)
    yield desk
    desk.close()


def _story(desk: OrderDesk) -> str:
    ticket = desk.create_ticket(
        "the shopper asked for a person", [{"role": "shopper", "text": "a person please"}], "conv-1", "sam@example.com"
    )
    desk.shopper_wrote(ticket.ticket_id, 2, "it is about order NW-1", "A person will answer you here.")
    desk.add_message(ticket.ticket_id, "note", "Ana", "checking with the courier")  # a note is not sent
    desk.add_message(ticket.ticket_id, "reply", "Ana", "Your parcel left today.")
    desk.set_ticket_status(ticket.ticket_id, "closed")
    desk.shopper_wrote(ticket.ticket_id, 3, "thanks", "You're welcome.")  # closed: not sent
    return ticket.ticket_id


def _until(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_failing_then_recovering_receiver_gets_every_event_once_in_order_signed(desk):
    receiver = Receiver(fail_first=3)
    ticket = _story(desk)
    sender = WebhookSender(Outbox(desk.engine), receiver.url, SECRET, retry_s=0.05)
    try:
        _until(lambda: sender.drain() == 0 and Outbox(desk.engine).pending() == 0)
    finally:
        sender.stop()
        receiver.close()
    assert receiver.attempts == 3 + 4
    assert [e["event"] for e in receiver.taken] == ["ticket.created", "ticket.message", "ticket.reply", "ticket.closed"]
    assert len({e["id"] for e in receiver.taken}) == 4 and receiver.bad_signatures == 0
    created = receiver.taken[0]["data"]
    assert created["ticket"]["ticket_id"] == ticket and created["ticket"]["reply_to"] == "sam@example.com"
    assert created["transcript"] == [{"role": "shopper", "text": "a person please"}]
    assert receiver.taken[2]["data"] == {
        "ticket_id": ticket,
        "reply_to": "sam@example.com",
        "author": "Ana",
        "text": "Your parcel left today.",
    }


def test_nothing_is_lost_while_the_receiver_is_down_and_the_wait_grows(desk):
    _story(desk)
    outbox = Outbox(desk.engine)
    now = [1000.0]
    sender = WebhookSender(outbox, "http://127.0.0.1:9/hook", SECRET, retry_s=10, clock=lambda: now[0])  # port 9: refused
    assert sender.deliver_once() is False
    assert sender.deliver_once() is None  # not due yet: 10 s
    now[0] += 10
    assert sender.deliver_once() is False
    now[0] += 10
    assert sender.deliver_once() is None  # now 20 s
    now[0] += 10
    assert sender.deliver_once() is False
    assert outbox.pending() == 4 and outbox.status()["oldest"]["attempts"] == 3
    sender.stop()

    receiver = Receiver()
    try:
        now[0] += 40
        WebhookSender(outbox, receiver.url, SECRET, retry_s=10, clock=lambda: now[0]).drain()
    finally:
        receiver.close()
    assert [e["event"] for e in receiver.taken] == ["ticket.created", "ticket.message", "ticket.reply", "ticket.closed"]
    assert outbox.pending() == 0


def test_two_deliverers_sharing_the_database_send_each_event_once(desk):
    for n in range(12):
        desk.create_ticket(f"request {n}", [], f"conv-{n}")
    receiver = Receiver(fail_first=2)
    senders = [WebhookSender(Outbox(desk.engine), receiver.url, SECRET, retry_s=0.05) for _ in range(2)]
    try:
        for sender in senders:
            sender.start(poll_s=0.01)
        _until(lambda: Outbox(desk.engine).pending() == 0)
    finally:
        for sender in senders:
            sender.stop()
        receiver.close()
    reasons = [e["data"]["ticket"]["reason"] for e in receiver.taken]
    assert reasons == [f"request {n}" for n in range(12)]


def test_without_a_webhook_no_event_is_kept(tmp_path):
    desk = OrderDesk(tmp_path / "shop.db")
    _story(desk)
    assert Outbox(desk.engine).pending() == 0
    desk.close()


def test_the_served_app_delivers_a_chat_hand_off_to_the_help_desk(demo_services, tmp_path):
    receiver = Receiver(fail_first=1)
    settings = demo_services.settings.model_copy(
        update={
            "webhook_url": receiver.url,
            "webhook_secret": SecretStr(SECRET),
            "webhook_retry_s": 0.05,
            "rate_limit_client": "1000/minute",
        }
    )
    desk = OrderDesk(tmp_path / "shop.db", events=True)
    from assistant.channels.web import create_app

    try:
        with TestClient(create_app(dataclasses.replace(demo_services, settings=settings, desk=desk))) as client:
            first = client.post("/api/chat", json={"message": "I want to speak to a human please"}).json()
            client.post("/api/chat", json={"message": "my email is kim@example.com", "conversation_id": first["conversation_id"]})
            _until(lambda: len(receiver.taken) == 2)
    finally:
        receiver.close()
        desk.close()
    created, message = receiver.taken
    assert created["event"] == "ticket.created" and created["data"]["ticket"]["ticket_id"] == first["handoff"]["ticket_id"]
    assert message["event"] == "ticket.message" and "kim@example.com" in message["data"]["text"]


def test_a_webhook_without_a_secret_is_refused_with_the_setting_to_add():
    from assistant.settings import Settings

    with pytest.raises(ValueError, match="SHOPASSIST_WEBHOOK_SECRET"):
        Settings(webhook_url="https://desk.example.com/hook")


def test_the_inbox_says_when_the_help_desk_is_not_taking_events(demo_services, tmp_path):
    from assistant.channels.web import create_app

    token = "owner-token-for-the-tests-0123456789"
    settings = demo_services.settings.model_copy(
        update={
            "webhook_url": "http://127.0.0.1:9/hook",  # nothing listens: refused
            "webhook_secret": SecretStr(SECRET),
            "webhook_retry_s": 3600,
            "admin_token": SecretStr(token),
            "rate_limit_client": "1000/minute",
        }
    )
    desk = OrderDesk(tmp_path / "shop.db", events=True)
    try:
        with TestClient(create_app(dataclasses.replace(demo_services, settings=settings, desk=desk))) as client:
            client.post("/api/chat", json={"message": "I want to speak to a human please"})
            _until(lambda: Outbox(desk.engine).status()["oldest"]["attempts"] >= 1)
            client.post("/admin/sign-in", data={"token": token})
            inbox = client.get("/admin").text
    finally:
        desk.close()
    assert "1 events waiting" in inbox and "ticket.created" in inbox and "ConnectError" in inbox


def test_retention_deletes_the_delivered_copies_and_keeps_what_still_waits(desk):
    from datetime import UTC, datetime, timedelta

    receiver = Receiver()
    _story(desk)
    try:
        WebhookSender(Outbox(desk.engine), receiver.url, SECRET).drain()
    finally:
        receiver.close()
    desk.create_ticket("a later request", [], "conv-2")  # not delivered: kept past the retention period
    desk.purge_tickets(datetime.now(UTC) + timedelta(days=1))
    state = Outbox(desk.engine).status()
    assert (state["waiting"], state["delivered"]) == (1, 0)
