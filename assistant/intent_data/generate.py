"""Training examples for the intent LLM, generated from a catalog's vocabulary.

    python -m assistant.intent_data.generate [N] [OUT.jsonl]

Each example is ``{"prompt": ..., "target": ...}`` in the formats of
``assistant.intent_format`` (plus the text and intent for inspection). Seeded and
deterministic. Families: product searches with every kind of constraint (prices in
digits and in words, sizes, colours, brands, in stock, sorting), follow-ups that only
make sense with products on screen ("cheaper", "the second one", "and in red?"),
comparisons, product questions, orders and returns with ids and emails, policy
questions, requests for a person and complaints, greetings, and many kinds of
out-of-scope requests. Surface noise: typos, lower case, no punctuation, fillers,
spoken numbers and ASR-like slips. The hand-written development and test sets
(``dev.jsonl``, ``test.jsonl``) are only read to drop the rare generated message that
says exactly the same as one of their utterances.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import yaml

from assistant.intent_format import encode, render_prompt
from assistant.types import DialogueContext, ParsedIntent, Slots
from retrieval.catalog import Product

# -- vocabulary from the catalog ----------------------------------------------------------

#: types that are adjectives of their category's noun ("running" -> "running shoes")
ADJECTIVE_TYPES = {
    "running", "trail", "casual", "hiking", "over-ear", "in-ear", "on-ear", "open-ear", "gaming",
    "everyday", "business", "pro", "2-in-1",
}
CATEGORY_NOUNS = {
    "shoes": ["shoes", "sneakers", "trainers"], "headphones": ["headphones", "earbuds", "headset"],
    "laptops": ["laptop", "laptops", "notebook"], "phones": ["phone", "phones", "smartphone"],
    "apparel": ["clothes", "clothing"], "bags": ["bag", "bags"], "home": ["home stuff"],
    "kitchen": ["kitchen stuff"], "sports": ["sports gear"], "beauty": ["beauty products"],
    "toys": ["toys", "toy"], "groceries": ["groceries", "food"], "electronics": ["electronics", "gadgets"],
}
FEATURES = {
    "waterproof": ["waterproof"], "wireless": ["wireless", "bluetooth"], "noise_cancelling": ["noise cancelling", "noise canceling"],
    "insulated": ["insulated"], "vegan": ["vegan"], "organic": ["organic"], "gluten_free": ["gluten free"],
    "water_resistant": ["water resistant"], "dishwasher_safe": ["dishwasher safe"], "gps": ["gps"],
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
    "shoes": (["gel", "wide fit", "leather", "slip on", "high top", "zero drop", "womens", "mens", "kids", "cushioned", "carbon plated"],
              ["with ankle support", "for flat feet", "for wide feet", "for marathons", "with a wide toe box"]),
    "headphones": (["kids", "sports", "bone conduction", "open back", "studio", "budget"], ["with a mic", "with long battery life", "for running", "for calls", "for the gym"]),
    "laptops": (["touchscreen", "thin and light", "lightweight", "student", "14 inch", "16 inch"], ["with 16gb of ram", "with a backlit keyboard", "for video editing", "for college", "with 1tb storage"]),
    "phones": (["unlocked", "dual sim", "5g", "android", "compact", "rugged"], ["with a good camera", "with a big screen", "with long battery life", "for iphone 15", "for my grandma"]),
    "apparel": (["slim fit", "merino", "long sleeve", "high waisted", "oversized", "packable", "womens", "mens", "kids"], ["with a hood", "32 waist", "for hiking", "for yoga", "with pockets"]),
    "bags": (["roll top", "leather", "anti theft", "carry on", "hard shell", "foldable"], ["with a laptop sleeve", "for school", "for weekend trips", "with wheels"]),
    "home": (["cordless", "smart", "king size", "blackout", "memory foam", "scented", "quiet"], ["for pet hair", "for allergies", "for a small bedroom", "with a timer"]),
    "kitchen": (["cast iron", "stainless steel", "non stick", "glass", "programmable", "12 cup", "ceramic"], ["with a grinder", "for two people", "with a timer", "for a small kitchen"]),
    "sports": (["adjustable", "non slip", "extra thick", "foldable", "ultralight", "2 person"], ["for beginners", "for cold weather", "for four people", "for home workouts"]),
    "beauty": (["fragrance free", "cruelty free", "spf 50", "tinted", "vitamin c", "travel size"], ["for dry skin", "for curly hair", "for sensitive skin", "for oily skin"]),
    "toys": (["wooden", "magnetic", "remote control", "educational", "1000 piece", "stem"], ["for toddlers", "for a 5 year old", "for ages 8 and up", "for the bath"]),
    "groceries": (["decaf", "dark roast", "sugar free", "loose leaf", "whole bean", "gluten free", "green"], ["without nuts", "for baking", "in bulk"]),
    "electronics": (["usb-c", "fast charging", "4k", "portable", "smart", "magnetic"], ["with gps", "with heart rate", "for my car", "for travel", "with 20000mah"]),
}
#: product types the catalog may not name, with the category a shopper means
EXTRA_NOUNS = {
    "toys": ["science kit", "action figures", "dolls", "kite", "jigsaw puzzle"], "home": ["rug", "duvet", "bath mat", "doormat", "desk lamp"],
    "kitchen": ["wok", "saucepan", "toaster", "rice cooker", "waffle maker"], "sports": ["hiking poles", "swim goggles", "lantern", "cooler"],
    "beauty": ["perfume", "nail polish", "face mask"], "apparel": ["raincoat", "beanie", "gloves"], "electronics": ["webcam", "smart speaker", "earbuds case"],
    "bags": ["wallet", "gym bag"], "groceries": ["granola", "rice", "green tea"],
}
#: generic nouns of a category that say no more than the category: no query ("kitchen stuff" -> c=kitchen)
CATEGORY_ONLY = {"home stuff", "kitchen stuff", "sports gear", "beauty products", "clothes", "clothing", "electronics", "gadgets", "groceries", "food"}
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
    return yaml.safe_load((files("assistant") / "lexicon.yaml").read_text(encoding="utf-8"))


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
        present = [k for k in entry["keys"] if k in keys] or (entry["keys"][:1] if entry["keys"][0] in ("price", "rating", "stock", "description", "brand", "color", "size") else [])
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
        return word[:i] + word[i + 1:]
    if op < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
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


NONE = DialogueContext()


def ex(text: str, ctx: DialogueContext, intent: str, rng: random.Random, noise: bool = True, **fields) -> dict:
    clear = fields.pop("clear", [])
    relative = fields.pop("relative_price", None)
    frustrated = fields.pop("frustrated", False)
    parsed = ParsedIntent(intent=intent, slots=Slots(**fields), clear=clear, relative_price=relative, frustrated=frustrated)
    message = noisy(text, rng) if noise else text
    return {"text": message, "intent": intent, "prompt": render_prompt(message, ctx), "target": encode(parsed)}


# -- families -----------------------------------------------------------------------------

SEARCH_OPENERS = ["", "", "show me ", "i'm looking for ", "looking for ", "do you have ", "do you sell ", "i need ",
                  "find me ", "any ", "got any ", "i want ", "i'd like ", "can you find ", "search for ",
                  "help me find ", "where can i find ", "i want to buy ", "recommend ", "what "]
SEARCH_OPENERS += ["hi, do you guys carry ", "do you stock ", "i'm after ", "after a ", "in the market for ", "any chance you have ",
                   "shopping for ", "need a new ", "i could use ", "i wanna get ", "lookin for ", "would like to see ", "what have you got in ",
                   "do u have ", "got ", "can i get ", "have you got any "]
#: words a shopper adds that say nothing about the product: never part of the query
QUERY_FILLERS = ["decent", "good", "nice", "new", "proper", "really good", "solid", "cool", "some", "a couple of"]
SEARCH_CLOSERS = ["", "", "", "?", " please", " for my son", " for my wife", " for my dad", " as a gift", " thanks", " pls",
                  ", mine just broke", ", my old one died", " asap", " if you have any", " thx"]
#: purposes that narrow what the shopper wants: kept in the query
PURPOSES = ["for travel", "for the gym", "for kids", "for winter", "for camping", "for the office", "for small spaces",
            "for beginners", "for sensitive skin", "for long trips", "for rainy days", "for everyday use"]
SORT_MODIFIERS = [("price_asc", "cheap"), ("price_asc", "affordable"), ("price_asc", "budget friendly"), ("price_asc", "inexpensive"),
                  ("price_desc", "high end"), ("price_desc", "premium"), ("price_desc", "the priciest"), ("price_desc", "the most expensive"),
                  ("rating_desc", "top rated"), ("rating_desc", "the best rated"), ("rating_desc", "highly rated"),
                  ("rating_desc", "the best selling"), ("rating_desc", "the most popular"), ("rating_desc", "best selling"),
                  ("rating_desc", "the best rated"), ("rating_desc", "the highest rated"), ("price_desc", "the priciest"),
                  ("price_asc", "the cheapest"), ("rating_desc", "the top rated")]
SORT_SUFFIXES = [("price_asc", "that isn't too expensive"), ("price_asc", "on a budget"), ("price_asc", "that won't break the bank"),
                 ("price_asc", "lowest price first"), ("price_desc", "priciest first"), ("rating_desc", "with the best reviews"),
                 ("rating_desc", "that people rate highly")]


def search(cat: Catalog, rng: random.Random) -> dict:
    category = rng.choice(list(cat.nouns))
    noun = rng.choice(EXTRA_NOUNS[category] if category in EXTRA_NOUNS and rng.random() < 0.08 else cat.nouns[category])
    q_words = []
    if cat.features.get(category) and rng.random() < 0.3:
        q_words.append(rng.choice(cat.features[category]))
    if rng.random() < 0.12:
        q_words.insert(0, rng.choice(["lightweight", "durable", "compact", "comfortable", "warm", "portable"]))
    after, said_noun = "", noun
    if category in MODIFIERS and rng.random() < 0.3:
        before, behind = MODIFIERS[category]
        if rng.random() < 0.55:
            q_words.insert(rng.randrange(len(q_words) + 1), rng.choice(before))
        else:
            after = rng.choice(behind)
    elif rng.random() < 0.12:
        after = rng.choice(PURPOSES)
    if noun in CATEGORY_ONLY:  # "kitchen stuff" names the category and nothing more
        noun = ""
    q = " ".join(w for w in [*q_words, noun, after] if w)
    slots: dict = {"query": q or None, "category": category}
    pieces_before, pieces_after = [], []
    said_q = " ".join(w for w in [*q_words, said_noun, after] if w)
    if rng.random() < 0.12:
        said_q = f"{rng.choice(QUERY_FILLERS)} {said_q}"
    if rng.random() < 0.3 and cat.colors:
        slots["color"] = rng.choice(cat.colors)
        pieces_before.append(slots["color"])
    if rng.random() < 0.3 and cat.brands.get(category) and q_words and " " not in said_q.split(" ", 1)[0] and rng.random() < 0.3:
        # "cordless Dyson vacuum": the brand inside the product words, not in the query
        slots["brand"] = rng.choice(cat.brands[category])
        first, rest = said_q.split(" ", 1) if " " in said_q else (said_q, "")
        said_q = f"{first} {slots['brand']} {rest}".strip()
    elif rng.random() < 0.3 and cat.brands.get(category):
        slots["brand"] = rng.choice(cat.brands[category])
        (pieces_before if rng.random() < 0.7 else pieces_after).append(slots["brand"] if pieces_before or rng.random() < 0.5 else f"from {slots['brand']}")
    if rng.random() < 0.5 and category in cat.sizes and rng.random() < 0.6:
        slots["size"] = rng.choice(cat.sizes[category])
        pieces_after.append(rng.choice(["size {}", "in size {}", "in a {}", "size {}"]).format(slots["size"]))
    r = rng.random()
    if r < 0.35:
        price = rng.choice([15, 20, 25, 30, 40, 50, 60, 75, 80, 90, 100, 120, 150, 200, 250, 300, 500, 1000, 1500])
        slots["price_max"] = float(price)
        pieces_after.append(rng.choice(["under {}", "below {}", "less than {}", "for under {}", "no more than {}", "max {}", "up to {}", "{} or less",
                                        "cheaper than {}", "budget {}", "my budget is {}", "budget's about {} max", "{} max", "{} tops",
                                        "nothing over {}"]).format(money(price, rng)))
    elif r < 0.46:
        lo = rng.choice([20, 30, 50, 100, 200, 300, 400])
        hi = lo + rng.choice([20, 50, 100, 200])
        slots["price_min"], slots["price_max"] = float(lo), float(hi)
        if rng.random() < 0.25:  # bare numbers: "200 to 400", "50-100"
            pieces_after.append(rng.choice([", {} to {}", "{}-{}", ", {} - {}", "budget {} to {}"]).format(lo, hi).lstrip(", "))
        else:
            pieces_after.append(rng.choice(["between {} and {}", "from {} to {}", "{} to {}", "in the {} to {} range"]).format(money(lo, rng), money(hi, rng)))
    elif r < 0.57:
        price = rng.choice([50, 80, 100, 150, 200, 300, 500, 1000])
        slots["price_min"] = float(price)
        pieces_after.append(rng.choice(["over {}", "above {}", "more than {}", "at least {}", "{} and up", "{} or more", "starting at {}"]).format(money(price, rng)))
    if rng.random() < 0.08:
        slots["in_stock"] = True
        pieces_after.append(rng.choice(["in stock", "that are in stock", "available now", "in stock only"]))
    if rng.random() < 0.1 and "sort" not in slots:
        sort, modifier = rng.choice(SORT_MODIFIERS)
        slots["sort"] = sort
        if modifier.startswith("the "):  # "the best rated blue gaming laptop", not "blue the best rated ..."
            pieces_before.insert(0, modifier)
        else:
            said_q = f"{modifier} {said_q}"
    elif rng.random() < 0.05:
        slots["sort"], phrase = rng.choice(SORT_SUFFIXES)
        pieces_after.append(phrase)
    elif rng.random() < 0.1:
        sort, phrase = rng.choice([("price_asc", "cheapest first"), ("price_asc", "sorted by price"), ("price_desc", "most expensive first"),
                                   ("rating_desc", "best rated"), ("rating_desc", "highest rated first"), ("rating_desc", "top rated")])
        slots["sort"] = sort
        pieces_after.append(phrase)
    opener = rng.choice(SEARCH_OPENERS)
    if (pieces_before or [said_q])[0].startswith("the ") and rng.random() < 0.4:  # "what's the best rated air fryer"
        opener = rng.choice(["what's ", "whats ", "which is ", "what are ", "show me "])
    text = opener + " ".join([*pieces_before, said_q, *pieces_after]) + rng.choice(SEARCH_CLOSERS)
    return ex(text, NONE, "search_products", rng, **slots)


#: how a shopper names a whole category ("stuff for my kitchen" -> c=kitchen, no query)
CATEGORY_WORDS = {
    "kitchen": ["kitchen stuff", "stuff for my kitchen", "kitchen things", "kitchenware"], "home": ["home stuff", "things for the house", "homeware"],
    "beauty": ["beauty", "beauty stuff", "skincare", "makeup"], "sports": ["sports stuff", "sports gear", "outdoor gear"],
    "electronics": ["electronics", "gadgets", "tech"], "groceries": ["groceries", "food", "pantry stuff"], "apparel": ["clothes", "clothing"],
    "toys": ["toys"], "shoes": ["shoes", "footwear"], "bags": ["bags"], "laptops": ["laptops"], "phones": ["phones"], "headphones": ["headphones"],
}
PRODUCT_CATEGORIES = {"toys", "shoes", "bags", "laptops", "phones", "headphones"}  # their word is also a product noun: kept as the query


def browse(cat: Catalog, rng: random.Random) -> dict:
    """A whole category or brand: "best sellers in beauty", "anything from lego over 100",
    "dyson". A word that only names the category or a brand's range is no query."""
    slots: dict = {}
    if rng.random() < 0.5:
        category = rng.choice(list(CATEGORY_WORDS))
        word = rng.choice(CATEGORY_WORDS[category])
        slots["category"] = category
        if category in PRODUCT_CATEGORIES:
            slots["query"] = word
        said = word
        template = rng.choice(["{w}", "show me {w}", "what {w} do you have", "browse {w}", "i want to see your {w}", "any {w} on sale",
                               "{w} please", "whats new in {w}"])
    else:
        owners = [c for c, bs in cat.brands.items()]
        category = rng.choice(owners)
        brand = rng.choice(cat.brands[category])
        slots["brand"] = brand
        if sum(brand in bs for bs in cat.brands.values()) == 1:
            slots["category"] = category
        said = brand if rng.random() < 0.6 else brand.lower()
        template = rng.choice(["{w}", "{w}?", "anything from {w}", "what {w} stuff do you have", "{w} products", "show me {w}",
                               "do you carry {w}", "got any {w}", "everything by {w}", "{w} range", "i love {w}, what do you have"])
    text = template.format(w=said)
    r = rng.random()
    if r < 0.25:
        sort, phrase = rng.choice([("rating_desc", "best sellers in {}"), ("rating_desc", "most popular {}"), ("rating_desc", "top rated {}"),
                                   ("price_asc", "cheapest {}"), ("price_desc", "most expensive {}"), ("rating_desc", "best selling {}")])
        slots["sort"] = sort
        text = phrase.format(said)
    elif r < 0.45:
        price = rng.choice([20, 25, 50, 100, 150, 200])
        if rng.random() < 0.5:
            slots["price_max"] = float(price)
            text += " " + rng.choice(["under {}", "below {}", "for less than {}", "max {}"]).format(money(price, rng))
        else:
            slots["price_min"] = float(price)
            text += " " + rng.choice(["over {}", "above {}", "more than {}", "{} and up"]).format(money(price, rng))
    elif r < 0.55:
        slots["in_stock"] = True
        text += " " + rng.choice(["in stock", "that's in stock", "available now"])
    return ex(text, NONE, "search_products", rng, **slots)


