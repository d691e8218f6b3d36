"""Product question and comparison families: questions about the products on screen
(``product_question``, ``question_more``, ``shown_questions``, and ``buy_shown``, which is a
stock question), questions and comparisons naming catalog products with nothing on screen
(``named_products``, ``named_spec_question``) and comparisons (``compare``, ``compare_more``).
"""

from __future__ import annotations

import random

from assistant.intent.data.generate.common import FEATURES, NONE, Catalog, _an, ex, pick_attribute, shown_context, shown_in, spoken_size
from assistant.intent.data.generate.refs import _AUDIENCE_TITLE_WORDS, _GENERIC, ORDINALS, _brand_ref, _ref, line_words, model_name


def product_question(cat: Catalog, rng: random.Random) -> dict:
    ctx, shown, _ = shown_context(cat, rng)
    phrase, ref = _ref(shown, rng)
    key = pick_attribute(cat, rng)
    words = rng.choice(cat.attributes[key])
    if key == "description":
        text = rng.choice(
            ["tell me more about {r}", "more details on {r}", "what can you tell me about {r}", "{r}, tell me more", "describe {r}"]
        ).format(r=phrase)
    else:
        text = rng.choice(
            [
                "what's the {w} of {r}",
                "{r}: {w}?",
                "how about the {w} on {r}",
                "does {r} have {w}",
                "what is the {w} like on {r}",
                "{w} of {r}?",
                "and the {w} for {r}",
            ]
        ).format(w=words, r=phrase)
    return ex(text, ctx, "product_question", rng, product_refs=[ref], attribute=key)


def compare(cat: Catalog, rng: random.Random) -> dict:
    ctx, shown, _ = shown_context(cat, rng)
    r = rng.random()
    if r < 0.3:
        text = rng.choice(
            ["compare them", "compare all of them", "how do they compare", "which one is best", "compare these", "side by side please"]
        )
        return ex(text, ctx, "compare_products", rng, product_refs=["all"])
    if r < 0.5 and len(shown) >= 2:
        if rng.random() < 0.3:
            text = rng.choice(
                [
                    "whats the difference between the first and the last",
                    "first vs last",
                    "compare the first one and the last one",
                    "the first or the last, which is better",
                ]
            )
            return ex(text, ctx, "compare_products", rng, product_refs=["1", "-1"])
        text = rng.choice(["compare the first two", "first two side by side", "compare 1 and 2", "the first and second, which is better"])
        return ex(text, ctx, "compare_products", rng, product_refs=["1", "2"])
    a, ra = _ref(shown, rng)
    b, rb = _ref(shown, rng)
    if ra == rb or "it" in (ra, rb):
        return ex("compare them", ctx, "compare_products", rng, product_refs=["all"])
    text = rng.choice(
        [
            "compare {a} and {b}",
            "{a} vs {b}",
            "which is better, {a} or {b}?",
            "difference between {a} and {b}",
            "how does {a} compare to {b}",
        ]
    ).format(a=a.removeprefix("the "), b=b)
    return ex(text, ctx, "compare_products", rng, product_refs=[ra, rb])


