"""Shared pieces of the intent-data generator; it holds no family. The catalog's vocabulary
(product nouns, features, brands, colours, sizes and attribute phrases, read from the demo
catalog and the rule parser's lexicon), the surface forms every family uses (numbers, prices
and sizes in words, typos and ASR-like noise), the dialogue contexts with products on screen
(``shown_context``, ``shown_in``) and ``ex``, which turns a message and its labels into a
training row.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import yaml

from assistant.intent.format import encode, render_prompt
from assistant.types import DialogueContext, ParsedIntent, Slots
from retrieval.catalog import Product

# -- vocabulary from the catalog ----------------------------------------------------------

#: types that are adjectives of their category's noun ("running" -> "running shoes")
ADJECTIVE_TYPES = {
    "running",
    "trail",
    "casual",
    "hiking",
    "over-ear",
    "in-ear",
    "on-ear",
    "open-ear",
    "gaming",
    "everyday",
    "business",
    "pro",
    "2-in-1",
}
CATEGORY_NOUNS = {
    "shoes": ["shoes", "sneakers", "trainers"],
    "headphones": ["headphones", "earbuds", "headset"],
    "laptops": ["laptop", "laptops", "notebook"],
    "phones": ["phone", "phones", "smartphone"],
    "apparel": ["clothes", "clothing"],
    "bags": ["bag", "bags"],
    "home": ["home stuff"],
    "kitchen": ["kitchen stuff"],
    "sports": ["sports gear"],
    "beauty": ["beauty products"],
    "toys": ["toys", "toy"],
    "groceries": ["groceries", "food"],
    "electronics": ["electronics", "gadgets"],
}
FEATURES = {
    "waterproof": ["waterproof"],
    "wireless": ["wireless", "bluetooth"],
    "noise_cancelling": ["noise cancelling", "noise canceling"],
    "insulated": ["insulated"],
    "vegan": ["vegan"],
    "organic": ["organic"],
    "gluten_free": ["gluten free"],
    "water_resistant": ["water resistant"],
    "dishwasher_safe": ["dishwasher safe"],
    "gps": ["gps"],
}
#: phrases for catalog attribute keys the lexicon has no group for (used when the catalog has the key)
EXTRA_ATTRIBUTES = {
    "gender": ["for women", "for men", "unisex", "a women's model", "men's or women's"],
    "cushioning": ["cushioning", "cushion", "padding", "how soft"],
    "skin_type": ["skin type", "for oily skin", "for dry skin", "skin types"],
    "fragrance_free": ["fragrance free", "unscented", "scent free"],
    "pieces": ["how many pieces", "piece count", "number of pieces"],
    "hooded": ["a hood", "hood"],
    "keeps_hot_hours": ["keeps drinks hot", "how long it keeps coffee hot", "heat retention"],
    "cruelty_free": ["cruelty free", "tested on animals"],
    "gps": ["gps", "built in gps"],
    "vegan": ["vegan"],
    "organic": ["organic"],
    "gluten_free": ["gluten free", "gluten"],
    "insulated": ["insulated", "insulation"],
    "dishwasher_safe": ["dishwasher safe", "go in the dishwasher"],
    "caffeinated": ["caffeine", "caffeinated", "decaf"],
    "touchscreen": ["touchscreen", "touch screen"],
    "battery_mah": ["battery capacity", "mah"],
}
#: words that narrow the product, kept in the query with it ("cordless vacuum", "smartwatch with gps")
MODIFIERS = {
    "shoes": (
        ["gel", "wide fit", "leather", "slip on", "high top", "zero drop", "womens", "mens", "kids", "cushioned", "carbon plated"],
        ["with ankle support", "for flat feet", "for wide feet", "for marathons", "with a wide toe box"],
    ),
    "headphones": (
        ["kids", "sports", "bone conduction", "open back", "studio", "budget"],
        ["with a mic", "with long battery life", "for running", "for calls", "for the gym"],
    ),
    "laptops": (
        ["touchscreen", "thin and light", "lightweight", "student", "14 inch", "16 inch"],
        ["with 16gb of ram", "with a backlit keyboard", "for video editing", "for college", "with 1tb storage"],
    ),
    "phones": (
        ["unlocked", "dual sim", "5g", "android", "compact", "rugged"],
        ["with a good camera", "with a big screen", "with long battery life", "for iphone 15", "for my grandma"],
    ),
    "apparel": (
        ["slim fit", "merino", "long sleeve", "high waisted", "oversized", "packable", "womens", "mens", "kids"],
        ["with a hood", "32 waist", "for hiking", "for yoga", "with pockets"],
    ),
    "bags": (
        ["roll top", "leather", "anti theft", "carry on", "hard shell", "foldable"],
        ["with a laptop sleeve", "for school", "for weekend trips", "with wheels"],
    ),
    "home": (
        ["cordless", "smart", "king size", "blackout", "memory foam", "scented", "quiet"],
        ["for pet hair", "for allergies", "for a small bedroom", "with a timer"],
    ),
    "kitchen": (
        ["cast iron", "stainless steel", "non stick", "glass", "programmable", "12 cup", "ceramic"],
        ["with a grinder", "for two people", "with a timer", "for a small kitchen"],
    ),
    "sports": (
        ["adjustable", "non slip", "extra thick", "foldable", "ultralight", "2 person"],
        ["for beginners", "for cold weather", "for four people", "for home workouts"],
    ),
    "beauty": (
        ["fragrance free", "cruelty free", "spf 50", "tinted", "vitamin c", "travel size"],
        ["for dry skin", "for curly hair", "for sensitive skin", "for oily skin"],
    ),
    "toys": (
        ["wooden", "magnetic", "remote control", "educational", "1000 piece", "stem"],
        ["for toddlers", "for a 5 year old", "for ages 8 and up", "for the bath"],
    ),
    "groceries": (
        ["decaf", "dark roast", "sugar free", "loose leaf", "whole bean", "gluten free", "green"],
        ["without nuts", "for baking", "in bulk"],
    ),
    "electronics": (
        ["usb-c", "fast charging", "4k", "portable", "smart", "magnetic"],
        ["with gps", "with heart rate", "for my car", "for travel", "with 20000mah"],
    ),
}
#: product types the catalog may not name, with the category a shopper means
EXTRA_NOUNS = {
    "toys": ["science kit", "action figures", "dolls", "kite", "jigsaw puzzle"],
    "home": ["rug", "duvet", "bath mat", "doormat", "desk lamp"],
    "kitchen": ["wok", "saucepan", "toaster", "rice cooker", "waffle maker"],
    "sports": ["hiking poles", "swim goggles", "lantern", "cooler"],
    "beauty": ["perfume", "nail polish", "face mask"],
    "apparel": ["raincoat", "beanie", "gloves"],
    "electronics": ["webcam", "smart speaker", "earbuds case"],
    "bags": ["wallet", "gym bag"],
    "groceries": ["granola", "rice", "green tea"],
}
#: generic nouns of a category that say no more than the category: no query ("kitchen stuff" -> c=kitchen)
CATEGORY_ONLY = {
    "home stuff",
    "kitchen stuff",
    "sports gear",
    "beauty products",
    "clothes",
    "clothing",
    "electronics",
    "gadgets",
    "groceries",
    "food",
}
ADJECTIVES = ["lightweight", "cheap", "durable", "comfortable", "good", "nice", "warm", "compact", "portable", "affordable"]


@dataclass
class Catalog:
    """The words of one catalog the families draw from. The demo catalog (``build_catalog``)
    keeps its own tables (``demo``: a product noun labels its category, "earbuds" -> headphones);
    any other catalog (the synthetic ones of ``catalogs``, a store's, ``catalog_from_products``)
    labels a category only where the message names it as the catalog writes it, and carries
    its own tables for the families that need more than nouns, brands and titles."""

    nouns: dict[str, list[str]]  # category -> product noun phrases
    features: dict[str, list[str]]  # category -> feature adjectives found there
    brands: dict[str, list[str]]  # category -> brands
    colors: list[str]
    sizes: dict[str, list[str]]  # category -> sizes
    attributes: dict[str, list[str]]  # attribute key -> phrases (keys present in the catalog)
    titles: dict[str, list[Product]]  # category -> products
    name: str = "demo"
    currency: str = "USD"
    demo: bool = True
    #: category -> (words before the noun, phrases after it) kept in the query
    modifiers: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    #: how a shopper names a whole category ("drills", "fragrances"); the demo's are ``searches.CATEGORY_WORDS``
    category_words: dict[str, list[str]] = field(default_factory=dict)
    #: (said, category) product searches with a number or spec that is no price ("18v drill")
    specs: list[tuple[str, str]] = field(default_factory=list)
    #: category -> ("corded or cordless", key): two values of one attribute, for questions
    alternatives: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: attribute key -> questions naming a product ("how many pages in the {n}")
    key_questions: dict[str, list[str]] = field(default_factory=dict)
    #: category -> who a product is for, before or after the noun ("kids", "for puppies")
    audience: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    def category_slot(self, category: str, said: str) -> str | None:
        """The category a search labels: the demo's always (its nouns map to it), any other
        catalog's only where the message names it as written ("fragrances under 50" ->
        fragrances; "cordless drill" in "Power Tools > Drills" -> none: the catalog resolves it)."""
        if self.demo:
            return category
        return category if names_category(category, said) else None


def names_category(category: str, said: str) -> bool:
    """Whether ``said`` holds the category as the catalog writes it (any case, whole words)."""
    return bool(re.search(rf"(?<![\w-]){re.escape(category.lower())}(?![\w-])", said.lower()))


def pick_attribute(cat: Catalog, rng: random.Random, exclude: tuple[str, ...] = ()) -> str:
    """An attribute key of the catalog: one of the lexicon's (price, battery life...) three times
    in four, else one of the catalog's own keys with no lexicon group (gender, cushioning...)."""
    extra = [k for k in cat.attributes if k in EXTRA_ATTRIBUTES and k not in exclude]
    common = [k for k in cat.attributes if k not in EXTRA_ATTRIBUTES and k not in exclude]
    return rng.choice(extra if extra and rng.random() < 0.25 else common)