def not_carried(cat: Catalog, rng: random.Random) -> dict:
    thing = rng.choice(["lawn mowers", "car tyres", "a sofa", "pet food", "dog leashes", "garden hoses", "printer ink", "guitars",
                        "a mattress", "motor oil", "fishing rods", "a refrigerator", "paint", "light bulbs", "baby strollers", "wine"])
    text = rng.choice(["do you sell {}", "{}", "i need {}", "looking for {}", "do you have {}?", "show me {}"]).format(thing)
    query = thing.removeprefix("a ").strip()
    return ex(text, NONE, "search_products", rng, query=query)


def refine(cat: Catalog, rng: random.Random) -> dict:
    ctx, shown, category = shown_context(cat, rng)
    r = rng.random()
    if r < 0.17:
        text = rng.choice(["cheaper", "something cheaper", "anything cheaper?", "too expensive", "cheaper ones please", "less expensive", "a bit cheaper", "show me cheaper options", "those are too pricey"])
        return ex(text, ctx, "search_products", rng, relative_price="cheaper")
    if r < 0.22:
        text = rng.choice(["something more premium", "higher end", "more expensive ones", "something nicer, price is ok", "better quality ones"])
        return ex(text, ctx, "search_products", rng, relative_price="pricier")
    if r < 0.4:
        color = rng.choice(cat.colors)
        text = rng.choice(["in {}", "and in {}?", "do you have them in {}", "what about {}", "{} ones", "only {}", "any in {}?", "show me {} instead"]).format(color)
        return ex(text, ctx, "search_products", rng, color=color)
    if r < 0.52:
        price = rng.choice([30, 50, 60, 80, 100, 150, 200, 300])
        text = rng.choice(["under {} instead", "under {}", "what about under {}", "my budget is {}", "max {}", "nothing over {}", "keep it below {}"]).format(money(price, rng))
        return ex(text, ctx, "search_products", rng, price_max=float(price))
    if r < 0.62:
        target, phrase = rng.choice([("brand", "any brand is fine"), ("brand", "brand doesn't matter"), ("color", "any color is ok"),
                                     ("color", "colour doesn't matter"), ("size", "any size"), ("price", "forget the budget"),
                                     ("price", "price is no object"), ("brand", "i don't care about the brand")])
        clear = ["price_min", "price_max"] if target == "price" else [target]
        return ex(phrase, ctx, "search_products", rng, clear=clear)
    if r < 0.72 and cat.brands.get(category):
        brand = rng.choice(cat.brands[category])
        text = rng.choice(["from {}", "only {}", "what about {}?", "any {} ones", "i prefer {}", "show me {} instead"]).format(brand)
        return ex(text, ctx, "search_products", rng, brand=brand)
    if r < 0.8 and category in cat.sizes:
        size = rng.choice(cat.sizes[category])
        text = rng.choice(["size {}", "in size {}", "do you have it in a {}", "i need a {}", "{} please"]).format(size)
        return ex(text, ctx, "search_products", rng, size=size)
    if r < 0.87:
        sort, text = rng.choice([("price_asc", "sort by price"), ("price_asc", "cheapest first"), ("rating_desc", "which ones have the best reviews"),
                                 ("rating_desc", "sort by rating"), ("price_desc", "most expensive first")])
        return ex(text, ctx, "search_products", rng, sort=sort)
    if r < 0.92:
        text = rng.choice(["only the ones in stock", "in stock only", "which are available now", "hide the sold out ones"])
        return ex(text, ctx, "search_products", rng, in_stock=True)
    feature = rng.choice(cat.features.get(category) or ["lightweight"])
    text = rng.choice(["{} ones?", "any {} ones", "i need {}", "only {}", "what about {} ones"]).format(feature)
    return ex(text, ctx, "search_products", rng, query=feature)


ORDINALS = {1: ["first", "1st"], 2: ["second", "2nd"], 3: ["third", "3rd"], 4: ["fourth", "4th"], 5: ["fifth", "5th"]}


def model_name(product: Product) -> str:
    """The product's model words as a shopper says them: the title after the brand, up to
    the first generic word ("Sony WH-1000XM5 Wireless ..." -> "wh-1000xm5")."""
    words = product.title.split()
    if product.brand and product.title.lower().startswith(product.brand.lower()):
        words = words[len(product.brand.split()):]
    kept = []
    for word in words:
        w = word.strip(",-").lower()
        if not w or w in _GENERIC or (kept and any(ch.isdigit() for ch in w) and len(kept) >= 2):
            break
        kept.append(w)
        if len(kept) == 2:
            break
    return " ".join(kept)


_GENERIC = {"wireless", "noise", "running", "men's", "women's", "kids'", "lightweight", "in", "with", "for", "-", "and", "the", "unlocked",
            "tablet", "laptop", "phone", "headphones", "earbuds", "shoes", "charger", "backpack", "jacket"}


def _ref(shown: list[Product], rng: random.Random) -> tuple[str, str]:
    """(phrase, canonical ref) for one of the products shown."""
    r = rng.random()
    if r < 0.12:
        product = rng.choice(shown)
        name = model_name(product)
        if name:
            spoken = rng.choice([name, f"{product.brand.lower()} {name}"])
            return rng.choice(["the {}", "the {} one", "{}"]).format(spoken), spoken
    if r < 0.55:
        n = rng.randrange(1, len(shown) + 1)
        return f"the {rng.choice(ORDINALS[n])} one", str(n)
    if r < 0.7:
        return rng.choice(["the last one", "the last"]), "-1"
    if r < 0.9:
        product = rng.choice(shown)
        brands = [p.brand for p in shown]
        if brands.count(product.brand) == 1:
            return f"the {product.brand} one", product.brand.lower()
    return rng.choice(["it", "that one", "this one"]), "it"


def product_question(cat: Catalog, rng: random.Random) -> dict:
    ctx, shown, _ = shown_context(cat, rng)
    phrase, ref = _ref(shown, rng)
    key = pick_attribute(cat, rng)
    words = rng.choice(cat.attributes[key])
    if key == "description":
        text = rng.choice(["tell me more about {r}", "more details on {r}", "what can you tell me about {r}", "{r}, tell me more", "describe {r}"]).format(r=phrase)
    else:
        text = rng.choice(["what's the {w} of {r}", "{r}: {w}?", "how about the {w} on {r}", "does {r} have {w}",
                           "what is the {w} like on {r}", "{w} of {r}?", "and the {w} for {r}"]).format(w=words, r=phrase)
    return ex(text, ctx, "product_question", rng, product_refs=[ref], attribute=key)


def compare(cat: Catalog, rng: random.Random) -> dict:
    ctx, shown, _ = shown_context(cat, rng)
    r = rng.random()
    if r < 0.3:
        text = rng.choice(["compare them", "compare all of them", "how do they compare", "which one is best", "compare these", "side by side please"])
        return ex(text, ctx, "compare_products", rng, product_refs=["all"])
    if r < 0.5 and len(shown) >= 2:
        if rng.random() < 0.3:
            text = rng.choice(["whats the difference between the first and the last", "first vs last", "compare the first one and the last one",
                               "the first or the last, which is better"])
            return ex(text, ctx, "compare_products", rng, product_refs=["1", "-1"])
        text = rng.choice(["compare the first two", "first two side by side", "compare 1 and 2", "the first and second, which is better"])
        return ex(text, ctx, "compare_products", rng, product_refs=["1", "2"])
    a, ra = _ref(shown, rng)
    b, rb = _ref(shown, rng)
    if ra == rb or "it" in (ra, rb):
        return ex("compare them", ctx, "compare_products", rng, product_refs=["all"])
    text = rng.choice(["compare {a} and {b}", "{a} vs {b}", "which is better, {a} or {b}?", "difference between {a} and {b}",
                       "how does {a} compare to {b}"]).format(a=a.removeprefix("the "), b=b)
    return ex(text, ctx, "compare_products", rng, product_refs=[ra, rb])


def named_products(cat: Catalog, rng: random.Random) -> dict:
    """Questions and comparisons naming catalog products, with nothing on screen."""
    category = rng.choice([c for c in cat.titles if len(cat.titles[c]) >= 2])
    a, b = rng.sample(cat.titles[category], 2)
    name_a = rng.choice([f"{a.brand.lower()} {model_name(a)}".strip(), a.brand.lower()])
    name_b = rng.choice([f"{b.brand.lower()} {model_name(b)}".strip(), b.brand.lower()])
    if rng.random() < 0.5 and name_a != name_b:
        text = rng.choice(["{a} or {b}, which is better", "which is better {a} or {b}", "{a} vs {b}", "compare the {a} with the {b}",
                           "should i get the {a} or the {b}", "{a} or {b} for everyday use", "difference between {a} and {b}?"]).format(a=name_a, b=name_b)
        return ex(text, NONE, "compare_products", rng, product_refs=[name_a, name_b])
    features = [k for k in FEATURES if a.attributes.get(k) is not None]
    if features and rng.random() < 0.3:  # "is the kitchenaid artisan dishwasher safe": the feature is not part of the name
        key = rng.choice(features)
        text = rng.choice(["is the {a} {w}", "is the {a} {w}?", "the {a}, is it {w}", "{a} {w} or not"]).format(a=name_a, w=rng.choice(FEATURES[key]))
        return ex(text, NONE, "product_question", rng, product_refs=[name_a], attribute=key)
    key = pick_attribute(cat, rng)
    words = rng.choice(cat.attributes[key])
    if key == "description":
        text = rng.choice(["tell me about the {a}", "what's the {a} like", "is the {a} any good"]).format(a=name_a)
    else:
        text = rng.choice(["what's the {w} of the {a}", "does the {a} have {w}", "{w} on the {a}?", "how is the {w} on the {a}"]).format(w=words, a=name_a)
    return ex(text, NONE, "product_question", rng, product_refs=[name_a], attribute=key)


def _order_id(rng: random.Random) -> tuple[str, str]:
    n = rng.randrange(100001, 100051)
    return rng.choice([f"NW-{n}", f"nw-{n}", f"NW{n}", f"nw {n}", f"NW-{n}"]), f"NW-{n}"


def _email(rng: random.Random) -> str:
    first = rng.choice(["mia", "noah", "ava", "liam", "emma", "lucas", "sofia", "theo", "nora", "omar"])
    last = rng.choice(["reyes", "nguyen", "chen", "patel", "smith", "foster", "clark", "singh", "morgan", "tanaka"])
    return f"{first}.{last}@{rng.choice(['example.com', 'mail.com', 'example.org'])}"


def spoken_email(email: str, rng: random.Random) -> str:
    """How an email comes out of speech recognition: 'mia dot reyes at example dot com'."""
    local, domain = email.split("@")
    # speech recognition often drops the "dot" between two names: "mia reyes at example dot com"
    joiner = " " if rng.random() < 0.3 else " dot "
    return f"{local.replace('.', joiner)} at {domain.replace('.', ' dot ')}"


