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
from collections import defaultdict
from dataclasses import dataclass
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
    nouns: dict[str, list[str]]  # category -> product noun phrases
    features: dict[str, list[str]]  # category -> feature adjectives found there
    brands: dict[str, list[str]]  # category -> brands
    colors: list[str]
    sizes: dict[str, list[str]]  # category -> sizes
    attributes: dict[str, list[str]]  # attribute key -> phrases (keys present in the catalog)
    titles: dict[str, list[Product]]  # category -> products


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
    for entry in _lexicon()["attributes"]:
        present = [k for k in entry["keys"] if k in keys] or (
            entry["keys"][:1] if entry["keys"][0] in ("price", "rating", "stock", "description", "brand", "color", "size") else []
        )
        if present:
            attributes[present[0]] = [p for p in entry["phrases"] if len(p) > 2][:8]
    return Catalog(
        nouns={c: sorted(v) for c, v in nouns.items()},
        features={c: sorted(v) for c, v in features.items()},
        brands={c: sorted(v) for c, v in brands.items()},
        colors=sorted({p.color for p in products if p.color}),
        sizes={c: sorted(v) for c, v in sizes.items() if v},
        attributes=attributes,
        titles=dict(titles),
    )


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


def money(value: int, rng: random.Random) -> str:
    style = rng.random()
    if value >= 1000 and style < 0.15:
        return f"{value / 1000:g}k"
    if style < 0.45:
        return f"${value}"
    if style < 0.65:
        return f"{value} dollars"
    if style < 0.75:
        return f"{value} bucks"
    if style < 0.9:
        return f"{number_words(value, rng)} {rng.choice(['dollars', 'bucks'])}"
    return str(value)


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
