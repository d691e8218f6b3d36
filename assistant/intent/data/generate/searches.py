"""Search families (``search_products`` with nothing on screen): free product searches with
every kind of constraint (``search``), whole categories and brands (``browse``) and products
the store does not carry (``not_carried``); from the fourth round, audience words kept in the
query (``audience_search``), a brand with its product line (``brand_line_search``), specs and
numbers that are no price (``spec_search``) and gift occasions (``occasion_search``).
"""

from __future__ import annotations

import random

from assistant.intent.data.generate.common import (
    ADJECTIVE_TYPES,
    CATEGORY_NOUNS,
    CATEGORY_ONLY,
    EXTRA_NOUNS,
    MODIFIERS,
    NONE,
    Catalog,
    _title_nouns,
    ex,
    money,
    spoken_size,
)
from assistant.intent.data.generate.refs import line_words
from retrieval.catalog import Product

SEARCH_OPENERS = [
    "",
    "",
    "show me ",
    "i'm looking for ",
    "looking for ",
    "do you have ",
    "do you sell ",
    "i need ",
    "find me ",
    "any ",
    "got any ",
    "i want ",
    "i'd like ",
    "can you find ",
    "search for ",
    "help me find ",
    "where can i find ",
    "i want to buy ",
    "recommend ",
    "what ",
]
SEARCH_OPENERS += [
    "hi, do you guys carry ",
    "do you stock ",
    "i'm after ",
    "after a ",
    "in the market for ",
    "any chance you have ",
    "shopping for ",
    "need a new ",
    "i could use ",
    "i wanna get ",
    "lookin for ",
    "would like to see ",
    "what have you got in ",
    "do u have ",
    "got ",
    "can i get ",
    "have you got any ",
]
#: words a shopper adds that say nothing about the product: never part of the query
QUERY_FILLERS = ["decent", "good", "nice", "new", "proper", "really good", "solid", "cool", "some", "a couple of"]
SEARCH_CLOSERS = [
    "",
    "",
    "",
    "?",
    " please",
    " for my son",
    " for my wife",
    " for my dad",
    " as a gift",
    " thanks",
    " pls",
    ", mine just broke",
    ", my old one died",
    " asap",
    " if you have any",
    " thx",
]
#: purposes that narrow what the shopper wants: kept in the query
PURPOSES = [
    "for travel",
    "for the gym",
    "for kids",
    "for winter",
    "for camping",
    "for the office",
    "for small spaces",
    "for beginners",
    "for sensitive skin",
    "for long trips",
    "for rainy days",
    "for everyday use",
]
SORT_MODIFIERS = [
    ("price_asc", "cheap"),
    ("price_asc", "affordable"),
    ("price_asc", "budget friendly"),
    ("price_asc", "inexpensive"),
    ("price_desc", "high end"),
    ("price_desc", "premium"),
    ("price_desc", "the priciest"),
    ("price_desc", "the most expensive"),
    ("rating_desc", "top rated"),
    ("rating_desc", "the best rated"),
    ("rating_desc", "highly rated"),
    ("rating_desc", "the best selling"),
    ("rating_desc", "the most popular"),
    ("rating_desc", "best selling"),
    ("rating_desc", "the best rated"),
    ("rating_desc", "the highest rated"),
    ("price_desc", "the priciest"),
    ("price_asc", "the cheapest"),
    ("rating_desc", "the top rated"),
]
SORT_SUFFIXES = [
    ("price_asc", "that isn't too expensive"),
    ("price_asc", "on a budget"),
    ("price_asc", "that won't break the bank"),
    ("price_asc", "lowest price first"),
    ("price_desc", "priciest first"),
    ("rating_desc", "with the best reviews"),
    ("rating_desc", "that people rate highly"),
]


