"""Measures a shopper states ("at least 30 litres", "under 2 kg", "60mm or longer") read as
bounds on the catalog's own numeric attributes.

A catalog writes a measure's unit in its attribute key ("capacity_l", "thickness_mm",
"battery_life_hours"); a shopper writes it after a number, in any of the usual spellings. A
stated measure becomes a constraint on the one numeric key of this catalog whose unit
measures the same thing (litres and millilitres are both volume), converted to the key's
unit; where several keys qualify ("5mm": thickness or length?), the words of the message
("thick") or of the products in question choose, and where nothing chooses, nothing is
filtered: the words still rank. A number with no side ("a 28L backpack") is no bound.

The units and comparison words are general English and SI, not any shop's vocabulary.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import Stemmer

#: a measure on one key: (key, at least, at most), in the key's own unit
Measure = tuple[str, float | None, float | None]

_STEMMER = Stemmer.Stemmer("english")

#: unit -> (what it measures, factor to that quantity's base unit); a key suffix and a
#: shopper's spelling both look up here
_UNITS: dict[str, tuple[str, float]] = {
    "mm": ("length", 0.001), "cm": ("length", 0.01), "m": ("length", 1.0), "km": ("length", 1000.0),
    "in": ("length", 0.0254), "inch": ("length", 0.0254), "ft": ("length", 0.3048),
    "g": ("mass", 0.001), "kg": ("mass", 1.0), "lb": ("mass", 0.45359237), "oz": ("mass", 0.028349523),
    "ml": ("volume", 0.001), "l": ("volume", 1.0),
    "h": ("time", 3600.0), "hours": ("time", 3600.0), "min": ("time", 60.0), "s": ("time", 1.0),
    "w": ("power", 1.0), "kw": ("power", 1000.0), "v": ("voltage", 1.0), "ah": ("charge", 1.0), "mah": ("charge", 0.001),
    "gb": ("data", 1.0), "tb": ("data", 1000.0), "m2": ("area", 1.0), "nm": ("torque", 1.0),
    "people": ("people", 1.0), "person": ("people", 1.0), "persons": ("people", 1.0),
}  # fmt: skip

#: how shoppers write those units
_SPOKEN: dict[str, str] = {
    "millimetre": "mm", "millimetres": "mm", "millimeter": "mm", "millimeters": "mm",
    "centimetre": "cm", "centimetres": "cm", "centimeter": "cm", "centimeters": "cm",
    "metre": "m", "metres": "m", "meter": "m", "meters": "m", "kilometres": "km", "kilometers": "km",
    "inches": "inch", '"': "inch", "foot": "ft", "feet": "ft",
    "grams": "g", "gram": "g", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg", "kgs": "kg",
    "pound": "lb", "pounds": "lb", "lbs": "lb", "ounce": "oz", "ounces": "oz",
    "litre": "l", "litres": "l", "liter": "l", "liters": "l", "ltr": "l", "millilitres": "ml", "milliliters": "ml",
    "hour": "hours", "hrs": "hours", "hr": "hours", "minutes": "min", "mins": "min", "minute": "min",
    "watt": "w", "watts": "w", "volt": "v", "volts": "v", "tb": "tb", "gb": "gb",
}  # fmt: skip

_AT_LEAST = (
    r"at least|min(?:imum)?(?: of)?|over|more than|above|no less than|from|bigger than|longer than|larger than|heavier than|greater than"
)
_AT_MOST = r"at most|max(?:imum)?(?: of)?|under|less than|below|up to|no more than|within|smaller than|shorter than|lighter than"
_AFTER_LEAST = r"or more|or above|or over|or bigger|or longer|or larger|or higher|plus|\+|minimum|min"
_AFTER_MOST = r"or less|or under|or below|or smaller|or shorter|or lighter|or lower|max(?:imum)?|tops"
#: unit words read after a number: all but those that are also common words ("50 in black")
_UNIT_WORDS = sorted({*_UNITS, *_SPOKEN} - {"in", "s", "min"}, key=len, reverse=True)
_PATTERN = re.compile(
    rf"(?:(?P<least>{_AT_LEAST})|(?P<most>{_AT_MOST}))?\s*"
    r"(?P<number>\d+(?:\.\d+)?)\s*-?\s*"
    rf"(?P<unit>{'|'.join(re.escape(u) for u in _UNIT_WORDS)})(?![a-z0-9])"
    rf"(?:\s*(?:(?P<after_least>{_AFTER_LEAST})|(?P<after_most>{_AFTER_MOST}))(?![a-z]))?"
)

#: comparatives that ask for more or less of a measure than what is on screen ("lighter
#: ones"), with the words of the keys that hold it
COMPARATIVES: dict[str, tuple[bool, tuple[str, ...]]] = {
    "lighter": (False, ("weight",)), "heavier": (True, ("weight",)),
    "longer": (True, ("length", "life")), "shorter": (False, ("length",)),
    "bigger": (True, ("capacity", "size", "volume")), "larger": (True, ("capacity", "size", "volume")),
    "smaller": (False, ("capacity", "size", "volume")), "thicker": (True, ("thickness",)), "thinner": (False, ("thickness",)),
    "wider": (True, ("width",)), "narrower": (False, ("width",)), "taller": (True, ("height",)),
}  # fmt: skip

#: what a measuring word says a key measures ("thick" -> a thickness key)
_MEASURE_WORDS = {
    "long": "length",
    "thick": "thickness",
    "wide": "width",
    "tall": "height",
    "high": "height",
    "heavy": "weight",
    "deep": "depth",
}


def key_unit(key: str) -> tuple[str, float] | None:
    """What a numeric key measures and its unit's factor, from its suffix ("capacity_l")."""
    suffix = key.lower().rsplit("_", 1)[-1] if "_" in key else ""
    return _UNITS.get(suffix)