def load_catalog(path: Path | None = None) -> list[Product]:
    text = Path(path).read_text(encoding="utf-8") if path else (files("assistant.demo") / "catalog.jsonl").read_text(encoding="utf-8")
    return [Product.model_validate(json.loads(line)) for line in text.splitlines() if line.strip()]


def _lexicon() -> dict:
    return yaml.safe_load((files("assistant.intent.rules") / "lexicon.yaml").read_text(encoding="utf-8"))


def lexicon_attributes(keys: set[str]) -> dict[str, list[str]]:
    """Key -> phrases for the lexicon's attribute groups: the catalog's key of each group it has,
    and the keys every product has (price, rating, stock, description, brand, colour, size)."""
    attributes: dict[str, list[str]] = {}
    for entry in _lexicon()["attributes"]:
        present = [k for k in entry["keys"] if k in keys] or (
            entry["keys"][:1] if entry["keys"][0] in ("price", "rating", "stock", "description", "brand", "color", "size") else []
        )
        if present:
            attributes[present[0]] = [p for p in entry["phrases"] if len(p) > 2][:8]
    return attributes


#: unit suffixes of attribute keys, dropped from the words a shopper says ("wattage_w" -> "wattage")
_KEY_UNITS = {"w", "v", "ml", "l", "g", "kg", "cm", "mm", "m", "in", "gb", "tb", "h", "hours", "min", "mins", "years", "yrs", "mah", "pct"}