def search(cat: Catalog, rng: random.Random) -> dict:
    category = rng.choice(list(cat.nouns))
    noun = rng.choice(EXTRA_NOUNS[category] if cat.demo and category in EXTRA_NOUNS and rng.random() < 0.08 else cat.nouns[category])
    if not cat.demo and cat.category_words.get(category) and rng.random() < 0.15:  # "fragrances", "drills": the category's own word
        noun = rng.choice(cat.category_words[category])
    modifiers = MODIFIERS if cat.demo else cat.modifiers
    q_words = []
    if cat.features.get(category) and rng.random() < 0.3:
        q_words.append(rng.choice(cat.features[category]))
    if rng.random() < 0.12:
        q_words.insert(0, rng.choice(["lightweight", "durable", "compact", "comfortable", "warm", "portable"]))
    after, said_noun = "", noun
    if category in modifiers and rng.random() < 0.3:
        before, behind = modifiers[category]
        if before and (rng.random() < 0.55 or not behind):
            q_words.insert(rng.randrange(len(q_words) + 1), rng.choice(before))
        else:
            after = rng.choice(behind)
    elif rng.random() < 0.12:
        after = rng.choice(PURPOSES)
    if cat.demo and noun in CATEGORY_ONLY:  # "kitchen stuff" names the category and nothing more
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
    if rng.random() < 0.3 and cat.brands.get(category) and q_words and " " not in q_words[0] and rng.random() < 0.3:
        # "cordless Dyson vacuum": the brand inside the product words, not in the query
        slots["brand"] = rng.choice(cat.brands[category])
        first, rest = said_q.split(" ", 1) if " " in said_q else (said_q, "")
        said_q = f"{first} {slots['brand']} {rest}".strip()
    elif rng.random() < 0.3 and cat.brands.get(category):
        slots["brand"] = rng.choice(cat.brands[category])
        (pieces_before if rng.random() < 0.7 else pieces_after).append(
            slots["brand"] if pieces_before or rng.random() < 0.5 else f"from {slots['brand']}"
        )
    if rng.random() < 0.5 and category in cat.sizes and rng.random() < 0.6:
        slots["size"] = rng.choice(cat.sizes[category])
        pieces_after.append(rng.choice(["size {}", "in size {}", "in a {}", "size {}"]).format(slots["size"]))
    r = rng.random()
    if r < 0.35:
        price = rng.choice([15, 20, 25, 30, 40, 50, 60, 75, 80, 90, 100, 120, 150, 200, 250, 300, 500, 1000, 1500])
        slots["price_max"] = float(price)
        pieces_after.append(
            rng.choice(
                [
                    "under {}",
                    "below {}",
                    "less than {}",
                    "for under {}",
                    "no more than {}",
                    "max {}",
                    "up to {}",
                    "{} or less",
                    "cheaper than {}",
                    "budget {}",
                    "my budget is {}",
                    "budget's about {} max",
                    "{} max",
                    "{} tops",
                    "nothing over {}",
                ]
            ).format(money(price, rng, cat.currency))
        )
    elif r < 0.46:
        lo = rng.choice([20, 30, 50, 100, 200, 300, 400])
        hi = lo + rng.choice([20, 50, 100, 200])
        slots["price_min"], slots["price_max"] = float(lo), float(hi)
        if rng.random() < 0.25:  # bare numbers: "200 to 400", "50-100"
            pieces_after.append(rng.choice([", {} to {}", "{}-{}", ", {} - {}", "budget {} to {}"]).format(lo, hi).lstrip(", "))
        else:
            pieces_after.append(
                rng.choice(["between {} and {}", "from {} to {}", "{} to {}", "in the {} to {} range"]).format(
                    money(lo, rng, cat.currency), money(hi, rng, cat.currency)
                )
            )
    elif r < 0.57:
        price = rng.choice([50, 80, 100, 150, 200, 300, 500, 1000])
        slots["price_min"] = float(price)
        pieces_after.append(
            rng.choice(["over {}", "above {}", "more than {}", "at least {}", "{} and up", "{} or more", "starting at {}"]).format(
                money(price, rng, cat.currency)
            )
        )
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
        sort, phrase = rng.choice(
            [
                ("price_asc", "cheapest first"),
                ("price_asc", "sorted by price"),
                ("price_desc", "most expensive first"),
                ("rating_desc", "best rated"),
                ("rating_desc", "highest rated first"),
                ("rating_desc", "top rated"),
            ]
        )
        slots["sort"] = sort
        pieces_after.append(phrase)
    opener = rng.choice(SEARCH_OPENERS)
    if (pieces_before or [said_q])[0].startswith("the ") and rng.random() < 0.4:  # "what's the best rated air fryer"
        opener = rng.choice(["what's ", "whats ", "which is ", "what are ", "show me "])
    text = opener + " ".join([*pieces_before, said_q, *pieces_after]) + rng.choice(SEARCH_CLOSERS)
    slots["category"] = cat.category_slot(category, text)
    return ex(text, NONE, "search_products", rng, **slots)


