"""Typed values passed between the assistant's stages."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from retrieval.catalog import Product
from retrieval.types import PolicyChunk, Sort, shade_words

Intent = Literal[
    "search_products",
    "product_question",
    "compare_products",
    "order_status",
    "return_request",
    "cancel_order",
    "change_order",
    "policy_question",
    "human_agent",
    "greeting",
    "out_of_scope",
]
INTENTS: tuple[str, ...] = Intent.__args__  # type: ignore[attr-defined]
#: the requests about one of the shopper's orders (each needs its id and the email on it)
ORDER_INTENTS: tuple[Intent, ...] = ("order_status", "return_request", "cancel_order", "change_order")

#: constraint slots: hard filters that carry over between turns
ConstraintSlot = Literal["category", "brand", "color", "size", "price_min", "price_max", "in_stock"]
CONSTRAINT_SLOTS: tuple[str, ...] = get_args(ConstraintSlot)


class Slots(BaseModel):
    """The canonical slots of the replay contract. Unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid")

    query: str | None = None
    category: str | None = None
    brand: str | None = None
    color: str | None = None
    size: str | None = None
    price_min: float | None = Field(default=None, ge=0)
    price_max: float | None = Field(default=None, ge=0)
    in_stock: bool | None = None  # True: only products that can ship now
    sort: Sort | None = None
    product_refs: list[str] = Field(default_factory=list)
    attribute: str | None = None
    order_id: str | None = None
    email: str | None = None
    policy_topic: str | None = None
    # customer service: the order's item a change is about ("the jacket"; a change's new size
    # and colour are ``size`` and ``color``), the new delivery address, an invoice asked for
    # with an order's status, a complaint asked for with a person
    item: str | None = None
    address: str | None = None
    invoice: bool | None = None
    complaint: bool | None = None

    def filled(self) -> dict[str, object]:
        """Only the slots that carry a value (what the replay contract prints)."""
        return {k: v for k, v in self.model_dump().items() if v not in (None, [], "")}


#: the canonical slot names, in the schema's order: the one list every other module derives from
SLOT_NAMES: tuple[str, ...] = tuple(Slots.model_fields)

#: constraint slots a shopper can drop ("any brand is fine")
ClearableSlot = Literal[ConstraintSlot, "sort"]
RelativePrice = Literal["cheaper", "pricier"]


class ParsedIntent(BaseModel):
    """What an intent parser (rules or fine-tuned LLM) understood from one message.

    ``product_refs`` hold references as written by the parser: ordinals "1", "2", "-1"
    (last), "all", "it", "both" (the two in focus), or a name fragment ("sony"); the dialogue
    state resolves them to ids.
    ``clear`` names constraint slots the shopper dropped ("any brand is fine" -> brand).
    ``relative_price`` is a refinement against the products last shown ("cheaper").
    """

    model_config = ConfigDict(extra="forbid")

    intent: Intent
    slots: Slots = Field(default_factory=Slots)
    clear: list[ClearableSlot] = Field(default_factory=list)
    relative_price: RelativePrice | None = None
    frustrated: bool = False
    confidence: float = Field(default=1.0, ge=0, le=1)
    parser: str = "rules"


class Vocabulary(BaseModel):
    """Catalog words the parsers recognise, built from the store's products."""

    model_config = ConfigDict(frozen=True)

    categories: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()  # as written in the catalog, e.g. "Sony"
    colors: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()  # attribute keys, e.g. "battery_life_hours"
    policy_topics: tuple[str, ...] = ()  # policy document names, e.g. "returns"
    terms: frozenset[str] = frozenset()  # the words of product titles, categories and tags, lower case

    @classmethod
    def from_products(
        cls, products: list[Product], policy_topics: list[str] | tuple[str, ...] = (), color_names: Iterable[str] = ()
    ) -> Vocabulary:
        """``color_names``: plain colours shoppers ask for (a lexicon's), the shop's shades of
        which they ask for by them (``color_families``)."""
        categories = sorted({p.category for p in products})
        brands = sorted({p.brand for p in products if p.brand}, key=str.lower)
        shades = {p.color for p in products if p.color}
        colors = sorted(shades | color_families(shades, color_names))
        sizes = sorted({s for p in products for s in p.sizes()})
        attributes = sorted({k for p in products for k in p.attributes})
        terms = frozenset(w for p in products for w in re.findall(r"[a-z0-9]+", f"{p.title} {p.category} {' '.join(p.tags)}".lower()))
        return cls(
            categories=tuple(categories),
            brands=tuple(brands),
            colors=tuple(colors),
            sizes=tuple(sizes),
            attributes=tuple(attributes),
            policy_topics=tuple(sorted(policy_topics)),
            terms=terms,
        )