#: words of a yes/no key that make it no adjective of a product ("battery required", "contains nuts")
_NO_FEATURE = {"in", "stock", "required", "included", "contains", "has", "is", "storage", "assembly"}


def key_phrases(key: str) -> list[str]:
    """How a shopper names a catalog's own attribute key: "page_count" -> ["page count"],
    "wattage_w" -> ["wattage"], "age_min_years" -> ["age min", "age"]."""
    words = [w for w in key.lower().split("_") if w]
    while len(words) > 1 and words[-1] in _KEY_UNITS:
        words = words[:-1]
    phrases = [" ".join(words)]
    if len(words) > 1 and words[-1] in ("min", "max", "count", "type", "range", "size"):
        phrases.append(" ".join(words[:-1]))
    return list(dict.fromkeys(p for p in phrases if len(p) > 1))


def _title_nouns(product: Product) -> list[str]:
    """Product nouns from a title: its last one or two plain words before any comma or dash,
    after the brand ("Ridgeway 18V Cordless Combi Drill, Yellow" -> "combi drill", "drill")."""
    title = product.title
    if product.brand and title.lower().startswith(product.brand.lower()):
        title = title[len(product.brand) :]
    head = re.split(r",| - | – |\(|\|", title)[0]
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*", head)]
    color = (product.color or "").lower()
    words = [w for w in words if w != color]
    if not words:
        return []
    out = [words[-1]]
    if len(words) >= 2 and len(words[-2]) > 2:
        out.append(f"{words[-2]} {words[-1]}")
    return out