#: how a shopper names a whole category ("stuff for my kitchen" -> c=kitchen, no query)
CATEGORY_WORDS = {
    "kitchen": ["kitchen stuff", "stuff for my kitchen", "kitchen things", "kitchenware"],
    "home": ["home stuff", "things for the house", "homeware"],
    "beauty": ["beauty", "beauty stuff", "skincare", "makeup"],
    "sports": ["sports stuff", "sports gear", "outdoor gear"],
    "electronics": ["electronics", "gadgets", "tech"],
    "groceries": ["groceries", "food", "pantry stuff"],
    "apparel": ["clothes", "clothing"],
    "toys": ["toys"],
    "shoes": ["shoes", "footwear"],
    "bags": ["bags"],
    "laptops": ["laptops"],
    "phones": ["phones"],
    "headphones": ["headphones"],
}
PRODUCT_CATEGORIES = {"toys", "shoes", "bags", "laptops", "phones", "headphones"}  # their word is also a product noun: kept as the query


def browse(cat: Catalog, rng: random.Random) -> dict:
    """A whole category or brand: "best sellers in beauty", "anything from lego over 100",
    "dyson". A word that only names the category or a brand's range is no query."""
    slots: dict = {}
    if rng.random() < 0.5:
        words = CATEGORY_WORDS if cat.demo else cat.category_words
        category = rng.choice(list(words))
        word = rng.choice(words[category])
        slots["category"] = cat.category_slot(category, word)
        if category in PRODUCT_CATEGORIES or not cat.demo:  # a store's category words are the query: it resolves them
            slots["query"] = word
        said = word
        template = rng.choice(
            [
                "{w}",
                "show me {w}",
                "what {w} do you have",
                "browse {w}",
                "i want to see your {w}",
                "any {w} on sale",
                "{w} please",
                "whats new in {w}",
            ]
        )
    else:
        owners = [c for c, bs in cat.brands.items()]
        category = rng.choice(owners)
        brand = rng.choice(cat.brands[category])
        slots["brand"] = brand
        if cat.demo and sum(brand in bs for bs in cat.brands.values()) == 1:
            slots["category"] = category
        said = brand if rng.random() < 0.6 else brand.lower()
        template = rng.choice(
            [
                "{w}",
                "{w}?",
                "anything from {w}",
                "what {w} stuff do you have",
                "{w} products",
                "show me {w}",
                "do you carry {w}",
                "got any {w}",
                "everything by {w}",
                "{w} range",
                "i love {w}, what do you have",
            ]
        )
    text = template.format(w=said)
    r = rng.random()
    if r < 0.25:
        sort, phrase = rng.choice(
            [
                ("rating_desc", "best sellers in {}"),
                ("rating_desc", "most popular {}"),
                ("rating_desc", "top rated {}"),
                ("price_asc", "cheapest {}"),
                ("price_desc", "most expensive {}"),
                ("rating_desc", "best selling {}"),
            ]
        )
        slots["sort"] = sort
        text = phrase.format(said)
    elif r < 0.45:
        price = rng.choice([20, 25, 50, 100, 150, 200])
        if rng.random() < 0.5:
            slots["price_max"] = float(price)
            text += " " + rng.choice(["under {}", "below {}", "for less than {}", "max {}"]).format(money(price, rng, cat.currency))
        else:
            slots["price_min"] = float(price)
            text += " " + rng.choice(["over {}", "above {}", "more than {}", "{} and up"]).format(money(price, rng, cat.currency))
    elif r < 0.55:
        slots["in_stock"] = True
        text += " " + rng.choice(["in stock", "that's in stock", "available now"])
    return ex(text, NONE, "search_products", rng, **slots)


