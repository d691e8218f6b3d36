"""Customer service: order status and hand-off to a person, with the shop's own facts.

Order details are revealed only when the order id and the email both match; a wrong
pair gets the same answer whether or not the order exists. Every fact about the shop
(its name, contacts, reply times) comes from its profile; returns are in ``returns.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from assistant.answer.products import format_price
from assistant.dialogue import Session
from assistant.errors import LookupLimited, OrderSourceUnavailable
from assistant.records.orders import Order, OrderDesk, OrderSource, normalise_order_id
from assistant.records.profile import StoreProfile
from assistant.records.tickets import TicketCategory
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
    catalog's products by id (and all of them), and today's date (returns windows count to it)."""

    profile: StoreProfile
    desk: OrderDesk
    orders: OrderSource | None
    product: Callable[[str], Product | None]
    today: Callable[[], date]
    catalog: Callable[[], Sequence[Product]] = tuple


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
    verified_id, verified_email = session.verified or (None, None)
    order_id = slots.order_id or session.pending_order_id or verified_id
    # the email this conversation already matched to an order goes with any order it names:
    # the id+email rule still decides, exactly as if the shopper had typed it again
    email = slots.email or session.pending_email or verified_email or session.identified_email
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
    session.verified = (order.order_id, email.strip().lower())
    return order


def _wait_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 90 * 60:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"


def describe_change(details: dict[str, str]) -> str:
    """A recorded change in words: 'delivery address to "..."; Hoodie in size L'."""
    parts = []
    if details.get("address"):
        parts.append(f'delivery address to "{details["address"]}"')
    item = details.get("item", "the item")
    if details.get("size"):
        parts.append(f"{item} in size {details['size']}")
    if details.get("color"):
        parts.append(f"{item} in {details['color']}")
    return "; ".join(parts) or "a change"


def _history(order: Order, desk: OrderDesk) -> list[str]:
    """What was done to the order through the assistant: cancellations, changes, its return."""
    lines = []
    for action in desk.actions_of(order.order_id):
        on = action.created_at[:10]
        if action.kind == "cancel":
            lines.append(render("action_cancelled", action_id=action.action_id, date=on))
        else:
            lines.append(render("action_changed", action_id=action.action_id, date=on, change=describe_change(action.details)))
    opened = desk.return_of(order.order_id)
    if opened is not None:
        lines.append(
            render(
                "order_return_progress",
                return_id=opened.return_id,
                requested=opened.created_at[:10],
                received=(opened.received_at or "")[:10],
                refunded=(opened.refunded_at or "")[:10],
            )
        )
    return lines


def invoice_text(order: Order) -> str:
    """The order's summary as an invoice: each line with its price, the total, the dates."""
    lines = [
        f"{i.quantity} x {i.title} at {format_price(i.unit_price, order.currency)} = {format_price(i.quantity * i.unit_price, order.currency)}"
        for i in order.items
    ]
    return render(
        "order_invoice",
        order_id=order.order_id,
        placed_at=order.placed_at[:10],
        lines=lines,
        total=format_price(order.total, order.currency),
        shipped=(order.shipped_at or "")[:10],
        delivered=(order.delivered_at or "")[:10],
    )


_REFUND_WORDS = ("refund", "reimburse", "money back", "credited", "credit back")


def order_status_reply(session: Session, slots: Slots, shop: ServiceDesk, message: str = "") -> Reply:
    """The order's status with what was done to it (cancellation, changes, its return and
    refund); its invoice summary when ``slots.invoice``. Only after the id+email check."""
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
    history = _history(found, shop.desk)
    if not history and any(word in message.lower() for word in _REFUND_WORDS) and found.status != "returned":
        history.append(render("order_no_return"))
    if history:
        text = f"{text} {' '.join(history)}"
    if slots.invoice:
        text = f"{invoice_text(found)}\n\n{text}"
    suggestions = (
        ("Cancel this order", "Talk to a human") if found.status == "processing" else ("I want to return this order", "Talk to a human")
    )
    return Reply(intent="order_status", slots=slots, text=text, suggestions=suggestions)


def handoff_reply(
    session: Session,
    slots: Slots,
    shop: ServiceDesk,
    reason: str,
    intent: Intent = "human_agent",
    message: str | None = None,
    category: TicketCategory = "request",
) -> Reply:
    """A hand-off ticket (one per session). ``message``: the shopper's message of this turn,
    not yet in ``session.history``; the ticket's transcript ends with it. A complaint's
    reason quotes the shopper's words."""
    profile = shop.profile
    if category == "complaint" and message:
        reason = render("handoff_complaint_reason", words=" ".join(message.split())[:300])
    next_steps = render("handoff_next_steps", reply_time=profile.handoff_reply_time or "", contact=profile.contact_text())
    if session.handed_off:
        handoff = Handoff(ticket_id=session.handed_off, reason=reason, next_steps=next_steps)
        text = render("handoff_exists", ticket_id=session.handed_off, store=profile.name, next_steps=next_steps)
        return Reply(intent=intent, slots=slots, text=text, handoff=handoff)
    transcript = [*session.history, {"role": "shopper", "text": message}] if message else session.history
    email = slots.email or session.pending_email or (session.verified[1] if session.verified else None) or session.identified_email
    ticket = shop.desk.create_ticket(reason, transcript, conversation_id=session.conversation_id, reply_to=email, category=category)
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
