"""The help-desk webhook's outbox: each event is written to the store's database in the
same transaction as the change it reports, then delivered in order by ``owner.webhook``.

Delivery is at least once and strictly in order: only the oldest undelivered event can be
claimed, and a claim is a conditional UPDATE, so of several processes sharing the database
one at a time holds it (until ``claimed_until``; a deliverer that died frees it then). An
event stays until the receiver accepted it; a failure pushes its next attempt back.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.engine import Connection

from assistant.records.database import outbox

#: what a webhook event is about
EVENTS = ("ticket.created", "ticket.message", "ticket.reply", "ticket.closed")


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)

    seq: int
    event_id: str
    event: str
    payload: dict
    created_at: str
    attempts: int


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def enqueue(conn: Connection, event: str, payload: dict) -> str:
    """Add an event inside the caller's transaction (so it exists exactly when the change does); its id."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    event_id = f"ev_{uuid.uuid4().hex}"
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    conn.execute(outbox.insert().values(event_id=event_id, event=event, payload=body, created_at=_now()))
    return event_id


class Outbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, lease_s: float, now: float | None = None) -> Event | None:
        """The oldest undelivered event when it is due and nobody holds it, now held for
        ``lease_s``; None otherwise (nothing pending, not due yet, or another deliverer has it)."""
        now = time.time() if now is None else now
        o = outbox.c
        with self.engine.begin() as conn:
            head = conn.execute(
                select(o.seq, o.event_id, o.event, o.payload, o.created_at, o.attempts, o.next_attempt_at, o.claimed_until)
                .where(o.delivered_at.is_(None))
                .order_by(o.seq)
                .limit(1)
            ).first()
            if head is None or head.next_attempt_at > now or head.claimed_until > now:
                return None
            taken = conn.execute(
                update(outbox)
                .where(o.seq == head.seq, o.claimed_until == head.claimed_until, o.delivered_at.is_(None))
                .values(claimed_until=now + lease_s)
            ).rowcount
        if not taken:
            return None
        return Event(
            seq=head.seq,
            event_id=head.event_id,
            event=head.event,
            payload=json.loads(head.payload),
            created_at=head.created_at,
            attempts=head.attempts,
        )

    def delivered(self, event: Event) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.seq == event.seq)
                .values(delivered_at=_now(), attempts=outbox.c.attempts + 1, claimed_until=0, last_error=None)
            )

    def failed(self, event: Event, error: str, retry_at: float) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.seq == event.seq)
                .values(attempts=outbox.c.attempts + 1, next_attempt_at=retry_at, claimed_until=0, last_error=error[:500])
            )

    def pending(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None))) or 0

    def status(self) -> dict:
        """For the owner page: events waiting, the oldest one's attempts and last error."""
        o = outbox.c
        with self.engine.connect() as conn:
            waiting = conn.scalar(select(func.count()).select_from(outbox).where(o.delivered_at.is_(None))) or 0
            head = conn.execute(
                select(o.event, o.attempts, o.last_error, o.created_at).where(o.delivered_at.is_(None)).order_by(o.seq).limit(1)
            ).first()
            sent = conn.scalar(select(func.count()).select_from(outbox).where(o.delivered_at.is_not(None))) or 0
        return {"waiting": waiting, "delivered": sent, "oldest": dict(head._mapping) if head else None}


def forget_delivered(conn: Connection, cutoff: str) -> int:
    """Inside the caller's transaction, delete the events made before ``cutoff`` (ISO, UTC)
    that the help desk took; one still waiting is kept until it is delivered."""
    return conn.execute(delete(outbox).where(outbox.c.delivered_at.is_not(None), outbox.c.created_at < cutoff)).rowcount