def not_carried(cat: Catalog, rng: random.Random) -> dict:
    thing = rng.choice(
        [
            "lawn mowers",
            "car tyres",
            "a sofa",
            "pet food",
            "dog leashes",
            "garden hoses",
            "printer ink",
            "guitars",
            "a mattress",
            "motor oil",
            "fishing rods",
            "a refrigerator",
            "paint",
            "light bulbs",
            "baby strollers",
            "wine",
        ]
    )
    text = rng.choice(["do you sell {}", "{}", "i need {}", "looking for {}", "do you have {}?", "show me {}"]).format(thing)
    query = thing.removeprefix("a ").strip()
    return ex(text, NONE, "search_products", rng, query=query)


# -- fourth round: words the adapter dropped, spoken follow-ups, hard negatives ----------------

#: who a product is for, said before the noun ("womens hiking boots") or after it ("for adults"): kept in the query
AUDIENCE_BEFORE = {
    "shoes": ["womens", "women's", "mens", "men's", "kids", "kids'", "boys", "girls", "ladies", "unisex"],
    "apparel": ["womens", "women's", "mens", "men's", "kids", "kids'", "boys", "girls", "ladies", "unisex", "toddler"],
    "toys": ["kids", "toddler", "baby", "adult"],
    "headphones": ["kids", "kids'"],
    "sports": ["kids", "womens", "mens", "adult"],
    "bags": ["womens", "mens", "kids"],
    "beauty": ["mens", "kids", "baby"],
    "electronics": ["kids", "womens", "mens"],
}
_ADULTS = ["for women", "for men", "for adults", "for kids", "for teens", "for boys", "for girls", "for ladies"]
AUDIENCE_AFTER = {
    "shoes": _ADULTS + ["for little kids", "for toddlers"],
    "apparel": _ADULTS + ["for toddlers", "for babies", "for little kids"],
    "toys": [
        "for adults",
        "for kids",
        "for toddlers",
        "for teens",
        "for grown ups",
        "for little kids",
        "for babies",
        "for boys",
        "for girls",
    ],
    "headphones": ["for kids", "for adults", "for little kids", "for teens"],
    "sports": _ADULTS,
    "bags": _ADULTS,
    "beauty": ["for men", "for women", "for kids", "for babies", "for teens"],
    "electronics": ["for kids", "for women", "for men", "for teens"],
}
AUDIENCE_NOUNS = {
    "shoes": [
        "hiking boots",
        "running shoes",
        "trail running shoes",
        "sneakers",
        "sandals",
        "hiking shoes",
        "trainers",
        "walking shoes",
        "slides",
        "clogs",
        "boots",
        "rain boots",
    ],
    "apparel": [
        "rain jacket",
        "hoodie",
        "jeans",
        "t-shirt",
        "leggings",
        "down jacket",
        "socks",
        "sweater",
        "raincoat",
        "fleece",
        "puffer jacket",
        "shorts",
        "base layer",
        "hiking socks",
    ],
    "toys": [
        "puzzle",
        "jigsaw puzzle",
        "board game",
        "building set",
        "card game",
        "science kit",
        "walkie talkies",
        "remote control car",
        "marble run",
        "stem kit",
        "plush",
    ],
    "headphones": ["headphones", "earbuds", "over-ear headphones", "headphones with volume limit"],
    "sports": ["bike helmet", "yoga mat", "dumbbells", "water bottle", "sleeping bag", "tennis racket"],
    "bags": ["backpack", "hiking backpack", "crossbody bag", "tote", "gym bag"],
    "beauty": ["sunscreen", "moisturizer", "face wash", "shampoo"],
    "electronics": ["smartwatch", "fitness tracker", "gps watch"],
}
SIMPLE_OPENERS = [
    "",
    "",
    "",
    "show me ",
    "i'm looking for ",
    "looking for ",
    "do you have ",
    "do you sell ",
    "i need ",
    "find me ",
    "any ",
    "got any ",
    "i want ",
    "can you find ",
    "search for ",
    "help me find ",
    "i'm after ",
    "need ",
    "lookin for ",
    "do u have ",
    "can i see ",
    "have you got ",
]


