"""The store's state on both engines: SQLite files (the default) and a real PostgreSQL
server (``SHOPASSIST_DATABASE_URL``), with the same behaviour; a database made before
migrations existed is adopted; app processes sharing one database continue each other's
conversations (in one process with two apps, and as two real ``shopassist serve``
processes sharing PostgreSQL and a Chroma server)."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select

from assistant.app import conversation_log, demo_orders, order_desk
from assistant.channels.web import create_app
from assistant.errors import DatabaseError
from assistant.records.conversations import ConversationLog
from assistant.records.database import database_url, head_revision, open_database, sessions, turns
from assistant.records.orders import OrderDesk
from assistant.types import ParsedIntent, Reply, Slots, TurnResult
from tests.conftest import free_port

MATEO = "mateo.nguyen@example.com"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    """Where a test's database lives: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "state.db"
    return request.getfixturevalue("postgres_url")


def _result(text: str, intent: str = "search_products") -> TurnResult:
    reply = Reply(text=f"answer to {text}", intent=intent, slots=Slots())  # type: ignore[arg-type]
    return TurnResult(transcript=text, parsed=ParsedIntent(intent=intent), reply=reply, timings_ms={})  # type: ignore[arg-type]


def test_orders_returns_actions_and_tickets_behave_the_same_on_both_engines(target):
    desk = OrderDesk(target)
    assert desk.load_orders(demo_orders()) == len(demo_orders())
    order = desk.lookup("nw 100002", MATEO.upper())
    assert order is not None and order.order_id == "NW-100002"
    assert desk.lookup("NW-100002", "someone@example.com") is None

    record = desk.record_return(order, "too small", conversation_id="c1")
    assert desk.return_of("NW100002") == record
    refunded = desk.update_return(record.return_id.lower(), "refunded", on="2026-11-20")
    assert refunded is not None and refunded.status == "refunded"
    assert refunded.refunded_at == refunded.received_at == "2026-11-20"  # a refund implies the parcel came back
    assert desk.update_return("RMA-NOPE", "received") is None

    change = desk.record_action(order, "change", {"address": "12 Elm St"}, conversation_id="c2")
    cancel = desk.record_action(order, "cancel", {}, conversation_id="c2")
    assert [a.action_id for a in desk.actions_of("nw-100002")] == [change.action_id, cancel.action_id]
    stored = desk.stored("NW-100002")
    assert stored is not None and stored.status == "cancelled"

    ticket = desk.create_ticket("wants a person", [{"role": "shopper", "text": f"I am {MATEO}"}], conversation_id="c3")
    desk.set_reply_to(ticket.ticket_id, f" {MATEO.upper()} ")
    assert desk.reply_to(ticket.ticket_id) == MATEO
    assert desk.conversations_of(MATEO) == {"c1", "c2", "c3"}
    counts = desk.forget(MATEO, {"c3"})
    assert counts == {"tickets": 1, "return_requests": 1, "orders": 3}
    assert desk.lookup("NW-100002", MATEO) is None and desk.actions() == [] and desk.tickets() == []
    assert desk.purge_tickets(datetime.now(UTC)) == 0
    desk.close()


def test_conversations_sessions_and_ratings_behave_the_same_on_both_engines(target):
    log = ConversationLog(target)
    for turn, text in enumerate(["running shoes", f"my email is {MATEO}", "thanks"], start=1):
        log.record("conv-a", turn, _result(text), channel="api")
    log.record("conv-a", 3, _result("thanks again"), channel="api")  # a turn recorded again replaces it
    log.record("conv-b", 1, _result("hello", "greeting"), channel="ui")
    assert log.turn_count() == 4 and log.turn_count("conv-a") == 3

    log.rate("conv-a", 3, "down", "wrong")
    log.rate("conv-a", 3, "up")  # changed
    [rated] = log.feedback("conv-a")
    assert (rated.rating, rated.shopper_text, rated.comment) == ("up", "thanks again", None)
    log.unrate("conv-a", 3)
    assert log.feedback() == []

    log.save_session("conv-a", 2, '{"state": 1}')  # fewer turns than logged: never renumbered below them
    log.save_session("conv-a", 3, '{"state": 2}')
    assert log.load_session("conv-a", max_idle_s=60) == (3, '{"state": 2}')
    assert log.load_session("conv-z", max_idle_s=60) is None
    assert log.mentioning(MATEO.upper()) == {"conv-a"}

    log.rate("conv-b", 1, "up")
    assert log.purge(datetime.now(UTC) + timedelta(seconds=5)) == {"turns": 4, "ratings": 1, "sessions": 1}
    assert log.session_count() == 0 and log.turn_count() == 0
    log.record("conv-c", 1, _result("hi"), channel="api")
    log.save_session("conv-c", 1, "{}")
    assert log.delete_conversations({"conv-c"}) == {"turns": 1, "ratings": 0, "sessions": 1}
    log.close()


