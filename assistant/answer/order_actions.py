"""Cancelling an order and changing one before it ships, under the same id+email rule as
order status, and never on the first message.

A request is checked against the order (it must not have shipped) and the catalog (the
new size must be one the item comes in, the new colour one the shop sells it in); the
reply then states exactly what will change and asks. Only a "yes" on the next turn
records it (``OrderDesk.record_action``), after which the order's status lists it. A
shipped or delivered order gets the reason and the alternative: a return under the shop's
rules, or a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answer.customer_service import STATUS_WORDS, ServiceDesk, describe_change, format_items, verified_order
from assistant.answer.products import format_price
from assistant.dialogue import Session
from assistant.records.orders import ActionKind, Order, OrderItem
from assistant.types import Intent, Reply, Slots
from prompts import render
from retrieval.catalog import Product
from retrieval.search import tokenize

YES_NO = ("Yes", "No")
HUMAN = ("Talk to a human",)


@dataclass(frozen=True)
class PendingAction:
    """A cancellation or change stated to the shopper and waiting for their "yes"."""

    kind: ActionKind
    order: Order
    details: dict[str, str] = field(default_factory=dict)
    summary: str = ""


def _too_late(order: Order, shop: ServiceDesk, intent: Intent, slots: Slots) -> Reply | None:
    """Why this order can't be cancelled or changed any more (with the alternative), or None."""
    if order.status == "processing":
        return None
    if order.status == "cancelled":
        return Reply(intent=intent, slots=slots, text=render("cancel_already", order_id=order.order_id))
    rules = shop.profile.returns
    if rules is not None and order.status in ("shipped", "out_for_delivery", "delivered"):
        alternative = render("action_alternative_return", window=rules.window_text())
    else:
        alternative = render("action_alternative_person")
    status = STATUS_WORDS.get(order.status, order.status)
    return Reply(
        intent=intent,
        slots=slots,
        text=render(
            "order_too_late",
            order_id=order.order_id,
            status=status,
            done="cancelled" if intent == "cancel_order" else "changed",
            alternative=alternative,
        ),
        suggestions=HUMAN,
    )


def _open_order(session: Session, slots: Slots, shop: ServiceDesk, intent: Intent) -> Order | Reply:
    """The order a cancellation or change is about, when id and email match and it has not
    shipped; else the reply that asks for what is missing or says why it can't be done."""
    found = verified_order(session, slots, shop, intent)
    if isinstance(found, Reply):
        return found
    return _too_late(found, shop, intent, slots) or found


def cancel_reply(session: Session, slots: Slots, shop: ServiceDesk) -> Reply:
    """State the cancellation and ask for a yes; or say why it can't be done."""
    found = _open_order(session, slots, shop, "cancel_order")
    if isinstance(found, Reply):
        return found
    session.pending_action = PendingAction("cancel", found, summary=f"cancel order {found.order_id}")
    text = render("cancel_confirm", order_id=found.order_id, items=format_items(found), total=format_price(found.total, found.currency))
    return Reply(intent="cancel_order", slots=slots, text=text, suggestions=YES_NO)


def _items_named(order: Order, said: str) -> list[OrderItem]:
    """The order's items whose titles hold a word the shopper used for the item."""
    heard = set(tokenize(said))
    scored = [(len(heard & set(tokenize(item.title))), item) for item in order.items]
    best = max((score for score, _ in scored), default=0)
    return [item for score, item in scored if best and score == best]


def _same_line_in(product: Product, color: str, catalog: Sequence[Product]) -> Product | None:
    """The catalog's product of the same brand and line as ``product`` in ``color``."""
    wanted = color.lower()
    words = set(tokenize(product.title)) - set(tokenize(product.color or ""))
    best: tuple[float, Product | None] = (0.0, None)
    for other in catalog:
        if (other.color or "").lower() != wanted or other.brand != product.brand:
            continue
        theirs = set(tokenize(other.title)) - set(tokenize(other.color or ""))
        overlap = len(words & theirs) / max(1, len(words | theirs))
        if overlap > best[0]:
            best = (overlap, other)
    return best[1] if best[0] >= 0.6 else None


def change_reply(session: Session, slots: Slots, shop: ServiceDesk) -> Reply:
    """State the change (new address, or an item's new size or colour) and ask for a yes; ask
    what or which item when that is not clear; or say why it can't be done."""
    found = _open_order(session, slots, shop, "change_order")
    if isinstance(found, Reply):
        return found
    details: dict[str, str] = {}
    if slots.address:
        details["address"] = " ".join(slots.address.split())[:300]
    if slots.size or slots.color:
        items = _items_named(found, slots.item or "") if slots.item else []
        if not items and len(found.items) == 1:
            items = list(found.items)
        if len(items) != 1:
            listing = "; ".join(item.title for item in found.items)
            example = " ".join(found.items[0].title.split()[:2]).lower()
            return Reply(
                intent="change_order",
                slots=slots,
                text=render("change_which_item", order_id=found.order_id, items=listing, example=example),
            )
        item = items[0]
        product = shop.product(item.product_id)
        details["item"] = item.title
        if slots.size:
            sizes = product.sizes() if product else []
            if sizes and slots.size.lower() not in {s.lower() for s in sizes}:
                text = render("change_size_unavailable", item=item.title, size=slots.size, sizes=", ".join(sizes))
                return Reply(intent="change_order", slots=slots, text=text)
            details["size"] = slots.size
        if slots.color:
            if product is None or (product.color or "").lower() != slots.color.lower():
                variant = _same_line_in(product, slots.color, shop.catalog()) if product else None
                if variant is None:
                    return Reply(
                        intent="change_order",
                        slots=slots,
                        text=render("change_color_unavailable", item=item.title, color=slots.color),
                        suggestions=HUMAN,
                    )
                details["product_id"] = variant.id
            details["color"] = slots.color
    if not details:
        session.pending_intent = "change_order"  # the next message may say only what changes ("size L")
        return Reply(intent="change_order", slots=slots, text=render("change_what", order_id=found.order_id, items=format_items(found)))
    summary = describe_change(details)
    session.pending_action = PendingAction("change", found, details, summary)
    return Reply(
        intent="change_order", slots=slots, text=render("change_confirm", order_id=found.order_id, changes=summary), suggestions=YES_NO
    )


def confirm_action(session: Session, confirmed: bool, shop: ServiceDesk) -> Reply:
    """The shopper's answer to a stated cancellation or change: record it, or leave the order be."""
    pending: PendingAction = session.pending_action
    session.pending_action = None
    intent: Intent = "cancel_order" if pending.kind == "cancel" else "change_order"
    slots = Slots(order_id=pending.order.order_id)
    if not confirmed:
        return Reply(intent=intent, slots=slots, text=render("action_declined", order_id=pending.order.order_id))
    action = shop.desk.record_action(pending.order, pending.kind, pending.details, conversation_id=session.conversation_id)
    if pending.kind == "cancel":
        text = render("cancel_done", action_id=action.action_id, order_id=pending.order.order_id)
    else:
        text = render("change_done", action_id=action.action_id, order_id=pending.order.order_id, changes=pending.summary)
    return Reply(intent=intent, slots=slots, text=text)