def _price_tail(rng: random.Random, slots: dict, currency: str = "USD") -> str:
    r = rng.random()
    if r < 0.3:
        price = rng.choice([25, 40, 50, 60, 80, 100, 120, 150, 200])
        slots["price_max"] = float(price)
        return " " + rng.choice(["under {}", "below {}", "for less than {}", "max {}", "no more than {}"]).format(
            money(price, rng, currency)
        )
    if r < 0.38:
        price = rng.choice([50, 100, 150])
        slots["price_min"] = float(price)
        return " " + rng.choice(["over {}", "above {}", "at least {}"]).format(money(price, rng, currency))
    return ""


def audience_search(cat: Catalog, rng: random.Random) -> dict:
    """'womens hiking boots', "men's rain jacket with a hood", 'puzzle for adults': the audience stays in the query."""
    if not cat.demo:
        return _store_audience_search(cat, rng)
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
    tail += _price_tail(rng, slots, cat.currency)
    text = rng.choice(SIMPLE_OPENERS) + said + tail + rng.choice(["", "", "", "?", " please", " thanks", " pls"])
    return ex(text, NONE, "search_products", rng, **slots)


def _store_audience_search(cat: Catalog, rng: random.Random) -> dict:
    """The audience search in a catalog's own words: 'puppy food', 'jigsaw puzzle for adults'."""
    if not cat.audience:
        return search(cat, rng)
    category = rng.choice(sorted(cat.audience))
    before, after = cat.audience[category]
    noun = rng.choice(cat.nouns[category])
    words = [rng.choice(before), noun] if before and (rng.random() < 0.6 or not after) else [noun, rng.choice(after)]
    if cat.features.get(category) and rng.random() < 0.15:
        words.insert(0 if words[0] == noun else 1, rng.choice(cat.features[category]))
    query = " ".join(words)
    slots: dict = {"query": query}
    said = query
    if rng.random() < 0.15 and cat.brands.get(category):
        slots["brand"] = rng.choice(cat.brands[category])
        brand = slots["brand"] if rng.random() < 0.5 else slots["brand"].lower()
        said = f"{brand} {said}" if rng.random() < 0.6 else f"{said} from {brand}"
    if rng.random() < 0.2 and cat.colors:
        slots["color"] = rng.choice(cat.colors)
        said = f"{slots['color']} {said}"
    tail = ""
    if category in cat.sizes and rng.random() < 0.3:
        slots["size"] = rng.choice(cat.sizes[category])
        tail += " " + rng.choice(["size {}", "in size {}", "in {}"]).format(slots["size"])
    tail += _price_tail(rng, slots, cat.currency)
    text = rng.choice(SIMPLE_OPENERS) + said + tail + rng.choice(["", "", "", "?", " please", " thanks", " pls"])
    slots["category"] = cat.category_slot(category, text)
    return ex(text, NONE, "search_products", rng, **slots)


