"""Measures a shopper states ("at least 30 litres", "under 2 kg", "60mm or longer", "over 400
pages", "thread count over 400") read as bounds on the catalog's own numeric attributes.

A catalog writes a measure's unit in its attribute key ("capacity_l", "thickness_mm",
"battery_life_hours") or names the key after what it counts ("pages", "piece_count",
"megapixels"); a shopper writes a unit, or that word, after a number, or names the
attribute before it ("SPF 50 or higher"). A stated measure with a side (or a range) becomes
a constraint on the one numeric key of this catalog that measures it, converted to the key's
unit (litres and millilitres are both volume). Where several keys qualify, the one whose
words the message says most ("5mm thick": thickness; "cuts at least 6cm deep": cut depth)
wins, then the one most of the products in question hold; and a key none of those products
holds is never used ("timber at least 3 metres long" in a shop whose timber has no length
is no filter on extension leads). Where nothing decides, nothing is filtered: the words
still rank. A number with no side ("a 28L backpack") is no bound.

The units, number words and comparison words are general English and SI/imperial, not any
shop's vocabulary.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import Stemmer

from retrieval.types import Measure

_STEMMER = Stemmer.Stemmer("english")

#: unit -> (what it measures, factor to that quantity's base unit); a key suffix and a
#: shopper's spelling both look up here
_UNITS: dict[str, tuple[str, float]] = {
    "mm": ("length", 0.001), "cm": ("length", 0.01), "m": ("length", 1.0), "km": ("length", 1000.0),
    "in": ("length", 0.0254), "inch": ("length", 0.0254), "ft": ("length", 0.3048),
    "g": ("mass", 0.001), "kg": ("mass", 1.0), "lb": ("mass", 0.45359237), "oz": ("mass", 0.028349523),
    "ml": ("volume", 0.001), "l": ("volume", 1.0),
    "h": ("time", 3600.0), "hours": ("time", 3600.0), "min": ("time", 60.0), "s": ("time", 1.0),
    "days": ("time", 86400.0), "weeks": ("time", 604800.0),
    "w": ("power", 1.0), "kw": ("power", 1000.0), "v": ("voltage", 1.0), "ah": ("charge", 1.0), "mah": ("charge", 0.001),
    "gb": ("data", 1.0), "tb": ("data", 1000.0), "m2": ("area", 1.0), "sqft": ("area", 0.09290304), "nm": ("torque", 1.0),
    "gsm": ("grammage", 1.0), "f": ("fahrenheit", 1.0), "c": ("celsius", 1.0),
    "people": ("people", 1.0), "person": ("people", 1.0), "persons": ("people", 1.0),
}  # fmt: skip

#: how shoppers write those units
_SPOKEN: dict[str, str] = {
    "millimetre": "mm", "millimetres": "mm", "millimeter": "mm", "millimeters": "mm",
    "centimetre": "cm", "centimetres": "cm", "centimeter": "cm", "centimeters": "cm", "cms": "cm",
    "metre": "m", "metres": "m", "meter": "m", "meters": "m", "mtr": "m", "kilometres": "km", "kilometers": "km",
    "inches": "inch", '"': "inch", "foot": "ft", "feet": "ft",
    "grams": "g", "gram": "g", "gr": "g", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg", "kgs": "kg",
    "pound": "lb", "pounds": "lb", "lbs": "lb", "ounce": "oz", "ounces": "oz",
    "litre": "l", "litres": "l", "liter": "l", "liters": "l", "ltr": "l", "ltrs": "l",
    "millilitres": "ml", "milliliters": "ml", "millilitre": "ml", "milliliter": "ml",
    "hour": "hours", "hrs": "hours", "hr": "hours", "minutes": "min", "mins": "min", "minute": "min",
    "day": "days", "week": "weeks",
    "watt": "w", "watts": "w", "volt": "v", "volts": "v",
    "m²": "m2", "sq m": "m2", "sqm": "m2", "square metres": "m2", "square meters": "m2", "square metre": "m2", "square meter": "m2",
    "sq ft": "sqft", "square feet": "sqft", "square foot": "sqft", "ft2": "sqft",
    "g/m2": "gsm", "g/m²": "gsm", "°f": "f", "degrees f": "f", "fahrenheit": "f", "°c": "c", "degrees c": "c", "celsius": "c",
}  # fmt: skip

#: number words a shopper may use ("two litres")
_NUMBER_WORDS = {
    w: float(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0, "seventy": 70.0, "eighty": 80.0, "ninety": 90.0, "hundred": 100.0}


def _alternation(phrases: Iterable[str]) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


_LEAST_BEFORE = (
    "at least", "minimum of", "minimum", "min", "min.", "over", "more than", "above", "no less than", "not less than",
    "no smaller than", "no shorter than", "no lighter than", "no fewer than", "no thinner than", "no narrower than",
    "not smaller than", "not shorter than", "bigger than", "longer than", "larger than", "heavier than", "greater than",
    "higher than", "wider than", "thicker than", "from",
)  # fmt: skip
_MOST_BEFORE = (
    "at most", "maximum of", "maximum", "max", "max.", "under", "less than", "fewer than", "below", "up to", "no more than",
    "not more than", "no bigger than", "no larger than", "no longer than", "no heavier than", "no wider than",
    "no thicker than", "not bigger than", "not heavier than", "within", "smaller than", "shorter than", "lighter than",
    "lower than", "thinner than", "narrower than",
)  # fmt: skip
_LEAST_AFTER = (
    "or more", "or above", "or over", "or bigger", "or longer", "or larger", "or higher", "or heavier", "or greater",
    "or wider", "or thicker", "and up", "and above", "and over", "or better", "plus", "+", "minimum", "min", "at least",
)  # fmt: skip
_MOST_AFTER = (
    "or less", "or under", "or below", "or smaller", "or shorter", "or lighter", "or lower", "or fewer", "or narrower",
    "or thinner", "maximum", "max", "tops", "at most", "at the most",
)  # fmt: skip

#: unit words read after a number: all but those that are also common words ("50 in black")
_UNIT_WORDS = sorted({*_UNITS, *_SPOKEN} - {"in", "s", "min", "f", "c"}, key=len, reverse=True)
_NUMBER = rf"(?:\d+(?:\.\d+)?(?![\d.])|(?:{_alternation(_NUMBER_WORDS)})(?![a-z]))"
_UNIT = rf"(?:{_alternation(_UNIT_WORDS)})(?![a-z0-9])"
_SIDE_BEFORE = rf"(?:(?P<least>{_alternation(_LEAST_BEFORE)})|(?P<most>{_alternation(_MOST_BEFORE)}))\s*"
_SIDE_AFTER = rf"(?:(?P<after_least>{_alternation(_LEAST_AFTER)})|(?P<after_most>{_alternation(_MOST_AFTER)}))(?![a-z])"
#: a side, a number and its unit (or the word it counts: "pages"), and a side after it
#: (allowing two words between: "a 16 inch laptop or bigger")
_PATTERN = re.compile(
    rf"(?<![\w.])(?:{_SIDE_BEFORE})?(?P<number>{_NUMBER})(?P<plus>\s*\+)?"
    rf"(?:\s+(?:(?P<mid_least>or\s+more|or\s+over|plus)|(?P<mid_most>or\s+less|or\s+under))(?=\s*{_UNIT}))?\s*-?\s*"
    rf"(?:(?P<unit>{_UNIT})|(?P<word>(?!(?:or|and|plus|min|max|minimum|maximum|tops|at)(?![a-z]))[a-z]+))?"
    rf"(?:\s*(?:[a-z]+\s+){{0,2}}?{_SIDE_AFTER})?"
)
#: a range: "between 20 and 30 litres", "20-30L", "from 1kg to 2kg", "200 to 300 pages"
_RANGE = re.compile(
    rf"(?<![\w.])(?:between\s+|from\s+)?(?P<low>{_NUMBER})\s*-?\s*(?P<low_unit>{_UNIT})?\s*(?:and|to|-|–)\s*"
    rf"(?P<high>{_NUMBER})\s*-?\s*(?:(?P<unit>{_UNIT})|(?P<word>[a-z]+))"
)
_WORD = re.compile(r"[a-z]+")

#: comparatives that ask for more or less of a measure than what is on screen ("lighter
#: ones"), with the words of the keys that hold it
COMPARATIVES: dict[str, tuple[bool, tuple[str, ...]]] = {
    "lighter": (False, ("weight",)), "heavier": (True, ("weight",)),
    "longer": (True, ("length", "life")), "shorter": (False, ("length",)),
    "bigger": (True, ("capacity", "size", "volume")), "larger": (True, ("capacity", "size", "volume")),
    "smaller": (False, ("capacity", "size", "volume")), "thicker": (True, ("thickness", "diameter")), "thinner": (False, ("thickness", "diameter")),
    "wider": (True, ("width",)), "narrower": (False, ("width",)), "taller": (True, ("height",)),
}  # fmt: skip

#: what a measuring word says a key measures ("thick" -> a thickness key)
_MEASURE_WORDS = {
    "long": "length", "thick": "thickness", "wide": "width", "tall": "height", "high": "height", "heavy": "weight",
    "deep": "depth", "weigh": "weight", "weighs": "weight", "sleeps": "people",
    "longer": "length", "shorter": "length", "thicker": "thickness", "thinner": "thickness", "wider": "width",
    "narrower": "width", "taller": "height", "deeper": "depth", "shallower": "depth", "heavier": "weight", "lighter": "weight",
}  # fmt: skip


#: the measuring words that say which length is meant
_LENGTH_WORDS = frozenset(
    {"long", "thick", "wide", "tall", "high", "deep", "longer", "shorter", "thicker", "thinner", "wider", "narrower", "taller", "deeper"}
)


def key_unit(key: str) -> tuple[str, float] | None:
    """What a numeric key measures and its unit's factor, from its suffix ("capacity_l")."""
    suffix = key.lower().rsplit("_", 1)[-1] if "_" in key else ""
    return _UNITS.get(suffix)


