"""Session state: constraints that carry over between turns, and references that
resolve against the last list of products shown."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import UnresolvedReference
from assistant.types import CONSTRAINT_SLOTS, DialogueContext, Intent, ParsedIntent, Slots
from retrieval.catalog import Product
from retrieval.search import tokenize
from retrieval.types import Constraints, Measure

#: most products a comparison shows side by side
MAX_COMPARE = 4


def new_conversation_id() -> str:
    """A conversation id nobody can guess (144 random bits, 24 URL-safe characters)."""
    return secrets.token_urlsafe(18)


@dataclass
class Session:
    """One shopper's conversation. Owned by a UI/CLI session; mutated only by ``pipeline``."""

    conversation_id: str = field(default_factory=new_conversation_id)
    constraints: Slots = field(default_factory=Slots)
    shown: list[Product] = field(default_factory=list)
    focus: list[Product] = field(default_factory=list)
    last_intent: Intent | None = None
    #: the measures in force ("at least 30 litres"), carried like ``constraints``: (key, at least, at most)
    measures: tuple[Measure, ...] = ()
    pending_order_id: str | None = None
    pending_email: str | None = None
    pending_intent: Intent | None = None  # the request (order status, return) that asked for an order id or email
    failures: int = 0
    handed_off: str | None = None  # ticket id once a hand-off ticket exists
    awaiting_reply_to: bool = False  # the hand-off asked which email the team should answer
    pending_transcript: str | None = None  # an unsure transcript waiting for "yes"
    pending_return: Any = None  # an answer.returns.PendingReturn waiting for the shopper to confirm a condition
    pending_action: Any = None  # an answer.order_actions.PendingAction (cancel, change) waiting for "yes"
    verified: tuple[str, str] | None = None  # (order id, email) whose match this conversation proved
    #: the email the shop's page says the shopper is signed in with (the widget's identify):
    #: used as if typed, so an order still needs its number to match
    identified_email: str | None = None
    history: list[dict[str, str]] = field(default_factory=list)
    turns: int = 0  # turns numbered so far (``pipeline.handle`` numbers them)

    def next_turn(self) -> int:
        """Take the next turn number (from 1). Only the turn handler, and replay for a turn it
        cannot read, call this, so every channel numbers turns the same way."""
        self.turns += 1
        return self.turns

    def context(self) -> DialogueContext:
        return DialogueContext(
            constraints=self.constraints,
            shown_titles=tuple(p.title for p in self.shown),
            shown_brands=tuple(p.brand for p in self.shown),
            last_intent=self.last_intent,
            pending_order_id=self.pending_order_id,
        )


def merge_constraints(session: Session, parsed: ParsedIntent, *, fresh: bool = False) -> Slots:
    """The search slots in force after this turn.

    A new category (or ``fresh``: the caller found the new query unrelated to what was
    in force) starts a new search; otherwise what the shopper said refines what
    was in force ("in black", "under 100 instead", "any brand is fine", "cheaper").
    """
    new = parsed.slots
    current = session.constraints
    if fresh or (new.category and current.category and new.category != current.category):
        current = Slots()
    if new.query and current.query and not set(tokenize(new.query)) & set(tokenize(current.query)):
        # "hi-vis jackets" after "boots in size 12": a size belongs to the kind of product it was said for
        current = current.model_copy(update={"size": None})
    merged = current.model_dump()
    for name in (*CONSTRAINT_SLOTS, "sort", "query"):
        value = getattr(new, name)
        if value is not None:
            merged[name] = value
    if new.price_max is not None and new.price_min is None and (merged["price_min"] or 0) > new.price_max:
        merged["price_min"] = None
    if new.price_min is not None and new.price_max is None and merged["price_max"] is not None and merged["price_max"] < new.price_min:
        merged["price_max"] = None
    for name in parsed.clear:
        merged[name] = None
    if parsed.relative_price and session.shown:
        prices = [p.price for p in session.shown]
        if parsed.relative_price == "cheaper":
            merged["price_max"] = round(min(prices) - 0.01, 2)
            if merged["price_min"] is not None and merged["price_min"] > merged["price_max"]:
                merged["price_min"] = None
        else:
            merged["price_min"] = round(max(prices) + 0.01, 2)
            if merged["price_max"] is not None and merged["price_max"] < merged["price_min"]:
                merged["price_max"] = None
    merged["product_refs"] = []
    for name in ("attribute", "order_id", "email", "policy_topic"):
        merged[name] = None
    return Slots.model_validate(merged)


def constraints_of(slots: Slots) -> Constraints:
    return Constraints(
        category=slots.category,
        brand=slots.brand,
        color=slots.color,
        size=slots.size,
        price_min=slots.price_min,
        price_max=slots.price_max,
        in_stock=slots.in_stock or None,
    )


def resolve_refs(session: Session, refs: list[str], *, default_all: bool = False) -> list[Product]:
    """Resolve parser references ("2", "-1", "all", "it", "both", "sony") against the last list shown."""
    shown = session.shown
    if not shown:
        raise UnresolvedReference("I haven't shown you any products yet. Tell me what you're looking for and I'll find some.")
    if not refs:
        if default_all:
            return shown[:MAX_COMPARE]
        return session.focus[:1] or shown[:1]
    found: list[Product] = []
    for ref in refs:
        ref = ref.strip().lower()
        if ref == "all":
            found.extend(shown[:MAX_COMPARE])
        elif ref == "it":
            found.extend(session.focus[:1] or shown[:1])
        elif ref == "both":  # "these two", "both of them": the pair just compared, else the first two
            found.extend(session.focus[:2] if len(session.focus) >= 2 else shown[:2])
        elif re.fullmatch(r"-?\d+", ref):
            index = int(ref)
            if index == 0 or abs(index) > len(shown):
                ordinal = _ordinal(index)
                raise UnresolvedReference(
                    f"I only showed {len(shown)} product{'s' if len(shown) != 1 else ''}, so there is no {ordinal} one. " + _listing(shown)
                )
            found.append(shown[index - 1 if index > 0 else index])
        else:
            matches = [p for p in shown if ref in p.brand.lower() or ref in p.title.lower()]
            if not matches:
                raise UnresolvedReference(f'None of the products I just showed matches "{ref}". ' + _listing(shown))
            found.extend(matches)
    unique: list[Product] = []
    for product in found:
        if product.id not in {p.id for p in unique}:
            unique.append(product)
    return unique


def _ordinal(n: int) -> str:
    if n < 0:
        return "last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _listing(products: list[Product]) -> str:
    return "The last list was: " + "; ".join(f"{i}. {p.title}" for i, p in enumerate(products, start=1)) + "."
