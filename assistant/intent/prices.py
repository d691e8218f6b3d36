"""How a price is grounded in the message: whether a number the parser read as a price is
written as one ("under 80", "80 bucks", "between 200 and 400") or as something else ("spf
50", "1000 piece", "over 400 pages"), which side of it the message puts it, and a range the
rule parser read whole. Used by ``intent.ground``."""

from __future__ import annotations

import functools
import re

import Stemmer

from assistant.intent.rules import load_lexicon
from assistant.types import ParsedIntent
from retrieval.measures import key_parts

_STEMMER = Stemmer.Stemmer("english")


def whole_range(ours: dict, theirs: dict) -> dict:
    """The rule parser's price range where the model read only one end of it ("between £10
    and £20" as "under 10"): a range the rules read from digits is the whole reading."""
    bounds = ("price_min", "price_max")
    if not all(b in theirs for b in bounds) or all(b in ours for b in bounds):
        return {}
    if not {ours[b] for b in bounds if b in ours} <= {theirs[b] for b in bounds}:
        return {}
    return {b: theirs[b] for b in bounds}


#: words next to a number that make it a price ("under 80", "80 bucks", "between 200 and 400")
_PRICE_BEFORE = re.compile(
    r"(?:under|over|below|above|than|to|upto|most|least|max|min|budget|between|from|and|around|about|"
    r"within|spend|spending|cost|costs|costing|priced|at)\s*$"
)
_PRICE_AFTER = re.compile(
    r"^\s*(?:dollars?|bucks|usd|eur|euros?|pounds?|quid|max|tops|or less|or under|or cheaper|or below|"
    r"or more|or over|and up|and under|and below|-ish)\b"
)
_PRICE_NUMBER = re.compile(r"([$€£])?\s*(\d[\d,]*(?:\.\d+)?)\s*(k\b)?")
#: "200 to 400", "50-100": a range of bare numbers is a price range unless a unit follows ("2-4 people", "8 to 12 years")
_RANGE_START = re.compile(r"^\s*(?:to|-|–)\s*[$€£]?\d[\d,]*(?:\.\d+)?(?![\d.,]*\d|[a-z%\"'])")
_RANGE_END = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?\s*(?:-|–)\s*$")
#: units after a number that make it no price ("2-4 people", "32 oz")
UNIT = (
    r"\s*(?:years?|yrs?|months?|people|persons?|players?|pieces?|pcs|kids|guests|hours?|mins?|minutes|days?|weeks?|"
    r"inch(?:es)?|in\b|cm|mm|m\b|ft|feet|kg|lbs?|g\b|oz|ml|l\b|litres?|liters?|gb|tb|mah|w\b|watts?|cups?|quarts?|qt|%)"
)
_RANGE_UNIT = re.compile(rf"^{UNIT}")


@functools.lru_cache(maxsize=64)
def _attribute_words(keys: tuple[str, ...]) -> frozenset[str]:
    """The stems of the words naming the catalog's attributes ("pages", "piece_count" -> piec,
    count), their unit suffixes left out."""
    words = set()
    for key in keys:
        words |= {_STEMMER.stemWord(w) for w in key_parts(key) if len(w) >= 3 and w not in _BOUND_WORDS}
    return frozenset(words)


#: words of attribute keys that say a bound, not what is measured ("max_weight_lb"): "100 max" stays a price
_BOUND_WORDS = frozenset({"max", "min", "maximum", "minimum", "tops", "plus"})


def counts_an_attribute(value: float, said: str, keys: tuple[str, ...]) -> bool:
    """Whether the message writes ``value`` without a currency sign and followed by a word
    naming one of the catalog's attributes ("over 400 pages", "at least 20 pieces")."""
    words = _attribute_words(tuple(keys))
    for match in re.finditer(r"(?<![\w.$€£])(\d[\d,]*(?:\.\d+)?)\s*\+?\s*([a-z]+)", said):
        if abs(float(match.group(1).replace(",", "")) - value) <= 0.005 and _STEMMER.stemWord(match.group(2)) in words:
            return True
    return False


def price_said(value: float, said: str) -> bool:
    """Whether the message writes ``value`` as a price: in digits, next to a currency sign
    or a price word. "spf 50", "a 10 year old", "1000 piece" and "32 oz" are not prices."""
    for match in _PRICE_NUMBER.finditer(said):
        number = float(match.group(2).replace(",", "")) * (1000 if match.group(3) else 1)
        if abs(number - value) > 0.005:
            continue
        before, after = said[: match.start()], said[match.end() :]
        if not match.group(1) and (_RANGE_UNIT.match(after) or re.search(r"\bsizes?\s*(?:\d[\d.]*\s*(?:-|–|to)\s*)?$", before)):
            continue  # "8 to 12 years", "size 10 to 11"
        if match.group(1) or match.group(3) or _PRICE_BEFORE.search(before) or _PRICE_AFTER.search(after):
            return True
        start = _RANGE_START.match(after)
        if start and not _RANGE_UNIT.match(after[start.end() :]):
            return True  # the 200 of "200 to 400"
        if _RANGE_END.search(before):
            return True  # the 400 of "200-400"
    return False


def price_direction(slots: dict, rules: ParsedIntent, said: str) -> dict:
    """ "under fifty bucks" written as a floor: one price the rule parser read on the other side
    (it reads the direction from the words "under", "or more"...) is moved to that side."""
    bounds = ("price_min", "price_max")
    set_ = [b for b in bounds if slots.get(b) is not None]
    if len(set_) != 1:
        return {}
    ours = set_[0]
    other = bounds[1 - bounds.index(ours)]
    theirs = getattr(rules.slots, other)
    if theirs is not None and getattr(rules.slots, ours) is None and abs(theirs - slots[ours]) < 0.005 and _direction_said(other, said):
        return {ours: None, other: slots[ours]}
    return {}


def in_order(slots: dict) -> dict:
    """A floor above its ceiling ("between $40 and $60" read as at least 60, at most 40) is
    one range read backwards: no product could meet it, so the two ends change places."""
    low, high = slots.get("price_min"), slots.get("price_max")
    if low is not None and high is not None and low > high:
        return {"price_min": high, "price_max": low}
    return {}


@functools.cache
def _direction_words() -> dict[str, re.Pattern[str]]:
    lex = load_lexicon()
    return {
        bound: re.compile(
            r"(?<![a-z])(?:"
            + "|".join(re.escape(str(p)) for p in lex[f"{bound}_before"] + lex[f"{bound}_after"] if re.match(r"[a-z]", str(p)))
            + r")(?![a-z])"
        )
        for bound in ("price_min", "price_max")
    }


def _direction_said(bound: str, said: str) -> bool:
    """Whether the message has a word for that side of a price ("under", "or less"; "over", "at least")."""
    return bool(_direction_words()[bound].search(said))