def _product_noun(product: Product, rng: random.Random, demo: bool = True) -> str:
    kind = str(product.attributes.get("type", "")).lower()
    base = CATEGORY_NOUNS.get(product.category, [product.category])[0]
    if not demo:
        return kind or rng.choice(_title_nouns(product) or [product.category])
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
    lines = ("shoes", "headphones", "laptops", "phones", "electronics", "bags", "kitchen", "sports", "beauty", "apparel")
    pool = [p for c in (lines if cat.demo else cat.titles) for p in cat.titles.get(c, []) if p.brand and line_words(p)]
    if not pool:
        return search(cat, rng)
    product = rng.choice(pool)
    line = rng.choice(line_words(product))
    noun = _product_noun(product, rng, cat.demo) if rng.random() < 0.8 else ""
    query = f"{line} {noun}".strip()
    brand = product.brand if rng.random() < 0.4 else product.brand.lower()
    slots: dict = {"query": query, "brand": product.brand}
    said = f"{brand} {query}"
    if rng.random() < 0.12:
        said = f"{query} by {brand}" if noun else said
    if rng.random() < 0.15 and cat.colors:
        slots["color"] = rng.choice(cat.colors)
        said = rng.choice([f"{said} in {slots['color']}", f"{slots['color']} {said}"])
    tail = ""
    if product.category in cat.sizes and rng.random() < 0.3:
        slots["size"] = rng.choice(cat.sizes[product.category])
        tail += " " + rng.choice(["size {}", "in a {}", "in size {}"]).format(
            spoken_size(slots["size"], rng) if rng.random() < 0.3 else slots["size"]
        )
    tail += _price_tail(rng, slots, cat.currency)
    text = rng.choice(SIMPLE_OPENERS) + said + tail + rng.choice(["", "", "?", " please", " thanks"])
    slots["category"] = cat.category_slot(product.category, text)
    return ex(text, NONE, "search_products", rng, **slots)