def order(cat: Catalog, rng: random.Random) -> dict:
    written, oid = _order_id(rng)
    email = _email(rng)
    r = rng.random()
    if r < 0.08:
        ctx = DialogueContext(pending_order_id=oid, last_intent="order_status")
        text = rng.choice(["{e}", "it's {e}", "my email is {e}", "the email is {e}"]).format(e=spoken_email(email, rng))
        return ex(text, ctx, "order_status", rng, noise=False, order_id=oid, email=email)
    if r < 0.35:
        text = rng.choice(["where is my order {o}", "status of order {o}", "has {o} shipped yet", "track order {o}", "any update on {o}?",
                           "when will order {o} arrive", "my order {o} hasn't arrived"]).format(o=written)
        return ex(text, NONE, "order_status", rng, order_id=oid)
    if r < 0.65:
        text = rng.choice(["order {o}, email {e}", "where's my package? order {o} and my email is {e}", "check order {o} for {e}",
                           "{o} {e} where is it", "status for {o}, it's under {e}"]).format(o=written, e=email)
        return ex(text, NONE, "order_status", rng, order_id=oid, email=email)
    if r < 0.85:
        ctx = DialogueContext(pending_order_id=oid, last_intent="order_status")
        text = rng.choice(["{e}", "it's {e}", "my email is {e}", "sure, {e}", "email: {e}"]).format(e=email)
        return ex(text, ctx, "order_status", rng, noise=False, order_id=oid, email=email)
    text = rng.choice(["where is my order", "has my package shipped?", "i want to track my delivery", "when will my stuff arrive",
                       "my order still hasn't come", "what's the status of my order"])
    return ex(text, NONE, "order_status", rng)


def return_request(cat: Catalog, rng: random.Random) -> dict:
    written, oid = _order_id(rng)
    r = rng.random()
    if r < 0.5:
        text = rng.choice(["i want to return order {o}", "return {o} please", "start a return for {o}", "i need to send back order {o}",
                           "refund for order {o}", "the shoes from {o} don't fit, i want to return them"]).format(o=written)
        return ex(text, NONE, "return_request", rng, order_id=oid)
    if r < 0.7:
        email = _email(rng)
        text = f"i'd like to return order {written}, my email is {email}"
        return ex(text, NONE, "return_request", rng, order_id=oid, email=email)
    text = rng.choice(["i want to return something", "i'd like a refund for my order", "how do i return my order? it arrived broken",
                       "i need to send my purchase back", "can i return the jacket i bought", "my package came damaged",
                       "you sent me the wrong size", "the item i received is wrong", "the headphones i got are faulty, i want my money back",
                       "it doesn't fit, how do i send it back", "i'd like to exchange my order", "the box arrived crushed and the mug is broken",
                       "i changed my mind about my purchase", "start a return", "i received a damaged blender"])
    return ex(text, NONE, "return_request", rng)


POLICY_QUESTIONS = {
    "shipping": ["how much is shipping", "do you ship to canada", "how long does delivery take", "is shipping free", "shipping costs?",
                 "do you offer express delivery", "when will it ship if i order today"],
    "returns": ["what's your return policy", "how long do i have to return something", "can i return opened earbuds", "are returns free",
                "how do refunds work", "return window?", "can i exchange for a different size"],
    "warranty": ["what's the warranty on headphones", "is there a warranty", "how long is the guarantee on laptops", "does the warranty cover drops",
                 "warranty info please", "what if it breaks after a year"],
    "payment": ["do you take paypal", "can i pay with apple pay", "what payment methods do you accept", "do you offer klarna",
                "can i pay in installments", "when is my card charged"],
    "privacy": ["what do you do with my data", "do you sell my personal information", "how do i delete my account", "privacy policy?",
                "how long do you keep chat logs"],
    "contact": ["what's your phone number", "what are your opening hours", "how can i contact support", "where is your store",
                "are you open on sunday", "customer service email?"],
}
#: more policy phrasings, appended to the lists above
POLICY_MORE = {
    "shipping": ["do you deliver internationally", "how much does next day delivery cost", "can you ship to a p.o. box", "what carriers do you use",
                 "is there a minimum order for free shipping", "how fast is standard shipping", "do you ship on weekends",
                 "what does express cost", "can i pick it up in store", "how long until it gets here", "do you deliver to alaska",
                 "shipping to the uk?", "what if my package gets lost", "free delivery over what amount"],
    "returns": ["can i get my money back", "how many days do i have to send it back", "do i pay for return shipping",
                "can i return a sale item", "when will i get my refund", "can i swap it for another colour", "is there a restocking fee",
                "return policy for electronics?", "can i return without a receipt", "what can't be returned"],
    "warranty": ["what does the warranty cover", "do you sell extended protection plans", "how do i make a warranty claim",
                 "is accidental damage covered", "my blender stopped working after 8 months, is that covered", "how long is the warranty",
                 "manufacturer warranty or yours?", "are batteries covered by the warranty"],
    "payment": ["do you accept amex", "can i use a gift card", "is it safe to pay with my card here", "do you take google pay",
                "buy now pay later?", "do you accept cash on delivery", "which cards do you take", "can i split the payment"],
    "privacy": ["do you share my data with third parties", "can i see what data you have on me", "do you use cookies",
                "are my payment details stored", "is this chat recorded", "how do i opt out of marketing emails", "gdpr request"],
    "contact": ["how do i reach you by phone", "when is customer service open", "do you have a live chat on weekends", "what's your address",
                "is there an email for complaints", "what time do you close today", "are you open on holidays", "how can i get in touch"],
}
for _topic, _more in POLICY_MORE.items():
    POLICY_QUESTIONS[_topic] = POLICY_QUESTIONS[_topic] + _more


def policy(cat: Catalog, rng: random.Random) -> dict:
    topic = rng.choice(list(POLICY_QUESTIONS))
    text = rng.choice(POLICY_QUESTIONS[topic])
    return ex(text, NONE if rng.random() < 0.8 else shown_context(cat, rng)[0], "policy_question", rng, policy_topic=topic)


def human(cat: Catalog, rng: random.Random) -> dict:
    r = rng.random()
    if r < 0.6:
        text = rng.choice(["talk to a human", "i want to speak to a real person", "agent please", "can i talk to customer service",
                           "connect me with a representative", "get me a person", "is there a human i can talk to", "live agent",
                           "transfer me to an agent", "i'd rather talk to someone", "can a person help me instead", "speak to a manager",
                           "is anyone real there", "human please", "pass me to a staff member", "i need to talk to support staff",
                           "can someone from your team call me", "escalate this please", "representative", "operator"])
        return ex(text, NONE, "human_agent", rng)
    text = rng.choice(["this is useless, get me a human", "you're not helping at all, i want a real person", "ugh this bot is terrible. agent!",
                       "forget it, let me talk to someone real", "this is so frustrating, connect me to support"])
    return ex(text, NONE, "human_agent", rng, frustrated=True)


def greeting(cat: Catalog, rng: random.Random) -> dict:
    text = rng.choice(["hi", "hello", "hey there", "good morning", "hi! what can you do?", "hello, anyone there?", "hey", "good evening",
                       "hiya", "greetings", "hi, how does this work?", "good afternoon", "yo", "howdy", "hello, what can you help with",
                       "hi there", "hey, what do you do", "evening", "hello! who am i talking to", "hi, can you help me?", "heya",
                       "what can i ask you", "hey bot"])
    return ex(text, NONE, "greeting", rng)


OUT_OF_SCOPE = [
    "what's the weather tomorrow", "will it rain this weekend", "transfer $200 to my savings account", "what's my bank balance",
    "book a flight to paris", "find me a hotel in rome", "tell me a joke", "write me a poem about shoes", "write a python function to sort a list",
    "fix my javascript code", "what's 17 times 23", "solve x squared minus 4 equals 0", "who won the game last night", "latest news today",
    "how do i make lasagna", "recipe for banana bread", "translate hello into spanish", "what's the capital of australia",
    "are you a robot", "what's your name", "do you have feelings", "what is the meaning of life", "i have a headache what should i take",
    "is this mole cancer", "can i sue my landlord", "what's the stock price of apple", "should i invest in bitcoin",
    "how do i change a tire", "play some music", "set an alarm for 7am", "call my mom", "what time is it in tokyo",
    "help me write a cover letter", "summarize this article", "who is the president", "how tall is mount everest",
    "recommend a good movie", "what should i name my dog", "explain quantum physics", "how do i lose weight fast",
    "order me a pizza", "book a table for two tonight", "what's the best car to buy", "rent me an apartment",
]


OOS_TEMPLATES = [
    ("what's the weather in {}", ["london", "new york", "berlin", "my area", "chicago", "madrid"]),
    ("book me a {}", ["flight to berlin", "train to boston", "hotel for friday", "taxi", "rental car", "dentist appointment", "haircut"]),
    ("how do i {}", ["bake sourdough", "fix a leaky tap", "file my taxes", "learn guitar", "reset my router", "get a passport",
                     "cook rice", "tie a tie", "unclog a drain", "open a bank account", "train my puppy"]),
    ("can you {}", ["do my homework", "write an essay on climate change", "debug this sql query", "translate this letter into french",
                    "send an email to my boss", "remind me to call the doctor", "check my credit score", "sing a song",
                    "give me directions to the airport", "predict the lottery numbers", "draw a cat"]),
    ("who {}", ["won the world cup", "wrote hamlet", "invented the telephone", "is the best footballer ever", "painted the mona lisa"]),
    ("what is {}", ["the square root of 144", "the population of canada", "photosynthesis", "inflation", "a black hole",
                    "the best diet", "the speed of light", "the exchange rate for euros", "my horoscope today"]),
    ("tell me {}", ["a story", "a fun fact", "something interesting", "about the roman empire", "the latest football scores", "a riddle"]),
    ("i need help with {}", ["my mortgage", "my visa application", "my math homework", "a breakup", "my car insurance", "my resume"]),
]


def out_of_scope(cat: Catalog, rng: random.Random) -> dict:
    if rng.random() < 0.45:
        template, fillers = rng.choice(OOS_TEMPLATES)
        text = template.format(rng.choice(fillers))
    else:
        text = rng.choice(OUT_OF_SCOPE)
    if rng.random() < 0.3:
        text = rng.choice(["hey can you ", "quick question, ", "please ", "can you help me: "]) + text
    ctx = NONE if rng.random() < 0.8 else shown_context(cat, rng)[0]
    return ex(text, ctx, "out_of_scope", rng)


# -- families aimed at what the first adapter got wrong (written fresh, never from dev.jsonl) --

LEADS = ["", "", "", "actually ", "ok ", "hmm ", "and ", "now ", "right, ", "oh and ", "wait, ", "fine, "]


def spoken_size(size: str, rng: random.Random) -> str:
    """'9.5' -> 'nine and a half', '11' -> 'eleven' (as a shopper says a shoe size)."""
    try:
        value = float(size)
    except ValueError:
        return {"S": "small", "M": "medium", "L": "large", "XL": "extra large", "XS": "extra small", "XXL": "double xl"}.get(size, size)
    whole = number_words(int(value), rng)
    return f"{whole} and a half" if value != int(value) else whole


def refine_more(cat: Catalog, rng: random.Random) -> dict:
    """Follow-ups with products on screen: sizes in words, two constraints at once, a new
    product type, sort and stock wording, lead-in words."""
    ctx, shown, category = shown_context(cat, rng)
    lead = rng.choice(LEADS)
    r = rng.random()
    if r < 0.2 and category in cat.sizes:
        size = rng.choice(cat.sizes[category])
        said = spoken_size(size, rng) if rng.random() < 0.7 else size
        text = rng.choice(["in a {}", "what about a {}", "got them in {}?", "i'm a {}", "have these in {}?", "do they come in a {}",
                           "{} for me", "my size is {}", "need it in {}"]).format(said)
        return ex(lead + text, ctx, "search_products", rng, size=size)
    if r < 0.4:
        price = rng.choice([40, 50, 70, 80, 100, 120, 200])
        color = rng.choice(cat.colors)
        slots = {"price_max": float(price), "color": color}
        text = rng.choice(["{p} max and {c}", "in {c}, under {p}", "under {p} and in {c}", "{c} ones below {p}", "something {c} for less than {p}"]).format(
            p=money(price, rng), c=color)
        if rng.random() < 0.3:
            text = rng.choice(["cheaper, ", "too pricey, ", "less expensive, "]) + rng.choice(["under {}", "like below {}", "max {}"]).format(money(price, rng))
            slots = {"price_max": float(price)}
        return ex(lead + text, ctx, "search_products", rng, **slots)
    if r < 0.55:
        other = rng.choice([c for c in cat.nouns if c != category])
        noun = rng.choice(cat.nouns[other])
        text = rng.choice(["{n} instead", "show me {n} now", "let's look at {n}", "switch to {n}", "what about {n}?", "i also need {n}",
                           "can you show me {n} too"]).format(n=noun)
        return ex(lead + text, ctx, "search_products", rng, query=noun, category=other)
    if r < 0.7:
        sort, text = rng.choice([("price_asc", "lowest price first"), ("price_asc", "cheapest on top"), ("price_asc", "order them by price"),
                                 ("price_desc", "priciest first"), ("price_desc", "most expensive on top"), ("rating_desc", "best reviewed first"),
                                 ("rating_desc", "sort them by stars"), ("rating_desc", "highest rating first")])
        return ex(lead + text, ctx, "search_products", rng, sort=sort)
    if r < 0.8:
        text = rng.choice(["only ones i can get now", "just what's in stock", "ones you actually have", "available ones only", "can you hide what's sold out"])
        return ex(lead + text, ctx, "search_products", rng, in_stock=True)
    target, phrase = rng.choice([("price", "drop the price limit"), ("price", "budget doesn't matter anymore"), ("price", "ignore the price"),
                                 ("brand", "any make is fine"), ("brand", "forget the brand"), ("color", "the colour isn't important"),
                                 ("color", "any colour works"), ("size", "size doesn't matter")])
    clear = ["price_min", "price_max"] if target == "price" else [target]
    return ex(lead + phrase, ctx, "search_products", rng, clear=clear)


def _brand_ref(shown: list[Product], rng: random.Random) -> tuple[str, str] | None:
    brands = [p.brand for p in shown]
    product = rng.choice(shown)
    if brands.count(product.brand) != 1:
        return None
    name = product.brand.lower()
    return rng.choice(["the {}", "the {} one", "the {} ones", "the {} pair", "{}"]).format(name), name


def _said_attribute(cat: Catalog, key: str, rng: random.Random) -> str:
    """A noun-like phrase for an attribute ("battery life", not "how long does it last")."""
    phrases = [p for p in cat.attributes[key] if not p.split()[0] in ("how", "what", "is", "does", "do", "suitable", "fit", "for", "last", "on", "single")]
    return rng.choice(phrases or cat.attributes[key])