def _key_words(key: str) -> set[str]:
    return {_STEMMER.stemWord(w) for w in key.lower().split("_")[:-1] if w}


@dataclass(frozen=True)
class Stated:
    """One measure in a message: its quantity, value in the base unit, and side."""

    quantity: str
    value: float
    at_least: bool
    span: tuple[int, int]


def stated(text: str) -> list[Stated]:
    """The measures ``text`` states with a side ("at least 30 litres", "2kg or less")."""
    found = []
    for match in _PATTERN.finditer(text.lower()):
        least = match["least"] or match["after_least"]
        most = match["most"] or match["after_most"]
        if bool(least) == bool(most):
            continue  # no side (a 28L backpack), or both
        unit = _SPOKEN.get(match["unit"], match["unit"])
        quantity, factor = _UNITS[unit]
        found.append(Stated(quantity, float(match["number"]) * factor, bool(least), match.span()))
    return found


def choose_key(quantity: str, keys: Iterable[str], text: str, preferred: Mapping[str, int] | None = None) -> str | None:
    """The one key of ``keys`` measuring ``quantity``: the only one, or the only one the
    message's words name, or the one most of the products in question hold (``preferred``:
    key -> how many of them hold it); None when nothing decides."""
    candidates = sorted({k for k in keys if (key_unit(k) or ("", 0.0))[0] == quantity})
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    words = {_STEMMER.stemWord(w) for w in re.findall(r"[a-z]+", text.lower())}
    words |= {_STEMMER.stemWord(_MEASURE_WORDS[w]) for w in re.findall(r"[a-z]+", text.lower()) if w in _MEASURE_WORDS}
    named = [k for k in candidates if _key_words(k) & words]
    if len(named) == 1:
        return named[0]
    counts = sorted(((preferred or {}).get(k, 0), k) for k in (named or candidates))
    if counts[-1][0] > 0 and (len(counts) == 1 or counts[-1][0] > counts[-2][0]):
        return counts[-1][1]
    return None


def read_measures(text: str, keys: Iterable[str], preferred: Mapping[str, int] | None = None) -> tuple[Measure, ...]:
    """The bounds ``text`` states on this catalog's numeric ``keys``, in each key's unit."""
    keys = list(keys)
    bounds: dict[str, list[float | None]] = {}
    for measure in stated(text):
        key = choose_key(measure.quantity, keys, text, preferred)
        if key is None:
            continue
        unit = key_unit(key)
        assert unit is not None
        value = round(measure.value / unit[1], 6)
        bound = bounds.setdefault(key, [None, None])
        bound[0 if measure.at_least else 1] = value
    return tuple((key, lo, hi) for key, (lo, hi) in sorted(bounds.items()))


def without_measures(text: str) -> str:
    """``text`` with the measures it states taken out ("longer ones, at least 60mm" ->
    "longer ones,")."""
    spans = [m.span for m in stated(text)]
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
    words = re.findall(r"[a-z]+", text.lower())
    out: list[Measure] = []
    for word in words:
        if word not in COMPARATIVES:
            continue
        more, measured = COMPARATIVES[word]
        stems = {_STEMMER.stemWord(w) for w in measured}
        keys = [k for k, values in products_values.items() if _key_words(k) & stems and values]
        if len(keys) != 1:
            continue
        values = products_values[keys[0]]
        if more:
            out.append((keys[0], _past(max(values), up=True), None))
        else:
            out.append((keys[0], None, _past(min(values), up=False)))
    return tuple(out)


def _past(value: float, *, up: bool) -> float:
    """Just past ``value``: strictly more (less) than it, at the catalog's precision."""
    step = 10 ** math.floor(math.log10(abs(value))) / 100_000 if value else 0.00001
    return round(value + step if up else value - step, 6)
