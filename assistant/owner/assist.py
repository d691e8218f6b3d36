"""Agent assist: beside a hand-off ticket, what the assistant would answer and which
products it would show, for the team to send as it is or edit.

The assistant answers the shopper's latest messages again, newest first, in a copy of the
conversation's state and without changing anything: no turn is logged, nothing waiting for
the shopper's "yes" is carried into the copy, and the desk it sees only reads (an answer
that would record a return, an order change or a ticket is not a suggestion; the team acts
on the order itself). The first answer that is not a hand-off and not a failure is the
suggestion.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import cast

from pydantic import BaseModel, ConfigDict

from assistant.app import Services
from assistant.channels.sessions import loads
from assistant.dialogue import Session
from assistant.errors import WouldChange
from assistant.owner.inbox import TicketView
from assistant.pipeline import run_turn
from assistant.records.orders import OrderDesk
from assistant.types import Product

#: how many of the shopper's latest messages are tried
TRIES = 3
#: what the rehearsal may ask of the desk: reading only
READS = frozenset(
    {"lookup", "stored", "order_count", "return_of", "actions_of", "open_return", "reply_to", "ticket_row", "tickets", "messages"}
)


class ReadOnlyDesk:
    """An ``OrderDesk`` for rehearsals: reads pass through, anything else raises ``WouldChange``."""

    def __init__(self, desk: OrderDesk) -> None:
        self._desk = desk

    def __getattr__(self, name: str):
        if name in READS:
            return getattr(self._desk, name)
        raise WouldChange(name)


class Suggestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    answering: str  # the shopper's message it answers
    text: str  # the whole answer, as a text-only channel (an email) needs it
    said: str  # what it says above the products it shows
    products: tuple[Product, ...] = ()


def suggest(ticket: TicketView, services: Services) -> Suggestion | None:
    """The assistant's answer to the ticket's conversation, or None when it has none to give."""
    said = [line.text for line in ticket.transcript if line.role == "shopper" and line.text.strip()]
    state = _state(ticket, services)
    quiet = dataclasses.replace(services, log=None, desk=cast(OrderDesk, ReadOnlyDesk(services.desk)))
    for text in reversed(said[-TRIES:]):
        session = copy.deepcopy(state)
        session.handed_off = session.handed_off or ticket.ticket_id
        session.pending_action = session.pending_return = None
        session.awaiting_reply_to = False
        session.pending_transcript = None
        try:
            reply = run_turn(text, session, quiet).reply
        except WouldChange:
            continue
        if reply.handoff is None and not reply.failed:
            return Suggestion(answering=text, text=reply.text, said=reply.said(), products=reply.products or reply.alternatives)
    return None


def _state(ticket: TicketView, services: Services) -> Session:
    """The conversation's stored state (what was shown, verified, asked), else a new one."""
    if services.log is None or not ticket.conversation_id:
        return Session()
    stored = services.log.load_session(ticket.conversation_id, services.settings.session_idle_minutes * 60)
    return loads(stored[1]) if stored else Session()