def catalog_from_products(products: list[Product], name: str = "store", specs: dict | None = None) -> Catalog:
    """The vocabulary of any catalog but the demo's (a store's own products, or a synthetic
    catalog with ``specs``: its tables for the families, ``Catalog``'s fields by name). A
    category is labelled only where a message names it as written; nouns come from the
    ``type`` attribute and the titles; a yes/no attribute that is true is a feature; a key
    with no lexicon group is said in its own words ("page_count" -> "page count")."""
    specs = dict(specs or {})
    nouns: dict[str, set[str]] = defaultdict(set)
    features: dict[str, set[str]] = defaultdict(set)
    brands: dict[str, set[str]] = defaultdict(set)
    sizes: dict[str, set[str]] = defaultdict(set)
    titles: dict[str, list[Product]] = defaultdict(list)
    keys: set[str] = set()
    given_nouns: dict[str, list[str]] = specs.pop("nouns", {})
    for p in products:
        kind = str(p.attributes.get("type", "")).lower()
        if p.category in given_nouns:
            nouns[p.category].update(given_nouns[p.category])
        else:
            nouns[p.category].update([kind] if kind and len(kind) > 2 else _title_nouns(p))
        for key, value in p.attributes.items():
            phrase = key_phrases(key)[0]
            if value is True and not _NO_FEATURE & set(phrase.split()):
                features[p.category].add(phrase)
        if p.brand:
            brands[p.category].add(p.brand)
        sizes[p.category].update(p.sizes())
        titles[p.category].append(p)
        keys.update(k for k in p.attributes if k not in ("color", "size", "type"))
    for category in titles:
        nouns[category] = nouns[category] or {category}
    given_attributes: dict[str, list[str]] = specs.pop("attributes", {})
    lexical = lexicon_attributes(keys)
    attributes = {key: given_attributes.get(key) or EXTRA_ATTRIBUTES.get(key) or key_phrases(key) for key in sorted(keys)}
    for key, phrases in lexical.items():  # the lexicon's phrases for its groups, the catalog's key
        attributes[key] = list(dict.fromkeys([*given_attributes.get(key, []), *phrases]))
    category_words = specs.pop("category_words", None) or {c: _said_category(c) for c in titles}
    currencies = [p.currency for p in products]
    return Catalog(
        **_per_category(nouns, features, brands, sizes, products),
        attributes=attributes,
        titles=dict(titles),
        name=name,
        currency=max(set(currencies), key=currencies.count) if currencies else "USD",
        demo=False,
        category_words=category_words,
        **specs,
    )


def _said_category(category: str) -> list[str]:
    """How a shopper names a category: the name itself where it is plain words ("fragrances"),
    else the words of its last part ("power tools > drills" -> "drills", "skin-care" -> "skin care")."""
    last = re.split(r"\s*(?:>|/|\|)\s*", category)[-1]
    said = " ".join(re.findall(r"[a-z0-9']+", last.lower().replace("&", " and ")))
    return list(dict.fromkeys(w for w in [category if re.fullmatch(r"[a-z' ]+", category) else "", said] if w))


