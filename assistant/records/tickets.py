"""Hand-off tickets and what the shop's team writes on them, in the store's database.

A ticket is opened when the assistant hands a conversation to a person. The team answers
it from the owner page: a reply is shown to the shopper (in the chat if it is still open)
and a note is for the team only. With the help-desk webhook on (``events``), each change
a help desk needs is written to the outbox in the same transaction: a new ticket, each
later shopper message, each reply, the ticket closed.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, delete, select, update

from assistant.records.database import handoff_tickets, ticket_messages
from assistant.records.outbox import enqueue, forget_delivered
from retrieval.catalog import clean_text

TicketCategory = Literal["request", "complaint", "stuck"]
MessageKind = Literal["reply", "note"]


class Ticket(BaseModel):
    model_config = ConfigDict(frozen=True)

    ticket_id: str
    reason: str
    created_at: str
    reply_to: str | None = None  # the shopper's email the team answers
    category: TicketCategory = "request"


class TeamMessage(BaseModel):
    """A reply (the shopper sees it) or a note (the team only) written on a ticket."""

    model_config = ConfigDict(frozen=True)

    message_id: str
    ticket_id: str
    conversation_id: str | None
    kind: MessageKind
    author: str
    text: str
    created_at: str
    recorded_at: float


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class TicketDesk:
    """The ticket half of ``OrderDesk`` (which sets ``engine``, ``retention_days`` and ``events``)."""

    engine: Engine
    retention_days: int | None
    events: bool  # write help-desk webhook events to the outbox

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
        row = {
            "ticket_id": ticket.ticket_id,
            "conversation_id": conversation_id,
            "reason": reason,
            "transcript": json.dumps(transcript, ensure_ascii=False),
            "created_at": ticket.created_at,
            "reply_to": reply_to,
            "category": category,
        }
        with self.engine.begin() as conn:
            conn.execute(handoff_tickets.insert().values(**row))
            if self.events:
                enqueue(conn, "ticket.created", {"ticket": _public({**row, "status": "open"}), "transcript": transcript})
        return ticket

    def set_reply_to(self, ticket_id: str, email: str) -> None:
        """The email the team should answer a ticket at, given after it was opened."""
        with self.engine.begin() as conn:
            conn.execute(update(handoff_tickets).where(handoff_tickets.c.ticket_id == ticket_id).values(reply_to=email.strip().lower()))

    def set_ticket_status(self, ticket_id: str, status: Literal["open", "closed"]) -> bool:
        """Set a hand-off ticket's status; False when there is no such ticket."""
        with self.engine.begin() as conn:
            changed = conn.execute(update(handoff_tickets).where(handoff_tickets.c.ticket_id == ticket_id).values(status=status)).rowcount
            if changed and self.events and status == "closed":
                enqueue(conn, "ticket.closed", {"ticket_id": ticket_id})
        return changed > 0

    def reply_to(self, ticket_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(handoff_tickets.c.reply_to).where(handoff_tickets.c.ticket_id == ticket_id))

    def ticket_row(self, ticket_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(handoff_tickets).where(handoff_tickets.c.ticket_id == ticket_id)).mappings().first()
        return dict(row) if row else None

    def purge_tickets(self, before: datetime) -> int:
        """Delete hand-off tickets (the shopper's transcript) opened before ``before``, with
        what the team wrote on them and the webhook's delivered copies of that time; how many tickets."""
        cutoff = before.astimezone(UTC).isoformat(timespec="seconds")
        old = select(handoff_tickets.c.ticket_id).where(handoff_tickets.c.created_at < cutoff)
        with self.engine.begin() as conn:
            conn.execute(delete(ticket_messages).where(ticket_messages.c.ticket_id.in_(old)))
            forget_delivered(conn, cutoff)
            return conn.execute(delete(handoff_tickets).where(handoff_tickets.c.created_at < cutoff)).rowcount

    def tickets(self) -> list[dict]:
        t = handoff_tickets.c
        query = select(t.ticket_id, t.conversation_id, t.reason, t.category, t.transcript, t.status, t.created_at, t.reply_to)
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def add_message(self, ticket_id: str, kind: MessageKind, author: str, text: str) -> TeamMessage | None:
        """Write a reply or a note on a ticket; None when there is no such ticket. A reply
        goes to the help desk too (``ticket.reply``)."""
        text = text.strip()
        if not text:
            raise ValueError("a message needs some text")
        row = self.ticket_row(ticket_id)
        if row is None:
            return None
        message = TeamMessage(
            message_id=f"TM-{uuid.uuid4().hex[:12].upper()}",
            ticket_id=ticket_id,
            conversation_id=row["conversation_id"],
            kind=kind,
            author=" ".join(author.split())[:80] or "the team",
            text=text,
            created_at=_now(),
            recorded_at=time.time(),
        )
        with self.engine.begin() as conn:
            conn.execute(ticket_messages.insert().values(**message.model_dump()))
            if self.events and kind == "reply":
                enqueue(conn, "ticket.reply", {"ticket_id": ticket_id, "reply_to": row["reply_to"], "author": message.author, "text": text})
        return message

    def messages(self, ticket_id: str) -> list[TeamMessage]:
        m = ticket_messages.c
        return self._messages(select(ticket_messages).where(m.ticket_id == ticket_id).order_by(m.recorded_at))

    def replies_in(self, conversation_id: str, after: float = 0.0) -> list[TeamMessage]:
        """The team's replies in a conversation written after ``after`` (a ``recorded_at``), oldest first."""
        m = ticket_messages.c
        query = select(ticket_messages).where(m.conversation_id == conversation_id, m.kind == "reply", m.recorded_at > after)
        return self._messages(query.order_by(m.recorded_at))

    def shopper_wrote(self, ticket_id: str, turn: int, text: str, answer: str) -> None:
        """A shopper message in a conversation handed off before it: to the help desk
        (``ticket.message``) while the ticket is open."""
        if not self.events:
            return
        with self.engine.begin() as conn:
            status = conn.scalar(select(handoff_tickets.c.status).where(handoff_tickets.c.ticket_id == ticket_id))
            if status == "open":
                enqueue(conn, "ticket.message", {"ticket_id": ticket_id, "turn": turn, "text": clean_text(text), "assistant": answer})

    def _messages(self, query) -> list[TeamMessage]:
        with self.engine.connect() as conn:
            return [TeamMessage(**row) for row in conn.execute(query).mappings()]


def _public(row: dict) -> dict:
    """A ticket as the help desk gets it."""
    return {key: row[key] for key in ("ticket_id", "conversation_id", "reason", "category", "reply_to", "created_at", "status")}
