"""Hand-off tickets as the shop's team reads them: each with the whole conversation.

A ticket keeps the transcript up to the hand-off; the conversation log has every turn,
including what the shopper said after it, so a ticket whose conversation is logged shows
that instead.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.records.conversations import ConversationLog
from assistant.records.orders import OrderDesk

Status = Literal["open", "closed"]


class Line(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Literal["shopper", "assistant"]
    text: str


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
        return next((self._view(row) for row in self.desk.tickets() if row["ticket_id"] == ticket_id), None)

    def close(self, ticket_id: str) -> bool:
        """Mark a ticket closed; False when there is no such ticket."""
        return self.desk.set_ticket_status(ticket_id, "closed")

    def _view(self, row: dict) -> TicketView:
        lines: list[Line] = []
        if self.log is not None and row["conversation_id"]:
            for shopper, reply in self.log.transcript(row["conversation_id"]):
                lines += [Line(role="shopper", text=shopper), Line(role="assistant", text=reply.text)]
        if not lines:
            stored = json.loads(row["transcript"] or "[]")
            lines = [Line(role=_role(str(turn.get("role", ""))), text=str(turn.get("text") or "")) for turn in stored]
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
