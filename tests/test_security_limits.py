"""Security suite, rate limits: bursts from one client get 429 with Retry-After before they
reach the turn handler (no log rows, no tickets); guessing order ids for a known email (or
emails for a known id) is paused after a few failures, and the pause grows. The real app
over TestClient, with tight limits set through its settings."""

from __future__ import annotations

import dataclasses
import time

import pytest
from fastapi.testclient import TestClient

from assistant.app import demo_orders
from assistant.channels.web import create_app
from assistant.errors import LookupLimited
from assistant.records.lookup_limits import LimitedOrderSource
from tests.conftest import serving

VICTIM = "henry.lopez@example.com"  # six orders in the demo store


def app_with(demo_services, *, client: str = "", lookup: str = ""):
    """The real app over the demo store with these limits (a fresh limiter each time)."""
    settings = demo_services.settings.model_copy(update={"rate_limit_client": client, "rate_limit_lookup": lookup})
    orders = LimitedOrderSource(demo_services.desk, lookup) if lookup else demo_services.desk
    return create_app(dataclasses.replace(demo_services, settings=settings, orders=orders))


def test_a_burst_from_one_client_gets_429_with_retry_after_and_no_log_rows(demo_services):
    rows = demo_services.log.turn_count()
    with TestClient(app_with(demo_services, client="10/minute")) as client:
        answers = [client.post("/api/chat", json={"message": "hello"}) for _ in range(25)]
        empty = [client.post("/api/chat", json={"message": ""}) for _ in range(5)]
    codes = [a.status_code for a in answers]
    assert codes == [200] * 10 + [429] * 15
    assert all(0 < int(a.headers["retry-after"]) <= 60 for a in answers[10:])
    assert answers[-1].json() == {"detail": f"Too many requests; please wait {answers[-1].headers['retry-after']} seconds and try again."}
    assert {e.status_code for e in empty} == {429}
    assert demo_services.log.turn_count() == rows + 10  # the 20 refused requests wrote nothing


def test_the_chat_ui_counts_against_the_same_limit(demo_services):
    with TestClient(app_with(demo_services, client="3/minute")) as client:
        codes = [client.post("/chat/gradio_api/upload", files={"files": ("a.wav", b"RIFF")}).status_code for _ in range(5)]
    assert codes[3:] == [429, 429] and 429 not in codes[:3]


def test_a_burst_of_hand_off_requests_opens_only_as_many_tickets_as_the_limit(demo_services):
    before = len(demo_services.desk.tickets())
    with TestClient(app_with(demo_services, client="5/minute")) as client:
        codes = [client.post("/api/chat", json={"message": "talk to a human"}).status_code for _ in range(20)]
    assert codes.count(200) == 5 and codes.count(429) == 15
    assert len(demo_services.desk.tickets()) - before == 5


def test_guessing_order_ids_for_a_known_email_is_paused(demo_services):
    """The issue's probe: 60 requests found all 6 of one customer's orders. Now 3 failed
    guesses pause lookups of that email, the right pair included."""
    theirs = {o["order_id"] for o in demo_orders() if o["email"] == VICTIM}
    rows = demo_services.log.turn_count()
    found, refused = set(), []
    with TestClient(app_with(demo_services, lookup="3/minute;10/hour")) as client:
        for number in range(100001, 100061):
            order_id = f"NW-{number}"
            response = client.post("/api/chat", json={"message": f"where is order {order_id}? my email is {VICTIM}"})
            if response.status_code == 429:
                refused.append(response)
            elif "couldn't find an order" not in response.json()["text"]:
                found.add(order_id)
    assert len(found) < len(theirs) and found <= theirs
    assert len(refused) >= 50
    assert 0 < int(refused[-1].headers["retry-after"]) <= 60
    assert "tried too many times" in refused[-1].json()["detail"]
    assert demo_services.log.turn_count() - rows == 60 - len(refused)  # refused lookups write no row


def test_guessing_emails_for_a_known_order_is_paused(demo_services):
    order = next(o for o in demo_orders() if o["email"] == VICTIM)
    with TestClient(app_with(demo_services, lookup="3/minute")) as client:
        for guess in ("a@example.com", "b@example.com", "c@example.com"):
            client.post("/api/chat", json={"message": f"where is order {order['order_id']}? my email is {guess}"})
        right = client.post("/api/chat", json={"message": f"where is order {order['order_id']}? my email is {VICTIM}"})
    assert right.status_code == 429  # even the right email waits: the id is paused


def test_repeated_failures_wait_longer_and_longer(demo_services):
    source = LimitedOrderSource(demo_services.desk, "2 per 2 seconds;3 per hour")
    for guess in ("NW-1", "NW-2"):
        assert source.lookup(guess, VICTIM) is None
    with pytest.raises(LookupLimited) as first:
        source.lookup("NW-3", VICTIM)
    assert 0 < first.value.retry_after <= 2
    time.sleep(first.value.retry_after + 0.1)
    assert source.lookup("NW-3", VICTIM) is None  # the short window moved on: one more try
    with pytest.raises(LookupLimited) as second:
        source.lookup("NW-4", VICTIM)
    assert second.value.retry_after > 3500  # now the hour's window holds it
    right = next(o for o in demo_orders() if o["email"] == VICTIM)
    with pytest.raises(LookupLimited):
        source.lookup(right["order_id"], VICTIM)


def test_successful_lookups_do_not_count(demo_services):
    source = LimitedOrderSource(demo_services.desk, "1/hour")
    right = next(o for o in demo_orders() if o["email"] == VICTIM)
    for _ in range(5):
        assert source.lookup(right["order_id"], VICTIM) is not None


def test_the_load_script_reports_answered_429s_and_errors(demo_services):
    """``tools/security/load.py`` against the real app on uvicorn, loopback only."""
    from tools.security.load import run

    with serving(app_with(demo_services, client="10/minute")) as base:
        report = run(base, requests=40, workers=4, seconds=60, message="")
    assert report["sent"] == 40 and report["answered"] == 10 and report["rate_limited_429"] == 30 and report["errors"] == 0
    with pytest.raises(SystemExit, match="only loopback"):
        run("http://192.0.2.1:7860", requests=1, workers=1, seconds=1, message="")
