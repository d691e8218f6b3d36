"""Return requests under the shop's rules (the ``returns`` of its profile).

A return is opened only for a delivered order, inside the return window counted to
today, and only for items the rules allow; items under a condition ("unopened") are
opened only after the shopper confirms it. Otherwise the reply says why, quoting the
rule, and offers a person. A reply promises nothing the profile does not state.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.customer_service import STATUS_WORDS, ServiceDesk, format_items, handoff_reply, verified_order
from assistant.dialogue import Session
from assistant.records.orders import Order, OrderItem
from assistant.records.profile import ReturnRules
from assistant.types import Reply, Slots
from prompts import render
from retrieval.search import tokenize

HUMAN = ("Talk to a human",)


@dataclass(frozen=True)
class PendingReturn:
    """A return waiting for the shopper to confirm a condition ("unopened")."""

    order: Order
    items: tuple[OrderItem, ...]
    conditions: tuple[str, ...]
    excluded: tuple[tuple[OrderItem, str], ...]
    reason: str


def _labels(item: OrderItem, shop: ServiceDesk) -> tuple[str | None, set[str]]:
    """The item's category and tags: its own, else the catalog's."""
    product = shop.product(item.product_id)
    category = (item.category or (product.category if product else None) or "").lower() or None
    tags = {t.lower() for t in item.tags} | ({t.lower() for t in product.tags} if product else set())
    return category, tags


def named_items(order: Order, said: list[str]) -> tuple[OrderItem, ...]:
    """The order's items the shopper named ("return the spaghetti from order ..."): those
    with a title word no other item of the order has, said in ``said``. All items when none
    is named."""
    heard = set(tokenize(" ".join(said)))
    words = [set(tokenize(item.title)) for item in order.items]
    named = []
    for i, item in enumerate(order.items):
        others = set().union(*(w for j, w in enumerate(words) if j != i)) if len(words) > 1 else set()
        if (words[i] - others) & heard:
            named.append(item)
    return tuple(named) if named and len(order.items) > 1 else order.items


def _sort_items(
    order: Order, rules: ReturnRules, shop: ServiceDesk, items: tuple[OrderItem, ...] | None = None
) -> tuple[list[OrderItem], list[tuple[OrderItem, str]], dict[str, str]]:
    """(allowed items, excluded items with the rule that excludes them, conditions by item title)."""
    allowed, excluded, conditions = [], [], {}
    for item in order.items if items is None else items:
        category, tags = _labels(item, shop)
        if category and category in rules.excluded_categories:
            excluded.append((item, f"{category} can't be returned"))
            continue
        banned = sorted(tags & set(rules.excluded_tags))
        if banned:
            excluded.append((item, f"items marked {banned[0]} can't be returned"))
            continue
        allowed.append(item)
        condition = rules.conditional.get(category or "") or next(
            (rules.conditional[t] for t in sorted(tags) if t in rules.conditional), None
        )
        if condition:
            conditions[item.title] = condition
    return allowed, excluded, conditions


def _excluded_text(excluded: list[tuple[OrderItem, str]]) -> str:
    return "; ".join(f"{item.title} ({why})" for item, why in excluded)


def return_reply(session: Session, slots: Slots, shop: ServiceDesk, message: str) -> Reply:
    found = verified_order(session, slots, shop, "return_request")
    if isinstance(found, Reply):
        return found
    rules = shop.profile.returns
    if rules is None:  # the shop has no return rules the assistant can apply: a person decides
        return handoff_reply(
            session, slots, shop, "a return request (the shop's return rules are not set up here)", intent="return_request", message=message
        )
    existing = shop.desk.open_return(found.order_id)
    if existing:
        return Reply(intent="return_request", slots=slots, text=render("return_exists", return_id=existing, order_id=found.order_id))
    if found.status != "delivered":
        why = render(f"return_why_{found.status}", window=rules.window_text())
        text = render("return_not_possible", order_id=found.order_id, status=STATUS_WORDS.get(found.status, found.status), why=why)
        return Reply(intent="return_request", slots=slots, text=text, suggestions=HUMAN)
    deadline = rules.deadline(found.placed_at, found.delivered_at)
    if deadline is not None and shop.today() > deadline:
        start = found.delivered_at if rules.window_from == "delivery" else found.placed_at
        text = render(
            "return_outside_window",
            order_id=found.order_id,
            window=rules.window_text(),
            event="delivered" if rules.window_from == "delivery" else "placed",
            start=(start or "")[:10],
            deadline=deadline.isoformat(),
        )
        return Reply(intent="return_request", slots=slots, text=text, suggestions=HUMAN)
    said = [m["text"] for m in session.history[-4:] if m.get("role") == "shopper"] + [message]
    chosen = named_items(found, said)
    allowed, excluded, conditions = _sort_items(found, rules, shop, chosen)
    if not allowed:
        text = render("return_excluded", order_id=found.order_id, excluded=_excluded_text(excluded))
        return Reply(intent="return_request", slots=slots, text=text, suggestions=HUMAN)
    if conditions:
        pending = PendingReturn(found, tuple(allowed), tuple(f"{t}: {c}" for t, c in conditions.items()), tuple(excluded), message[:500])
        session.pending_return = pending
        text = render(
            "return_condition",
            order_id=found.order_id,
            conditions="; ".join(pending.conditions),
            excluded=_excluded_text(excluded),
        )
        return Reply(intent="return_request", slots=slots, text=text, suggestions=("Yes", "No"))
    return _record(session, slots, shop, found, allowed, excluded, message)


def confirm_return(session: Session, confirmed: bool, shop: ServiceDesk) -> Reply:
    """The shopper's answer to a return's condition: record it, or say why it can't be."""
    pending = session.pending_return
    session.pending_return = None
    assert pending is not None
    slots = Slots(order_id=pending.order.order_id)
    if not confirmed:
        text = render("return_condition_refused", order_id=pending.order.order_id, conditions="; ".join(pending.conditions))
        return Reply(intent="return_request", slots=slots, text=text, suggestions=HUMAN)
    return _record(session, slots, shop, pending.order, list(pending.items), list(pending.excluded), pending.reason)


def _record(
    session: Session,
    slots: Slots,
    shop: ServiceDesk,
    order: Order,
    items: list[OrderItem],
    excluded: list[tuple[OrderItem, str]],
    reason: str,
) -> Reply:
    record = shop.desk.record_return(order, reason=reason[:500], conversation_id=session.conversation_id)
    rules = shop.profile.returns
    text = render(
        "return_recorded",
        return_id=record.return_id,
        order_id=order.order_id,
        items=format_items(order, items),
        excluded=_excluded_text(excluded),
        next_steps=(rules.next_steps if rules else None) or "",
    )
    return Reply(intent="return_request", slots=slots, text=text)