def test_one_postgresql_database_holds_the_desk_and_the_log(postgres_url):
    desk, log = order_desk(None, database_url=postgres_url), conversation_log(None, database_url=postgres_url)  # type: ignore[arg-type]
    desk.load_orders(demo_orders()[:3])
    log.record("conv-a", 1, _result("hello"), channel="api")
    names = set(inspect(desk.engine).get_table_names())
    assert {"orders", "return_requests", "order_actions", "handoff_tickets", "turns", "sessions", "feedback", "alembic_version"} <= names
    assert desk.order_count() == 3 and log.turn_count() == 1


def test_processes_starting_together_on_a_new_database_migrate_it_once(postgres_url):
    errors: list[BaseException] = []

    def start() -> None:
        try:
            OrderDesk(postgres_url).close()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with open_database(postgres_url).connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all() == [head_revision()]


#: the schema of shop.db and conversations.db as the versions before migrations wrote them
_EARLIER_SCHEMA = """
CREATE TABLE orders (order_id TEXT PRIMARY KEY, email TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE return_requests (return_id TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(order_id),
    email TEXT NOT NULL, reason TEXT NOT NULL, conversation_id TEXT, created_at TEXT NOT NULL);
CREATE TABLE handoff_tickets (ticket_id TEXT PRIMARY KEY, conversation_id TEXT, reason TEXT NOT NULL,
    transcript TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open', created_at TEXT NOT NULL);
CREATE TABLE turns (conversation_id TEXT NOT NULL, turn INTEGER NOT NULL, channel TEXT NOT NULL, shopper_text TEXT NOT NULL,
    intent TEXT NOT NULL, slots TEXT NOT NULL, reply_text TEXT NOT NULL, product_ids TEXT NOT NULL, handoff_ticket TEXT,
    created_at TEXT NOT NULL, PRIMARY KEY (conversation_id, turn));
"""


def test_a_database_made_before_migrations_is_adopted_with_its_rows(tmp_path):
    path = tmp_path / "shop.db"
    order = demo_orders()[1]
    with sqlite3.connect(path) as db:
        db.executescript(_EARLIER_SCHEMA)
        db.execute("INSERT INTO orders VALUES (?, ?, ?)", ("NW-100002", MATEO, json.dumps(order)))  # a key with its dash
        db.execute("INSERT INTO handoff_tickets (ticket_id, reason, transcript, created_at) VALUES ('HT-1', 'r', '[]', '2026-11-01')")
    db.close()
    desk = OrderDesk(path)
    assert desk.lookup("NW100002", MATEO) is not None
    [ticket] = desk.tickets()
    assert ticket["category"] == "request" and ticket["reply_to"] is None
    columns = {c["name"] for c in inspect(desk.engine).get_columns("return_requests")}
    assert {"status", "received_at", "refunded_at"} <= columns
    assert "order_actions" in inspect(desk.engine).get_table_names()
    desk.close()
    assert OrderDesk(path).order_count() == 1  # opening it again changes nothing


@pytest.mark.parametrize(
    ("url", "message"),
    [("mysql://u@localhost/db", "mysql is not supported"), ("postgresql://u@host:notaport/db", "not a database URL")],
)
def test_a_database_url_of_another_engine_or_malformed_is_refused_with_a_reason(url, message):
    with pytest.raises(DatabaseError, match=message):
        database_url(url)


def test_a_database_that_cannot_be_reached_is_named_without_its_password():
    from tests.conftest import free_port

    url = f"postgresql://shopassist:secret-pw@127.0.0.1:{free_port()}/shop"  # nothing listens there
    with pytest.raises(DatabaseError, match=r"cannot open the database postgresql\+psycopg://shopassist:\*\*\*@127\.0\.0\.1") as caught:
        OrderDesk(url)
    assert "secret-pw" not in str(caught.value)


def test_postgresql_urls_use_psycopg_3():
    assert database_url("postgresql://u:p@db.internal:5432/shop").startswith("postgresql+psycopg://u:p@db.internal:5432/shop")


# -- several app processes, one conversation ------------------------------------------------------


