"""Refinement families (``search_products`` follow-ups, mostly with products on screen):
cheaper, pricier, colour, budget, brand, size, sort, stock, features and dropped constraints
(``refine``), spoken sizes, two constraints at once and a new product type (``refine_more``),
a spoken size alone (``size_followup``) and prices in words with their direction
(``price_direction``, a new search half of the time).
"""

from __future__ import annotations

import random

from assistant.intent.data.generate.common import (
    CATEGORY_ONLY,
    NONE,
    Catalog,
    _an,
    currency_word,
    ex,
    money,
    number_words,
    shown_context,
    shown_in,
    spoken_size,
)
from assistant.intent.data.generate.searches import SIMPLE_OPENERS


def refine(cat: Catalog, rng: random.Random) -> dict:
    ctx, shown, category = shown_context(cat, rng)
    r = rng.random()
    if r < 0.17:
        text = rng.choice(
            [
                "cheaper",
                "something cheaper",
                "anything cheaper?",
                "too expensive",
                "cheaper ones please",
                "less expensive",
                "a bit cheaper",
                "show me cheaper options",
                "those are too pricey",
            ]
        )
        return ex(text, ctx, "search_products", rng, relative_price="cheaper")
    if r < 0.22:
        text = rng.choice(
            ["something more premium", "higher end", "more expensive ones", "something nicer, price is ok", "better quality ones"]
        )
        return ex(text, ctx, "search_products", rng, relative_price="pricier")
    if r < 0.4 and cat.colors:
        color = rng.choice(cat.colors)
        text = rng.choice(
            ["in {}", "and in {}?", "do you have them in {}", "what about {}", "{} ones", "only {}", "any in {}?", "show me {} instead"]
        ).format(color)
        return ex(text, ctx, "search_products", rng, color=color)
    if r < 0.52:
        price = rng.choice([30, 50, 60, 80, 100, 150, 200, 300])
        text = rng.choice(
            ["under {} instead", "under {}", "what about under {}", "my budget is {}", "max {}", "nothing over {}", "keep it below {}"]
        ).format(money(price, rng, cat.currency))
        return ex(text, ctx, "search_products", rng, price_max=float(price))
    if r < 0.62:
        target, phrase = rng.choice(
            [
                ("brand", "any brand is fine"),
                ("brand", "brand doesn't matter"),
                ("color", "any color is ok"),
                ("color", "colour doesn't matter"),
                ("size", "any size"),
                ("price", "forget the budget"),
                ("price", "price is no object"),
                ("brand", "i don't care about the brand"),
            ]
        )
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
        sort, text = rng.choice(
            [
                ("price_asc", "sort by price"),
                ("price_asc", "cheapest first"),
                ("rating_desc", "which ones have the best reviews"),
                ("rating_desc", "sort by rating"),
                ("price_desc", "most expensive first"),
            ]
        )
        return ex(text, ctx, "search_products", rng, sort=sort)
    if r < 0.92:
        text = rng.choice(["only the ones in stock", "in stock only", "which are available now", "hide the sold out ones"])
        return ex(text, ctx, "search_products", rng, in_stock=True)
    feature = rng.choice(cat.features.get(category) or ["lightweight"])
    text = rng.choice(["{} ones?", "any {} ones", "i need {}", "only {}", "what about {} ones"]).format(feature)
    return ex(text, ctx, "search_products", rng, query=feature)


# -- families aimed at what the first adapter got wrong (written fresh, never from dev.jsonl) --

LEADS = ["", "", "", "actually ", "ok ", "hmm ", "and ", "now ", "right, ", "oh and ", "wait, ", "fine, "]