def named_products(cat: Catalog, rng: random.Random) -> dict:
    """Questions and comparisons naming catalog products, with nothing on screen."""
    category = rng.choice([c for c in cat.titles if len(cat.titles[c]) >= 2])
    a, b = rng.sample(cat.titles[category], 2)
    name_a = rng.choice([f"{a.brand.lower()} {model_name(a)}".strip(), a.brand.lower()])
    name_b = rng.choice([f"{b.brand.lower()} {model_name(b)}".strip(), b.brand.lower()])
    if rng.random() < 0.5 and name_a != name_b:
        text = rng.choice(
            [
                "{a} or {b}, which is better",
                "which is better {a} or {b}",
                "{a} vs {b}",
                "compare the {a} with the {b}",
                "should i get the {a} or the {b}",
                "{a} or {b} for everyday use",
                "difference between {a} and {b}?",
            ]
        ).format(a=name_a, b=name_b)
        return ex(text, NONE, "compare_products", rng, product_refs=[name_a, name_b])
    features = [k for k in FEATURES if a.attributes.get(k) is not None]
    if features and rng.random() < 0.3:  # "is the kitchenaid artisan dishwasher safe": the feature is not part of the name
        key = rng.choice(features)
        text = rng.choice(["is the {a} {w}", "is the {a} {w}?", "the {a}, is it {w}", "{a} {w} or not"]).format(
            a=name_a, w=rng.choice(FEATURES[key])
        )
        return ex(text, NONE, "product_question", rng, product_refs=[name_a], attribute=key)
    key = pick_attribute(cat, rng)
    words = rng.choice(cat.attributes[key])
    if key == "description":
        text = rng.choice(["tell me about the {a}", "what's the {a} like", "is the {a} any good"]).format(a=name_a)
    else:
        text = rng.choice(["what's the {w} of the {a}", "does the {a} have {w}", "{w} on the {a}?", "how is the {w} on the {a}"]).format(
            w=words, a=name_a
        )
    return ex(text, NONE, "product_question", rng, product_refs=[name_a], attribute=key)


# -- families aimed at what the first adapter got wrong (written fresh, never from dev.jsonl) --


def _said_attribute(cat: Catalog, key: str, rng: random.Random) -> str:
    """A noun-like phrase for an attribute ("battery life", not "how long does it last")."""
    phrases = [
        p
        for p in cat.attributes[key]
        if p.split()[0] not in ("how", "what", "is", "does", "do", "suitable", "fit", "for", "last", "on", "single")
    ]
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
        key, text = rng.choice(
            [
                ("color", "what colours does {r} come in"),
                ("color", "is {r} available in other colours"),
                ("size", "what sizes does {r} come in"),
                ("material", "what is {r} made of"),
                ("price", "how much is {r}"),
                ("price", "what does {r} cost"),
                ("stock", "is {r} in stock"),
                ("stock", "can i get {r} today"),
                ("rating", "how is {r} rated"),
                ("description", "is {r} good for running"),
                ("description", "would {r} suit a beginner"),
                ("brand", "who makes {r}"),
                ("weight_kg", "how heavy is {r}"),
                ("wireless", "does {r} work with bluetooth"),
                ("waterproof", "can {r} get wet"),
                ("battery_life_hours", "how many hours does {r} last"),
                ("battery_life_hours", "how long will {r} run on one charge"),
                ("battery_life_hours", "hours of battery on {r}?"),
                ("gender", "is {r} for women"),
                ("gender", "is {r} a men's shoe"),
                ("gender", "are {r} unisex"),
                ("cushioning", "how much cushioning does {r} have"),
                ("cushioning", "is {r} well cushioned"),
                ("weight_kg", "what does {r} weigh"),
                ("rating", "do people like {r}"),
                ("rating", "is {r} any good"),
            ]
        )
        if key not in cat.attributes:
            key, text = "price", "how much is {r}"
        return ex(text.format(r=phrase), ctx, "product_question", rng, product_refs=[canon], attribute=key)
    if r < 0.6:
        key = pick_attribute(cat, rng, exclude=("description", "brand"))
        words = _said_attribute(cat, key, rng)
        text = rng.choice(
            [
                "are they {w}",
                "what about {w} on these",
                "do these have {w}",
                "how's the {w} on them",
                "{w} on all of them?",
                "do they all have {w}",
                "what's their {w}",
            ]
        ).format(w=words)
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
        text = rng.choice(
            [
                "are both the {a} and the {b} one {w}",
                "do the {a} and {b} ones have {w}",
                "{w} on the {a} and the {b}?",
                "are the {a} and the {b} both {w}",
                "is either the {a} or the {b} {w}",
            ]
        ).format(a=said_a, b=said_b, w=words)
        return ex(text, ctx, "product_question", rng, product_refs=refs, attribute=key)
    key = pick_attribute(cat, rng)
    words = _said_attribute(cat, key, rng)
    text = rng.choice(["so {r}, what's the {w}", "{r} - {w}?", "quick one, {w} of {r}", "what's {r}'s {w}", "hmm and {w} for {r}"]).format(
        r=phrase, w=words
    )
    return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute=key)


