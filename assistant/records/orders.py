"""Orders, return requests and human hand-off tickets, in the store's SQLite database.

An order is revealed only when its id AND the email on it both match.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

_SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    order_id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS return_requests (
    return_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(order_id),
    email TEXT NOT NULL,
    reason TEXT NOT NULL,
    conversation_id TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS handoff_tickets (
    ticket_id TEXT PRIMARY KEY,
    conversation_id TEXT,
    reason TEXT NOT NULL,
    transcript TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    created_at TEXT NOT NULL
);
"""


class OrderItem(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    product_id: str
    title: str
    quantity: int
    unit_price: float


class Order(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    order_id: str
    email: str
    status: str
    placed_at: str
    shipped_at: str | None = None
    delivered_at: str | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    items: tuple[OrderItem, ...] = ()
    total: float
    currency: str = "USD"


class ReturnRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    return_id: str
    order_id: str
    created_at: str


class Ticket(BaseModel):
    model_config = ConfigDict(frozen=True)

    ticket_id: str
    reason: str
    created_at: str


def normalise_order_id(value: str) -> str:
    return re.sub(r"[\s#]", "", value).upper()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class OrderDesk:
    #: return window counted from delivery, as in the demo returns policy
    RETURNABLE = {"delivered"}

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, check_same_thread=False)
        self.db.executescript(_SCHEMA)

    def load_orders(self, orders: Iterable[dict]) -> int:
        rows = [Order.model_validate(o) for o in orders]
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO orders (order_id, email, data) VALUES (?, ?, ?)",
                [(normalise_order_id(o.order_id), o.email.lower(), o.model_dump_json()) for o in rows],
            )
        return len(rows)

    def order_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM orders").fetchone()[0]

    def lookup(self, order_id: str, email: str) -> Order | None:
        """The order, only when both id and email match; otherwise None (reveals nothing)."""
        row = self.db.execute(
            "SELECT data FROM orders WHERE order_id = ? AND email = ?",
            (normalise_order_id(order_id), email.strip().lower()),
        ).fetchone()
        return Order.model_validate_json(row[0]) if row else None

    def open_return(self, order_id: str) -> str | None:
        row = self.db.execute("SELECT return_id FROM return_requests WHERE order_id = ?", (normalise_order_id(order_id),)).fetchone()
        return row[0] if row else None

    def record_return(self, order: Order, reason: str, conversation_id: str | None = None) -> ReturnRecord:
        record = ReturnRecord(return_id=f"RMA-{uuid.uuid4().hex[:8].upper()}", order_id=order.order_id, created_at=_now())
        with self.db:
            self.db.execute(
                "INSERT INTO return_requests (return_id, order_id, email, reason, conversation_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (record.return_id, normalise_order_id(order.order_id), order.email, reason, conversation_id, record.created_at),
            )
        return record

    def create_ticket(self, reason: str, transcript: list[dict], conversation_id: str | None = None) -> Ticket:
        ticket = Ticket(ticket_id=f"HT-{uuid.uuid4().hex[:8].upper()}", reason=reason, created_at=_now())
        with self.db:
            self.db.execute(
                "INSERT INTO handoff_tickets (ticket_id, conversation_id, reason, transcript, created_at) VALUES (?, ?, ?, ?, ?)",
                (ticket.ticket_id, conversation_id, reason, json.dumps(transcript, ensure_ascii=False), ticket.created_at),
            )
        return ticket

    def tickets(self) -> list[dict]:
        cur = self.db.execute("SELECT ticket_id, conversation_id, reason, transcript, status, created_at FROM handoff_tickets")
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur]

    def returns(self) -> list[dict]:
        cur = self.db.execute("SELECT return_id, order_id, email, reason, conversation_id, created_at FROM return_requests")
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur]
