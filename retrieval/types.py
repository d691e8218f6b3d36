"""Typed values crossing the retrieval boundary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from retrieval.catalog import Product

Sort = Literal["price_asc", "price_desc", "rating_desc"]


def normalise_value(value: str) -> str:
    """How constraint values compare: case-insensitive, whitespace collapsed."""
    return " ".join(value.lower().split())


_norm = normalise_value


def shade_words(value: str) -> list[str]:
    """A colour's words in order; a hyphenated shade is one word ("blue-black" is neither blue nor black)."""
    return re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", value.lower())


def color_words(value: str) -> frozenset[str]:
    return frozenset(shade_words(value))


def same_color(wanted: str, have: str) -> bool:
    """Whether a product's colour is the one asked for: it says every word of it ("blue" is
    met by "navy blue" and "sky blue", "navy blue" not by "navy"), as shops name shades
    of one colour."""
    words = color_words(wanted)
    return bool(words) and words <= color_words(have)


def attribute_values(product: Product, key: str) -> frozenset[str]:
    """The normalised values a product's attribute holds: "true"/"false" for a yes/no
    attribute, each item of a list, the text of anything else; empty when it lacks the key."""
    value = product.attributes.get(key)
    if value is None:
        return frozenset()
    items = value if isinstance(value, list) else [value]
    return frozenset(("true" if v else "false") if isinstance(v, bool) else _norm(str(v)) for v in items)


#: a measure on one numeric attribute: (key, at least, at most), in the key's own unit
Measure = tuple[str, float | None, float | None]


def as_number(value: object) -> float | None:
    """An attribute value as a number: ints and floats, not yes/no (a bool is an int in Python)."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def measured(product: Product, key: str, low: float | None, high: float | None) -> bool:
    """Whether the product's numeric attribute ``key`` lies within [low, high]."""
    value = as_number(product.attributes.get(key))
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


class Constraints(BaseModel):
    """Hard constraints a product must satisfy. ``None`` means unconstrained."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: str | None = None
    brand: str | None = None
    color: str | None = None
    size: str | None = None
    price_min: float | None = None
    price_max: float | None = None
    in_stock: bool | None = None
    #: (attribute key, value) pairs the product's own attributes must hold: ("waterproof",
    #: "true"), ("finish", "matt"); a list attribute holds a value when one of its items is it
    attributes: tuple[tuple[str, str], ...] | None = None
    #: (numeric attribute key, at least, at most) in the key's own unit: ("capacity_l", 30.0,
    #: None) for "at least 30 litres" (``retrieval.measures``); a product without the key breaks it
    measures: tuple[Measure, ...] | None = None

    def is_empty(self) -> bool:
        return all(v is None or v == () for v in self.model_dump().values())

    def violations(self, product: Product) -> list[str]:
        """Names of the constraints ``product`` breaks (empty when it matches)."""
        broken: list[str] = []
        if self.category and _norm(product.category) != _norm(self.category):
            broken.append("category")
        if self.brand and _norm(product.brand) != _norm(self.brand):
            broken.append("brand")
        if self.color and not same_color(self.color, product.color or ""):
            broken.append("color")
        if self.size and _norm(self.size) not in {_norm(s) for s in product.sizes()}:
            broken.append("size")
        if self.price_min is not None and product.price < self.price_min:
            broken.append("price_min")
        if self.price_max is not None and product.price > self.price_max:
            broken.append("price_max")
        if self.in_stock and product.stock <= 0:
            broken.append("in_stock")
        if self.attributes and not all(_norm(value) in attribute_values(product, key) for key, value in self.attributes):
            broken.append("attributes")
        if self.measures and not all(measured(product, key, low, high) for key, low, high in self.measures):
            broken.append("measures")
        return broken

    def matches(self, product: Product) -> bool:
        return not self.violations(product)

    def without(self, *names: str) -> Constraints:
        return self.model_copy(update={n: None for n in names})


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    query: str = ""
    constraints: Constraints = Field(default_factory=Constraints)
    sort: Sort | None = None
    k: int = 5


class Hit(BaseModel):
    """One retrieved product with the evidence for its rank."""

    model_config = ConfigDict(frozen=True)

    product: Product
    score: float
    keyword_rank: int | None = None
    dense_rank: int | None = None
    matched_terms: tuple[str, ...] = ()


class Relaxation(BaseModel):
    """What was dropped to find alternatives when nothing met every constraint."""

    model_config = ConfigDict(frozen=True)

    dropped: tuple[str, ...]
    hits: tuple[Hit, ...]


class SearchResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    request: SearchRequest
    hits: tuple[Hit, ...]
    total_matching: int  # products meeting every hard constraint
    carried: bool = True  # False when the catalog has nothing resembling the query
    alternatives: Relaxation | None = None
    #: False when no hit holds every word of the query and none is close in meaning: the
    #: hits are the closest the shop has, not what was asked for ("double panel radiator")
    close: bool = True


class PolicyChunk(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    doc: str  # file stem, e.g. "returns"
    title: str  # document title, e.g. "Returns and Refunds"
    section: str
    text: str


class PolicyHit(BaseModel):
    model_config = ConfigDict(frozen=True)

    chunk: PolicyChunk
    score: float


@dataclass(frozen=True)
class ChromaServer:
    """Where a Chroma server (`chroma run --path DIR --port N`) listens; handed in by the
    application (the assistant reads it from its settings)."""

    host: str
    port: int = 8000
    ssl: bool = False