COMPARE_PURPOSES = [
    "for commuting",
    "for school",
    "for a beginner",
    "for long trips",
    "for the money",
    "for everyday use",
    "for running",
    "for my kid",
    "for work",
    "for travel",
    "overall",
    "in your opinion",
]


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
        text = rng.choice(
            ["{a} vs {b} {p}", "{a} or {b} {p}", "{a} versus {b}, {p}", "{a} or the {b}? {p}", "which is better {p}, {a} or {b}"]
        ).format(a=name_a, b=name_b, p=rng.choice(COMPARE_PURPOSES))
        return ex(text, NONE, "compare_products", rng, product_refs=[name_a, name_b])
    ctx, shown, _ = shown_context(cat, rng)
    if r < 0.65:
        key = pick_attribute(cat, rng, exclude=("description", "brand", "stock"))
        words = _said_attribute(cat, key, rng)
        text = rng.choice(
            ["which has the best {w}", "which one has the most {w}", "which of these has better {w}", "who wins on {w}", "rank them by {w}"]
        ).format(w=words)
        return ex(text, ctx, "compare_products", rng, product_refs=["all"], attribute=key)
    a, ra = _brand_ref(shown, rng) or _ref(shown, rng)
    b, rb = _brand_ref(shown, rng) or _ref(shown, rng)
    if ra == rb or "it" in (ra, rb):
        text = rng.choice(
            [
                "the first two, which one should i pick",
                "between the first two, which is better",
                "1 or 2?",
                "1st or 2nd, which would you get",
            ]
        )
        return ex(text, ctx, "compare_products", rng, product_refs=["1", "2"])
    if r < 0.8:
        key = pick_attribute(cat, rng, exclude=("description", "brand", "stock"))
        words = _said_attribute(cat, key, rng)
        text = rng.choice(["is {a} as good as {b} for {w}", "does {a} beat {b} on {w}", "{a} or {b}, which has better {w}"]).format(
            a=a.removeprefix("the "), b=b, w=words
        )
        return ex(text, ctx, "compare_products", rng, product_refs=[ra, rb], attribute=key)
    text = rng.choice(
        [
            "put {a} and {b} next to each other",
            "{a} against {b}",
            "show {a} and {b} side by side",
            "weigh up {a} vs {b} for me",
            "is {a} better than {b}",
        ]
    ).format(a=a.removeprefix("the "), b=b)
    return ex(text, ctx, "compare_products", rng, product_refs=[ra, rb])


# -- fourth round: words the adapter dropped, spoken follow-ups, hard negatives ----------------

