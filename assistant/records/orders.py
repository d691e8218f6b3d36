"""Orders, return requests, order actions and human hand-off tickets, in the store's database
(SQLite in the store directory, or the PostgreSQL of ``SHOPASSIST_DATABASE_URL``).

An order is revealed only when its id AND the email on it both match, whichever
``OrderSource`` holds it: the orders the shop imported (``OrderDesk``) or the shop's own
backend asked over HTTP (``HttpOrderSource``).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import ColumnElement, delete, func, select, union, update

from assistant.records.database import (
    handoff_tickets,
    open_database,
    order_actions,
    orders,
    outbox,
    return_requests,
    ticket_messages,
    upsert,
)
from assistant.records.tickets import TicketDesk

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


def normalise_order_id(value: str) -> str:
    """The key an order id is looked up by: what the shopper wrote without spaces, "#",
    dashes or underscores, upper case ("mc 5001", "#MC-5001" and "MC5001" are one order)."""
    return re.sub(r"[\s#_-]", "", value).upper()


def _key(column) -> ColumnElement:
    """``normalise_order_id`` in SQL, for the tables that keep the order id as the shop writes it."""
    for char in ("-", "_", " ", "#"):
        column = func.replace(column, char, "")
    return func.upper(column)


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character: backslash) matching values that contain ``text``."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class OrderDesk(TicketDesk):
    """The store's own database: imported orders (an ``OrderSource``), return requests,
    order actions and hand-off tickets. ``target``: a SQLite file or a database URL;
    ``events``: write the help-desk webhook's events (``records.outbox``)."""

    def __init__(self, target: Path | str, retention_days: int | None = None, events: bool = False) -> None:
        self.retention_days = retention_days  # hand-off tickets older than this are deleted as new ones open
        self.events = events
        self.engine = open_database(target)

    def load_orders(self, rows: Iterable[dict | Order]) -> int:
        parsed = [o if isinstance(o, Order) else Order.model_validate(o) for o in rows]
        with self.engine.begin() as conn:
            upsert(
                conn,
                orders,
                [{"order_id": normalise_order_id(o.order_id), "email": o.email.lower(), "data": o.model_dump_json()} for o in parsed],
            )
        return len(parsed)

    def stored(self, order_id: str) -> Order | None:
        """The imported order with this id, whatever its email (for imports and the owner only)."""
        with self.engine.connect() as conn:
            data = conn.scalar(select(orders.c.data).where(orders.c.order_id == normalise_order_id(order_id)))
        return Order.model_validate_json(data) if data else None

    def order_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(orders)) or 0

    def lookup(self, order_id: str, email: str) -> Order | None:
        """The order, only when both id and email match; otherwise None (reveals nothing)."""
        query = select(orders.c.data).where(orders.c.order_id == normalise_order_id(order_id), orders.c.email == email.strip().lower())
        with self.engine.connect() as conn:
            data = conn.scalar(query)
        return Order.model_validate_json(data) if data else None

    def open_return(self, order_id: str) -> str | None:
        found = self.return_of(order_id)
        return found.return_id if found else None

    def return_of(self, order_id: str) -> ReturnRecord | None:
        """The return opened for this order, with its progress; None when there is none."""
        r = return_requests.c
        query = (
            select(r.return_id, r.order_id, r.created_at, r.status, r.received_at, r.refunded_at)
            .where(_key(r.order_id) == normalise_order_id(order_id))
            .order_by(r.created_at.desc())
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return ReturnRecord(**row) if row else None

    def update_return(self, return_id: str, status: ReturnStatus, on: str | None = None) -> ReturnRecord | None:
        """The shop's progress on a return: ``received`` (the parcel arrived) or ``refunded``
        (with the date, ``on``: an ISO date, else now). None when no such return exists."""
        if status not in RETURN_STATUSES:
            raise ValueError(f"a return's status is one of {', '.join(RETURN_STATUSES)}, not {status!r}")
        when = str(_iso_date(on)) if on else _now()
        return_id = return_id.strip().upper()
        r = return_requests.c
        values: dict[str, str] = {"status": status}
        if status == "received":
            values["received_at"] = when
        elif status == "refunded":  # received before it was refunded, whether or not anyone said so
            values["refunded_at"] = when
            values["received_at"] = func.coalesce(r.received_at, when)  # type: ignore[assignment]
        with self.engine.begin() as conn:
            conn.execute(update(return_requests).where(r.return_id == return_id).values(**values))
            order_id = conn.scalar(select(r.order_id).where(r.return_id == return_id))
        return self.return_of(order_id) if order_id else None

    def record_action(self, order: Order, kind: ActionKind, details: dict[str, str], conversation_id: str | None = None) -> OrderAction:
        """Record a confirmed cancellation or change. An imported order that is cancelled is
        marked so, and every later status answer lists the actions on it."""
        prefix = {"cancel": "CX", "change": "CH"}[kind]
        action = OrderAction(
            action_id=f"{prefix}-{uuid.uuid4().hex[:8].upper()}", order_id=order.order_id, kind=kind, details=details, created_at=_now()
        )
        with self.engine.begin() as conn:
            conn.execute(
                order_actions.insert().values(
                    action_id=action.action_id,
                    order_id=order.order_id,
                    email=order.email.lower(),
                    kind=kind,
                    details=json.dumps(details),
                    conversation_id=conversation_id,
                    created_at=action.created_at,
                    recorded_at=time.time(),
                )
            )
            if kind == "cancel":
                key = normalise_order_id(order.order_id)
                data = conn.scalar(select(orders.c.data).where(orders.c.order_id == key))
                stored = Order.model_validate_json(data) if data else None
                if stored is not None and stored.email.lower() == order.email.lower():
                    updated = stored.model_copy(update={"status": "cancelled"})
                    conn.execute(update(orders).where(orders.c.order_id == key).values(data=updated.model_dump_json()))
        return action

    def actions_of(self, order_id: str) -> list[OrderAction]:
        """The cancellations and changes recorded on this order, oldest first."""
        a = order_actions.c
        query = (
            select(a.action_id, a.order_id, a.kind, a.details, a.created_at)
            .where(_key(a.order_id) == normalise_order_id(order_id))
            .order_by(a.created_at, a.recorded_at)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [OrderAction(**{**row, "details": json.loads(row["details"])}) for row in rows]

    def record_return(self, order: Order, reason: str, conversation_id: str | None = None) -> ReturnRecord:
        record = ReturnRecord(return_id=f"RMA-{uuid.uuid4().hex[:8].upper()}", order_id=order.order_id, created_at=_now())
        with self.engine.begin() as conn:
            conn.execute(
                return_requests.insert().values(
                    return_id=record.return_id,
                    order_id=order.order_id,
                    email=order.email,
                    reason=reason,
                    conversation_id=conversation_id,
                    created_at=record.created_at,
                )
            )
        return record

    def conversations_of(self, email: str) -> set[str]:
        """Conversations whose ticket transcript or return request names ``email``."""
        email = email.strip().lower()
        t, r, a = handoff_tickets.c, return_requests.c, order_actions.c
        query = union(
            select(t.conversation_id).where(func.lower(t.transcript).like(contains_pattern(email), escape="\\")),
            select(r.conversation_id).where(func.lower(r.email) == email),
            select(a.conversation_id).where(a.email == email),
        )
        with self.engine.connect() as conn:
            return {cid for cid in conn.scalars(query) if cid}

    def forget(self, email: str, conversation_ids: set[str]) -> dict[str, int]:
        """Delete what the desk holds of ``email``: its imported orders, its return requests,
        and the tickets of ``conversation_ids`` or naming it. The counts deleted."""
        email = email.strip().lower()
        t = handoff_tickets.c
        with self.engine.begin() as conn:
            tickets = 0
            named = t.conversation_id.in_(conversation_ids) | func.lower(t.transcript).like(contains_pattern(email), escape="\\")
            ids = list(conn.scalars(select(t.ticket_id).where(named)))
            conn.execute(delete(ticket_messages).where(ticket_messages.c.ticket_id.in_(ids)))
            # the webhook's copies, waiting or delivered (the help desk keeps its own)
            for mentioned in [email, *ids]:
                conn.execute(delete(outbox).where(func.lower(outbox.c.payload).like(contains_pattern(mentioned.lower()), escape="\\")))
            if conversation_ids:
                tickets += conn.execute(delete(handoff_tickets).where(t.conversation_id.in_(conversation_ids))).rowcount
            tickets += conn.execute(
                delete(handoff_tickets).where(func.lower(t.transcript).like(contains_pattern(email), escape="\\"))
            ).rowcount
            returns = conn.execute(delete(return_requests).where(func.lower(return_requests.c.email) == email)).rowcount
            conn.execute(delete(order_actions).where(order_actions.c.email == email))
            deleted = conn.execute(delete(orders).where(orders.c.email == email)).rowcount
        return {"tickets": tickets, "return_requests": returns, "orders": deleted}

    def actions(self) -> list[dict]:
        return self._rows(select(order_actions).with_only_columns(*(c for c in order_actions.c if c.name != "recorded_at")))

    def returns(self) -> list[dict]:
        return self._rows(select(return_requests))

    def _rows(self, query) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def close(self) -> None:
        self.engine.dispose()