def question_more(cat: Catalog, rng: random.Random) -> dict:
    """Product questions with products on screen: a bare reference, brand-only names,
    'they'/'these' for all of them, attributes said as a verb, two products at once."""
    ctx, shown, _ = shown_context(cat, rng)
    r = rng.random()
    ref = _brand_ref(shown, rng) if rng.random() < 0.5 else None
    phrase, canon = ref or _ref(shown, rng)
    if r < 0.2:
        text = rng.choice(["{r}", "what about {r}", "{r}?", "and {r}", "tell me about {r}", "ok {r}", "i like {r}"]).format(r=phrase)
        if text.startswith("tell me"):
            return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute="description")
        return ex(text, ctx, "product_question", rng, product_refs=[canon])
    if r < 0.4:
        key, text = rng.choice([
            ("color", "what colours does {r} come in"), ("color", "is {r} available in other colours"), ("size", "what sizes does {r} come in"),
            ("material", "what is {r} made of"), ("price", "how much is {r}"), ("price", "what does {r} cost"), ("stock", "is {r} in stock"),
            ("stock", "can i get {r} today"), ("rating", "how is {r} rated"), ("description", "is {r} good for running"),
            ("description", "would {r} suit a beginner"), ("brand", "who makes {r}"), ("weight_kg", "how heavy is {r}"),
            ("wireless", "does {r} work with bluetooth"), ("waterproof", "can {r} get wet"),
            ("battery_life_hours", "how many hours does {r} last"), ("battery_life_hours", "how long will {r} run on one charge"),
            ("battery_life_hours", "hours of battery on {r}?"), ("gender", "is {r} for women"), ("gender", "is {r} a men's shoe"),
            ("gender", "are {r} unisex"), ("cushioning", "how much cushioning does {r} have"), ("cushioning", "is {r} well cushioned"),
            ("weight_kg", "what does {r} weigh"), ("rating", "do people like {r}"), ("rating", "is {r} any good")])
        if key not in cat.attributes:
            key, text = "price", "how much is {r}"
        return ex(text.format(r=phrase), ctx, "product_question", rng, product_refs=[canon], attribute=key)
    if r < 0.6:
        key = pick_attribute(cat, rng, exclude=("description", "brand"))
        words = _said_attribute(cat, key, rng)
        text = rng.choice(["are they {w}", "what about {w} on these", "do these have {w}", "how's the {w} on them", "{w} on all of them?",
                           "do they all have {w}", "what's their {w}"]).format(w=words)
        return ex(text, ctx, "product_question", rng, product_refs=["all"], attribute=key)
    if r < 0.75 and len(shown) >= 2:
        a, b = rng.sample(range(1, len(shown) + 1), 2)
        key = pick_attribute(cat, rng, exclude=("description",))
        words = _said_attribute(cat, key, rng)
        refs = [str(a), str(b)]
        said_a, said_b = ORDINALS[a][0], ORDINALS[b][0]
        brands = [p.brand for p in shown]
        if rng.random() < 0.4 and brands.count(shown[a - 1].brand) == 1 and brands.count(shown[b - 1].brand) == 1:
            said_a, said_b = shown[a - 1].brand.lower(), shown[b - 1].brand.lower()
            refs = [said_a, said_b]
        elif rng.random() < 0.2:
            said_b, refs = "last", [str(a), "-1"]
        text = rng.choice(["are both the {a} and the {b} one {w}", "do the {a} and {b} ones have {w}", "{w} on the {a} and the {b}?",
                           "are the {a} and the {b} both {w}", "is either the {a} or the {b} {w}"]).format(a=said_a, b=said_b, w=words)
        return ex(text, ctx, "product_question", rng, product_refs=refs, attribute=key)
    key = pick_attribute(cat, rng)
    words = _said_attribute(cat, key, rng)
    text = rng.choice(["so {r}, what's the {w}", "{r} - {w}?", "quick one, {w} of {r}", "what's {r}'s {w}", "hmm and {w} for {r}"]).format(r=phrase, w=words)
    return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute=key)


COMPARE_PURPOSES = ["for commuting", "for school", "for a beginner", "for long trips", "for the money", "for everyday use", "for running",
                    "for my kid", "for work", "for travel", "overall", "in your opinion"]


def compare_more(cat: Catalog, rng: random.Random) -> dict:
    """Comparisons: model names with words after them, 'as good as', 'which has the most X'."""
    r = rng.random()
    if r < 0.45:
        category = rng.choice([c for c in cat.titles if len(cat.titles[c]) >= 2])
        a, b = rng.sample(cat.titles[category], 2)
        name_a = f"{a.brand.lower()} {model_name(a)}".strip()
        name_b = f"{b.brand.lower()} {model_name(b)}".strip()
        if name_a == name_b:
            name_a, name_b = a.brand.lower(), b.brand.lower()
        if name_a == name_b:
            return compare(cat, rng)
        text = rng.choice(["{a} vs {b} {p}", "{a} or {b} {p}", "{a} versus {b}, {p}", "{a} or the {b}? {p}", "which is better {p}, {a} or {b}"]).format(
            a=name_a, b=name_b, p=rng.choice(COMPARE_PURPOSES))
        return ex(text, NONE, "compare_products", rng, product_refs=[name_a, name_b])
    ctx, shown, _ = shown_context(cat, rng)
    if r < 0.65:
        key = pick_attribute(cat, rng, exclude=("description", "brand", "stock"))
        words = _said_attribute(cat, key, rng)
        text = rng.choice(["which has the best {w}", "which one has the most {w}", "which of these has better {w}", "who wins on {w}",
                           "rank them by {w}"]).format(w=words)
        return ex(text, ctx, "compare_products", rng, product_refs=["all"], attribute=key)
    a, ra = _brand_ref(shown, rng) or _ref(shown, rng)
    b, rb = _brand_ref(shown, rng) or _ref(shown, rng)
    if ra == rb or "it" in (ra, rb):
        text = rng.choice(["the first two, which one should i pick", "between the first two, which is better", "1 or 2?", "1st or 2nd, which would you get"])
        return ex(text, ctx, "compare_products", rng, product_refs=["1", "2"])
    if r < 0.8:
        key = pick_attribute(cat, rng, exclude=("description", "brand", "stock"))
        words = _said_attribute(cat, key, rng)
        text = rng.choice(["is {a} as good as {b} for {w}", "does {a} beat {b} on {w}", "{a} or {b}, which has better {w}"]).format(
            a=a.removeprefix("the "), b=b, w=words)
        return ex(text, ctx, "compare_products", rng, product_refs=[ra, rb], attribute=key)
    text = rng.choice(["put {a} and {b} next to each other", "{a} against {b}", "show {a} and {b} side by side", "weigh up {a} vs {b} for me",
                       "is {a} better than {b}"]).format(a=a.removeprefix("the "), b=b)
    return ex(text, ctx, "compare_products", rng, product_refs=[ra, rb])


def order_more(cat: Catalog, rng: random.Random) -> dict:
    """Order status: the email inside a sentence after the assistant asked for it (typed or
    spoken), vague delivery worries, a bare order number."""
    written, oid = _order_id(rng)
    email = _email(rng)
    r = rng.random()
    if r < 0.4:
        ctx = DialogueContext(pending_order_id=oid, last_intent="order_status")
        said = spoken_email(email, rng) if rng.random() < 0.4 else email
        text = rng.choice(["i think it's {e}", "should be {e}", "try {e}", "i used {e} when i ordered", "it was {e} i believe",
                           "{e} is the one i used", "ok it's {e}", "um {e}", "the email on it is {e}", "i probably used {e}",
                           "it's under {e}"]).format(e=said)
        return ex(text, ctx, "order_status", rng, noise=False, order_id=oid, email=email)
    if r < 0.55:
        return ex(written, NONE, "order_status", rng, noise=False, order_id=oid)
    if r < 0.75:
        text = rng.choice(["anything on order {o}?", "what's going on with {o}", "{o} is late", "is {o} on its way", "when does {o} get here",
                           "tracking for {o}"]).format(o=written)
        return ex(text, NONE, "order_status", rng, order_id=oid)
    text = rng.choice(["my parcel is late", "it's been ten days and nothing has arrived", "i still haven't received my stuff",
                       "haven't heard anything since i ordered", "is my delivery coming today", "the package should've been here by now",
                       "where's my delivery at", "did my order ship", "no sign of my order yet", "my delivery is overdue"])
    return ex(text, NONE, "order_status", rng)


DEFECTS = ["arrived broken", "came with a crack", "is scratched", "stopped working after a day", "was missing parts", "arrived damaged",
           "doesn't turn on", "is the wrong colour", "is too small"]


def return_more(cat: Catalog, rng: random.Random) -> dict:
    """Returns: a complaint plus a refund, a product on screen, cancel-and-refund with an id."""
    written, oid = _order_id(rng)
    r = rng.random()
    if r < 0.35:
        category = rng.choice(list(cat.nouns))
        noun = rng.choice(cat.nouns[category])
        text = rng.choice(["the {n} {d}, i want a refund", "refund me please, my {n} {d}", "my {n} {d}. how do i send it back",
                           "i want my money back, the {n} {d}", "the {n} i got {d}, can i return it"]).format(n=noun, d=rng.choice(DEFECTS))
        return ex(text, NONE, "return_request", rng)
    if r < 0.6:
        ctx, shown, _ = shown_context(cat, rng)
        phrase, canon = _brand_ref(shown, rng) or _ref(shown, rng)
        text = rng.choice(["i bought {r} a while ago and want to return it", "i already have {r} and it {d}, i want to send it back",
                           "i'd like to return {r} i ordered", "can you start a return for {r}"]).format(r=phrase, d=rng.choice(DEFECTS))
        return ex(text, ctx, "return_request", rng, product_refs=[canon])
    text = rng.choice(["cancel {o} and give me a refund", "please cancel order {o} and refund me", "i want to cancel and return {o}",
                       "refund {o}, it never worked", "send back {o} please"]).format(o=written)
    return ex(text, NONE, "return_request", rng, order_id=oid)


POLICY_WITH_PRODUCTS = {
    "shipping": ["how quickly can these be delivered", "when would {r} arrive if i order now", "do you ship these abroad",
                 "how much to deliver {r}", "can {r} be here by friday"],
    "returns": ["can i return these if they don't fit", "if i try {r} on can i still send it back", "what if i don't like {r}, can i return it",
                "once opened can these be returned", "is {r} returnable"],
    "warranty": ["do these have a warranty", "is {r} covered by a guarantee", "what if {r} breaks", "how long is the guarantee on {r}",
                 "what happens if it stops working in a few months"],
    "payment": ["can i pay for {r} in instalments", "do you take paypal for these", "any discount codes for {r}"],
}
#: policy questions with a number in them that is no price filter ("free delivery if i spend over 50")
POLICY_WITH_NUMBERS = {
    "shipping": ["is shipping free on orders over {p}", "do i get free delivery if i spend {p}", "how much is delivery on a {p} order",
                 "if i spend over {p} is postage free", "whats the minimum for free shipping, is it {p}"],
    "returns": ["can i return something i paid {p} for", "i spent {p}, do i get the full refund if i return it",
                "do you refund the whole {p} or keep a fee"],
    "payment": ["can i split a {p} purchase into instalments", "is there a limit for paypal, my order is {p}", "do you give a discount over {p}"],
    "warranty": ["is a {p} blender covered by the warranty", "does the warranty cover items under {p}"],
}
POLICY_EXTRA = {
    "payment": ["i was charged two times", "why did my card get declined", "do students get a discount", "any promo codes right now",
                "can i pay with a voucher", "i see a double charge on my statement"],
    "privacy": ["unsubscribe me from the newsletter", "please stop emailing me offers", "delete everything you have on me",
                "who can see my order history", "take me off your mailing list"],
    "warranty": ["my kettle died after 5 months, what now", "what if my headphones break next year", "is wear and tear covered"],
    "returns": ["what's the deadline for sending stuff back", "do you refund the original shipping", "can i return a gift"],
    "contact": ["is there a phone line", "can i email you", "what's the best way to reach you"],
}


def policy_more(cat: Catalog, rng: random.Random) -> dict:
    if rng.random() < 0.2:
        topic = rng.choice(list(POLICY_WITH_NUMBERS))
        text = rng.choice(POLICY_WITH_NUMBERS[topic]).format(p=money(rng.choice([35, 50, 75, 100, 200]), rng))
        return ex(text, NONE, "policy_question", rng, policy_topic=topic)
    if rng.random() < 0.55:
        ctx, shown, _ = shown_context(cat, rng)
        topic = rng.choice(list(POLICY_WITH_PRODUCTS))
        phrase, _canon = _brand_ref(shown, rng) or _ref(shown, rng)
        text = rng.choice(POLICY_WITH_PRODUCTS[topic]).format(r=phrase)
        return ex(text, ctx, "policy_question", rng, policy_topic=topic)
    topic = rng.choice(list(POLICY_EXTRA))
    return ex(rng.choice(POLICY_EXTRA[topic]), NONE, "policy_question", rng, policy_topic=topic)


def human_more(cat: Catalog, rng: random.Random) -> dict:
    ctx = shown_context(cat, rng)[0] if rng.random() < 0.5 else NONE
    r = rng.random()
    if r < 0.3:
        written, oid = _order_id(rng)
        text = rng.choice(["can a real person look at order {o}", "i want to talk to someone about {o}", "get me an agent for order {o}",
                           "i need a human to sort out {o}"]).format(o=written)
        return ex(text, NONE, "human_agent", rng, order_id=oid)
    if r < 0.65:
        text = rng.choice(["i want to make a complaint", "i'd like to lodge a formal complaint", "how do i complain to a manager",
                           "i want to raise a complaint with someone senior", "complaint about your service, who do i talk to",
                           "i'd like a supervisor", "put me through to your manager", "can i speak with someone in charge", "a staff member please",
                           "let me chat with a real agent", "i need a real human being", "hand me over to a person", "connect me to a colleague of yours",
                           "phone me back please, i want a person"])
        return ex(text, ctx, "human_agent", rng)
    text = rng.choice(["we're going in circles, i want a person", "you keep getting it wrong, real human please", "this isn't working, get me someone",
                       "pointless. give me an actual person", "i've asked three times now, let me talk to staff"])
    return ex(text, ctx, "human_agent", rng, frustrated=True)


