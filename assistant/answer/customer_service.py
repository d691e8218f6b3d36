"""Customer service: order status and hand-off to a person, with the shop's own facts.

Order details are revealed only when the order id and the email both match; a wrong
pair gets the same answer whether or not the order exists. Every fact about the shop
(its name, contacts, reply times) comes from its profile; returns are in ``returns.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from assistant.answer.products import format_price
from assistant.dialogue import Session
from assistant.errors import LookupLimited, OrderSourceUnavailable
from assistant.records.orders import Order, OrderDesk, OrderSource, normalise_order_id
from assistant.records.profile import StoreProfile
from assistant.types import Handoff, Intent, Reply, Slots
from prompts import render
from retrieval.catalog import Product

STATUS_WORDS = {
    "processing": "being prepared",
    "shipped": "on its way",
    "out_for_delivery": "out for delivery",
    "delivered": "delivered",
    "cancelled": "cancelled",
    "returned": "returned",
}


@dataclass(frozen=True)
class ServiceDesk:
    """What customer service needs from the store: its profile, where its orders are
    (None: nowhere the assistant can look), the desk that records returns and tickets, the
    catalog's products by id, and today's date (returns windows count to it)."""

    profile: StoreProfile
    desk: OrderDesk
    orders: OrderSource | None
    product: Callable[[str], Product | None]
    today: Callable[[], date]


def format_items(order: Order, items: tuple | list | None = None) -> str:
    chosen = order.items if items is None else items
    return ", ".join(f"{i.quantity} x {i.title} ({format_price(i.unit_price, order.currency)})" for i in chosen)


def _details(order: Order) -> str:
    parts = []
    if order.shipped_at:
        parts.append(f"It shipped on {order.shipped_at[:10]}")
        if order.carrier:
            parts[-1] += f" with {order.carrier}"
            if order.tracking_number:
                parts[-1] += f", tracking number {order.tracking_number}"
        parts[-1] += "."
    if order.delivered_at:
        parts.append(f"It was delivered on {order.delivered_at[:10]}.")
    parts.append(f"Total {format_price(order.total, order.currency)}.")
    return " ".join(parts)


def verified_order(session: Session, slots: Slots, shop: ServiceDesk, intent: Intent) -> Order | Reply:
    """The order when id and email match, else the reply asking for what is missing or
    saying why it cannot be looked up."""
    if shop.orders is None:
        text = render("orders_unavailable", store=shop.profile.name, contact=shop.profile.contact_text())
        return Reply(intent=intent, slots=slots, text=text, suggestions=("Talk to a human",))
    order_id = slots.order_id or session.pending_order_id
    email = slots.email or session.pending_email
    if not order_id:
        session.pending_email, session.pending_intent = email, intent
        return Reply(intent=intent, slots=slots, text=render("order_need_id"))
    order_id = normalise_order_id(order_id)
    if not email:
        session.pending_order_id, session.pending_intent = order_id, intent
        return Reply(intent=intent, slots=slots, text=render("order_need_email", order_id=order_id))
    session.pending_order_id = session.pending_email = session.pending_intent = None
    try:
        order = shop.orders.lookup(order_id, email)
    except OrderSourceUnavailable:
        text = render("order_source_down", contact=shop.profile.contact_text())
        return Reply(intent=intent, slots=slots, text=text, failed=True, suggestions=("Talk to a human",))
    except LookupLimited as exc:
        text = render("order_lookup_limited", wait=_wait_words(exc.retry_after))
        return Reply(intent=intent, slots=slots, text=text, failed=True, retry_after=exc.retry_after, suggestions=("Talk to a human",))
    if order is None:
        return Reply(intent=intent, slots=slots, text=render("order_not_found"), failed=True)
    return order


def _wait_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 90 * 60:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"


def order_status_reply(session: Session, slots: Slots, shop: ServiceDesk) -> Reply:
    found = verified_order(session, slots, shop, "order_status")
    if isinstance(found, Reply):
        return found
    text = render(
        "order_status",
        order_id=found.order_id,
        status=STATUS_WORDS.get(found.status, found.status),
        placed_at=found.placed_at[:10],
        details=_details(found),
        items=format_items(found),
    )
    return Reply(intent="order_status", slots=slots, text=text, suggestions=("I want to return this order", "Talk to a human"))


def handoff_reply(
    session: Session, slots: Slots, shop: ServiceDesk, reason: str, intent: Intent = "human_agent", message: str | None = None
) -> Reply:
    """A hand-off ticket (one per session). ``message``: the shopper's message of this turn,
    not yet in ``session.history``; the ticket's transcript ends with it."""
    profile = shop.profile
    next_steps = render("handoff_next_steps", reply_time=profile.handoff_reply_time or "", contact=profile.contact_text())
    if session.handed_off:
        handoff = Handoff(ticket_id=session.handed_off, reason=reason, next_steps=next_steps)
        text = render("handoff_exists", ticket_id=session.handed_off, store=profile.name, next_steps=next_steps)
        return Reply(intent=intent, slots=slots, text=text, handoff=handoff)
    transcript = [*session.history, {"role": "shopper", "text": message}] if message else session.history
    email = slots.email or session.pending_email
    ticket = shop.desk.create_ticket(reason, transcript, conversation_id=session.conversation_id, reply_to=email)
    session.handed_off = ticket.ticket_id
    if email is None:  # nobody can answer by email without one: ask, and promise nothing yet
        session.awaiting_reply_to = True
        next_steps = render("handoff_ask_email", reply_time=profile.handoff_reply_time or "", contact=profile.contact_text())
    handoff = Handoff(ticket_id=ticket.ticket_id, reason=reason, next_steps=next_steps)
    text = render("handoff", ticket_id=ticket.ticket_id, reason=reason, store=profile.name, next_steps=next_steps)
    return Reply(intent=intent, slots=slots, text=text, handoff=handoff)


def reply_to_reply(session: Session, email: str, shop: ServiceDesk) -> Reply:
    """The email the shopper gave for their hand-off ticket, recorded, and what happens next."""
    profile = shop.profile
    assert session.handed_off is not None
    shop.desk.set_reply_to(session.handed_off, email)
    session.awaiting_reply_to = False
    next_steps = render("handoff_next_steps", reply_time=profile.handoff_reply_time or "", contact="")
    text = render("handoff_reply_to", email=email, store=profile.name, ticket_id=session.handed_off, next_steps=next_steps)
    handoff = Handoff(ticket_id=session.handed_off, reason="reply address given", next_steps=next_steps)
    return Reply(intent="human_agent", slots=Slots(email=email), text=text, handoff=handoff)
