"""Orders, return requests and human hand-off tickets, in the store's SQLite database.

An order is revealed only when its id AND the email on it both match, whichever
``OrderSource`` holds it: the orders the shop imported (``OrderDesk``) or the shop's own
backend asked over HTTP (``HttpOrderSource``).
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from retrieval.catalog import clean_text

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
CREATE TABLE IF NOT EXISTS order_actions (
    action_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    email TEXT NOT NULL,
    kind TEXT NOT NULL,
    details TEXT NOT NULL,
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


OrderStatus = Literal["processing", "shipped", "out_for_delivery", "delivered", "cancelled", "returned"]


class OrderItem(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    product_id: str
    title: str
    quantity: int = Field(ge=1)
    unit_price: float = Field(ge=0)
    category: str | None = None  # else taken from the catalog
    tags: tuple[str, ...] = ()


def _iso_date(value: object) -> object:
    """'2026-11-02' or an ISO timestamp, checked; empty means none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    text = str(value).strip()
    try:
        date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"{text!r} is not a date (write 2026-11-02 or an ISO timestamp)") from None
    return text


class Order(BaseModel):
    """One order in the schema of docs/stores.md (unknown fields are ignored)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    order_id: str = Field(min_length=1, max_length=64)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    status: OrderStatus
    placed_at: str
    shipped_at: str | None = None
    delivered_at: str | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    items: tuple[OrderItem, ...] = Field(min_length=1)
    total: float = Field(ge=0)
    currency: str = "USD"

    @field_validator("placed_at", "shipped_at", "delivered_at", mode="before")
    @classmethod
    def _dates(cls, value: object) -> object:
        return _iso_date(value)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> object:
        return value.strip().lower().replace(" ", "_").replace("-", "_") if isinstance(value, str) else value

    @field_validator("order_id", "email", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return str(value).strip() if isinstance(value, (str, int)) else value


@runtime_checkable
class OrderSource(Protocol):
    """Where the shop's orders are looked up: one order when the id AND its email match, else
    None; ``OrderSourceUnavailable`` when the source cannot answer right now."""

    def lookup(self, order_id: str, email: str) -> Order | None: ...


def matches(order: Order, order_id: str, email: str) -> bool:
    """The id+email rule, for any source: both must match the order itself."""
    return normalise_order_id(order.order_id) == normalise_order_id(order_id) and order.email.strip().lower() == email.strip().lower()


ReturnStatus = Literal["requested", "received", "refunded"]
RETURN_STATUSES: tuple[str, ...] = ("requested", "received", "refunded")


class ReturnRecord(BaseModel):
    """A return opened through the assistant, and how far the shop has got with it."""

    model_config = ConfigDict(frozen=True)

    return_id: str
    order_id: str
    created_at: str
    status: ReturnStatus = "requested"
    received_at: str | None = None
    refunded_at: str | None = None


ActionKind = Literal["cancel", "change"]


class OrderAction(BaseModel):
    """A cancellation or a change the shopper confirmed, recorded for the shop to carry out.
    ``details``: what changes, e.g. {"address": "12 Elm St"} or {"item": "Hoodie", "size": "L"}."""

    model_config = ConfigDict(frozen=True)

    action_id: str
    order_id: str
    kind: ActionKind
    details: dict[str, str]
    created_at: str


TicketCategory = Literal["request", "complaint", "stuck"]


class Ticket(BaseModel):
    model_config = ConfigDict(frozen=True)

    ticket_id: str
    reason: str
    created_at: str
    reply_to: str | None = None  # the shopper's email the team answers
    category: TicketCategory = "request"


def normalise_order_id(value: str) -> str:
    """The key an order id is looked up by: what the shopper wrote without spaces, "#",
    dashes or underscores, upper case ("mc 5001", "#MC-5001" and "MC5001" are one order)."""
    return re.sub(r"[\s#_-]", "", value).upper()


#: ``normalise_order_id`` in SQL, for the tables that keep the order id as the shop writes it
_KEY = "replace(replace(replace(replace(upper(order_id), '-', ''), '_', ''), ' ', ''), '#', '')"


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character: backslash) matching values that contain ``text``."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class OrderDesk:
    """The store's own database: imported orders (an ``OrderSource``), return requests and
    hand-off tickets."""

    def __init__(self, path: Path, retention_days: int | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.retention_days = retention_days  # hand-off tickets older than this are deleted as new ones open
        self.db = sqlite3.connect(self.path, check_same_thread=False)
        self.db.executescript(_SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Bring a store's database made by an earlier version up to this schema."""
        with self.db:
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(handoff_tickets)")}
            if "reply_to" not in columns:  # tickets did not keep the shopper's email
                self.db.execute("ALTER TABLE handoff_tickets ADD COLUMN reply_to TEXT")
            if "category" not in columns:  # nor what kind of request they are
                self.db.execute("ALTER TABLE handoff_tickets ADD COLUMN category TEXT NOT NULL DEFAULT 'request'")
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(return_requests)")}
            if "status" not in columns:  # returns had no progress
                self.db.execute("ALTER TABLE return_requests ADD COLUMN status TEXT NOT NULL DEFAULT 'requested'")
                self.db.execute("ALTER TABLE return_requests ADD COLUMN received_at TEXT")
                self.db.execute("ALTER TABLE return_requests ADD COLUMN refunded_at TEXT")
            for (key,) in self.db.execute("SELECT order_id FROM orders").fetchall():  # keys written before dashes were ignored
                if key != normalise_order_id(key):
                    self.db.execute("UPDATE OR IGNORE orders SET order_id = ? WHERE order_id = ?", (normalise_order_id(key), key))

    def load_orders(self, orders: Iterable[dict | Order]) -> int:
        rows = [o if isinstance(o, Order) else Order.model_validate(o) for o in orders]
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO orders (order_id, email, data) VALUES (?, ?, ?)",
                [(normalise_order_id(o.order_id), o.email.lower(), o.model_dump_json()) for o in rows],
            )
        return len(rows)

    def stored(self, order_id: str) -> Order | None:
        """The imported order with this id, whatever its email (for imports and the owner only)."""
        row = self.db.execute("SELECT data FROM orders WHERE order_id = ?", (normalise_order_id(order_id),)).fetchone()
        return Order.model_validate_json(row[0]) if row else None

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
        found = self.return_of(order_id)
        return found.return_id if found else None

    def return_of(self, order_id: str) -> ReturnRecord | None:
        """The return opened for this order, with its progress; None when there is none."""
        row = self.db.execute(
            "SELECT return_id, order_id, created_at, status, received_at, refunded_at FROM return_requests"
            f" WHERE {_KEY} = ? ORDER BY created_at DESC",
            (normalise_order_id(order_id),),
        ).fetchone()
        if row is None:
            return None
        return ReturnRecord(return_id=row[0], order_id=row[1], created_at=row[2], status=row[3], received_at=row[4], refunded_at=row[5])

    def update_return(self, return_id: str, status: ReturnStatus, on: str | None = None) -> ReturnRecord | None:
        """The shop's progress on a return: ``received`` (the parcel arrived) or ``refunded``
        (with the date, ``on``: an ISO date, else now). None when no such return exists."""
        if status not in RETURN_STATUSES:
            raise ValueError(f"a return's status is one of {', '.join(RETURN_STATUSES)}, not {status!r}")
        when = str(_iso_date(on)) if on else _now()
        return_id = return_id.strip().upper()
        column = {"received": "received_at", "refunded": "refunded_at"}.get(status)
        with self.db:
            changed = self.db.execute(
                "UPDATE return_requests SET status = ?" + (f", {column} = ?" if column else "") + " WHERE return_id = ?",
                (status, when, return_id) if column else (status, return_id),
            ).rowcount
            if changed and status == "refunded":  # received before it was refunded, whether or not anyone said so
                self.db.execute("UPDATE return_requests SET received_at = coalesce(received_at, ?) WHERE return_id = ?", (when, return_id))
        row = self.db.execute("SELECT order_id FROM return_requests WHERE return_id = ?", (return_id,)).fetchone()
        return self.return_of(row[0]) if row else None

    def record_action(self, order: Order, kind: ActionKind, details: dict[str, str], conversation_id: str | None = None) -> OrderAction:
        """Record a confirmed cancellation or change. An imported order that is cancelled is
        marked so, and every later status answer lists the actions on it."""
        prefix = {"cancel": "CX", "change": "CH"}[kind]
        action = OrderAction(
            action_id=f"{prefix}-{uuid.uuid4().hex[:8].upper()}", order_id=order.order_id, kind=kind, details=details, created_at=_now()
        )
        with self.db:
            self.db.execute(
                "INSERT INTO order_actions (action_id, order_id, email, kind, details, conversation_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    action.action_id,
                    order.order_id,
                    order.email.lower(),
                    kind,
                    json.dumps(details),
                    conversation_id,
                    action.created_at,
                ),
            )
            if kind == "cancel":
                stored = self.stored(order.order_id)
                if stored is not None and stored.email.lower() == order.email.lower():
                    updated = stored.model_copy(update={"status": "cancelled"})
                    self.db.execute(
                        "UPDATE orders SET data = ? WHERE order_id = ?", (updated.model_dump_json(), normalise_order_id(order.order_id))
                    )
        return action

    def actions_of(self, order_id: str) -> list[OrderAction]:
        """The cancellations and changes recorded on this order, oldest first."""
        rows = self.db.execute(
            f"SELECT action_id, order_id, kind, details, created_at FROM order_actions WHERE {_KEY} = ? ORDER BY created_at, rowid",
            (normalise_order_id(order_id),),
        )
        return [OrderAction(action_id=r[0], order_id=r[1], kind=r[2], details=json.loads(r[3]), created_at=r[4]) for r in rows]

    def record_return(self, order: Order, reason: str, conversation_id: str | None = None) -> ReturnRecord:
        record = ReturnRecord(return_id=f"RMA-{uuid.uuid4().hex[:8].upper()}", order_id=order.order_id, created_at=_now())
        with self.db:
            self.db.execute(
                "INSERT INTO return_requests (return_id, order_id, email, reason, conversation_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (record.return_id, order.order_id, order.email, reason, conversation_id, record.created_at),
            )
        return record

    def create_ticket(
        self,
        reason: str,
        transcript: list[dict],
        conversation_id: str | None = None,
        reply_to: str | None = None,
        category: TicketCategory = "request",
    ) -> Ticket:
        """Open a hand-off ticket; ``reply_to``: the email the team answers (None: not known
        yet); ``category``: a person asked for, a complaint, or the assistant could not help."""
        ticket = Ticket(
            ticket_id=f"HT-{uuid.uuid4().hex[:8].upper()}", reason=reason, created_at=_now(), reply_to=reply_to, category=category
        )
        transcript = [{**turn, "text": clean_text(turn.get("text"))} for turn in transcript]  # never the shopper's raw markup
        if self.retention_days:
            self.purge_tickets(datetime.now(UTC) - timedelta(days=self.retention_days))
        with self.db:
            self.db.execute(
                "INSERT INTO handoff_tickets (ticket_id, conversation_id, reason, transcript, created_at, reply_to, category)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    ticket.ticket_id,
                    conversation_id,
                    reason,
                    json.dumps(transcript, ensure_ascii=False),
                    ticket.created_at,
                    reply_to,
                    category,
                ),
            )
        return ticket

    def set_reply_to(self, ticket_id: str, email: str) -> None:
        """The email the team should answer a ticket at, given after it was opened."""
        with self.db:
            self.db.execute("UPDATE handoff_tickets SET reply_to = ? WHERE ticket_id = ?", (email.strip().lower(), ticket_id))

    def reply_to(self, ticket_id: str) -> str | None:
        row = self.db.execute("SELECT reply_to FROM handoff_tickets WHERE ticket_id = ?", (ticket_id,)).fetchone()
        return row[0] if row else None

    def purge_tickets(self, before: datetime) -> int:
        """Delete hand-off tickets (the shopper's transcript) opened before ``before``; how many."""
        with self.db:
            cutoff = before.astimezone(UTC).isoformat(timespec="seconds")
            return self.db.execute("DELETE FROM handoff_tickets WHERE created_at < ?", (cutoff,)).rowcount

    def conversations_of(self, email: str) -> set[str]:
        """Conversations whose ticket transcript or return request names ``email``."""
        email = email.strip().lower()
        rows = self.db.execute(
            "SELECT conversation_id FROM handoff_tickets WHERE lower(transcript) LIKE ? ESCAPE '\\'"
            " UNION SELECT conversation_id FROM return_requests WHERE lower(email) = ?"
            " UNION SELECT conversation_id FROM order_actions WHERE email = ?",
            (contains_pattern(email), email, email),
        )
        return {row[0] for row in rows if row[0]}

    def forget(self, email: str, conversation_ids: set[str]) -> dict[str, int]:
        """Delete what the desk holds of ``email``: its imported orders, its return requests,
        and the tickets of ``conversation_ids`` or naming it. The counts deleted."""
        email = email.strip().lower()
        with self.db:
            tickets = 0
            for cid in conversation_ids:
                tickets += self.db.execute("DELETE FROM handoff_tickets WHERE conversation_id = ?", (cid,)).rowcount
                tickets += self.db.execute(
                    "DELETE FROM handoff_tickets WHERE lower(transcript) LIKE ? ESCAPE '\\'", (contains_pattern(email),)
                ).rowcount
            returns = self.db.execute("DELETE FROM return_requests WHERE lower(email) = ?", (email,)).rowcount
            self.db.execute("DELETE FROM order_actions WHERE email = ?", (email,))
            orders = self.db.execute("DELETE FROM orders WHERE email = ?", (email,)).rowcount
        return {"tickets": tickets, "return_requests": returns, "orders": orders}

    def tickets(self) -> list[dict]:
        cur = self.db.execute(
            "SELECT ticket_id, conversation_id, reason, category, transcript, status, created_at, reply_to FROM handoff_tickets"
        )
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur]

    def actions(self) -> list[dict]:
        cur = self.db.execute("SELECT action_id, order_id, email, kind, details, conversation_id, created_at FROM order_actions")
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur]

    def returns(self) -> list[dict]:
        cur = self.db.execute(
            "SELECT return_id, order_id, email, reason, conversation_id, created_at, status, received_at, refunded_at FROM return_requests"
        )
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur]