def greeting_more(cat: Catalog, rng: random.Random) -> dict:
    ctx = shown_context(cat, rng)[0] if rng.random() < 0.5 else NONE
    text = rng.choice(["thanks, that's everything", "cheers, all good", "great, thank you!", "perfect thanks bye", "ok that's all for now",
                       "thank you so much", "appreciate it", "bye", "that helps, thanks", "thanks for the help", "all sorted, ta",
                       "what are you able to help with", "what things can i ask you about", "how can you help me", "what do you do exactly",
                       "what sort of things can you help with", "what kinds of questions can i ask", "what are you good for",
                       "what can you do for me", "so what do you actually do"])
    return ex(text, ctx, "greeting", rng)


OOS_PRODUCT_TEMPLATES = [
    "how do i {v} my {n}", "what's the best way to {v} a {n}", "how often should i {v} my {n}",
    "write a {w} about {n}", "write me a {w} for my {n} shop", "give me a {t} for a {n} company", "come up with a {t} for my {n} business",
    "draw a {a} with {n}", "make a picture of a {a} and {n}", "who invented the {n}", "what's the history of the {n}",
    "how much is my old {n} worth", "where can i sell my used {n}", "find a {s} near me", "is there a {s} nearby",
    "is {b} a good company to work for", "should i buy {b} shares", "what's {b}'s stock price", "how many calories in a {f}",
    "is it ok to take {d} with {f}", "can i give my dog {f}", "what's {x} percent of {y}", "convert {x} {u1} to {u2}",
    "how do i get {st} out of my {n}", "how do i remove {st} from a {c} {g}", "what gets {st} out of {g}",
    "can my {who} {act}", "is my {who} allowed to {act}", "how do i get a refund from my {co}", "my {co} won't refund me, what can i do",
    "how do i return a rental car", "can i get my deposit back from my {who}",
]
OOS_FILLS = {
    "v": ["clean", "wash", "repair", "recycle", "descale", "dry", "iron", "paint", "store", "get rid of", "fold", "waterproof"],
    "w": ["poem", "song", "short story", "tweet", "product description", "blog post", "limerick", "review"],
    "t": ["slogan", "name", "tagline", "logo idea", "mission statement"],
    "a": ["dog", "cat", "robot", "dragon", "penguin"],
    "s": ["plumber", "dentist", "mechanic", "tailor", "locksmith", "hairdresser", "cobbler", "vet", "pharmacy", "gym"],
    "f": ["burger", "pizza slice", "banana", "croissant", "glass of wine", "chocolate bar"],
    "d": ["aspirin", "ibuprofen", "antibiotics", "melatonin"],
    "u1": ["miles", "pounds", "inches", "litres"], "u2": ["km", "kilos", "cm", "gallons"],
    "st": ["red wine", "coffee", "grass stains", "ink", "grease", "blood", "chewing gum"], "c": ["white", "black", "blue", "red"],
    "g": ["shirt", "carpet", "jeans", "sofa", "rug", "t-shirt"], "who": ["landlord", "boss", "employer", "neighbour", "bank", "school"],
    "act": ["keep my deposit", "fire me for this", "read my emails", "raise the rent", "charge me a fee", "cancel my contract"],
    "co": ["airline", "gym", "phone company", "bank", "internet provider", "hotel"],
}


def oos_more(cat: Catalog, rng: random.Random) -> dict:
    """Out-of-scope requests that mention products, brands or numbers: the hard negatives."""
    r = rng.random()
    if r < 0.15:
        text = rng.choice(["are you a bot or a person", "is this an ai", "am i talking to a machine", "which ai model are you",
                           "who built you", "are you chatgpt", "do you have a name", "how old are you", "are you alive"])
    else:
        template = rng.choice(OOS_PRODUCT_TEMPLATES)
        category = rng.choice(list(cat.nouns))
        brands = [b for bs in cat.brands.values() for b in bs]
        fills = {k: rng.choice(v) for k, v in OOS_FILLS.items()}
        fills.update(n=rng.choice(cat.nouns[category]), b=rng.choice(brands), x=rng.choice([5, 12, 15, 20, 35]), y=rng.choice([80, 240, 1200, 60]))
        text = template.format(**fills)
    ctx = NONE if rng.random() < 0.75 else shown_context(cat, rng)[0]
    return ex(text, ctx, "out_of_scope", rng)


# -- fourth round: words the adapter dropped, spoken follow-ups, hard negatives ----------------

def shown_in(cat: Catalog, rng: random.Random, category: str) -> tuple[DialogueContext, list[Product]]:
    """Products of one category on screen (shoes for a size, headphones for over or on ear)."""
    shown = rng.sample(cat.titles[category], k=min(len(cat.titles[category]), rng.choice([2, 3, 3, 4])))
    constraints = Slots(query=rng.choice([n for n in cat.nouns[category] if n not in CATEGORY_ONLY]), category=category)
    if rng.random() < 0.3:
        constraints = constraints.model_copy(update={"price_max": float(rng.choice([80, 100, 150, 200, 300]))})
    ctx = DialogueContext(constraints=constraints, shown_titles=tuple(p.title for p in shown),
                          shown_brands=tuple(p.brand for p in shown), last_intent="search_products")
    return ctx, shown


#: who a product is for, said before the noun ("womens hiking boots") or after it ("for adults"): kept in the query
AUDIENCE_BEFORE = {
    "shoes": ["womens", "women's", "mens", "men's", "kids", "kids'", "boys", "girls", "ladies", "unisex"],
    "apparel": ["womens", "women's", "mens", "men's", "kids", "kids'", "boys", "girls", "ladies", "unisex", "toddler"],
    "toys": ["kids", "toddler", "baby", "adult"], "headphones": ["kids", "kids'"], "sports": ["kids", "womens", "mens", "adult"],
    "bags": ["womens", "mens", "kids"], "beauty": ["mens", "kids", "baby"], "electronics": ["kids", "womens", "mens"],
}
_ADULTS = ["for women", "for men", "for adults", "for kids", "for teens", "for boys", "for girls", "for ladies"]
AUDIENCE_AFTER = {
    "shoes": _ADULTS + ["for little kids", "for toddlers"], "apparel": _ADULTS + ["for toddlers", "for babies", "for little kids"],
    "toys": ["for adults", "for kids", "for toddlers", "for teens", "for grown ups", "for little kids", "for babies", "for boys", "for girls"],
    "headphones": ["for kids", "for adults", "for little kids", "for teens"], "sports": _ADULTS, "bags": _ADULTS,
    "beauty": ["for men", "for women", "for kids", "for babies", "for teens"], "electronics": ["for kids", "for women", "for men", "for teens"],
}
AUDIENCE_NOUNS = {
    "shoes": ["hiking boots", "running shoes", "trail running shoes", "sneakers", "sandals", "hiking shoes", "trainers", "walking shoes",
              "slides", "clogs", "boots", "rain boots"],
    "apparel": ["rain jacket", "hoodie", "jeans", "t-shirt", "leggings", "down jacket", "socks", "sweater", "raincoat", "fleece",
                "puffer jacket", "shorts", "base layer", "hiking socks"],
    "toys": ["puzzle", "jigsaw puzzle", "board game", "building set", "card game", "science kit", "walkie talkies", "remote control car",
             "marble run", "stem kit", "plush"],
    "headphones": ["headphones", "earbuds", "over-ear headphones", "headphones with volume limit"],
    "sports": ["bike helmet", "yoga mat", "dumbbells", "water bottle", "sleeping bag", "tennis racket"],
    "bags": ["backpack", "hiking backpack", "crossbody bag", "tote", "gym bag"],
    "beauty": ["sunscreen", "moisturizer", "face wash", "shampoo"], "electronics": ["smartwatch", "fitness tracker", "gps watch"],
}
SIMPLE_OPENERS = ["", "", "", "show me ", "i'm looking for ", "looking for ", "do you have ", "do you sell ", "i need ", "find me ",
                  "any ", "got any ", "i want ", "can you find ", "search for ", "help me find ", "i'm after ", "need ", "lookin for ",
                  "do u have ", "can i see ", "have you got "]


def _price_tail(rng: random.Random, slots: dict) -> str:
    r = rng.random()
    if r < 0.3:
        price = rng.choice([25, 40, 50, 60, 80, 100, 120, 150, 200])
        slots["price_max"] = float(price)
        return " " + rng.choice(["under {}", "below {}", "for less than {}", "max {}", "no more than {}"]).format(money(price, rng))
    if r < 0.38:
        price = rng.choice([50, 100, 150])
        slots["price_min"] = float(price)
        return " " + rng.choice(["over {}", "above {}", "at least {}"]).format(money(price, rng))
    return ""


def audience_search(cat: Catalog, rng: random.Random) -> dict:
    """'womens hiking boots', "men's rain jacket with a hood", 'puzzle for adults': the audience stays in the query."""
    category = rng.choice([c for c in AUDIENCE_NOUNS if c in cat.nouns])
    noun = rng.choice(AUDIENCE_NOUNS[category])
    if rng.random() < 0.6:
        words = [rng.choice(AUDIENCE_BEFORE[category]), noun]
    else:
        words = [noun, rng.choice(AUDIENCE_AFTER[category])]
    if category in ("shoes", "apparel") and rng.random() < 0.2:
        words.append(rng.choice(MODIFIERS[category][1]))
    elif category == "apparel" and rng.random() < 0.2:
        words.append(rng.choice(["with a hood", "with pockets"]))
    if cat.features.get(category) and rng.random() < 0.15:
        words.insert(0 if words[0] == noun else 1, rng.choice(cat.features[category]))
    query = " ".join(words)
    slots: dict = {"query": query, "category": category}
    said = query
    if rng.random() < 0.15 and cat.brands.get(category):
        slots["brand"] = rng.choice(cat.brands[category])
        brand = slots["brand"] if rng.random() < 0.5 else slots["brand"].lower()
        said = f"{brand} {said}" if rng.random() < 0.6 else f"{said} from {brand}"
    if rng.random() < 0.2:
        slots["color"] = rng.choice(cat.colors)
        said = f"{slots['color']} {said}"
    tail = ""
    if category in cat.sizes and rng.random() < 0.3:
        slots["size"] = rng.choice(cat.sizes[category])
        shown = spoken_size(slots["size"], rng) if rng.random() < 0.3 else slots["size"]
        tail += " " + rng.choice(["size {}", "in size {}", "in a {}", "in {}"]).format(shown)
    tail += _price_tail(rng, slots)
    text = rng.choice(SIMPLE_OPENERS) + said + tail + rng.choice(["", "", "", "?", " please", " thanks", " pls"])
    return ex(text, NONE, "search_products", rng, **slots)


_NAME_STOP = {"waterproof", "gore-tex", "road", "stability", "neutral", "leather", "cotton", "mirrorless", "portable", "bluetooth",
              "smartwatch", "gps", "noise", "cancelling", "hiking", "trail", "sneakers", "sandals", "building", "set", "game", "kit"}
_AUDIENCE_TITLE_WORDS = {"men's", "women's", "kids'", "kids", "unisex", "adult", "boys'", "girls'"}
_LINE_STOP = {"classic", "ultra", "smart", "portable", "compact", "original", "large", "medium", "series", "professional", "signature",
              "adjustable", "plush", "wooden", "vegan", "daily", "moisturizing", "foaming", "hydrating", "gentle", "high-density", "neoprene",
              "cast", "stoneware", "canvas", "waterproof", "usb-c", "essentials", "one", "dual", "super", "true", "fit", "good", "no.3",
              "no.4", "no.5", "cold-pressed", "lavender", "little", "baby's", "laugh", "slice", "oil-free", "makeup", "retinol", "am"}


def line_words(product: Product) -> list[str]:
    """The product-line words of a title after the brand and any audience word
    ("Nike Men's Pegasus 41 Road ..." -> ["pegasus", "pegasus 41"], "ASICS Men's Gel-Kayano 31" -> [..., "gel"])."""
    words = product.title.split()
    if product.brand and product.title.lower().startswith(product.brand.lower()):
        words = words[len(product.brand.split()):]
    words = [w.strip(",()").lower() for w in words]
    while words and words[0] in _AUDIENCE_TITLE_WORDS:
        words = words[1:]
    if not words or not words[0][:1].isalpha() or words[0] in _LINE_STOP or words[0] in _GENERIC or any(ch.isdigit() for ch in words[0][:3]):
        return []
    first = words[0]
    out = [first]
    if len(words) > 1 and words[1][:1].isdigit() and len(words[1]) <= 4:
        out.append(f"{first} {words[1]}")
    elif len(words) > 1 and words[1] not in _GENERIC and words[1] not in _AUDIENCE_TITLE_WORDS and words[1].isalpha() and len(words[1]) > 2:
        out.append(f"{first} {words[1]}")
    if "-" in first and first.split("-")[0].isalpha() and len(first.split("-")[0]) >= 3:
        out.append(first.split("-")[0])  # "gel-kayano" -> "gel"
    return out


def _product_noun(product: Product, rng: random.Random) -> str:
    kind = str(product.attributes.get("type", "")).lower()
    base = CATEGORY_NOUNS.get(product.category, [product.category])[0]
    options = [f"{kind} {base}" if kind in ADJECTIVE_TYPES else kind] if kind else []
    if product.category == "shoes":
        options += ["shoes", "sneakers", "trainers"] if kind != "sandal" else ["sandals", "sandal"]
    elif product.category == "headphones":
        options += ["earbuds" if kind == "in-ear" else "headphones"]
    elif product.category in ("laptops", "phones") and kind != "case":
        options += [base]
    return rng.choice(options or [base])


def brand_line_search(cat: Catalog, rng: random.Random) -> dict:
    """'adidas samba sneakers' -> brand Adidas, query 'samba sneakers': the line word stays next to the noun."""
    pool = [p for c in ("shoes", "headphones", "laptops", "phones", "electronics", "bags", "kitchen", "sports", "beauty", "apparel")
            for p in cat.titles.get(c, []) if p.brand and line_words(p)]
    product = rng.choice(pool)
    line = rng.choice(line_words(product))
    noun = _product_noun(product, rng) if rng.random() < 0.8 else ""
    query = f"{line} {noun}".strip()
    brand = product.brand if rng.random() < 0.4 else product.brand.lower()
    slots: dict = {"query": query, "brand": product.brand, "category": product.category}
    said = f"{brand} {query}"
    if rng.random() < 0.12:
        said = f"{query} by {brand}" if noun else said
    if rng.random() < 0.15:
        slots["color"] = rng.choice(cat.colors)
        said = rng.choice([f"{said} in {slots['color']}", f"{slots['color']} {said}"])
    tail = ""
    if product.category in cat.sizes and rng.random() < 0.3:
        slots["size"] = rng.choice(cat.sizes[product.category])
        tail += " " + rng.choice(["size {}", "in a {}", "in size {}"]).format(spoken_size(slots["size"], rng) if rng.random() < 0.3 else slots["size"])
    tail += _price_tail(rng, slots)
    text = rng.choice(SIMPLE_OPENERS) + said + tail + rng.choice(["", "", "?", " please", " thanks"])
    return ex(text, NONE, "search_products", rng, **slots)