def named_dimensions(text: str) -> set[str]:
    """What the units a question names measure ("how many metres in a ball?" -> length,
    "how many grams" -> mass): unit words and abbreviations of two letters or more, never a
    word that is also common English ("in")."""
    words = re.findall(r"[a-z]+\d?", text.lower())
    found = set()
    for word in words:
        unit = _SPOKEN.get(word, word)
        if unit in _UNITS and (word in _SPOKEN or (len(word) >= 2 and word in _UNIT_WORDS)):
            found.add(_UNITS[unit][0])
    return found


def key_parts(key: str) -> list[str]:
    """The words naming what a key holds, its unit suffix left out: "cut_depth_mm" -> cut, depth."""
    words = key.lower().split("_")
    return words[:-1] if key_unit(key) is not None else words


def _key_words(key: str) -> set[str]:
    """The stems of ``key_parts``."""
    return {_STEMMER.stemWord(w) for w in key_parts(key) if w}


def measuring_keys(measured: Iterable[str], keys: Iterable[str]) -> list[str]:
    """Those of ``keys`` that hold one of the ``measured`` things ("weight": weight_kg, head_weight_g)."""
    stems = {_STEMMER.stemWord(w) for w in measured}
    return [k for k in keys if _key_words(k) & stems]


def _alike(a: str, b: str) -> bool:
    """The same stem, or one beginning the other, both at least 4 letters ("volt", "voltag")."""
    return a == b or (len(a) >= 4 and len(b) >= 4 and (a.startswith(b) or b.startswith(a)))