def build_catalog(products: list[Product]) -> Catalog:
    nouns: dict[str, set[str]] = defaultdict(set)
    features: dict[str, set[str]] = defaultdict(set)
    brands: dict[str, set[str]] = defaultdict(set)
    sizes: dict[str, set[str]] = defaultdict(set)
    titles: dict[str, list[Product]] = defaultdict(list)
    keys: set[str] = set()
    for p in products:
        kind = str(p.attributes.get("type", "")).lower()
        base = CATEGORY_NOUNS.get(p.category, [p.category])[0]
        if kind:
            nouns[p.category].add(f"{kind} {base}" if kind in ADJECTIVE_TYPES else kind)
        nouns[p.category].add(base)
        for key, words in FEATURES.items():
            if p.attributes.get(key) is True:
                features[p.category].update(words)
        if p.brand:
            brands[p.category].add(p.brand)
        sizes[p.category].update(p.sizes())
        titles[p.category].append(p)
        keys.update(p.attributes)
    attributes = {key: phrases for key, phrases in EXTRA_ATTRIBUTES.items() if key in keys}
    attributes.update(lexicon_attributes(keys))
    return Catalog(**_per_category(nouns, features, brands, sizes, products), attributes=attributes, titles=dict(titles))


def _per_category(
    nouns: dict[str, set[str]],
    features: dict[str, set[str]],
    brands: dict[str, set[str]],
    sizes: dict[str, set[str]],
    products: list[Product],
) -> dict:
    """A catalog's per-category word lists, sorted (categories without sizes left out), and its colours."""
    return {
        "nouns": {c: sorted(v) for c, v in nouns.items()},
        "features": {c: sorted(v) for c, v in features.items()},
        "brands": {c: sorted(v) for c, v in brands.items()},
        "colors": sorted({p.color for p in products if p.color}),
        "sizes": {c: sorted(v) for c, v in sizes.items() if v},
    }


# -- surface forms ------------------------------------------------------------------------

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int, rng: random.Random) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else rng.choice([" ", "-"]) + _ONES[n % 10])
    if n < 1000:
        head = rng.choice(["a hundred", "one hundred"]) if n // 100 == 1 else f"{_ONES[n // 100]} hundred"
        rest = n % 100
        return head if rest == 0 else f"{head} {rng.choice(['and ', ''])}{number_words(rest, rng)}"
    if n % 1000 == 0 and n < 10000:
        return f"{_ONES[n // 1000]} thousand"
    return str(n)


#: how a shopper writes a price in each currency: (sign before, sign after, words, slang)
CURRENCY_WORDS: dict[str, tuple[str, str, list[str], list[str]]] = {
    "USD": ("$", "", ["dollars"], ["bucks"]),
    "CAD": ("$", "", ["dollars", "canadian dollars", "cad"], ["bucks"]),
    "GBP": ("£", "", ["pounds", "gbp"], ["quid"]),
    "EUR": ("€", "€", ["euros", "eur"], ["euro"]),
}


def money(value: int, rng: random.Random, currency: str = "USD") -> str:
    """A price as a shopper writes it in the catalog's currency ("$80", "80 quid", "fifty euros")."""
    sign, after, words, slang = CURRENCY_WORDS.get(currency, CURRENCY_WORDS["USD"])
    style = rng.random()
    if value >= 1000 and style < 0.15:
        return f"{value / 1000:g}k"
    if style < 0.45:
        return f"{value}{after}" if after and rng.random() < 0.4 else f"{sign}{value}"
    if style < 0.65:
        return f"{value} {rng.choice(words)}"
    if style < 0.75:
        return f"{value} {rng.choice(slang)}"
    if style < 0.9:
        return f"{number_words(value, rng)} {rng.choice([words[0], slang[0]])}"
    return str(value)


def currency_word(rng: random.Random, currency: str = "USD") -> str:
    """A word for the currency after a spoken number ("" half the time): "dollars", "quid", "euros"."""
    _sign, _after, words, slang = CURRENCY_WORDS.get(currency, CURRENCY_WORDS["USD"])
    return rng.choice(["", "", f" {words[0]}", f" {slang[0]}"])


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.35:
        return word[:i] + word[i + 1 :]
    if op < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]