def refine_more(cat: Catalog, rng: random.Random) -> dict:
    """Follow-ups with products on screen: sizes in words, two constraints at once, a new
    product type, sort and stock wording, lead-in words."""
    ctx, shown, category = shown_context(cat, rng)
    lead = rng.choice(LEADS)
    r = rng.random()
    if r < 0.2 and category in cat.sizes:
        size = rng.choice(cat.sizes[category])
        said = spoken_size(size, rng) if rng.random() < 0.7 else size
        text = rng.choice(
            [
                "in a {}",
                "what about a {}",
                "got them in {}?",
                "i'm a {}",
                "have these in {}?",
                "do they come in a {}",
                "{} for me",
                "my size is {}",
                "need it in {}",
            ]
        ).format(said)
        return ex(lead + text, ctx, "search_products", rng, size=size)
    if r < 0.4 and cat.colors:
        price = rng.choice([40, 50, 70, 80, 100, 120, 200])
        color = rng.choice(cat.colors)
        slots = {"price_max": float(price), "color": color}
        text = rng.choice(
            ["{p} max and {c}", "in {c}, under {p}", "under {p} and in {c}", "{c} ones below {p}", "something {c} for less than {p}"]
        ).format(p=money(price, rng, cat.currency), c=color)
        if rng.random() < 0.3:
            text = rng.choice(["cheaper, ", "too pricey, ", "less expensive, "]) + rng.choice(
                ["under {}", "like below {}", "max {}"]
            ).format(money(price, rng, cat.currency))
            slots = {"price_max": float(price)}
        return ex(lead + text, ctx, "search_products", rng, **slots)
    if r < 0.55 and len(cat.nouns) > 1:
        other = rng.choice([c for c in cat.nouns if c != category])
        noun = rng.choice(cat.nouns[other])
        text = rng.choice(
            [
                "{n} instead",
                "show me {n} now",
                "let's look at {n}",
                "switch to {n}",
                "what about {n}?",
                "i also need {n}",
                "can you show me {n} too",
            ]
        ).format(n=noun)
        return ex(lead + text, ctx, "search_products", rng, query=noun, category=cat.category_slot(other, text))
    if r < 0.7:
        sort, text = rng.choice(
            [
                ("price_asc", "lowest price first"),
                ("price_asc", "cheapest on top"),
                ("price_asc", "order them by price"),
                ("price_desc", "priciest first"),
                ("price_desc", "most expensive on top"),
                ("rating_desc", "best reviewed first"),
                ("rating_desc", "sort them by stars"),
                ("rating_desc", "highest rating first"),
            ]
        )
        return ex(lead + text, ctx, "search_products", rng, sort=sort)
    if r < 0.8:
        text = rng.choice(
            [
                "only ones i can get now",
                "just what's in stock",
                "ones you actually have",
                "available ones only",
                "can you hide what's sold out",
            ]
        )
        return ex(lead + text, ctx, "search_products", rng, in_stock=True)
    target, phrase = rng.choice(
        [
            ("price", "drop the price limit"),
            ("price", "budget doesn't matter anymore"),
            ("price", "ignore the price"),
            ("brand", "any make is fine"),
            ("brand", "forget the brand"),
            ("color", "the colour isn't important"),
            ("color", "any colour works"),
            ("size", "size doesn't matter"),
        ]
    )
    clear = ["price_min", "price_max"] if target == "price" else [target]
    return ex(lead + phrase, ctx, "search_products", rng, clear=clear)


# -- fourth round: words the adapter dropped, spoken follow-ups, hard negatives ----------------


