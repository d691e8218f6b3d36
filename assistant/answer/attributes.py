"""Which of a product's own attributes a question asks about, read from the catalog's keys.

The intent model knows the attribute names of the catalog it learnt on; a shop names its
own ("chuck_mm", "coverage_m2", "radiators_treated", "nib_size"). A question's words are
matched against the words of the keys the products in question actually have, each key
word weighted by how rare it is among the catalog's keys, so "what size is the chuck?"
finds ``chuck_mm`` rather than ``sizes``, and "how much does it cover?" finds
``coverage_m2``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import bm25s
import Stemmer

from retrieval.catalog import Product
from retrieval.measures import key_unit, named_dimensions
from retrieval.types import as_number

_STEMMER = Stemmer.Stemmer("english")
_WORD = re.compile(r"[a-z][a-z0-9]*")

#: how a unit suffix of an attribute key is written after its value ("chuck_mm": 13 -> "13 mm")
UNIT_TEXT = {
    "hours": " hours", "h": " hours", "min": " minutes", "gb": " GB", "tb": " TB", "in": '"', "kg": " kg", "g": " g",
    "l": " L", "ml": " ml", "mah": " mAh", "ah": " Ah", "mm": " mm", "cm": " cm", "m": " m", "m2": " m²", "nm": " Nm",
    "w": " W", "kw": " kW", "v": " V", "a": " A", "bar": " bar", "k": " K", "gsm": " gsm", "lb": " lb", "oz": " oz",
    "people": " people",
}  # fmt: skip
#: unit suffixes of attribute keys: they name the unit, not what is measured (those above,
#: and units a label keeps because no value is written with them)
UNITS = frozenset(UNIT_TEXT) | frozenset("m3 km ft psi hz db mb s pct gbp usd eur cad".split())

#: what an English measuring question asks, in the words catalogs use for it
#: ("how long is the hose" -> a key with "length"); general English, not any shop's words
DIMENSIONS = {
    "long": ("length", "life"),
    "tall": ("height",),
    "high": ("height",),
    "wide": ("width",),
    "thick": ("thickness", "depth"),
    "deep": ("depth",),
    "heavy": ("weight",),
    "weigh": ("weight",),
    "big": ("size", "capacity", "dimensions"),
    "many": ("count", "pack", "number", "pieces", "quantity", "units"),
    "made": ("material", "fibre", "fiber", "fabric", "composition"),
    "when": ("date", "release", "released", "published", "publication"),
    "last": ("life",),
    "hold": ("capacity",),
    "powerful": ("power",),
    "strong": ("strength", "power"),
    "fast": ("speed",),
    "old": ("age",),
}

#: the words a question asks with, beyond the stop words: general English
_ASKING = frozenset("how what which one ones does do did i me you much".split())

#: words that order a comparison the other way round: "which is lighter?" wants the least
LESS = frozenset(
    "less least lower lowest shorter shortest smaller smallest lighter lightest fewer fewest thinner thinnest cheaper cheapest narrower".split()
)


def key_words(key: str) -> list[str]:
    """The words of an attribute key that say what it measures: "max_torque_nm" -> max, torque."""
    return [w for w in _WORD.findall(key.lower().replace("_", " ")) if w not in UNITS]


def _stems(words: Iterable[str]) -> set[str]:
    return set(_STEMMER.stemWords(list(words)))


def _matches(asked: set[str], word: str) -> bool:
    """A key word the question holds: the same stem, or one stem beginning the other
    ("cover" / "coverage", "treat" / "treatment") when both are at least 4 letters."""
    stem = _STEMMER.stemWord(word)
    return stem in asked or any(len(a) >= 4 and len(stem) >= 4 and (stem.startswith(a) or a.startswith(stem)) for a in asked)


def question_words(question: str, products: Sequence[Product]) -> list[str]:
    """The question's own words: not stop words, not the words naming the products."""
    naming = {w for p in products for w in _WORD.findall(f"{p.title} {p.brand}".lower())}
    words = [w for w in _WORD.findall(question.lower()) if w not in bm25s.stopwords.STOPWORDS_EN or w in DIMENSIONS]
    return [w for w in words if w not in naming or w in DIMENSIONS]


def only_measures(question: str, products: Sequence[Product]) -> bool:
    """Whether the question's own words are only measuring words ("how long is it?", "how
    heavy is this one?"): nothing in it but what is measured can be what it asks about."""
    said = [w for w in question_words(question, products) if w not in _ASKING]
    return bool(said) and all(w in DIMENSIONS for w in said)


def says_attribute(question: str, key: str) -> bool:
    """Whether the question holds one of the key's words ("in stock?" says ``stock``)."""
    asked = _stems(_WORD.findall(question.lower()))
    return any(_matches(asked, w) for w in key_words(key))


def resolve_attribute(question: str, products: Sequence[Product], catalog_keys: Sequence[str] = (), *, literal: bool = False) -> str | None:
    """The attribute key of ``products`` that ``question`` asks about, or None when no key's
    words are in the question. ``catalog_keys``: every key of the catalog, for the rarity
    weights. ``literal``: only a key one of the question's own words names ("radiators"),
    not one its measuring words suggest ("how many" -> a count)."""
    keys = list(dict.fromkeys(k for p in products for k in p.attributes))
    if not keys:
        return None
    said = question_words(question, products)
    asked = _stems(said)
    if not literal:
        asked |= _stems(w for word in said for w in DIMENSIONS.get(word, ()))
    if not asked:
        return None
    every = list(dict.fromkeys([*catalog_keys, *keys]))
    frequency: dict[str, int] = {}
    for key in every:
        for word in set(key_words(key)):
            frequency[word] = frequency.get(word, 0) + 1
    units = named_dimensions(question)  # "how many metres": a key measured in a length
    best, best_score = None, 0.0
    for key in keys:
        words = key_words(key)
        measure = key_unit(key)
        if units and measure is not None and measure[0] not in units:
            continue  # measured in another unit: grams do not answer "how many metres"
        score = math.log(1 + len(every)) if units and measure is not None else 0.0
        score += sum(math.log(1 + len(every) / frequency.get(w, 1)) for w in words if _matches(asked, w))
        # the key's values say it too: "is it matt?" asks about the finish that is "matt"
        if not score:
            values = {str(p.attributes.get(key, "")).lower() for p in products}
            if any(v and not v.replace(".", "").isdigit() and _stems(_WORD.findall(v)) & asked for v in values):
                score = 0.5
        score -= 0.01 * sum(not _matches(asked, w) for w in words)  # the more specific key of two
        if score > best_score:
            best, best_score = key, score
    return best


def extreme(products: Sequence[Product], key: str, question: str) -> Product | None:
    """The product with the most of a numeric attribute (the least when the question says
    "lighter", "fewest"...), or None when fewer than two products have a number for it."""
    valued = [(p, p.attributes[key]) for p in products if as_number(p.attributes.get(key)) is not None]
    if len(valued) < 2:
        return None
    least = bool(LESS & set(_WORD.findall(question.lower())))
    return (min if least else max)(valued, key=lambda pv: pv[1])[0]