def noisy(text: str, rng: random.Random) -> str:
    words = text.split()
    if rng.random() < 0.2:
        j = rng.randrange(len(words))
        words[j] = _typo(words[j], rng)
    text = " ".join(words)
    if rng.random() < 0.08:
        text = rng.choice(["um ", "uh ", "so ", "ok so ", "hmm "]) + text
    if rng.random() < 0.45:
        text = text.lower()
    if rng.random() < 0.35:
        text = text.rstrip("?.!")
    if rng.random() < 0.05:
        text = text.replace(" buy ", " by ").replace(" for ", " four ")
    return text


def spoken_size(size: str, rng: random.Random) -> str:
    """'9.5' -> 'nine and a half', '11' -> 'eleven' (as a shopper says a shoe size)."""
    try:
        value = float(size)
    except ValueError:
        return {"S": "small", "M": "medium", "L": "large", "XL": "extra large", "XS": "extra small", "XXL": "double xl"}.get(size, size)
    whole = number_words(int(value), rng)
    return f"{whole} and a half" if value != int(value) else whole


def _an(word: str) -> str:
    return "an" if word[:1] in "aeiou8" or word.startswith("11") or word.startswith("18") else "a"


# -- contexts -----------------------------------------------------------------------------


def shown_context(cat: Catalog, rng: random.Random) -> tuple[DialogueContext, list[Product], str]:
    category = rng.choice([c for c in cat.titles if len(cat.titles[c]) >= 3])
    shown = rng.sample(cat.titles[category], k=min(len(cat.titles[category]), rng.choice([2, 3, 3, 4, 5])))
    noun = rng.choice(cat.nouns[category])
    constraints = Slots(query=noun, category=category)
    if rng.random() < 0.3:
        constraints = constraints.model_copy(update={"price_max": float(rng.choice([50, 80, 100, 150, 200, 500]))})
    ctx = DialogueContext(
        constraints=constraints,
        shown_titles=tuple(p.title for p in shown),
        shown_brands=tuple(p.brand for p in shown),
        last_intent="search_products",
    )
    return ctx, shown, category


def shown_in(cat: Catalog, rng: random.Random, category: str) -> tuple[DialogueContext, list[Product]]:
    """Products of one category on screen (shoes for a size, headphones for over or on ear)."""
    shown = rng.sample(cat.titles[category], k=min(len(cat.titles[category]), rng.choice([2, 3, 3, 4])))
    constraints = Slots(query=rng.choice([n for n in cat.nouns[category] if n not in CATEGORY_ONLY]), category=category)
    if rng.random() < 0.3:
        constraints = constraints.model_copy(update={"price_max": float(rng.choice([80, 100, 150, 200, 300]))})
    ctx = DialogueContext(
        constraints=constraints,
        shown_titles=tuple(p.title for p in shown),
        shown_brands=tuple(p.brand for p in shown),
        last_intent="search_products",
    )
    return ctx, shown


NONE = DialogueContext()

#: slots the parse copies from the message as written (order ids, an order's item, a new address):
#: the noise leaves them as they are in the message (demo "NW-" ids excepted: the parse writes
#: them upper case however they were typed)
VERBATIM_SLOTS = ("order_id", "item", "address")


def noisy_keeping(text: str, kept: list[str], rng: random.Random) -> str:
    """``noisy``, with the strings of ``kept`` unchanged (no typo, no lower case)."""
    kept = sorted(kept, key=len, reverse=True)
    for i, value in enumerate(kept):
        text = text.replace(value, f"\x00{i}\x00")
    message = noisy(text, rng)
    for i, value in enumerate(kept):
        message = message.replace(f"\x00{i}\x00", value)
    return message


def ex(text: str, ctx: DialogueContext, intent: str, rng: random.Random, noise: bool = True, **fields) -> dict:
    clear = fields.pop("clear", [])
    relative = fields.pop("relative_price", None)
    frustrated = fields.pop("frustrated", False)
    parsed = ParsedIntent(intent=intent, slots=Slots(**fields), clear=clear, relative_price=relative, frustrated=frustrated)
    if noise:
        kept = [v for s in VERBATIM_SLOTS if isinstance(v := fields.get(s), str) and v in text and not v.startswith("NW-")]
        message = noisy_keeping(text, kept, rng) if kept else noisy(text, rng)
    else:
        message = text
    return {"text": message, "intent": intent, "prompt": render_prompt(message, ctx), "target": encode(parsed)}
