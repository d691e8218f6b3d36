"""Customer service: order status, return requests and hand-off to a human.

Order details are revealed only when the order id and the email both match; a wrong
pair gets the same answer whether or not the order exists.
"""

from __future__ import annotations

from assistant.answer.products import format_price
from assistant.dialogue import Session
from assistant.records.orders import Order, OrderDesk, normalise_order_id
from assistant.types import Handoff, Reply, Slots
from prompts import render

STATUS_WORDS = {
    "processing": "being prepared in our warehouse",
    "shipped": "on its way",
    "out_for_delivery": "out for delivery today",
    "delivered": "delivered",
    "cancelled": "cancelled",
    "returned": "returned",
}

NEXT_STEPS = "A person will reply by email within one business day, usually sooner during opening hours."


def _items(order: Order) -> str:
    return ", ".join(f"{i.quantity} x {i.title} ({format_price(i.unit_price, order.currency)})" for i in order.items)


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


def _verified_order(session: Session, slots: Slots, desk: OrderDesk, intent: str) -> Order | Reply:
    """The order when id and email match, else the reply asking for what is missing."""
    order_id = slots.order_id or session.pending_order_id
    email = slots.email or session.pending_email
    if not order_id:
        session.pending_email = email
        return Reply(intent=intent, slots=slots, text=render("order_need_id"))
    order_id = normalise_order_id(order_id)
    if not email:
        session.pending_order_id = order_id
        return Reply(intent=intent, slots=slots, text=render("order_need_email", order_id=order_id))
    session.pending_order_id = None
    session.pending_email = None
    order = desk.lookup(order_id, email)
    if order is None:
        return Reply(intent=intent, slots=slots, text=render("order_not_found"), failed=True)
    return order


def order_status_reply(session: Session, slots: Slots, desk: OrderDesk) -> Reply:
    found = _verified_order(session, slots, desk, "order_status")
    if isinstance(found, Reply):
        return found
    text = render(
        "order_status",
        order_id=found.order_id,
        status=STATUS_WORDS.get(found.status, found.status),
        placed_at=found.placed_at[:10],
        details=_details(found),
        items=_items(found),
    )
    return Reply(intent="order_status", slots=slots, text=text, suggestions=("I want to return this order", "Talk to a human"))


def return_reply(session: Session, slots: Slots, desk: OrderDesk, message: str) -> Reply:
    found = _verified_order(session, slots, desk, "return_request")
    if isinstance(found, Reply):
        return found
    existing = desk.open_return(found.order_id)
    if existing:
        return Reply(intent="return_request", slots=slots, text=render("return_exists", return_id=existing, order_id=found.order_id))
    why = {
        "processing": "it hasn't shipped yet. If you no longer want it, ask a person to cancel it.",
        "shipped": "it is still on its way. Once it is delivered you have 30 days to return it.",
        "out_for_delivery": "it is out for delivery. Once it is delivered you have 30 days to return it.",
        "cancelled": "it was cancelled, so there is nothing to return.",
        "returned": "it has already been returned.",
    }
    if found.status != "delivered":
        text = render(
            "return_not_possible",
            order_id=found.order_id,
            status=STATUS_WORDS.get(found.status, found.status),
            why=why.get(found.status, "please contact us."),
        )
        return Reply(intent="return_request", slots=slots, text=text, suggestions=("Talk to a human",))
    record = desk.record_return(found, reason=message[:500], conversation_id=session.conversation_id)
    text = render("return_recorded", return_id=record.return_id, order_id=found.order_id, items=_items(found))
    return Reply(intent="return_request", slots=slots, text=text, suggestions=("What's your refund policy?",))


def handoff_reply(
    session: Session, slots: Slots, desk: OrderDesk, reason: str, intent: str = "human_agent", message: str | None = None
) -> Reply:
    """A hand-off ticket (one per session). ``message``: the shopper's message of this turn,
    not yet in ``session.history``; the ticket's transcript ends with it."""
    if session.handed_off:
        handoff = Handoff(ticket_id=session.handed_off, reason=reason, next_steps=NEXT_STEPS)
        return Reply(intent=intent, slots=slots, text=render("handoff_exists", ticket_id=session.handed_off), handoff=handoff)
    transcript = [*session.history, {"role": "shopper", "text": message}] if message else session.history
    ticket = desk.create_ticket(reason, transcript, conversation_id=session.conversation_id)
    session.handed_off = ticket.ticket_id
    handoff = Handoff(ticket_id=ticket.ticket_id, reason=reason, next_steps=NEXT_STEPS)
    text = render("handoff", ticket_id=ticket.ticket_id, reason=reason)
    return Reply(intent=intent, slots=slots, text=text, handoff=handoff)