def _specs(rng: random.Random) -> tuple[str, str, str]:
    """(said, query, category) for a product with a number or spec that is no price."""
    n = rng.choice
    options = [
        lambda: (f"laptop with {n([8, 16, 24, 32])}gb {n(['ram', 'of ram', 'memory'])}", "laptops"),
        lambda: (f"{n([16, 32])}gb ram {n(['laptop', 'gaming laptop', 'ultrabook'])}", "laptops"),
        lambda: (f"laptop with {n(['512gb', '1tb', '256gb', 'a 1tb ssd'])} {n(['storage', 'of storage', 'ssd'])}".replace("ssd ssd", "ssd"), "laptops"),
        lambda: (f"{n(['13', '14', '15.6', '16', '15'])} inch {n(['laptop', 'chromebook', 'gaming laptop'])}", "laptops"),
        lambda: (f"gaming laptop with an rtx {n([4050, 4060, 4070])}", "laptops"),
        lambda: (f"phone with {n(['128gb', '256gb'])} {n(['storage', 'of storage'])}", "phones"),
        lambda: (f"{n(['128gb', '256gb'])} {n(['phone', 'android phone', 'smartphone'])}", "phones"),
        lambda: (f"phone with a {n([48, 50, 200])}mp camera", "phones"),
        lambda: (f"phone with a {n([5000, 6000])}mah battery", "phones"),
        lambda: (f"jeans {n([28, 30, 32, 34, 36])} waist", "apparel"),
        lambda: (f"{n([28, 30, 32, 34, 36])} waist jeans", "apparel"),
        lambda: (f"jeans with a {n([30, 32, 34])} inch waist", "apparel"),
        lambda: (f"{n(['3 pack', 'three pack'])} {n(['socks', 'hiking socks', 'merino socks'])}", "apparel"),
        lambda: (f"{n(['fragrance free', 'fragrance-free', 'unscented', 'scent free'])} {n(['sunscreen', 'moisturizer', 'cleanser', 'body lotion', 'face moisturizer', 'serum'])}", "beauty"),
        lambda: (f"{n(['sunscreen', 'face moisturizer'])} {n(['spf 30', 'spf 50', 'spf 60', 'with spf 50'])}", "beauty"),
        lambda: (f"spf {n([30, 50, 55, 60])} sunscreen", "beauty"),
        lambda: (f"{n([30, 100, 150])}ml {n(['serum', 'sunscreen', 'face oil'])}", "beauty"),
        lambda: (f"{n([100, 500, 1000, 1500])} piece {n(['jigsaw', 'puzzle', 'jigsaw puzzle'])}", "toys"),
        lambda: (f"{n(['thousand', 'five hundred', 'hundred'])} piece {n(['jigsaw', 'puzzle'])}", "toys"),
        lambda: (f"{n(['jigsaw puzzle', 'puzzle'])} with {n([500, 1000])} pieces", "toys"),
        lambda: (f"building set with over {n([500, 800, 1000])} pieces", "toys"),
        lambda: (f"{n([2, 4, 6])} person tent", "sports"),
        lambda: (f"tent for {n(['two', 'four', 'six', '4', '6'])} people", "sports"),
        lambda: (f"{n([8, 12, 16, 20])} kg kettlebell", "sports"),
        lambda: (f"{n([8, 12, 16])}kg kettlebell", "sports"),
        lambda: (f"{n(['5mm', '1.5mm', '6mm'])} yoga mat", "sports"),
        lambda: (f"{n([21, 32, 40])} oz water bottle", "sports"),
        lambda: (f"sleeping bag rated to {n([20, 30])} degrees", "sports"),
        lambda: (f"{n([20, 30, 45, 65, 100])}w {n(['charger', 'usb-c charger', 'wall charger'])}", "electronics"),
        lambda: (f"{n(['10000', '20000', '24000'])}mah power bank", "electronics"),
        lambda: (f"power bank with {n(['10000', '20000'])}mah", "electronics"),
        lambda: (f"{n([40, 42, 44])}mm smartwatch", "electronics"),
        lambda: (f"{n(['1tb', '2tb'])} portable ssd", "electronics"),
        lambda: (f"{n([20, 25, 28, 40])}l backpack", "bags"),
        lambda: (f"{n([20, 40])} liter {n(['backpack', 'travel backpack', 'dry bag'])}", "bags"),
        lambda: (f"backpack for a {n([15, 16])} inch laptop", "bags"),
        lambda: (f"{n([4, 6, 8])} quart {n(['air fryer', 'dutch oven'])}", "kitchen"),
        lambda: (f"{n([10, 12])} inch {n(['frying pan', 'skillet'])}", "kitchen"),
        lambda: (f"{n(['1.7 litre', '1.7l', '1.7 liter'])} kettle", "kitchen"),
        lambda: (f"{n([16, 20, 40])} oz tumbler", "kitchen"),
        lambda: (f"{n([8, 12])} cup coffee maker", "kitchen"),
        lambda: (f"{n([1000, 1200])}w blender", "kitchen"),
        lambda: (f"headphones with {n([30, 40, 50])} hours of battery", "headphones"),
        lambda: (f"earbuds with {n([8, 10])} hour battery", "headphones"),
        lambda: (f"{n(['king', 'queen'])} size {n(['sheets', 'duvet cover', 'sheet set'])}", "home"),
        lambda: (f"{n([84, 96])} inch curtains", "home"),
    ]
    said, category = rng.choice(options)()
    return said, said, category


def spec_search(cat: Catalog, rng: random.Random) -> dict:
    """'jeans 32 waist', 'laptop with 32gb ram', 'fragrance free sunscreen', '1000 piece jigsaw': the spec stays in the query
    and a number that is no price fills no price slot."""
    said, query, category = _specs(rng)
    slots: dict = {"query": query, "category": category}
    if rng.random() < 0.12:
        slots["color"] = rng.choice(cat.colors)
        said = f"{said} in {slots['color']}"
    tail = _price_tail(rng, slots) if rng.random() < 0.7 else ""
    if not tail and rng.random() < 0.08:
        slots["sort"] = "price_asc"
        tail = rng.choice([" cheapest first", ", the cheapest you have"])
    text = rng.choice(SIMPLE_OPENERS) + said + tail + rng.choice(["", "", "", "?", " please", " thx"])
    return ex(text, NONE, "search_products", rng, **slots)


OCCASIONS = ["birthday present for my nephew", "birthday gift for my niece", "christmas gift for my dad", "anniversary gift for my wife",
             "something for my sister's graduation", "secret santa gift", "housewarming present", "mother's day gift", "father's day present",
             "gift for my boyfriend", "present for my grandson", "stocking stuffer", "baby shower gift", "retirement gift for my boss",
             "birthday present for my 8 year old", "gift for a coworker", "valentine's gift for my girlfriend", "wedding present",
             "graduation gift for my son", "something for my mum's 60th", "christmas present for my brother", "thank you gift for my teacher"]
OCCASION_PRODUCTS = {
    "toys": ["remote control car", "board game", "jigsaw puzzle", "building set", "marble run", "walkie talkies", "science kit", "plush unicorn",
             "card game", "train set", "dollhouse"],
    "kitchen": ["stand mixer", "espresso machine", "air fryer", "dutch oven", "travel mug", "coffee maker", "chef's knife", "kettle"],
    "home": ["candle", "throw blanket", "air purifier", "table lamp", "towels"], "beauty": ["hair dryer", "face oil", "lip balm", "serum"],
    "headphones": ["headphones", "wireless earbuds", "noise cancelling headphones"], "electronics": ["smartwatch", "bluetooth speaker", "power bank", "fitness tracker"],
    "sports": ["yoga mat", "water bottle", "camping chair", "dumbbells"], "bags": ["backpack", "tote bag", "duffel bag"],
    "apparel": ["hoodie", "sweater", "down jacket"],
}


def occasion_search(cat: Catalog, rng: random.Random) -> dict:
    """'birthday present for my nephew, maybe a remote control car under 40 bucks': the query is the product, not the occasion."""
    category = rng.choice(list(OCCASION_PRODUCTS))
    product = rng.choice(OCCASION_PRODUCTS[category])
    slots: dict = {"query": product, "category": category}
    occasion = rng.choice(OCCASIONS)
    art = "some" if product.endswith("s") and not product.endswith("ss") else "an" if product[0] in "aeiou" else "a"
    if not occasion.startswith(("something", "stocking")):
        occasion = ("an " if occasion[0] in "aeiou" else "a ") + occasion if rng.random() < 0.5 else occasion
    joined = rng.choice(["{o}, maybe {a} {p}", "{o}, thinking {a} {p}", "{o} - {a} {p} maybe", "looking for {o}, maybe {a} {p}",
                         "need {o}. {a} {p}?", "{o}, something like {a} {p}", "i need {o}, probably {a} {p}",
                         "{a} {p} as {o}", "{a} {p} for {o}", "shopping for {o}, i was thinking {a} {p}",
                         "{o}... {a} {p} could work", "{o}, any {p} ideas", "it's for {o}, {a} {p} maybe"])
    text = joined.format(o=occasion, a=art, p=product)
    if rng.random() < 0.15 and cat.brands.get(category):
        slots["brand"] = rng.choice(cat.brands[category])
        text += rng.choice([" from {}", ", {} if possible", ", ideally {}"]).format(slots["brand"] if rng.random() < 0.5 else slots["brand"].lower())
    r = rng.random()
    if r < 0.55:
        price = rng.choice([20, 25, 30, 40, 50, 60, 75, 100, 150, 200, 300])
        slots["price_max"] = float(price)
        text += rng.choice([" under {}", ", under {}", " for less than {}", ", budget around {} max", " no more than {}", ", nothing over {}",
                            ", max {}", " below {}"]).format(money(price, rng))
    elif r < 0.65:
        lo = rng.choice([20, 30, 50, 100])
        hi = lo + rng.choice([20, 30, 50])
        slots["price_min"], slots["price_max"] = float(lo), float(hi)
        text += rng.choice([" between {} and {}", ", {} to {}"]).format(money(lo, rng), money(hi, rng))
    return ex(text, NONE, "search_products", rng, **slots)


def _an(word: str) -> str:
    return "an" if word[:1] in "aeiou8" or word.startswith("11") or word.startswith("18") else "a"


def size_followup(cat: Catalog, rng: random.Random) -> dict:
    """A spoken size alone with shoes (or clothes) on screen: 'ten and a half', 'in an eleven please', 'got a nine?'."""
    category = "shoes" if "shoes" in cat.sizes and (rng.random() < 0.8 or "apparel" not in cat.sizes) else "apparel"
    ctx, shown = shown_in(cat, rng, category)
    size = rng.choice(cat.sizes[category])
    said = spoken_size(size, rng) if rng.random() < 0.75 else size
    if category == "apparel" and rng.random() < 0.3:
        said = {"S": "small", "M": "medium", "L": "large", "XL": "xl", "XS": "xs", "XXL": "xxl"}.get(size, said)
    a = _an(said)
    if rng.random() < 0.15:
        aud = rng.choice(["womens", "mens", "women's", "men's", "kids"])
        text = rng.choice(["{g} ones in a size {s}", "{g} in {s}", "do you have {g} in {a} {s}", "{g} ones, size {s}", "{g} {s}",
                           "the {g} version in {a} {s}"]).format(g=aud, s=said, a=a)
        return ex(text, ctx, "search_products", rng, query=aud, size=size)
    text = rng.choice(["{s}", "{s} please", "in {a} {s} please", "in {a} {s}", "got {a} {s}?", "{s} if you have it", "do you have {a} {s}",
                       "i'm {a} {s}", "i'm usually {a} {s}", "i wear {a} {s}", "size {s}", "need {a} {s}", "{s} for me", "any in {s}?",
                       "have them in {a} {s}?", "just {a} {s}", "what about {a} {s}", "my size is {s}", "i take {a} {s}", "{s} would be great",
                       "can i get them in {a} {s}", "{s} thanks", "is there {a} {s}", "show me {s}s", "only {s}"]).format(s=said, a=a)
    if text.endswith("s") and "show me" in text and not said.replace(" ", "").isalpha():
        text = f"show me size {said}"
    return ex(rng.choice(LEADS) + text, ctx, "search_products", rng, size=size)


PRICE_MAX_WORDS = ["under {}", "below {}", "no more than {}", "less than {}", "at most {}", "not over {}", "cheaper than {}", "up to {}",
                   "{} tops", "max {}", "{} max", "{} or under", "{} or less", "nothing above {}", "i don't want to spend more than {}",
                   "can't go over {}", "keep it under {}", "under {} please", "not more than {}", "no higher than {}", "within {}",
                   "less than {} if possible", "anything below {}", "my limit is {}", "spend {} at the most"]
PRICE_MIN_WORDS = ["over {}", "above {}", "at least {}", "more than {}", "{} or more", "{} and up", "{} plus", "starting from {}",
                   "no less than {}", "not under {}", "upwards of {}", "minimum {}", "something over {}", "north of {}", "nothing under {}",
                   "more than {} is fine", "higher than {}", "above {} please", "from {} up", "{} and above", "at least {} please"]


def _price_words(value: int, rng: random.Random) -> str:
    said = number_words(value, rng) if rng.random() < 0.75 else str(value)
    return said + rng.choice(["", "", " dollars", " bucks"])


def price_direction(cat: Catalog, rng: random.Random) -> dict:
    """'under five hundred' / 'over three hundred' with number words, as a new search or a follow-up; max and min balanced."""
    value = rng.choice([20, 30, 40, 50, 60, 75, 80, 90, 100, 120, 150, 180, 200, 250, 300, 400, 500, 600, 800, 1000])
    is_max = rng.random() < 0.5
    phrase = rng.choice(PRICE_MAX_WORDS if is_max else PRICE_MIN_WORDS).format(_price_words(value, rng))
    slot = {"price_max" if is_max else "price_min": float(value)}
    if rng.random() < 0.5:
        ctx, _shown, _category = shown_context(cat, rng)
        text = rng.choice(LEADS) + rng.choice(["{}", "{}", "ones {}", "show me ones {}", "anything {}?", "what do you have {}", "only {}",
                                               "what about {}", "any {}"]).format(phrase)
        return ex(text, ctx, "search_products", rng, **slot)
    category = rng.choice(list(cat.nouns))
    noun = rng.choice([n for n in cat.nouns[category] if n not in CATEGORY_ONLY] or cat.nouns[category])
    text = rng.choice(SIMPLE_OPENERS) + rng.choice(["{n} {p}", "{n} {p}", "{n}, {p}", "{n} for {p}" if is_max and not phrase.startswith(("i ", "can't", "keep", "my", "spend")) else "{n} {p}", "any {n} {p}"]).format(n=noun, p=phrase)
    return ex(text, NONE, "search_products", rng, query=noun, category=category, **slot)


