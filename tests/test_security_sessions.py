"""Security suite, sessions: the server issues every conversation id; a conversation
survives a restart and an eviction from memory with its turn numbers (never reused, so a
rating keeps pointing at its answer); an idle conversation expires with the email it
verified. The real app over TestClient on the demo store's real conversation log."""

from __future__ import annotations

import dataclasses
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.channels.sessions import SessionStore, dumps, loads
from assistant.channels.web import create_app
from assistant.dialogue import Session
from assistant.records.database import sessions

VICTIM = "henry.lopez@example.com"


def app_with(demo_services, **settings):
    updated = demo_services.settings.model_copy(update={"rate_limit_client": "", **settings})
    return create_app(dataclasses.replace(demo_services, settings=updated))


@pytest.fixture(scope="module")
def client(demo_services):
    with TestClient(app_with(demo_services)) as test_client:
        yield test_client


def test_the_server_issues_unguessable_ids(client):
    ids = {client.post("/api/chat", json={"message": "hello"}).json()["conversation_id"] for _ in range(3)}
    assert len(ids) == 3 and all(len(i) == 24 for i in ids)


@pytest.mark.parametrize("chosen", ["victim", "c1", "x" * 64])
def test_a_client_cannot_choose_its_conversation_id(client, chosen):
    response = client.post("/api/chat", json={"message": "hello", "conversation_id": chosen})
    assert response.status_code == 404
    assert response.json() == {"detail": "Unknown or expired conversation; omit conversation_id to start a new one."}


def test_a_conversation_survives_a_restart_with_its_turn_numbers(demo_services):
    with TestClient(app_with(demo_services)) as first:
        one = first.post("/api/chat", json={"message": "running shoes under $70"}).json()
        assert first.post("/api/feedback", json={"conversation_id": one["conversation_id"], "turn": 1, "rating": "up"}).status_code == 204
    with TestClient(app_with(demo_services)) as restarted:  # a new process: nothing in memory
        two = restarted.post("/api/chat", json={"message": "cheaper", "conversation_id": one["conversation_id"]}).json()
    assert two["turn"] == 2 and two["conversation_id"] == one["conversation_id"]
    assert two["slots"]["price_max"] < min(p["price"] for p in one["products"])  # the constraints came back too
    rated = demo_services.log.feedback(one["conversation_id"])
    assert [(f.turn, f.shopper_text) for f in rated] == [(1, "running shoes under $70")]  # still the answer it rated


def test_an_evicted_conversation_comes_back_from_the_log(demo_services):
    store = SessionStore(demo_services.log, idle_minutes=30, capacity=2)
    first, _ = store.new()
    first.next_turn()
    first.pending_email = VICTIM
    store.save(first)
    for _ in range(3):  # push it out of memory
        other, _ = store.new()
        store.save(other)
    assert first.conversation_id not in store._items
    back, _ = store.get(first.conversation_id)
    assert back is not first and back.turns == 1 and back.pending_email == VICTIM


def test_turn_numbers_are_never_below_what_was_logged(demo_services):
    with TestClient(app_with(demo_services)) as client:
        one = client.post("/api/chat", json={"message": "hello"}).json()
        client.post("/api/chat", json={"message": "hello again", "conversation_id": one["conversation_id"]})
    session = Session(conversation_id=one["conversation_id"])  # a saved state one turn behind (a crash between the two writes)
    session.turns = 1
    demo_services.log.save_session(session.conversation_id, 1, dumps(session))
    with TestClient(app_with(demo_services)) as client:
        three = client.post("/api/chat", json={"message": "thanks", "conversation_id": one["conversation_id"]}).json()
    assert three["turn"] == 3


def stored_sessions(log) -> set[str]:
    with log.engine.connect() as conn:
        return set(conn.scalars(select(sessions.c.conversation_id)))


def test_an_idle_conversation_expires_with_its_verified_email(demo_services):
    with TestClient(app_with(demo_services, session_idle_minutes=0.02)) as client:  # 1.2 s
        one = client.post("/api/chat", json={"message": f"where is my order? my email is {VICTIM}"}).json()
        assert one["conversation_id"] in stored_sessions(demo_services.log)
        time.sleep(1.5)
        late = client.post("/api/chat", json={"message": "NW-100013", "conversation_id": one["conversation_id"]})
    assert late.status_code == 404
    assert one["conversation_id"] not in stored_sessions(demo_services.log)  # nor the email it was given


def test_a_pending_return_round_trips(demo_services):
    """Everything a session holds is stored and read back, the verified order of a pending return included."""
    from assistant.answer.returns import PendingReturn
    from assistant.app import demo_orders
    from assistant.records.orders import Order

    order = Order.model_validate(next(o for o in demo_orders() if o["email"] == VICTIM))
    session = Session()
    session.shown = list(demo_services.products.products[:2])
    session.pending_return = PendingReturn(order=order, items=order.items[:1], conditions=("unopened",), excluded=(), reason="too big")
    assert loads(dumps(session)) == session
