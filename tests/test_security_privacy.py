"""Security suite, privacy: the retention period is applied as data is written and by
``shopassist purge``; ``shopassist purge --email`` erases one shopper's data; shoppers'
raw markup is never stored. The real app over TestClient writing into a store of the
test's own (real SQLite), and the real CLI in a subprocess."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from assistant.app import conversation_log, demo_orders, order_desk
from assistant.channels.web import create_app
from assistant.records.database import feedback, handoff_tickets, sessions, turns
from tests.test_security_input import cli

VICTIM = "henry.lopez@example.com"
OTHER = "mateo.nguyen@example.com"


@pytest.fixture
def shop(demo_services, tmp_path):
    """(store dir, app over the demo catalog writing its conversations and tickets there)."""
    store = tmp_path / "store"
    desk = order_desk(store)
    desk.load_orders(demo_orders())
    log = conversation_log(store)
    settings = demo_services.settings.model_copy(update={"rate_limit_client": "", "rate_limit_lookup": ""})
    services = dataclasses.replace(demo_services, settings=settings, log=log, desk=desk, orders=desk)
    with TestClient(create_app(services)) as client:
        yield store, client, log, desk


def talk(client, *messages: str) -> str:
    conversation = None
    for message in messages:
        body = {"message": message} | ({"conversation_id": conversation} if conversation else {})
        answer = client.post("/api/chat", json=body).json()
        conversation = answer["conversation_id"]
    return conversation


def age(log, desk, conversation_id: str, days: int) -> None:
    """Make one conversation's rows (and every ticket) ``days`` old."""
    then = datetime.now(UTC) - timedelta(days=days)
    stamp = then.isoformat(timespec="seconds")
    with log.engine.begin() as conn:
        conn.execute(update(turns).where(turns.c.conversation_id == conversation_id).values(created_at=stamp))
        conn.execute(update(feedback).where(feedback.c.conversation_id == conversation_id).values(created_at=stamp))
        conn.execute(update(sessions).where(sessions.c.conversation_id == conversation_id).values(updated_at=then.timestamp()))
    with desk.engine.begin() as conn:
        conn.execute(update(handoff_tickets).values(created_at=stamp))


def test_the_retention_period_is_applied_as_turns_are_written(shop):
    store, client, log, desk = shop
    old = talk(client, "running shoes", "talk to a human")
    client.post("/api/feedback", json={"conversation_id": old, "turn": 1, "rating": "up"})
    age(log, desk, old, days=91)
    log.retention_days = desk.retention_days = 90
    log._purged_at = 0.0  # as in a process started now
    new = talk(client, "hello", "talk to a human")  # a turn and a ticket written now
    assert log.turn_count(old) == 0 and log.feedback(old) == [] and log.session_count() == 1
    assert log.turn_count(new) == 2
    assert [t["conversation_id"] for t in desk.tickets()] == [new]


def test_the_purge_command_deletes_what_is_older_than_the_period(shop, home):
    store, client, log, desk = shop
    old = talk(client, "running shoes", "talk to a human")
    recent = talk(client, "hello")
    age(log, desk, old, days=40)
    result = cli("purge", "--store", str(store), "--days", "30", home=home)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode() == "deleted 2 turns, 0 ratings, 1 sessions, 1 tickets\n"
    assert log.turn_count(old) == 0 and log.turn_count(recent) == 1


def test_purge_by_email_erases_one_shoppers_data(shop, home):
    store, client, log, desk = shop
    order = next(o for o in demo_orders() if o["email"] == VICTIM)
    theirs = talk(client, f"where is order {order['order_id']}? my email is {VICTIM}", "talk to a human")
    client.post("/api/feedback", json={"conversation_id": theirs, "turn": 1, "rating": "up"})
    someone_else = talk(client, f"my email is {OTHER}, where is my order?")
    result = cli("purge", "--store", str(store), "--email", VICTIM.upper(), home=home)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().startswith(
        "deleted 1 conversations, 2 turns, 1 ratings, 1 sessions, 1 tickets, 0 return requests, 6 orders"
    )
    assert log.turn_count(theirs) == 0 and log.feedback(theirs) == [] and desk.tickets() == []
    assert desk.lookup(order["order_id"], VICTIM) is None
    assert log.turn_count(someone_else) == 1  # nobody else's


def test_purge_refuses_what_it_cannot_do(tmp_path, home):
    assert cli("purge", "--store", str(tmp_path), home=home).stderr.decode().startswith("error: ")
    (tmp_path / "conversations.db").touch()
    result = cli("purge", "--store", str(tmp_path), "--email", "not-an-email", home=home)
    assert result.returncode == 1 and result.stderr.decode() == "error: --email 'not-an-email': not an email address\n"


def test_raw_shopper_markup_is_never_stored(shop):
    store, client, log, desk = shop
    conversation = talk(client, "<script>alert(1)</script>running shoes <img src=x onerror=alert(2)>", "talk to a human")
    with log.engine.connect() as conn:
        stored = list(conn.scalars(select(turns.c.shopper_text).where(turns.c.conversation_id == conversation).order_by(turns.c.turn)))
    assert stored[0] == "alert(1)running shoes"
    (ticket,) = desk.tickets()
    assert "<script" not in ticket["transcript"] and "<img" not in ticket["transcript"]  # words may be echoed, markup never