#: two values of one catalog attribute, per category: ("over ear or on ear", key)
ALTERNATIVES = {
    "headphones": [
        ("over ear or on ear", "type"),
        ("in ear or over ear", "type"),
        ("on-ear or over-ear", "type"),
        ("earbuds or over ear", "type"),
        ("wired or wireless", "wireless"),
        ("bluetooth or wired", "wireless"),
    ],
    "shoes": [
        ("leather or mesh", "material"),
        ("for men or women", "gender"),
        ("men's or women's", "gender"),
        ("trail or road", "type"),
        ("running or casual", "type"),
        ("suede or leather", "material"),
    ],
    "apparel": [
        ("cotton or polyester", "material"),
        ("for men or for women", "gender"),
        ("slim or regular fit", "fit"),
        ("nylon or cotton", "material"),
    ],
    "laptops": [
        ("windows or mac", "os"),
        ("windows or chromeos", "os"),
        ("intel or amd", "cpu"),
        ("8 or 16 gb of ram", "ram_gb"),
        ("aluminum or plastic", "material"),
    ],
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
    wet = (
        [c for c in ("shoes", "apparel", "bags", "headphones", "electronics") if c in cat.titles]
        if cat.demo
        else [c for c, ps in cat.titles.items() if any("waterproof" in p.attributes for p in ps)]
    )
    alternatives = ALTERNATIVES if cat.demo else cat.alternatives
    asked = [c for c in alternatives if c in cat.titles and any(k in keys for _, k in alternatives[c])]
    if 0.25 <= r < 0.42 and not wet or 0.42 <= r < 0.6 and not asked:
        r = rng.random() * 0.25  # nothing in this catalog to ask that way: a question about the reviews
    if r < 0.25:
        ctx, shown, _ = shown_context(cat, rng)
        phrase, canon = _brand_ref(shown, rng) or _ref(shown, rng)
        if rng.random() < 0.3:
            text = rng.choice(
                [
                    "any good?",
                    "worth it?",
                    "is it worth it",
                    "what are the reviews like",
                    "what do people say about it",
                    "reviews?",
                    "is it any good",
                    "how are the reviews",
                    "worth the money?",
                    "do people like it",
                    "good reviews?",
                ]
            )
            return ex(text, ctx, "product_question", rng, product_refs=["it"], attribute="rating")
        if rng.random() < 0.2:
            text = rng.choice(
                [
                    "are these any good",
                    "are they worth it",
                    "what do people say about these",
                    "reviews on these?",
                    "are any of them any good",
                    "what are people saying about them",
                ]
            )
            return ex(text, ctx, "product_question", rng, product_refs=["all"], attribute="rating")
        text = rng.choice(
            [
                "is {r} any good",
                "{r} any good?",
                "is {r} worth it",
                "{r}, worth it?",
                "reviews for {r}?",
                "what do people say about {r}",
                "what are the reviews like on {r}",
                "how are reviews on {r}",
                "is {r} worth the money",
                "any reviews of {r}",
                "do people rate {r}",
                "what do customers think of {r}",
                "{r} reviews",
                "is {r} good or nah",
                "is {r} actually good",
            ]
        ).format(r=phrase)
        return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute="rating")
    if r < 0.42:
        category = rng.choice(wet)
        ctx, shown = shown_in(cat, rng, category)
        phrase, canon = _brand_ref(shown, rng) or _ref(shown, rng)
        if category == "shoes":
            words = [
                "will {r} keep my feet dry",
                "do {r} keep your feet dry",
                "can {r} survive the rain",
                "are {r} ok in puddles",
                "can i wear {r} in the rain",
                "will my feet stay dry in {r}",
                "are {r} ok for wet weather",
                "would {r} survive a downpour",
            ]
            bare = ["will these keep my feet dry", "ok in puddles?", "can they survive the rain", "will my feet get wet in these"]
        else:
            words = [
                "can {r} survive the rain",
                "is {r} ok in the rain",
                "will {r} keep my stuff dry",
                "can {r} get wet",
                "would {r} survive a downpour",
                "is {r} fine in wet weather",
            ]
            bare = ["can it survive the rain", "ok in the rain?", "will it survive a storm", "does it cope with rain"]
        if rng.random() < 0.3:
            text = rng.choice(bare)
            canon = "all" if "these" in text or "they" in text else "it"
        else:
            text = rng.choice(words).format(r=phrase)
        return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute="waterproof")
    if r < 0.6:
        category = rng.choice(asked)
        options = [(w, k) for w, k in alternatives[category] if k in keys]
        ctx, shown = shown_in(cat, rng, category)
        words, key = rng.choice(options)
        phrase, canon = _brand_ref(shown, rng) or _ref(shown, rng)
        if rng.random() < 0.3:
            text = rng.choice(["are they {w}", "are these {w}", "{w}?", "{w} on these?"]).format(w=words)
            canon = "all" if "these" in text or "they" in text else "it"
        else:
            text = rng.choice(["is {r} {w}", "{r}, is it {w}", "are {r} {w}", "is {r} {w}?", "{w}, {r}?", "what about {r}, {w}"]).format(
                r=phrase, w=words
            )
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
        template = rng.choice(
            [
                "does {r} come in {a} {s}",
                "do {r} come in size {s}",
                "is {r} available in {a} {s}",
                "can i get {r} in {a} {s}",
                "do you have {r} in {a} {s}",
                "{r} in {a} {s}?",
                "does {r} come in a size {s}",
                "is there {a} {s} in {r}",
            ]
        )
        template = template.replace("{a} {s}", "{s}") if "size {s}" in template else template
        text = (
            template.format(r=said_ref, a=a, s=said)
            .replace("does they", "do they")
            .replace("does these", "do these")
            .replace("is these", "are these")
            .replace("is they", "are they")
        )
        return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute="size", size=size)
    if not cat.colors:
        return shown_questions(cat, rng)
    ctx, shown, _ = shown_context(cat, rng)
    color = rng.choice(cat.colors)
    phrase, canon = _brand_ref(shown, rng) or _ref(shown, rng)
    if rng.random() < 0.35:
        text = rng.choice(
            ["does it come in {c}", "does that come in {c}", "is it available in {c}", "can i get it in {c}", "any chance it comes in {c}"]
        ).format(c=color)
        canon = "it"
    else:
        text = rng.choice(
            [
                "does {r} come in {c}",
                "is {r} available in {c}",
                "can i get {r} in {c}",
                "do they make {r} in {c}",
                "{r} in {c}?",
                "is there {r} in {c}",
            ]
        ).format(r=phrase, c=color)
    return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute="color", color=color)