#: two values of one catalog attribute, per category: ("over ear or on ear", key)
ALTERNATIVES = {
    "headphones": [("over ear or on ear", "type"), ("in ear or over ear", "type"), ("on-ear or over-ear", "type"), ("earbuds or over ear", "type"),
                   ("wired or wireless", "wireless"), ("bluetooth or wired", "wireless")],
    "shoes": [("leather or mesh", "material"), ("for men or women", "gender"), ("men's or women's", "gender"), ("trail or road", "type"),
              ("running or casual", "type"), ("suede or leather", "material")],
    "apparel": [("cotton or polyester", "material"), ("for men or for women", "gender"), ("slim or regular fit", "fit"), ("nylon or cotton", "material")],
    "laptops": [("windows or mac", "os"), ("windows or chromeos", "os"), ("intel or amd", "cpu"), ("8 or 16 gb of ram", "ram_gb"),
                ("aluminum or plastic", "material")],
    "phones": [("android or ios", "os"), ("iphone or android", "os"), ("128 or 256 gb", "storage_gb"), ("glass or plastic", "material")],
    "beauty": [("for oily or dry skin", "skin_type"), ("oily skin or dry skin", "skin_type")],
    "kitchen": [("stainless steel or plastic", "material"), ("cast iron or ceramic", "material")],
    "bags": [("nylon or polyester", "material"), ("leather or canvas", "material")],
}


def shown_questions(cat: Catalog, rng: random.Random) -> dict:
    """Questions about shown products: 'any good' (rating), 'keep my feet dry' (waterproof), 'over ear or on ear'
    (type), 'does the ghost come in an eleven' (size + size), 'does it come in red' (color + color)."""
    keys = {k for ps in cat.titles.values() for p in ps for k in p.attributes} | set(cat.attributes)
    r = rng.random()
    if r < 0.25:
        ctx, shown, _ = shown_context(cat, rng)
        phrase, canon = _brand_ref(shown, rng) or _ref(shown, rng)
        if rng.random() < 0.3:
            text = rng.choice(["any good?", "worth it?", "is it worth it", "what are the reviews like", "what do people say about it", "reviews?",
                               "is it any good", "how are the reviews", "worth the money?", "do people like it", "good reviews?"])
            return ex(text, ctx, "product_question", rng, product_refs=["it"], attribute="rating")
        if rng.random() < 0.2:
            text = rng.choice(["are these any good", "are they worth it", "what do people say about these", "reviews on these?",
                               "are any of them any good", "what are people saying about them"])
            return ex(text, ctx, "product_question", rng, product_refs=["all"], attribute="rating")
        text = rng.choice(["is {r} any good", "{r} any good?", "is {r} worth it", "{r}, worth it?", "reviews for {r}?", "what do people say about {r}",
                           "what are the reviews like on {r}", "how are reviews on {r}", "is {r} worth the money", "any reviews of {r}",
                           "do people rate {r}", "what do customers think of {r}", "{r} reviews", "is {r} good or nah", "is {r} actually good"]).format(r=phrase)
        return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute="rating")
    if r < 0.42:
        category = rng.choice([c for c in ("shoes", "apparel", "bags", "headphones", "electronics") if c in cat.titles])
        ctx, shown = shown_in(cat, rng, category)
        phrase, canon = _brand_ref(shown, rng) or _ref(shown, rng)
        if category == "shoes":
            words = ["will {r} keep my feet dry", "do {r} keep your feet dry", "can {r} survive the rain", "are {r} ok in puddles",
                     "can i wear {r} in the rain", "will my feet stay dry in {r}", "are {r} ok for wet weather", "would {r} survive a downpour"]
            bare = ["will these keep my feet dry", "ok in puddles?", "can they survive the rain", "will my feet get wet in these"]
        else:
            words = ["can {r} survive the rain", "is {r} ok in the rain", "will {r} keep my stuff dry", "can {r} get wet",
                     "would {r} survive a downpour", "is {r} fine in wet weather"]
            bare = ["can it survive the rain", "ok in the rain?", "will it survive a storm", "does it cope with rain"]
        if rng.random() < 0.3:
            text = rng.choice(bare)
            canon = "all" if "these" in text or "they" in text else "it"
        else:
            text = rng.choice(words).format(r=phrase)
        return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute="waterproof")
    if r < 0.6:
        category = rng.choice([c for c in ALTERNATIVES if c in cat.titles])
        options = [(w, k) for w, k in ALTERNATIVES[category] if k in keys]
        ctx, shown = shown_in(cat, rng, category)
        words, key = rng.choice(options)
        phrase, canon = _brand_ref(shown, rng) or _ref(shown, rng)
        if rng.random() < 0.3:
            text = rng.choice(["are they {w}", "are these {w}", "{w}?", "{w} on these?"]).format(w=words)
            canon = "all" if "these" in text or "they" in text else "it"
        else:
            text = rng.choice(["is {r} {w}", "{r}, is it {w}", "are {r} {w}", "is {r} {w}?", "{w}, {r}?", "what about {r}, {w}"]).format(r=phrase, w=words)
        return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute=key)
    if r < 0.8 and cat.sizes:
        category = "shoes" if "shoes" in cat.sizes and rng.random() < 0.75 else rng.choice(list(cat.sizes))
        ctx, shown = shown_in(cat, rng, category)
        size = rng.choice(cat.sizes[category])
        said = spoken_size(size, rng) if rng.random() < 0.6 else size
        product = rng.choice(shown)
        names = [n for n in line_words(product)[:2]] + [product.brand.lower()]
        name = rng.choice(names)
        if [p.brand for p in shown].count(product.brand) > 1 and name == product.brand.lower():
            name, canon = "first", "1"
            said_ref = "the first ones"
        else:
            canon, said_ref = name, f"the {name}"
        if rng.random() < 0.35:
            said_ref, canon = rng.choice([("it", "it"), ("they", "all"), ("these", "all"), ("that one", "it")])
        a = _an(said)
        template = rng.choice(["does {r} come in {a} {s}", "do {r} come in size {s}", "is {r} available in {a} {s}", "can i get {r} in {a} {s}",
                               "do you have {r} in {a} {s}", "{r} in {a} {s}?", "does {r} come in a size {s}", "is there {a} {s} in {r}"])
        template = template.replace("{a} {s}", "{s}") if "size {s}" in template else template
        text = template.format(r=said_ref, a=a, s=said).replace("does they", "do they").replace("does these", "do these").replace("is these", "are these").replace("is they", "are they")
        return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute="size", size=size)
    ctx, shown, _ = shown_context(cat, rng)
    color = rng.choice(cat.colors)
    phrase, canon = _brand_ref(shown, rng) or _ref(shown, rng)
    if rng.random() < 0.35:
        text = rng.choice(["does it come in {c}", "does that come in {c}", "is it available in {c}", "can i get it in {c}", "any chance it comes in {c}"]).format(c=color)
        canon = "it"
    else:
        text = rng.choice(["does {r} come in {c}", "is {r} available in {c}", "can i get {r} in {c}", "do they make {r} in {c}", "{r} in {c}?",
                           "is there {r} in {c}"]).format(r=phrase, c=color)
    return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute="color", color=color)


def buy_shown(cat: Catalog, rng: random.Random) -> dict:
    """'add the bose to my cart', "i'll take the second pair": buying a shown product is a stock question."""
    ctx, shown, category = shown_context(cat, rng)
    r = rng.random()
    if r < 0.3:
        n = rng.randrange(1, len(shown) + 1)
        thing = "pair" if category == "shoes" and rng.random() < 0.6 else rng.choice(["one", "one", "option"])
        phrase, canon = f"the {rng.choice(ORDINALS[n])} {thing}", str(n)
    elif r < 0.4:
        phrase, canon = rng.choice(["the last one", "the last pair" if category == "shoes" else "the last one"]), "-1"
    elif r < 0.55:
        phrase, canon = rng.choice([("it", "it"), ("that one", "it"), ("this one", "it"), ("those", "it")])
    else:
        phrase, canon = _brand_ref(shown, rng) or _ref(shown, rng)
    text = rng.choice(["add {r} to my cart", "add {r} to the basket", "i'll take {r}", "i'll get {r}", "put {r} in my basket",
                       "put {r} in my cart", "i want to buy {r}", "buy {r}", "ok i'll go with {r}", "let's go with {r}", "i'll order {r}",
                       "can i buy {r}", "add {r} please", "{r} into the cart please", "i'll grab {r}", "checkout with {r}",
                       "sold, {r}", "gimme {r}", "i'd like to purchase {r}", "go ahead and order {r} for me"]).format(r=phrase)
    return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute="stock")


#: questions about one catalog key, asked with a product's name and nothing on screen
NAMED_KEY_QUESTIONS = {
    "pieces": ["how many pieces in the {n}", "how many pieces does the {n} have", "piece count on the {n}?", "the {n}, how many pieces"],
    "weight_kg": ["how heavy is the {n}", "what does the {n} weigh", "weight of the {n}?", "is the {n} heavy"],
    "battery_life_hours": ["how long does the {n} battery last", "battery life on the {n}?", "how many hours does the {n} last"],
    "capacity_l": ["how many litres is the {n}", "what's the capacity of the {n}", "how much fits in the {n}"],
    "age_min": ["what age is the {n} for", "is the {n} ok for a 5 year old", "what ages is the {n} suitable for"],
    "screen_size_in": ["how big is the screen on the {n}", "screen size of the {n}?", "what size display does the {n} have"],
    "ram_gb": ["how much ram does the {n} have", "ram on the {n}?", "how much memory in the {n}"],
    "storage_gb": ["how much storage does the {n} have", "storage on the {n}?", "how many gb is the {n}"],
    "camera_mp": ["how many megapixels is the {n} camera", "how good is the camera on the {n}"],
    "wattage": ["how many watts is the {n}", "what's the wattage of the {n}", "how powerful is the {n}"],
    "volume_ml": ["how many ml is the {n}", "how big is the bottle of {n}"],
    "keeps_hot_hours": ["how long does the {n} keep coffee hot", "how many hours does the {n} keep drinks hot"],
    "material": ["what is the {n} made of", "what material is the {n}", "what's the {n} made from"],
    "cpu": ["what processor is in the {n}", "what chip does the {n} have"],
    "os": ["what operating system does the {n} run", "is the {n} android or ios"],
    "battery_mah": ["how big is the battery in the {n}", "how many mah is the {n} battery"],
    "cushioning": ["how much cushioning does the {n} have", "is the {n} well cushioned"],
    "gender": ["is the {n} a men's shoe", "is the {n} for women", "is the {n} unisex"],
    "skin_type": ["what skin type is the {n} for", "is the {n} good for oily skin"],
}


def named_spec_question(cat: Catalog, rng: random.Random) -> dict:
    """'how many pieces in the lego city fire station', 'how heavy is the macbook air': a named product, nothing on screen."""
    pool = [(p, k) for ps in cat.titles.values() for p in ps for k in NAMED_KEY_QUESTIONS if k in p.attributes and p.brand]
    product, key = rng.choice(pool)
    words = product.title.split()[len(product.brand.split()):] if product.title.lower().startswith(product.brand.lower()) else product.title.split()
    words = [w.strip(",()").lower() for w in words]
    while words and words[0] in _AUDIENCE_TITLE_WORDS:
        words = words[1:]
    kept = []
    for w in words:
        if not w or w in _GENERIC or w in _NAME_STOP or w == "-" or (kept and w[:1].isdigit() and len(kept) >= 2):
            break
        kept.append(w)
    cut = rng.choice([1, 2, 2, 3])
    if cut == 1 and kept and (len(kept[0]) < 4 or not kept[0].isalpha()):
        cut = 2  # "hd" or "12-piece" alone names nothing
    kept = kept[:cut]
    name = " ".join(kept)
    if rng.random() < 0.7 or not name:
        name = f"{product.brand.lower()} {name}".strip()
    text = rng.choice(NAMED_KEY_QUESTIONS[key]).format(n=name)
    return ex(text, NONE, "product_question", rng, product_refs=[name], attribute=key)