def _continue(clients, messages):
    """Send ``messages`` in one conversation, alternating between ``clients``; the answers."""
    conversation, answers = None, []
    for i, message in enumerate(messages):
        body = {"message": message} | ({"conversation_id": conversation} if conversation else {})
        answer = clients[i % len(clients)](body)
        conversation = answer["conversation_id"]
        answers.append(answer)
    return answers


#: search, refine, a reference to a shown product, an order with id+email, then one more of that
#: shopper's orders without the email: each process must see what the other one did
_ALTERNATING = [
    "running shoes under $150",
    "cheaper",
    "tell me about the second one",
    f"where is my order NW-100002? my email is {MATEO}",
    "and order NW-100009?",
]


def _check_alternating(answers, turn_rows):
    search, cheaper, second, first_order, second_order = answers
    assert [a["turn"] for a in answers] == [1, 2, 3, 4, 5]
    assert search["products"] and cheaper["products"]
    assert cheaper["slots"].get("category") == search["slots"].get("category")  # carried over
    assert max(p["price"] for p in cheaper["products"]) < max(p["price"] for p in search["products"])
    assert [p["id"] for p in second["products"]] == [cheaper["products"][1]["id"]]  # "the second one" of the other process's list
    assert first_order["intent"] == "order_status" and "NW-100002" in first_order["text"]
    assert second_order["intent"] == "order_status" and "NW-100009" in second_order["text"]
    assert "email" not in second_order["text"].lower()  # the email verified on the other process is not asked again
    assert turn_rows == [1, 2, 3, 4, 5]


def _turn_numbers(log: ConversationLog, conversation: str) -> list[int]:
    with log.engine.connect() as conn:
        return list(conn.scalars(select(turns.c.turn).where(turns.c.conversation_id == conversation).order_by(turns.c.turn)))


def test_two_apps_sharing_postgresql_continue_one_conversation(demo_services, postgres_url):
    settings = demo_services.settings.model_copy(update={"rate_limit_client": "", "rate_limit_lookup": ""})
    clients = []
    for _ in range(2):  # each app with its own connections, as separate processes would have
        desk, log = OrderDesk(postgres_url), ConversationLog(postgres_url)
        clients.append(TestClient(create_app(dataclasses.replace(demo_services, settings=settings, desk=desk, orders=desk, log=log))))
    OrderDesk(postgres_url).load_orders(demo_orders())
    answers = _continue([lambda body, c=c: c.post("/api/chat", json=body).json() for c in clients], _ALTERNATING)
    log = ConversationLog(postgres_url)
    _check_alternating(answers, _turn_numbers(log, answers[0]["conversation_id"]))
    with log.engine.connect() as conn:
        assert conn.scalar(select(sessions.c.turns).where(sessions.c.conversation_id == answers[0]["conversation_id"])) == 5


def _post(base: str, body: dict) -> dict:
    request = urllib.request.Request(base + "/api/chat", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_two_serve_processes_sharing_postgresql_and_a_chroma_server_continue_one_conversation(tmp_path, postgres_url, chroma_server):
    host, port = chroma_server
    env = {
        **os.environ,
        "SHOPASSIST_HOME": str(tmp_path / "home"),
        "SHOPASSIST_DATABASE_URL": postgres_url,
        "SHOPASSIST_CHROMA_HOST": host,
        "SHOPASSIST_CHROMA_PORT": str(port),
        "SHOPASSIST_INTENT_PARSER": "rules",  # the state is under test here, not the parser
        "SHOPASSIST_RATE_LIMIT_CLIENT": "",
        "SHOPASSIST_RATE_LIMIT_LOOKUP": "",
    }
    build = subprocess.run(
        [sys.executable, "-c", "from assistant.app import ensure_demo_store; from assistant.settings import Settings; "
         "ensure_demo_store(Settings(), progress=False)"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-2000:]
    ports = [free_port(), free_port()]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--port", str(p)],
            env=env,
            stdout=(tmp_path / f"serve-{p}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        for p in ports
    ]
    try:
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        deadline = time.monotonic() + 180
        for base, proc, port_ in zip(bases, procs, ports):
            while True:
                try:
                    with urllib.request.urlopen(base + "/health", timeout=2):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"serve did not start: {(tmp_path / f'serve-{port_}.log').read_text()[-2000:]}")
                    time.sleep(0.3)
        answers = _continue([lambda body, b=b: _post(b, body) for b in bases], _ALTERNATING)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    log = ConversationLog(postgres_url)
    _check_alternating(answers, _turn_numbers(log, answers[0]["conversation_id"]))
    assert not (tmp_path / "home" / "stores" / "demo" / "shop.db").exists()  # nothing of the state in the store directory