def buy_shown(cat: Catalog, rng: random.Random) -> dict:
    """'add the bose to my cart', "i'll take the second pair": buying a shown product, a question
    about it whose attribute is "cart"."""
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
    text = rng.choice(
        [
            "add {r} to my cart",
            "add {r} to the basket",
            "i'll take {r}",
            "i'll get {r}",
            "put {r} in my basket",
            "put {r} in my cart",
            "i want to buy {r}",
            "buy {r}",
            "ok i'll go with {r}",
            "let's go with {r}",
            "i'll order {r}",
            "can i buy {r}",
            "add {r} please",
            "{r} into the cart please",
            "i'll grab {r}",
            "checkout with {r}",
            "sold, {r}",
            "gimme {r}",
            "i'd like to purchase {r}",
            "go ahead and order {r} for me",
        ]
    ).format(r=phrase)
    return ex(text, ctx, "product_question", rng, product_refs=[canon], attribute="cart")


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


_NAME_STOP = {
    "waterproof",
    "gore-tex",
    "road",
    "stability",
    "neutral",
    "leather",
    "cotton",
    "mirrorless",
    "portable",
    "bluetooth",
    "smartwatch",
    "gps",
    "noise",
    "cancelling",
    "hiking",
    "trail",
    "sneakers",
    "sandals",
    "building",
    "set",
    "game",
    "kit",
}


def named_spec_question(cat: Catalog, rng: random.Random) -> dict:
    """'how many pieces in the lego city fire station', 'how heavy is the macbook air': a named product, nothing on screen."""
    questions = NAMED_KEY_QUESTIONS if cat.demo else {**NAMED_KEY_QUESTIONS, **cat.key_questions}
    pool = [(p, k) for ps in cat.titles.values() for p in ps for k in questions if k in p.attributes and p.brand]
    if not pool:
        return named_products(cat, rng)
    product, key = rng.choice(pool)
    words = (
        product.title.split()[len(product.brand.split()) :]
        if product.title.lower().startswith(product.brand.lower())
        else product.title.split()
    )
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
    text = rng.choice(questions[key]).format(n=name)
    return ex(text, NONE, "product_question", rng, product_refs=[name], attribute=key)