OOS_HARD = {
    "acronym": ["what does {a} stand for", "what does {a} mean", "what is {a} short for", "whats the full form of {a}", "{a} stands for what",
                "what's the difference between {a} and {b}", "explain {a} to me like i'm five"],
    "trivia": ["who invented {t}", "when were {t} invented", "who came up with {t}", "what year were {t} invented", "history of {t}?",
               "how many {t} are sold every year", "fun fact about {t}", "why are {t} called that"],
    "finance": ["is a roth ira better than a 401k", "index funds vs etfs", "should i put my savings in stocks or bonds",
                "credit card or debit card, which is better for building credit", "high yield savings vs cds", "compare vanguard and fidelity",
                "is it better to rent or buy a house", "what's a good credit score", "should i pay off my car loan early",
                "which is better, a roth or traditional ira", "how much should i save for retirement", "is gold a good investment",
                "{b} stock vs the s&p 500", "is {b} stock a buy right now", "compare {b} and {c} as investments", "what's the dividend on {b} shares"],
    "physics": ["how does {h} work", "why do {w}", "what makes {x}", "how do {y} actually work", "explain how {h} works", "the science behind {h}?"],
    "riddle": ["tell me a riddle", "got any brain teasers", "give me a puzzle to solve", "riddle me this", "tell me a joke about {t}",
               "i'm bored, entertain me", "know any good puns about {t}", "knock knock", "give me a logic puzzle", "what's a good trivia question",
               "help me with this crossword clue", "can we play twenty questions", "tell me something funny", "got a joke for me",
               "let's play a word game", "quiz me on capital cities"],
    "carrier": ["can i cancel my phone plan early", "which carrier has the best coverage", "how do i switch carriers and keep my number",
                "is unlimited data worth it", "how do i port my number", "my phone bill is too high, what can i do",
                "what's the cheapest phone plan", "can i get out of my 2 year contract", "why is my data so slow",
                "does my carrier charge for roaming in europe", "how do i add a line to my family plan", "should i get a prepaid plan"],
    "support": ["my laptop wifi keeps dropping", "my phone won't charge anymore", "how do i factory reset my iphone", "my printer says it's offline",
                "how do i update windows", "my tv has no sound", "how do i speed up my old laptop", "my bluetooth won't find my car",
                "how do i clear space on my phone", "my laptop fan is really loud", "my headphones keep disconnecting from my pc",
                "my screen keeps flickering", "how do i back up my phone", "my airpods only play in one ear, i got them at the apple store",
                "how do i connect my laptop to a projector", "why is my phone so slow", "the laptop my work gave me won't turn on"],
    "homework": ["help me with my chemistry homework", "what's the answer to question 4 on my worksheet", "explain the pythagorean theorem",
                 "write my book report on of mice and men", "how many sides does a hexagon have", "check my essay for grammar",
                 "what's the formula for the area of a circle", "help me study for my biology test", "solve 3x plus 7 equals 22",
                 "what caused world war one", "how do i cite a website in apa", "my kid needs help with fractions"],
    "recipe": ["how do i make pancakes", "what's a good recipe for my air fryer", "how long do i cook chicken in an air fryer",
               "best steak recipe for a cast iron pan", "how do i make cold brew", "recipe for chocolate chip cookies",
               "what can i cook with eggs and rice", "how do i make bread in a stand mixer", "how long to boil an egg",
               "what's a quick vegan dinner", "how do i season a cast iron skillet", "what should i make for dinner tonight"],
    "health": ["is running bad for my knees", "how many steps a day should i walk", "can headphones damage my hearing", "how much water should i drink",
               "i twisted my ankle, what should i do", "is it bad to sleep with earbuds in", "how do i get rid of a cold", "what's a healthy bmi",
               "how many calories does running burn", "is coffee bad for you", "my back hurts from my desk, any advice", "how do i fall asleep faster"],
}
OOS_HARD_FILLS = {
    "a": ["hdmi", "usb", "ssd", "ram", "gps", "anc", "led", "oled", "spf", "mah", "5g", "nfc", "lte", "cpu", "gpu", "wifi", "ip68", "bpa",
          "hepa", "mips", "amoled", "rgb", "dslr", "tws"],
    "t": ["headphones", "sneakers", "laptops", "smartphones", "jigsaw puzzles", "blenders", "air fryers", "backpacks", "lego bricks",
          "board games", "bluetooth speakers", "running shoes", "power banks", "yoga mats", "sunscreen", "espresso machines"],
    "h": ["noise cancelling", "wireless charging", "gps", "bluetooth", "an air fryer", "a heat pump", "a gan charger", "touch screen", "face id",
          "a vacuum flask", "bone conduction"],
    "w": ["batteries lose charge", "phones get hot when charging", "headphones make my ears sore", "shoes squeak", "laptops slow down over time",
          "leather crack", "sneakers smell", "screens scratch"],
    "x": ["a shoe waterproof", "a speaker loud", "sunscreen work", "a knife sharp", "memory foam soft", "a camera lens blurry"],
    "y": ["solar panels", "touchscreens", "smartwatches", "heart rate sensors", "microwaves", "lithium batteries", "thermos bottles"],
}


def oos_hard(cat: Catalog, rng: random.Random) -> dict:
    """Out of scope with product words: acronyms, trivia, finance comparisons, how things work, riddles, phone plans,
    tech support for things bought elsewhere, homework, recipes, health."""
    kind = rng.choice(list(OOS_HARD))
    brands = [b for bs in cat.brands.values() for b in bs]
    fills = {k: rng.choice(v) for k, v in OOS_HARD_FILLS.items()}
    fills["b"] = rng.choice(OOS_HARD_FILLS["a"]) if kind == "acronym" else rng.choice(brands).lower()
    fills["c"] = rng.choice(brands).lower()
    text = rng.choice(OOS_HARD[kind]).format(**fills)
    if rng.random() < 0.15:
        text = rng.choice(["quick question, ", "random question but ", "hey, ", "off topic but ", "ok so ", "btw "]) + text
    ctx = NONE if rng.random() < 0.7 else shown_context(cat, rng)[0]
    return ex(text, ctx, "out_of_scope", rng)


POLICY_MISREAD = {
    "payment": ["do you take crypto", "can i pay with bitcoin", "do you accept apple pay", "klarna available?", "can i pay later",
                "is paypal an option", "do you do afterpay", "can i pay in ethereum", "do you take venmo", "can i use google pay here",
                "do you take debit cards", "pay in 4?", "can i spread the cost over a few months", "is there a buy now pay later option",
                "do you accept affirm", "can i pay with my paypal balance", "crypto payments?", "do you accept dogecoin", "can i pay by bank transfer",
                "what cards do you accept", "can i use two cards for one order", "can i pay half now and half later", "does klarna work for this",
                "apple pay ok?", "can i check out with paypal", "do you take mastercard", "is paying later possible"],
    "contact": ["do you have a physical store", "is there a showroom i can visit", "can i pick it up in person", "where are you based",
                "where are you located", "do you have a shop i can go to", "can i come see the products in person", "are you online only",
                "what country are you based in", "do you have a store in portland", "is there a retail location", "can i visit your office",
                "where's your headquarters", "do you have a brick and mortar shop", "can i come in and try things on", "are you a real shop or just a website",
                "what city are you in", "where is your company located", "do you have any stores near me"],
    "privacy": ["do you keep my chat history", "how long do you keep this conversation", "is this chat saved", "do you store what i type here",
                "what cookies do you use", "can i turn off cookies", "delete my chat history", "do you track me across sites",
                "how long is my data retained", "what's your data retention policy", "do you record these chats", "will you remember this conversation",
                "who can read this chat", "do you use tracking cookies", "can i opt out of cookies", "is my data shared with advertisers",
                "do you sell my chat logs", "how do i get my data deleted"],
}


def policy_misread(cat: Catalog, rng: random.Random) -> dict:
    """Payment methods, a physical store and chat-data questions: policy questions that look out of scope."""
    topic = rng.choice(list(POLICY_MISREAD))
    text = rng.choice(POLICY_MISREAD[topic])
    if rng.random() < 0.15:
        text = rng.choice(["quick question, ", "hey, ", "before i order, ", "um ", "also "]) + text
    ctx = NONE if rng.random() < 0.75 else shown_context(cat, rng)[0]
    return ex(text, ctx, "policy_question", rng, policy_topic=topic)


def capability_greeting(cat: Catalog, rng: random.Random) -> dict:
    """'what do you guys sell', 'what can you help me with': labelled greeting like 'what can you do'."""
    text = rng.choice(["what do you guys sell", "what can you help me with", "what kind of stuff do you have", "what do you sell",
                       "what sort of products do you have", "what's in your store", "what kinds of things do you sell", "what does this shop sell",
                       "what can i buy here", "what are you for", "what stuff do you carry", "what do you have in stock generally",
                       "so what is this store", "what can this chat do", "what can you help with exactly", "what kind of products do you guys do"])
    if rng.random() < 0.25:
        text = rng.choice(["hi, ", "hey ", "hello, ", "hi there, ", "ok "]) + text
    return ex(text, NONE, "greeting", rng)


DEFECTS_ANY = ["broke after two days", "came with a crack in it", "came scuffed", "showed up with a dent", "fell apart after a week",
               "arrived in pieces", "is already falling apart"]
DEFECTS_POWERED = ["stopped working after a week", "won't charge", "keeps turning off", "died after a few uses", "won't turn on",
                   "makes a weird rattling noise", "smells burnt", "stopped working after two days"]
DEFECTS_SAID = DEFECTS_ANY + DEFECTS_POWERED
DEFECT_ITEMS = {
    "earbuds": ["arrived with one side dead", "only works on one side", "won't pair with anything"], "headphones": ["only work on one side", "won't pair with anything"],
    "blender": ["leaks", "stopped spinning"], "kettle": ["leaks", "stopped heating up"], "air fryer": ["stopped heating up"], "speaker": ["crackles"],
    "smartwatch": ["has a dead pixel", "won't pair with my phone"], "laptop": ["has a dead pixel", "won't boot"], "phone": ["has a dead pixel"],
    "power bank": ["won't hold a charge"], "hair dryer": ["blows cold air only"], "coffee maker": ["leaks everywhere"], "stand mixer": ["stopped spinning"],
    "backpack": ["ripped at the seam", "has a broken zip"], "jacket": ["ripped at the seam", "has a broken zip"], "shoes": ["the sole came off"],
    "tent": ["has a broken pole", "leaks"], "yoga mat": ["is peeling"], "hoodie": ["fell apart after one wash", "shrank in the first wash"],
    "suitcase": ["has a broken wheel", "has a broken handle"],
}
_UNPOWERED = {"backpack", "jacket", "shoes", "tent", "yoga mat", "hoodie", "suitcase"}


def defect_return(cat: Catalog, rng: random.Random) -> dict:
    """A defect said without the word return ('my blender stopped working after a week') is a return; a refund plus
    asking for a person is human_agent (the person wins)."""
    item = rng.choice(list(DEFECT_ITEMS))
    defect = rng.choice(DEFECT_ITEMS[item] * 2 + DEFECTS_ANY + ([] if item in _UNPOWERED else DEFECTS_POWERED))
    r = rng.random()
    if r < 0.5:
        text = rng.choice(["the {i} i ordered {d}", "my {i} {d}", "the {i} you sent {d}", "got my {i} and it {d}", "the {i} i bought here {d}",
                           "my new {i} {d}", "just got the {i} and it already {d}", "so the {i} {d}", "ugh my {i} {d}",
                           "the {i} from you guys {d}"]).format(i=item, d=defect)
        return ex(text, NONE, "return_request", rng)
    if r < 0.75:
        ctx, shown, _ = shown_context(cat, rng)
        got = _brand_ref(shown, rng)
        if got is None:
            product = rng.choice(shown)
            name = line_words(product)[:1] or [product.brand.lower()]
            phrase, canon = f"the {name[0]}", name[0]
        else:
            phrase, canon = got
        text = rng.choice(["{r} i ordered last month {d}", "i bought {r} and it {d}", "{r} i got from you {d}", "my {c} {d}",
                           "i have {r} already and it {d}"]).format(r=phrase, d=defect, c=canon)
        return ex(text, ctx, "return_request", rng, product_refs=[canon])
    text = rng.choice(["my {i} {d}, i want a refund and i want to talk to a real person", "refund please, and get me a human, the {i} {d}",
                       "the {i} {d}. i want my money back, can i speak to someone", "i need a refund for my {i} and i'd like to talk to an agent",
                       "put me through to a person, my {i} {d} and i want a refund", "can a human process my refund, the {i} {d}",
                       "i want a refund for the {i}, let me talk to customer service", "the {i} {d}, i'd rather sort the refund with a real person"]).format(i=item, d=defect)
    return ex(text, NONE if rng.random() < 0.7 else shown_context(cat, rng)[0], "human_agent", rng)


RETURN_ITEMS = ["stand mixer", "headphones", "running shoes", "air fryer", "backpack", "rain jacket", "laptop", "earbuds", "kettle", "jeans",
                "dutch oven", "smartwatch", "board game", "yoga mat", "suitcase", "hoodie", "phone case", "blender", "sunscreen", "tent"]


def return_with_order(cat: Catalog, rng: random.Random) -> dict:
    """'i want to return the stand mixer from order 100019': the order id is the digits (or NW-... when said), never the product."""
    item = rng.choice(RETURN_ITEMS)
    if rng.random() < 0.55:
        written = oid = str(rng.randrange(100001, 100051))
    else:
        written, oid = _order_id(rng)
    text = rng.choice(["i want to return the {i} from order {o}", "return the {i} from {o}", "the {i} in order {o} needs to go back",
                       "can i send back the {i} from order {o}", "refund the {i} on order {o}", "i'd like to return the {i}, order {o}",
                       "the {i} from order number {o} isn't what i expected", "starting a return for the {i} in {o}", "{i} from order {o}, i want a refund",
                       "return my {i}, order number {o}", "the {i} i got in order {o} is broken, i want to return it"]).format(i=item, o=written)
    slots: dict = {"order_id": oid}
    if rng.random() < 0.2:
        slots["email"] = _email(rng)
        text += rng.choice([", my email is {}", ", email {}", " ({})"]).format(slots["email"])
    return ex(text, NONE, "return_request", rng, **slots)


FAMILIES = [
    (search, 0.22), (not_carried, 0.02), (refine, 0.08), (product_question, 0.06), (compare, 0.04), (order, 0.045),
    (return_request, 0.03), (policy, 0.06), (human, 0.025), (greeting, 0.02), (out_of_scope, 0.07), (named_products, 0.03),
    (refine_more, 0.06), (question_more, 0.05), (compare_more, 0.04), (order_more, 0.03), (return_more, 0.025),
    (policy_more, 0.035), (human_more, 0.02), (greeting_more, 0.015), (oos_more, 0.07), (browse, 0.03),
    # fourth round
    (audience_search, 0.025), (brand_line_search, 0.025), (spec_search, 0.025), (occasion_search, 0.015), (size_followup, 0.02),
    (price_direction, 0.025), (shown_questions, 0.035), (buy_shown, 0.012), (named_spec_question, 0.015), (oos_hard, 0.05),
    (policy_misread, 0.02), (capability_greeting, 0.008), (defect_return, 0.015), (return_with_order, 0.01),
]


def _key(text: str) -> str:
    return " ".join(text.lower().strip(" ?.!").split())


def held_out_texts() -> set[str]:
    """The development and test sets' messages: an example that happens to say the same is
    dropped, so that training never sees an evaluation utterance (short ones like "hello" collide)."""
    texts: set[str] = set()
    for name in ("dev.jsonl", "test.jsonl"):
        lines = (files("assistant.intent_data") / name).read_text(encoding="utf-8").splitlines()
        texts.update(_key(json.loads(line)["text"]) for line in lines if line.strip())
    return texts


def generate(n: int, seed: int = 13, products: list[Product] | None = None) -> list[dict]:
    rng = random.Random(seed)
    cat = build_catalog(products or load_catalog())
    funcs, weights = zip(*FAMILIES)
    held_out = held_out_texts()
    rows: list[dict] = []
    while len(rows) < n:
        row = rng.choices(funcs, weights)[0](cat, rng)
        if _key(row["text"]) not in held_out:
            rows.append(row)
    return rows


def main() -> None:  # pragma: no cover
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("intent_train.jsonl")
    rows = generate(n)
    out.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} examples -> {out}")


if __name__ == "__main__":  # pragma: no cover
    main()
