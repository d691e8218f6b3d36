"""Hand-off tickets as the shop's team reads them: each with the whole conversation and
what the team wrote on it.

A ticket keeps the transcript up to the hand-off; the conversation log has every turn,
including what the shopper said after it, so a ticket whose conversation is logged shows
that instead, with the team's replies and notes where they were written.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.records.conversations import ConversationLog, LoggedTurn, interleave
from assistant.records.orders import OrderDesk
from assistant.records.tickets import TeamMessage

Status = Literal["open", "closed"]
Role = Literal["shopper", "assistant", "team", "note"]


class Line(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Role
    text: str
    author: str | None = None  # who of the team wrote a reply or note
    turn: int | None = None  # the conversation's turn a shopper or assistant line belongs to


class TicketView(BaseModel):
    model_config = ConfigDict(frozen=True)

    ticket_id: str
    created_at: str
    reason: str
    category: str
    status: str
    reply_to: str | None
    conversation_id: str | None
    transcript: tuple[Line, ...]

    @property
    def last_shopper_text(self) -> str:
        return next((line.text for line in reversed(self.transcript) if line.role == "shopper"), "")


def _role(value: str) -> Literal["shopper", "assistant"]:
    return "assistant" if value in ("assistant", "bot") else "shopper"


class Inbox:
    def __init__(self, desk: OrderDesk, log: ConversationLog | None) -> None:
        self.desk = desk
        self.log = log

    def tickets(self, status: Status | None = "open") -> list[TicketView]:
        """Tickets of that status (None: all), newest first, each with its conversation."""
        rows = [row for row in self.desk.tickets() if status is None or row["status"] == status]
        rows.sort(key=lambda row: (row["created_at"], row["ticket_id"]), reverse=True)
        return [self._view(row) for row in rows]

    def ticket(self, ticket_id: str) -> TicketView | None:
        row = self.desk.ticket_row(ticket_id)
        return self._view(row) if row else None

    def close(self, ticket_id: str) -> bool:
        """Mark a ticket closed; False when there is no such ticket."""
        return self.desk.set_ticket_status(ticket_id, "closed")

    def reopen(self, ticket_id: str) -> bool:
        return self.desk.set_ticket_status(ticket_id, "open")

    def write(self, ticket_id: str, kind: Literal["reply", "note"], author: str, text: str) -> TeamMessage | None:
        """A reply to the shopper or a note for the team; None when there is no such ticket."""
        return self.desk.add_message(ticket_id, kind, author, text)

    def _view(self, row: dict) -> TicketView:
        lines: list[Line] = []
        written = self.desk.messages(row["ticket_id"])
        logged = self.log.turns_of(row["conversation_id"]) if self.log is not None and row["conversation_id"] else []
        if logged:
            for item in interleave(logged, written):
                lines += _lines(item)
        else:
            stored = json.loads(row["transcript"] or "[]")
            lines = [Line(role=_role(str(turn.get("role", ""))), text=str(turn.get("text") or "")) for turn in stored]
            lines += [line for message in written for line in _lines(message)]
        return TicketView(
            ticket_id=row["ticket_id"],
            created_at=row["created_at"],
            reason=row["reason"],
            category=row["category"],
            status=row["status"],
            reply_to=row["reply_to"],
            conversation_id=row["conversation_id"],
            transcript=tuple(lines),
        )


def _lines(item: LoggedTurn | TeamMessage) -> list[Line]:
    if isinstance(item, TeamMessage):
        return [Line(role="team" if item.kind == "reply" else "note", text=item.text, author=item.author)]
    return [
        Line(role="shopper", text=item.shopper_text, turn=item.turn),
        Line(role="assistant", text=item.reply.text, turn=item.turn),
    ]