def size_followup(cat: Catalog, rng: random.Random) -> dict:
    """A spoken size alone with shoes (or clothes) on screen: 'ten and a half', 'in an eleven please', 'got a nine?'."""
    if not cat.demo:
        if not cat.sizes:
            return refine(cat, rng)
        category = rng.choice(sorted(cat.sizes))
    else:
        category = "shoes" if "shoes" in cat.sizes and (rng.random() < 0.8 or "apparel" not in cat.sizes) else "apparel"
    ctx, shown = shown_in(cat, rng, category)
    size = rng.choice(cat.sizes[category])
    said = spoken_size(size, rng) if rng.random() < 0.75 else size
    if category == "apparel" and rng.random() < 0.3:
        said = {"S": "small", "M": "medium", "L": "large", "XL": "xl", "XS": "xs", "XXL": "xxl"}.get(size, said)
    a = _an(said)
    if cat.demo and rng.random() < 0.15:
        aud = rng.choice(["womens", "mens", "women's", "men's", "kids"])
        text = rng.choice(
            [
                "{g} ones in a size {s}",
                "{g} in {s}",
                "do you have {g} in {a} {s}",
                "{g} ones, size {s}",
                "{g} {s}",
                "the {g} version in {a} {s}",
            ]
        ).format(g=aud, s=said, a=a)
        return ex(text, ctx, "search_products", rng, query=aud, size=size)
    text = rng.choice(
        [
            "{s}",
            "{s} please",
            "in {a} {s} please",
            "in {a} {s}",
            "got {a} {s}?",
            "{s} if you have it",
            "do you have {a} {s}",
            "i'm {a} {s}",
            "i'm usually {a} {s}",
            "i wear {a} {s}",
            "size {s}",
            "need {a} {s}",
            "{s} for me",
            "any in {s}?",
            "have them in {a} {s}?",
            "just {a} {s}",
            "what about {a} {s}",
            "my size is {s}",
            "i take {a} {s}",
            "{s} would be great",
            "can i get them in {a} {s}",
            "{s} thanks",
            "is there {a} {s}",
            "show me {s}s",
            "only {s}",
        ]
    ).format(s=said, a=a)
    if text.endswith("s") and "show me" in text and not said.replace(" ", "").isalpha():
        text = f"show me size {said}"
    return ex(rng.choice(LEADS) + text, ctx, "search_products", rng, size=size)


PRICE_MAX_WORDS = [
    "under {}",
    "below {}",
    "no more than {}",
    "less than {}",
    "at most {}",
    "not over {}",
    "cheaper than {}",
    "up to {}",
    "{} tops",
    "max {}",
    "{} max",
    "{} or under",
    "{} or less",
    "nothing above {}",
    "i don't want to spend more than {}",
    "can't go over {}",
    "keep it under {}",
    "under {} please",
    "not more than {}",
    "no higher than {}",
    "within {}",
    "less than {} if possible",
    "anything below {}",
    "my limit is {}",
    "spend {} at the most",
]
PRICE_MIN_WORDS = [
    "over {}",
    "above {}",
    "at least {}",
    "more than {}",
    "{} or more",
    "{} and up",
    "{} plus",
    "starting from {}",
    "no less than {}",
    "not under {}",
    "upwards of {}",
    "minimum {}",
    "something over {}",
    "north of {}",
    "nothing under {}",
    "more than {} is fine",
    "higher than {}",
    "above {} please",
    "from {} up",
    "{} and above",
    "at least {} please",
]


def _price_words(value: int, rng: random.Random, currency: str = "USD") -> str:
    said = number_words(value, rng) if rng.random() < 0.75 else str(value)
    return said + currency_word(rng, currency)


def price_direction(cat: Catalog, rng: random.Random) -> dict:
    """'under five hundred' / 'over three hundred' with number words, as a new search or a follow-up; max and min balanced."""
    value = rng.choice([20, 30, 40, 50, 60, 75, 80, 90, 100, 120, 150, 180, 200, 250, 300, 400, 500, 600, 800, 1000])
    is_max = rng.random() < 0.5
    phrase = rng.choice(PRICE_MAX_WORDS if is_max else PRICE_MIN_WORDS).format(_price_words(value, rng, cat.currency))
    slot = {"price_max" if is_max else "price_min": float(value)}
    if rng.random() < 0.5:
        ctx, _shown, _category = shown_context(cat, rng)
        text = rng.choice(LEADS) + rng.choice(
            ["{}", "{}", "ones {}", "show me ones {}", "anything {}?", "what do you have {}", "only {}", "what about {}", "any {}"]
        ).format(phrase)
        return ex(text, ctx, "search_products", rng, **slot)
    category = rng.choice(list(cat.nouns))
    noun = rng.choice([n for n in cat.nouns[category] if n not in CATEGORY_ONLY] or cat.nouns[category])
    text = rng.choice(SIMPLE_OPENERS) + rng.choice(
        [
            "{n} {p}",
            "{n} {p}",
            "{n}, {p}",
            "{n} for {p}" if is_max and not phrase.startswith(("i ", "can't", "keep", "my", "spend")) else "{n} {p}",
            "any {n} {p}",
        ]
    ).format(n=noun, p=phrase)
    return ex(text, NONE, "search_products", rng, query=noun, category=cat.category_slot(category, text), **slot)
