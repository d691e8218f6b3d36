"""How long shoppers' data is kept, and erasing one shopper's data on request.

The store keeps conversations (turns, ratings, sessions) in ``conversations.db`` and
hand-off tickets, return requests and imported orders in ``shop.db``. Turns, ratings,
sessions and tickets (with the team's messages and the webhook's delivered events) older than ``SHOPASSIST_RETENTION_DAYS`` are deleted as new ones are
written (at most hourly) and by ``shopassist purge``; ``shopassist purge --email`` deletes
everything that names one shopper's email.
"""

from __future__ import annotations

from datetime import datetime

from assistant.records.conversations import ConversationLog
from assistant.records.orders import OrderDesk


def purge(log: ConversationLog, desk: OrderDesk, before: datetime) -> dict[str, int]:
    """Delete turns, ratings, sessions and hand-off tickets older than ``before``; the counts deleted."""
    return {**log.purge(before), "tickets": desk.purge_tickets(before)}


def forget(log: ConversationLog, desk: OrderDesk, email: str) -> dict[str, int]:
    """Delete everything the store holds that names ``email``: every conversation that
    mentions it (turns, ratings, session), its tickets and return requests, and its
    imported orders (the shop's own order system keeps its own records). The counts deleted."""
    conversations = log.mentioning(email) | desk.conversations_of(email)
    return {"conversations": len(conversations), **log.delete_conversations(conversations), **desk.forget(email, conversations)}