def _specs(rng: random.Random) -> tuple[str, str, str]:
    """(said, query, category) for a product with a number or spec that is no price."""
    n = rng.choice
    options = [
        lambda: (f"laptop with {n([8, 16, 24, 32])}gb {n(['ram', 'of ram', 'memory'])}", "laptops"),
        lambda: (f"{n([16, 32])}gb ram {n(['laptop', 'gaming laptop', 'ultrabook'])}", "laptops"),
        lambda: (
            f"laptop with {n(['512gb', '1tb', '256gb', 'a 1tb ssd'])} {n(['storage', 'of storage', 'ssd'])}".replace("ssd ssd", "ssd"),
            "laptops",
        ),
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
        lambda: (
            f"{n(['fragrance free', 'fragrance-free', 'unscented', 'scent free'])} {n(['sunscreen', 'moisturizer', 'cleanser', 'body lotion', 'face moisturizer', 'serum'])}",
            "beauty",
        ),
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
    if cat.demo:
        said, query, category = _specs(rng)
    elif cat.specs:
        said, category = rng.choice(cat.specs)
        query = said
    else:
        return search(cat, rng)
    slots: dict = {"query": query}
    if rng.random() < 0.12 and cat.colors:
        slots["color"] = rng.choice(cat.colors)
        said = f"{said} in {slots['color']}"
    tail = _price_tail(rng, slots, cat.currency) if rng.random() < 0.7 else ""
    if not tail and rng.random() < 0.08:
        slots["sort"] = "price_asc"
        tail = rng.choice([" cheapest first", ", the cheapest you have"])
    text = rng.choice(SIMPLE_OPENERS) + said + tail + rng.choice(["", "", "", "?", " please", " thx"])
    slots["category"] = cat.category_slot(category, text)
    return ex(text, NONE, "search_products", rng, **slots)


OCCASIONS = [
    "birthday present for my nephew",
    "birthday gift for my niece",
    "christmas gift for my dad",
    "anniversary gift for my wife",
    "something for my sister's graduation",
    "secret santa gift",
    "housewarming present",
    "mother's day gift",
    "father's day present",
    "gift for my boyfriend",
    "present for my grandson",
    "stocking stuffer",
    "baby shower gift",
    "retirement gift for my boss",
    "birthday present for my 8 year old",
    "gift for a coworker",
    "valentine's gift for my girlfriend",
    "wedding present",
    "graduation gift for my son",
    "something for my mum's 60th",
    "christmas present for my brother",
    "thank you gift for my teacher",
]
OCCASION_PRODUCTS = {
    "toys": [
        "remote control car",
        "board game",
        "jigsaw puzzle",
        "building set",
        "marble run",
        "walkie talkies",
        "science kit",
        "plush unicorn",
        "card game",
        "train set",
        "dollhouse",
    ],
    "kitchen": ["stand mixer", "espresso machine", "air fryer", "dutch oven", "travel mug", "coffee maker", "chef's knife", "kettle"],
    "home": ["candle", "throw blanket", "air purifier", "table lamp", "towels"],
    "beauty": ["hair dryer", "face oil", "lip balm", "serum"],
    "headphones": ["headphones", "wireless earbuds", "noise cancelling headphones"],
    "electronics": ["smartwatch", "bluetooth speaker", "power bank", "fitness tracker"],
    "sports": ["yoga mat", "water bottle", "camping chair", "dumbbells"],
    "bags": ["backpack", "tote bag", "duffel bag"],
    "apparel": ["hoodie", "sweater", "down jacket"],
}


def occasion_search(cat: Catalog, rng: random.Random) -> dict:
    """'birthday present for my nephew, maybe a remote control car under 40 bucks': the query is the product, not the occasion."""
    products = OCCASION_PRODUCTS if cat.demo else cat.nouns
    category = rng.choice(list(products))
    product = rng.choice(products[category])
    slots: dict = {"query": product}
    occasion = rng.choice(OCCASIONS)
    art = "some" if product.endswith("s") and not product.endswith("ss") else "an" if product[0] in "aeiou" else "a"
    if not occasion.startswith(("something", "stocking")):
        occasion = ("an " if occasion[0] in "aeiou" else "a ") + occasion if rng.random() < 0.5 else occasion
    joined = rng.choice(
        [
            "{o}, maybe {a} {p}",
            "{o}, thinking {a} {p}",
            "{o} - {a} {p} maybe",
            "looking for {o}, maybe {a} {p}",
            "need {o}. {a} {p}?",
            "{o}, something like {a} {p}",
            "i need {o}, probably {a} {p}",
            "{a} {p} as {o}",
            "{a} {p} for {o}",
            "shopping for {o}, i was thinking {a} {p}",
            "{o}... {a} {p} could work",
            "{o}, any {p} ideas",
            "it's for {o}, {a} {p} maybe",
        ]
    )
    text = joined.format(o=occasion, a=art, p=product)
    if rng.random() < 0.15 and cat.brands.get(category):
        slots["brand"] = rng.choice(cat.brands[category])
        text += rng.choice([" from {}", ", {} if possible", ", ideally {}"]).format(
            slots["brand"] if rng.random() < 0.5 else slots["brand"].lower()
        )
    r = rng.random()
    if r < 0.55:
        price = rng.choice([20, 25, 30, 40, 50, 60, 75, 100, 150, 200, 300])
        slots["price_max"] = float(price)
        text += rng.choice(
            [
                " under {}",
                ", under {}",
                " for less than {}",
                ", budget around {} max",
                " no more than {}",
                ", nothing over {}",
                ", max {}",
                " below {}",
            ]
        ).format(money(price, rng, cat.currency))
    elif r < 0.65:
        lo = rng.choice([20, 30, 50, 100])
        hi = lo + rng.choice([20, 30, 50])
        slots["price_min"], slots["price_max"] = float(lo), float(hi)
        text += rng.choice([" between {} and {}", ", {} to {}"]).format(money(lo, rng, cat.currency), money(hi, rng, cat.currency))
    slots["category"] = cat.category_slot(category, text)
    return ex(text, NONE, "search_products", rng, **slots)