def _stems(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    return {_STEMMER.stemWord(w) for w in words} | {_STEMMER.stemWord(_MEASURE_WORDS[w]) for w in words if w in _MEASURE_WORDS}


def _number(text: str) -> float:
    return _NUMBER_WORDS[text] if text in _NUMBER_WORDS else float(text)


@dataclass(frozen=True)
class Stated:
    """One measure in a message: what it measures (a unit's quantity, or the word it counts),
    its value (in the quantity's base unit), its side, where it is, and the words before it."""

    quantity: str | None
    word: str | None
    value: float
    at_least: bool
    span: tuple[int, int]
    before: str


def _unit(spoken: str) -> tuple[str, float]:
    return _UNITS[_SPOKEN.get(" ".join(spoken.split()), " ".join(spoken.split()))]


def stated(text: str) -> list[Stated]:
    """The measures ``text`` states with a side ("at least 30 litres", "2kg or less", "over
    400 pages", "30+ hrs") or as a range ("between 20 and 30 litres": both sides)."""
    found = []
    lowered = text.lower()
    for match in _RANGE.finditer(lowered):
        if match["unit"]:
            quantity, factor = _unit(match["unit"])
            if match["low_unit"] and _unit(match["low_unit"])[0] != quantity:
                continue  # "5mm to 2kg" is no range
            low_factor = _unit(match["low_unit"])[1] if match["low_unit"] else factor
            word = None
        else:
            quantity, factor, low_factor, word = None, 1.0, 1.0, match["word"]
        low, high = _number(match["low"]) * low_factor, _number(match["high"]) * factor
        if low < high and math.isfinite(high):
            before = lowered[max(0, match.start() - 40) : match.start()]
            found += [Stated(quantity, word, low, True, match.span(), before), Stated(quantity, word, high, False, match.span(), before)]
            lowered = lowered[: match.start()] + " " * (match.end() - match.start()) + lowered[match.end() :]
    for match in _PATTERN.finditer(lowered):
        least = match["least"] or match["after_least"] or match["plus"] or match["mid_least"]  # "30 or more litres"
        most = match["most"] or match["after_most"] or match["mid_most"]
        if bool(least) == bool(most):
            continue  # no side (a 28L backpack), or both
        if match["unit"]:
            quantity, factor = _unit(match["unit"])
            word = None
        else:
            quantity, factor, word = None, 1.0, match["word"]
        start = match.start("least") if match["least"] else match.start("most") if match["most"] else match.start("number")
        before = lowered[max(0, start - 40) : start]
        value = _number(match["number"]) * factor
        if math.isfinite(value):  # a 400-digit "measure" is no bound anyone means
            found.append(Stated(quantity, word, value, bool(least), match.span(), before))
    return found


def _candidates(measure: Stated, keys: Iterable[str]) -> list[str]:
    """The keys a stated measure can be on: those measuring its unit's quantity; without a
    unit, those named by the word after the number ("pages") or by the last words before it
    ("thread count over 400", "SPF 50 or higher")."""
    keys = list(keys)
    if measure.quantity is not None:
        by_unit = [k for k in keys if (key_unit(k) or ("", 0.0))[0] == measure.quantity]
        if by_unit:
            return by_unit
        spoken = {_STEMMER.stemWord(w) for w in _WORD.findall(measure.quantity)}  # "voltage" keys without a suffix
        return [k for k in keys if key_unit(k) is None and any(_alike(s, w) for s in spoken for w in _key_words(k))]
    if measure.word:
        said = _STEMMER.stemWord(measure.word)
        named = [k for k in keys if key_unit(k) is None and any(_alike(said, w) for w in _key_words(k))]
        if named:
            return named
    last = [_STEMMER.stemWord(w) for w in _WORD.findall(measure.before)][-3:]
    return [k for k in keys if key_unit(k) is None and _key_words(k) and _key_words(k) <= {w for w in last}]


def choose_key(candidates: list[str], text: str, held: Mapping[str, int] | None = None) -> str | None:
    """The one of ``candidates`` the message means: the one whose words it says most
    ("cuts at least 6cm deep": cut depth), then the one most of the products in question
    hold (``held``: key -> how many of them hold it); never one none of them holds (when
    ``held`` is given). None when nothing decides."""
    if held is not None:
        candidates = [k for k in candidates if held.get(k, 0) > 0]
    said = re.findall(r"[a-z]+", text.lower())
    dimensions = {_STEMMER.stemWord(_MEASURE_WORDS[w]) for w in said if w in _LENGTH_WORDS}
    if dimensions and all((key_unit(k) or ("", 0.0))[0] == "length" for k in candidates):
        # "at least 3 metres long" is a length: never a thickness or a depth
        candidates = [k for k in candidates if any(_alike(w, d) for w in _key_words(k) for d in dimensions)]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    words = _stems(text)
    scored = sorted(
        ((sum(any(_alike(w, s) for s in words) for w in _key_words(k)), (held or {}).get(k, 0), k) for k in candidates), reverse=True
    )
    best, second = scored[0], scored[1]
    return best[2] if best[:2] != second[:2] else None


def read_measures(text: str, keys: Iterable[str], held: Mapping[str, int] | None = None) -> tuple[Measure, ...]:
    """The bounds ``text`` states on this catalog's numeric ``keys``, in each key's unit;
    ``held``: how many of the products in question hold each key (see ``choose_key``)."""
    keys = list(keys)
    bounds: dict[str, list[float | None]] = {}
    for measure in stated(text):
        key = choose_key(_candidates(measure, keys), text, held)
        if key is None:
            continue
        unit = key_unit(key)
        value = round(measure.value / unit[1], 6) if unit is not None and measure.quantity == unit[0] else measure.value
        bound = bounds.setdefault(key, [None, None])
        bound[0 if measure.at_least else 1] = value
    return tuple((key, lo, hi) for key, (lo, hi) in sorted(bounds.items()))


#: how a reply names a quantity ("mass": "weight")
_QUANTITY_NAMES = {
    "mass": "weight", "length": "size", "volume": "capacity", "time": "running time", "power": "power",
    "voltage": "voltage", "charge": "battery capacity", "data": "storage", "area": "coverage", "people": "capacity",
    "grammage": "paper weight", "fahrenheit": "temperature rating", "celsius": "temperature rating", "torque": "torque",
}  # fmt: skip


def unread(text: str, measures: Iterable[Measure]) -> list[str]:
    """The quantities ``text`` states a bound on (with a unit) that none of ``measures`` is
    on: "under 1.5kg" for backpacks that list no weight -> ["weight"]."""
    read = {(key_unit(key) or ("", 0.0))[0] for key, _, _ in measures}
    names = [_QUANTITY_NAMES.get(m.quantity, m.quantity) for m in stated(text) if m.quantity and m.quantity not in read]
    return list(dict.fromkeys(names))


def keys_said(text: str, keys: Iterable[str]) -> set[str]:
    """The keys of ``keys`` a measure ``text`` states could be on (the reply need not repeat them)."""
    keys = list(keys)
    return {k for measure in stated(text) for k in _candidates(measure, keys)}


def without_measures(text: str) -> str:
    """``text`` with the measures it states taken out ("longer ones, at least 60mm" ->
    "longer ones,")."""
    spans = list(dict.fromkeys(m.span for m in stated(text)))
    lowered = text
    for start, end in sorted(spans, reverse=True):
        lowered = lowered[:start] + " " + lowered[end:]
    return " ".join(lowered.split())


def without_comparatives(text: str) -> str:
    """``text`` without its comparatives and the word "ones" ("lighter ones" -> "")."""
    return " ".join(w for w in re.findall(r"[\w'-]+", text) if w.lower() not in COMPARATIVES and w.lower() not in ("one", "ones"))


def comparatives_in(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The comparatives of ``text`` with the words of the keys each asks about."""
    return [(w, COMPARATIVES[w][1]) for w in re.findall(r"[a-z]+", text.lower()) if w in COMPARATIVES]


def comparative(text: str, products_values: Mapping[str, list[float]]) -> tuple[Measure, ...]:
    """ "lighter ones" against the products on screen: a bound past the lightest (heaviest)
    of them on the one key of ``products_values`` (key -> their values) the word names."""
    out: list[Measure] = []
    for word, measured in comparatives_in(text):
        keys = [k for k in measuring_keys(measured, products_values) if products_values[k]]
        if len(keys) != 1:
            continue
        values = products_values[keys[0]]
        if COMPARATIVES[word][0]:  # more of it
            out.append((keys[0], _past(max(values), up=True), None))
        else:
            out.append((keys[0], None, _past(min(values), up=False)))
    return tuple(out)


def _past(value: float, *, up: bool) -> float:
    """Just past ``value``: strictly more (less) than it, at the catalog's precision."""
    step = 10 ** math.floor(math.log10(abs(value))) / 100_000 if value else 0.00001
    return round(value + step if up else value - step, 6)