def color_families(shades: Iterable[str], color_names: Iterable[str] = ()) -> set[str]:
    """The plain colours a shop's shades are of, as shoppers ask for them: a word of a
    several-word shade that is one of ``color_names``, that the catalog uses as a colour of
    its own ("blue" for "navy blue" where something is just "blue") or that ends two shades
    or more ("sky blue", "deep blue"); the shades themselves are not included."""
    named = {shade.lower(): shade_words(shade) for shade in shades}
    plain = {words[0] for words in named.values() if len(words) == 1} | {c.lower() for c in color_names}
    endings = Counter(words[-1] for words in named.values() if len(words) > 1)
    return {w for words in named.values() if len(words) > 1 for w in words if w in plain or endings[w] >= 2}


class DialogueContext(BaseModel):
    """The compact context a parser sees: constraints in force and the last list shown."""

    model_config = ConfigDict(frozen=True)

    constraints: Slots = Field(default_factory=Slots)
    shown_titles: tuple[str, ...] = ()
    shown_brands: tuple[str, ...] = ()
    last_intent: Intent | None = None
    pending_order_id: str | None = None  # asked for an email to go with this order id


class ComparisonTable(BaseModel):
    """Products side by side: a column per product headed by its short name, a row per
    feature in which they differ (the features they share are listed once in ``shared``)."""

    model_config = ConfigDict(frozen=True)

    product_ids: tuple[str, ...]
    columns: tuple[str, ...]  # short product names (what tells them apart)
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (feature, one value per product): they differ
    shared: tuple[tuple[str, str], ...] = ()  # (feature, value) the same for every product
    #: feature -> the column that is best at it (lowest price, best rating, the attribute asked about)
    best: dict[str, int] = Field(default_factory=dict)

    def shared_text(self) -> str:
        """What every product has, in one line ("Same for both: Brand: Anker; Stock: in stock");
        empty when they share nothing."""
        if not self.shared:
            return ""
        both = "both" if len(self.columns) == 2 else "all"
        return f"Same for {both}: " + "; ".join(f"{name}: {value}" for name, value in self.shared)


class Handoff(BaseModel):
    model_config = ConfigDict(frozen=True)

    ticket_id: str
    reason: str
    next_steps: str


Unmet = Literal["not_carried", "no_match", "unanswered"]


class CartItem(BaseModel):
    """A product the shopper asked, in words, to add to the cart ("add the second one to my
    cart"); the channel tells the shop's page, which owns the cart."""

    model_config = ConfigDict(frozen=True)

    product_id: str
    quantity: int = Field(default=1, ge=1)


class Reply(BaseModel):
    """Everything shown to the shopper for one turn; UIs render only from these fields."""

    model_config = ConfigDict(frozen=True)

    intent: Intent
    slots: Slots
    text: str
    #: what a channel that shows the products, table, sources and ticket says above them, so
    #: nothing is said twice (None: the whole ``text``, which lists them for text-only channels)
    lead: str | None = None
    products: tuple[Product, ...] = ()
    #: product id -> why it is shown, in a few words ("waterproof, size 10")
    reasons: dict[str, str] = Field(default_factory=dict)
    alternatives: tuple[Product, ...] = ()
    comparison: ComparisonTable | None = None
    sources: tuple[PolicyChunk, ...] = ()
    handoff: Handoff | None = None
    #: products to add to the shop's cart (what the channel tells the shop's page)
    cart: tuple[CartItem, ...] = ()
    suggestions: tuple[str, ...] = ()
    failed: bool = False  # the assistant could not help with this turn
    retry_after: int | None = None  # a limit held the request: seconds before asking again (the API answers 429)
    #: what the shop could not give, for the owner's demand signals: a kind of product it does
    #: not carry, a search no product matched, a question no policy section answers
    unmet: Unmet | None = None

    def said(self) -> str:
        """The text for a channel that shows the rich parts (cards, table, source, ticket)."""
        return self.text if self.lead is None else self.lead

    def extended(self, before: str = "", after: str = "", *, before_said: str | None = None, after_said: str | None = None) -> Reply:
        """This reply with text before and after it, in both versions (``text`` and ``lead``);
        ``before_said``/``after_said``: what the rich channel says instead, when it differs."""
        lead = None
        if self.lead is not None or before_said is not None or after_said is not None:
            lead = f"{before if before_said is None else before_said}{self.said()}{after if after_said is None else after_said}"
        return self.model_copy(update={"text": f"{before}{self.text}{after}", "lead": lead})


class TurnResult(BaseModel):
    """One answered turn: what was heard or read, how it was parsed, the reply, and the
    time each stage took. ``turn`` is the turn's number in its conversation (from 1), set by
    ``pipeline.handle``; ``error`` is True when a bug was answered with an apology."""

    model_config = ConfigDict(frozen=True)

    transcript: str
    parsed: ParsedIntent
    reply: Reply
    timings_ms: dict[str, float]
    turn: int = 0
    error: bool = False
    #: what the parser was shown with the message (None: it was not parsed, e.g. a "yes" to a question)
    context: DialogueContext | None = None
