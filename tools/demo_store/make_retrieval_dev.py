"""Build ``retrieval_dev.jsonl``: a graded retrieval development set over the demo catalog.

Run ``python -m tools.demo_store.make_retrieval_dev`` after ``generate`` (it reads
``catalog.jsonl``, so product ids, stock and colours always match the catalog).

Each query below has:

* ``text``        - hand-written shopper language;
* ``constraints`` - the HARD constraints stated explicitly in the text, limited to
  category, brand, color, size, price_min, price_max, in_stock;
* ``g2``          - predicate for a full match of the shopper's need (grade 2);
* ``g1``          - optional predicate for a partial match (grade 1): the right kind
  of product that misses a soft aspect.

Products that violate a hard constraint never get a grade. A product matching
``g2`` gets 2, else one matching ``g1`` gets 1. At most ``MAX_RELEVANT`` ids are
kept per query: grade 2 before grade 1, then higher rating, more reviews, id.
"""

from __future__ import annotations

import json
from pathlib import Path

#: the bundled demo data this script writes (assistant/demo/ of the repository)
HERE = Path(__file__).resolve().parents[2] / "assistant" / "demo"
CATALOG_PATH = HERE / "catalog.jsonl"
OUT_PATH = HERE / "retrieval_dev.jsonl"
MAX_RELEVANT = 30
CONSTRAINT_KEYS = {"category", "brand", "color", "size", "price_min", "price_max", "in_stock"}


# --------------------------------------------------------------------------
# A tiny predicate language over catalog products
# --------------------------------------------------------------------------


class AtLeast:
    def __init__(self, x):
        self.x = x

    def __call__(self, v):
        return isinstance(v, (int, float)) and not isinstance(v, bool) and v >= self.x


class AtMost:
    def __init__(self, x):
        self.x = x

    def __call__(self, v):
        return isinstance(v, (int, float)) and not isinstance(v, bool) and v <= self.x


class Between:
    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi

    def __call__(self, v):
        return isinstance(v, (int, float)) and not isinstance(v, bool) and self.lo <= v <= self.hi


class Has:
    """Case-insensitive substring test on a string attribute."""

    def __init__(self, s):
        self.s = s.lower()

    def __call__(self, v):
        return isinstance(v, str) and self.s in v.lower()


def _value_ok(actual, expected) -> bool:
    if callable(expected):
        return expected(actual)
    if isinstance(expected, list):
        return any(_value_ok(actual, e) for e in expected)
    if isinstance(actual, list):  # e.g. size lists
        return expected in actual
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.lower() == expected.lower()
    return actual == expected


def P(category=None, type=None, brand=None, title=None, tags=None, tags_all=None, price=None, **attrs):
    """Predicate: every given field must match.

    title / tags: a string or list of strings, any of which must occur (case-insensitive
    substring of the title; exact tag). tags_all: all tags required. price: a callable
    such as AtMost(60). Remaining keywords test ``attributes`` (missing attribute = no match).
    """

    def pred(p):
        a = p["attributes"]
        if category is not None and not _value_ok(p["category"], category):
            return False
        if type is not None and not _value_ok(a.get("type"), type):
            return False
        if brand is not None and not _value_ok(p["brand"], brand):
            return False
        if title is not None:
            opts = [title] if isinstance(title, str) else title
            if not any(o.lower() in p["title"].lower() for o in opts):
                return False
        if tags is not None:
            opts = [tags] if isinstance(tags, str) else tags
            if not any(t in p["tags"] for t in opts):
                return False
        if tags_all is not None and not all(t in p["tags"] for t in tags_all):
            return False
        if price is not None and not price(p["price"]):
            return False
        for k, v in attrs.items():
            if k not in a or not _value_ok(a[k], v):
                return False
        return True

    return pred


def AND(*preds):
    return lambda p: all(q(p) for q in preds)


def OR(*preds):
    return lambda p: any(q(p) for q in preds)


def NOT(pred):
    return lambda p: not pred(p)


def satisfies(p: dict, c: dict) -> bool:
    """Does product ``p`` meet the hard constraints ``c``?"""
    a = p["attributes"]
    if "category" in c and p["category"] != c["category"]:
        return False
    if "brand" in c and p["brand"].lower() != c["brand"].lower():
        return False
    if "color" in c and a.get("color") != c["color"]:
        return False
    if "size" in c and c["size"] not in a.get("size", []):
        return False
    if "price_min" in c and p["price"] < c["price_min"]:
        return False
    if "price_max" in c and p["price"] > c["price_max"]:
        return False
    if c.get("in_stock") and p["stock"] <= 0:
        return False
    return True


# --------------------------------------------------------------------------
# Query specs (texts written by hand)
# --------------------------------------------------------------------------

SPECS: list[dict] = []


def Q(text, constraints=None, g2=None, g1=None):
    SPECS.append({"text": text, "constraints": constraints or {}, "g2": g2, "g1": g1})


RUNNING = ["running", "trail"]
JACKETS = ["rain jacket", "insulated jacket", "down jacket", "fleece", "denim jacket"]
BACKPACKS = ["backpack", "laptop backpack", "hiking backpack", "travel backpack"]
NC = P(noise_cancelling=True)

# ---- shoes -----------------------------------------------------------------
Q("waterproof running shoes under $80", {"category": "shoes", "price_max": 80}, g2=P(type=RUNNING, waterproof=True), g1=P(type=RUNNING))
Q("waterproof running shoes size 10", {"category": "shoes", "size": "10"}, g2=P(type=RUNNING, waterproof=True), g1=P(type=RUNNING))
Q(
    "need running shoes that keep my feet dry, under 80 bucks, US 10",
    {"category": "shoes", "price_max": 80, "size": "10"},
    g2=P(type=RUNNING, waterproof=True),
    g1=P(type=RUNNING),
)
Q("men's trail running shoes", {"category": "shoes"}, g2=P(type="trail", gender="men"), g1=P(type="trail"))
Q("nike running shoes for women", {"category": "shoes", "brand": "Nike"}, g2=P(type=RUNNING, gender="women"), g1=P(type=RUNNING))
Q("hiking boots", {"category": "shoes"}, g2=P(type="boot", tags="hiking"), g1=P(type="hiking"))
Q("sandals for the beach", {"category": "shoes"}, g2=P(type="sandal"))
Q("white sneakers", {"category": "shoes", "color": "white"}, g2=P(type="casual", tags="sneakers"), g1=P(type=RUNNING))
Q(
    "black leather boots in a size 9",
    {"category": "shoes", "color": "black", "size": "9"},
    g2=P(type="boot", material=Has("leather")),
    g1=P(type="boot"),
)
Q("stability shoes for overpronation", {"category": "shoes"}, g2=P(support="stability"), g1=P(type="running"))
Q("asics gel", {"brand": "ASICS"}, g2=P(title="Gel-"))
Q("running shoes between $100 and $150", {"category": "shoes", "price_min": 100, "price_max": 150}, g2=P(type=RUNNING))
Q(
    "comfy shoes for standing all day at work",
    {},
    g2=P(category="shoes", cushioning=["soft", "max"]),
    g1=P(category="shoes", type=["running", "casual"]),
)
Q("red running shoes size 11", {"category": "shoes", "color": "red", "size": "11"}, g2=P(type=RUNNING))
Q("salomon speedcross", {"brand": "Salomon"}, g2=P(title="Speedcross"), g1=P(type="trail"))
Q("gore-tex shoes", {"category": "shoes"}, g2=P(tags="gore-tex"), g1=P(waterproof=True))
Q("cheap slides to wear after a long run", {"category": "shoes"}, g2=AND(P(type="sandal"), P(price=AtMost(40))), g1=P(type="sandal"))
Q(
    "women's waterproof hiking shoes size 8",
    {"category": "shoes", "size": "8"},
    g2=P(type=["hiking", "boot"], waterproof=True, gender="women"),
    g1=P(tags="hiking", waterproof=True),
)
Q("Birkenstocks", {"brand": "Birkenstock"}, g2=P(category="shoes"))

# ---- apparel ---------------------------------------------------------------
Q(
    "women's rain jacket",
    {"category": "apparel"},
    g2=P(type="rain jacket", gender="women"),
    g1=P(type="rain jacket", gender=["men", "unisex"]),
)
Q(
    "waterproof jacket in black, size M",
    {"category": "apparel", "color": "black", "size": "M"},
    g2=P(type="rain jacket"),
    g1=P(type=JACKETS),
)
Q("pink hoodie", {"category": "apparel", "color": "pink"}, g2=P(type="hoodie"))
Q("men's running t-shirt", {"category": "apparel"}, g2=P(type="t-shirt", tags="running", gender="men"), g1=P(type="t-shirt"))
Q("leggings for yoga", {"category": "apparel"}, g2=P(type="leggings"))
Q(
    "warm winter jacket under $100",
    {"category": "apparel", "price_max": 100},
    g2=P(type=["down jacket", "insulated jacket"]),
    g1=P(type=JACKETS, tags="warm"),
)
Q("levi's jeans in black", {"category": "apparel", "brand": "Levi's", "color": "black"}, g2=P(type="jeans"))
Q(
    "something warm to wear under my ski jacket",
    {},
    g2=P(category="apparel", type="base layer"),
    g1=P(category="apparel", type=["fleece", "sweater", "socks"], tags="warm"),
)
Q("merino wool socks", {"category": "apparel"}, g2=P(type="socks", material=Has("merino")))
Q("patagonia fleece", {"category": "apparel", "brand": "Patagonia"}, g2=P(type="fleece"), g1=P(tags="warm"))
Q(
    "men's jacket XL",
    {"category": "apparel", "size": "XL"},
    g2=P(type=JACKETS, gender="men"),
    g1=P(type=JACKETS, gender=["women", "unisex"]),
)
Q("cheap basic white tee", {"category": "apparel", "color": "white"}, g2=P(type="t-shirt", price=AtMost(20)), g1=P(type="t-shirt"))
Q("raincoat for my kid", {"category": "apparel"}, g2=P(type="rain jacket", gender="kids"))
Q(
    "red puffer jacket for women",
    {"category": "apparel", "color": "red"},
    g2=P(type=["down jacket", "insulated jacket"], gender="women"),
    g1=AND(P(type=JACKETS), NOT(P(gender="kids"))),
)
Q("north face nuptse", {"brand": "The North Face"}, g2=P(title="Nuptse"), g1=P(category="apparel"))
Q("organic cotton hoodie", {"category": "apparel"}, g2=P(type="hoodie", material=Has("organic cotton")), g1=P(type="hoodie"))
Q("women's leggings size S in stock", {"category": "apparel", "size": "S", "in_stock": True}, g2=P(type="leggings"))
Q("packable jacket for travel", {"category": "apparel"}, g2=P(type=JACKETS, tags="packable"), g1=P(type=JACKETS))

# ---- bags ------------------------------------------------------------------
Q("backpack that fits a 15 inch laptop", {"category": "bags"}, g2=P(type=BACKPACKS, laptop_size_in=AtLeast(15)), g1=P(type=BACKPACKS))
Q("waterproof backpack for cycling to work", {"category": "bags"}, g2=P(type=BACKPACKS, waterproof=True), g1=P(type=BACKPACKS))
Q("carry-on suitcase", {"category": "bags"}, g2=P(type="suitcase", tags="carry-on"), g1=OR(P(type="suitcase"), P(tags="carry-on")))
Q("red backpack", {"category": "bags", "color": "red"}, g2=P(type=BACKPACKS))
Q("black tote bag for work", {"category": "bags", "color": "black"}, g2=P(type="tote"), g1=P(type=["crossbody", "laptop backpack"]))
Q("fjallraven kanken", {"brand": "Fjällräven"}, g2=P(title="Kånken"))
Q("dry bag for kayaking", {"category": "bags"}, g2=P(type="dry bag"), g1=P(waterproof=True))
Q("duffel bag for weekend trips under $100", {"category": "bags", "price_max": 100}, g2=P(type="duffel"))
Q("leather crossbody bag", {"category": "bags"}, g2=P(type="crossbody", material=Has("leather")), g1=P(type="crossbody"))
Q("daypack for hiking", {"category": "bags"}, g2=P(type="hiking backpack"), g1=P(type=BACKPACKS, tags="hiking"))
Q("herschel backpack under $70", {"category": "bags", "brand": "Herschel", "price_max": 70}, g2=P(type=BACKPACKS))
Q(
    "big suitcase for a two week holiday",
    {"category": "bags"},
    g2=P(type="suitcase", capacity_l=AtLeast(80)),
    g1=P(type=["suitcase", "duffel"]),
)
Q("bum bag for festivals", {}, g2=P(type="hip pack"), g1=P(category="bags", type="crossbody"))

# ---- headphones ------------------------------------------------------------
Q("noise cancelling headphones", {"category": "headphones"}, g2=NC, g1=P(wireless=True))
Q("sony noise cancelling headphones", {"category": "headphones", "brand": "Sony"}, g2=NC, g1=P(category="headphones"))
Q("Bose QuietComfort", {"brand": "Bose"}, g2=P(title="QuietComfort"))
Q("wireless earbuds under $50", {"category": "headphones", "price_max": 50}, g2=P(type="in-ear", wireless=True), g1=P(type="in-ear"))
Q(
    "over-ear headphones with really long battery life",
    {"category": "headphones"},
    g2=P(type="over-ear", battery_life_hours=AtLeast(40)),
    g1=P(type="over-ear", wireless=True),
)
Q(
    "headphones for running",
    {"category": "headphones"},
    g2=P(tags=["running", "sport"]),
    g1=OR(P(type="in-ear", water_resistant=True), P(type="in-ear", waterproof=True)),
)
Q("wired studio headphones for mixing", {"category": "headphones"}, g2=P(tags="studio"), g1=P(type="over-ear", wireless=False))
Q("headphones for a 6 year old", {"category": "headphones"}, g2=P(tags="kids"))
Q("earbuds that won't fall out at the gym", {"category": "headphones"}, g2=P(tags="sport"), g1=P(type="in-ear", water_resistant=True))
Q("white airpods", {"category": "headphones", "brand": "Apple", "color": "white"}, g2=P(title="AirPods"))
Q(
    "black over-ear noise cancelling headphones under $200",
    {"category": "headphones", "color": "black", "price_max": 200},
    g2=P(type="over-ear", noise_cancelling=True),
    g1=P(type="over-ear"),
)
Q("earbuds I can sleep in", {"category": "headphones"}, g2=P(tags="sleep"), g1=P(type="in-ear", wireless=True, noise_cancelling=True))
Q("beats headphones in red", {"category": "headphones", "brand": "Beats", "color": "red"}, g2=P(category="headphones"))
Q(
    "best noise cancelling headphones for long flights, price doesn't matter",
    {"category": "headphones"},
    g2=AND(NC, P(tags="premium")),
    g1=NC,
)
Q("sennheiser headphones in stock", {"category": "headphones", "brand": "Sennheiser", "in_stock": True}, g2=P(category="headphones"))
Q("anc earbuds", {"category": "headphones"}, g2=P(type="in-ear", noise_cancelling=True), g1=P(noise_cancelling=True))
Q("open ear bone conduction headphones for cycling", {"category": "headphones"}, g2=P(type="open-ear"), g1=P(tags="sport"))
Q("budget headphones for the commute that block out noise", {"category": "headphones"}, g2=AND(NC, P(price=AtMost(130))), g1=NC)

# ---- electronics -----------------------------------------------------------
Q("usb-c charger 65w", {"category": "electronics"}, g2=P(type="charger", wattage=65), g1=P(type="charger", port="usb-c"))
Q(
    "portable charger for my phone, 20000mah or more",
    {"category": "electronics"},
    g2=P(type="power bank", capacity_mah=AtLeast(20000)),
    g1=P(type="power bank"),
)
Q(
    "fast charger for a samsung galaxy",
    {"category": "electronics"},
    g2=P(type="charger", brand="Samsung"),
    g1=P(type="charger", wattage=AtLeast(25)),
)
Q("apple watch", {"category": "electronics", "brand": "Apple"}, g2=P(type="smartwatch"))
Q(
    "gps watch for marathon training",
    {"category": "electronics"},
    g2=P(type="smartwatch", gps=True, tags="running"),
    g1=AND(P(type=["smartwatch", "fitness tracker"]), NOT(P(tags="kids"))),
)
Q("waterproof bluetooth speaker for the beach", {"category": "electronics"}, g2=P(type="speaker", waterproof=True), g1=P(type="speaker"))
Q("cheap bluetooth speaker", {"category": "electronics"}, g2=P(type="speaker", price=AtMost(60)), g1=P(type="speaker"))
Q("camera for vlogging", {"category": "electronics"}, g2=P(type="camera", title=["Vlogging", "EOS R50"]), g1=P(type="camera"))
Q("anker power bank", {"category": "electronics", "brand": "Anker"}, g2=P(type="power bank"))
Q("something to help me find my lost keys", {}, g2=P(type="tracker"))
Q(
    "mirrorless camera under $1000",
    {"category": "electronics", "price_max": 1000},
    g2=P(type="camera", title="Mirrorless"),
    g1=P(type="camera"),
)
Q("magsafe charging stand for iphone and apple watch", {"category": "electronics"}, g2=P(type="wireless charger"))
Q("external ssd 1tb", {"category": "electronics"}, g2=P(type="portable ssd"))
Q("gps smartwatch for kids", {"category": "electronics"}, g2=P(type="smartwatch", tags="kids"))
Q("smart plug that works with alexa", {"category": "electronics"}, g2=P(type="smart plug"))
Q("garmin", {"brand": "Garmin"}, g2=P(category="electronics"))
Q("laptop power bank 100w+", {"category": "electronics"}, g2=P(type="power bank", wattage=AtLeast(100)), g1=P(type="power bank"))
Q(
    "white iphone charger",
    {"category": "electronics", "color": "white"},
    g2=P(type="charger", tags="iphone"),
    g1=P(type="charger", port="usb-c"),
)

# ---- phones ----------------------------------------------------------------
Q("iphone 16 pro", {"category": "phones", "brand": "Apple"}, g2=P(type="smartphone", title="iPhone 16 Pro"), g1=P(type="smartphone"))
Q(
    "cheap android phone",
    {"category": "phones"},
    g2=P(type="smartphone", os="Android", price=AtMost(300)),
    g1=P(type="smartphone", os="Android"),
)
Q("samsung phone under $500", {"category": "phones", "brand": "Samsung", "price_max": 500}, g2=P(type="smartphone"))
Q("foldable phone", {"category": "phones"}, g2=P(foldable=True))
Q(
    "phone with the biggest battery",
    {"category": "phones"},
    g2=P(type="smartphone", battery_mah=AtLeast(6000)),
    g1=P(type="smartphone", battery_mah=AtLeast(5000)),
)
Q("rugged waterproof phone for construction work", {"category": "phones"}, g2=P(type="smartphone", waterproof=True), g1=P(tags="rugged"))
Q("case for iphone 16", {"category": "phones"}, g2=P(type="case", compatible_with="iPhone 16"), g1=P(type="case", tags="iphone"))
Q("pink phone", {"category": "phones", "color": "pink"}, g2=P(type="smartphone"))
Q("google pixel with the best camera", {"category": "phones", "brand": "Google"}, g2=P(title="Pixel 9 Pro"), g1=P(type="smartphone"))
Q("5g phone under 250 dollars", {"category": "phones", "price_max": 250}, g2=P(type="smartphone", network="5G"), g1=P(type="smartphone"))
Q("phone that comes with a stylus", {"category": "phones"}, g2=P(tags="stylus"))
Q("iphone in stock", {"category": "phones", "brand": "Apple", "in_stock": True}, g2=P(type="smartphone"))
Q("phone with 256gb storage", {"category": "phones"}, g2=P(type="smartphone", storage_gb=AtLeast(256)), g1=P(type="smartphone"))
Q(
    "small phone that's easy to use one-handed",
    {"category": "phones"},
    g2=P(type="smartphone", screen_size_in=AtMost(6.2)),
    g1=P(type="smartphone", screen_size_in=AtMost(6.3)),
)

# ---- laptops ---------------------------------------------------------------
Q(
    "lightweight laptop for college under $1000",
    {"category": "laptops", "price_max": 1000},
    g2=P(weight_kg=AtMost(1.5)),
    g1=P(category="laptops"),
)
Q("gaming laptop with an rtx 4070", {"category": "laptops"}, g2=P(type="gaming", gpu=Has("4070")), g1=P(type="gaming"))
Q("chromebook for my kid", {"category": "laptops"}, g2=P(type="chromebook"))
Q("macbook air", {"category": "laptops", "brand": "Apple"}, g2=P(title="MacBook Air"), g1=P(title="MacBook"))
Q("laptop with 32gb ram", {"category": "laptops"}, g2=P(ram_gb=AtLeast(32)), g1=P(ram_gb=AtLeast(24)))
Q("2 in 1 touchscreen laptop", {"category": "laptops"}, g2=P(type="2-in-1"), g1=P(touchscreen=True))
Q("dell laptops", {"category": "laptops", "brand": "Dell"}, g2=P(category="laptops"))
Q(
    "laptop for 4k video editing",
    {"category": "laptops"},
    g2=AND(P(ram_gb=AtLeast(24)), OR(P(tags="creator"), P(gpu=Has("RTX")))),
    g1=AND(P(ram_gb=AtLeast(16)), OR(P(tags="oled"), P(gpu=Has("RTX")), P(tags="creator"))),
)
Q("cheapest laptop you have", {"category": "laptops"}, g2=P(price=AtMost(300)), g1=P(price=AtMost(450)))
Q("silver laptop with 16gb ram", {"category": "laptops", "color": "silver"}, g2=P(ram_gb=AtLeast(16)), g1=P(category="laptops"))
Q(
    "business laptop with all-day battery",
    {"category": "laptops"},
    g2=P(type=["business", "ultrabook"], battery_life_hours=AtLeast(14)),
    g1=P(battery_life_hours=AtLeast(12)),
)
Q("windows laptop between $500 and $800", {"category": "laptops", "price_min": 500, "price_max": 800}, g2=P(os="Windows 11"))

# ---- home ------------------------------------------------------------------
Q(
    "cordless vacuum for pet hair",
    {"category": "home"},
    g2=P(type="vacuum", cordless=True, tags="pet hair"),
    g1=P(type=["vacuum", "robot vacuum"]),
)
Q("robot vacuum", {"category": "home"}, g2=P(type="robot vacuum"), g1=P(type="vacuum"))
Q("air purifier for allergies", {"category": "home"}, g2=P(type="air purifier"), g1=P(type="humidifier"))
Q("queen size sheets", {"category": "home"}, g2=P(type="bedding", bed_size="queen", title="Sheet"), g1=P(type="bedding", title="Sheet"))
Q("cozy throw blanket in grey", {"category": "home", "color": "grey"}, g2=P(type="throw blanket"))
Q("scented candle as a gift", {"category": "home"}, g2=P(type="candle"))
Q("smart lights that change colour", {"category": "home"}, g2=P(type="smart lighting"), g1=P(type="lamp", smart=True))
Q("something to help me wake up on dark winter mornings", {}, g2=P(type="alarm clock"), g1=P(type="smart lighting"))
Q("navy blackout curtains", {"category": "home", "color": "navy"}, g2=P(type="curtains"))
Q("dyson", {"brand": "Dyson"}, g2=lambda p: True)
Q("cooling sheets for hot sleepers", {"category": "home"}, g2=P(type="bedding", tags="cooling"), g1=P(type="bedding"))
Q("humidifier for a dry bedroom", {"category": "home"}, g2=P(type="humidifier"), g1=P(type="air purifier"))

# ---- kitchen ---------------------------------------------------------------
Q("something to keep coffee hot", {}, g2=P(keeps_hot_hours=AtLeast(6)), g1=P(keeps_hot_hours=AtLeast(2)))
Q("air fryer", {"category": "kitchen"}, g2=P(type="air fryer"), g1=P(tags="air fryer"))
Q(
    "espresso machine with built-in grinder",
    {"category": "kitchen"},
    g2=P(type="espresso machine", title="Grinder"),
    g1=P(type="espresso machine"),
)
Q("red stand mixer", {"category": "kitchen", "color": "red"}, g2=P(type="stand mixer"))
Q("cast iron pan", {"category": "kitchen"}, g2=P(type="skillet", material=Has("cast iron")), g1=P(material=Has("cast iron")))
Q("le creuset dutch oven in blue", {"category": "kitchen", "brand": "Le Creuset", "color": "blue"}, g2=P(type="dutch oven"))
Q("dutch oven under $100", {"category": "kitchen", "price_max": 100}, g2=P(type="dutch oven"), g1=P(material=Has("cast iron")))
Q("stanley tumbler", {"brand": "Stanley"}, g2=P(type="tumbler"), g1=P(insulated=True))
Q("electric kettle for tea", {"category": "kitchen"}, g2=P(type="kettle"))
Q("nonstick frying pan", {"category": "kitchen"}, g2=P(type="frying pan"), g1=P(type="skillet"))
Q(
    "gift under $50 for someone who loves baking",
    {"price_max": 50},
    g2=P(category="kitchen", tags="baking"),
    g1=P(category="kitchen", tags="gift"),
)
Q("blender for smoothies", {"category": "kitchen"}, g2=P(type="blender"), g1=P(type="food processor"))
Q("travel mug that doesn't leak", {}, g2=P(type="travel mug", leakproof=True), g1=P(type=["tumbler", "vacuum bottle", "water bottle"]))
Q("green thermos", {"color": "green"}, g2=P(tags="thermos"), g1=P(insulated=True))

# ---- sports ----------------------------------------------------------------
Q("yoga mat", {"category": "sports"}, g2=P(type="yoga mat"))
Q(
    "thick yoga mat in purple",
    {"category": "sports", "color": "purple"},
    g2=P(type="yoga mat", thickness_mm=AtLeast(5)),
    g1=P(type="yoga mat"),
)
Q("adjustable dumbbells", {"category": "sports"}, g2=P(type="dumbbells", brand="Bowflex"), g1=P(type=["dumbbells", "kettlebell"]))
Q("basketball for outdoor courts", {"category": "sports"}, g2=P(type="basketball", outdoor=True), g1=P(type="basketball"))
Q("4 person tent", {"category": "sports"}, g2=P(type="tent", capacity_people=4), g1=P(type="tent"))
Q("pink bike helmet for kids", {"category": "sports", "color": "pink"}, g2=P(type="bike helmet", tags="kids"), g1=P(type="bike helmet"))
Q("tennis racket for a beginner", {"category": "sports"}, g2=P(type="tennis racket", price=AtMost(60)), g1=P(type="tennis racket"))
Q("home workout gear under $30", {"category": "sports", "price_max": 30}, g2=P(tags=["fitness", "home gym", "strength"]))
Q("hydro flask 32 oz", {"brand": "Hydro Flask"}, g2=P(title="32 oz"), g1=P(type="water bottle"))
Q("sleeping bag for cold nights", {"category": "sports"}, g2=P(type="sleeping bag"))
Q("stuff for a camping trip", {}, g2=P(tags="camping"), g1=P(tags="outdoor"))

# ---- beauty ----------------------------------------------------------------
Q(
    "moisturizer for dry skin",
    {"category": "beauty"},
    g2=P(type="moisturizer", skin_type="dry"),
    g1=OR(P(type=["moisturizer", "body lotion"]), P(type="face oil", skin_type="dry")),
)
Q(
    "fragrance free cleanser for sensitive skin",
    {"category": "beauty"},
    g2=P(type="cleanser", skin_type="sensitive", fragrance_free=True),
    g1=P(type="cleanser", fragrance_free=True),
)
Q("sunscreen spf 50 or higher", {"category": "beauty"}, g2=P(spf=AtLeast(50)), g1=P(spf=AtLeast(15)))
Q("the ordinary serum under $10", {"category": "beauty", "brand": "The Ordinary", "price_max": 10}, g2=P(type="serum"))
Q("vegan skincare", {"category": "beauty"}, g2=P(vegan=True, tags="skincare"), g1=P(vegan=True))
Q("dyson hair dryer in blue", {"category": "beauty", "brand": "Dyson", "color": "blue"}, g2=P(type="hair dryer"), g1=P(tags="hair tools"))
Q("red lipstick", {"category": "beauty", "color": "red"}, g2=P(type="lipstick"), g1=P(tags="lips"))
Q("something for acne", {}, g2=P(tags="acne"), g1=P(category="beauty", skin_type="oily"))
Q("waterproof mascara", {"category": "beauty"}, g2=P(type="mascara", waterproof=True), g1=P(type="mascara"))
Q("shampoo for damaged bleached hair", {"category": "beauty"}, g2=P(type="shampoo", hair_type="damaged"), g1=P(hair_type="damaged"))
Q("retinol", {"category": "beauty"}, g2=P(title="Retinol"), g1=P(tags="anti-aging"))

# ---- toys ------------------------------------------------------------------
Q(
    "gift for a 5 year old who likes building things",
    {},
    g2=P(category="toys", age_min=Between(3, 5), type=["building set", "marble run", "train set"]),
    g1=P(category="toys", age_min=Between(2, 5)),
)
Q("lego sets for adults", {"category": "toys", "brand": "LEGO"}, g2=P(age_min=AtLeast(18)), g1=P(age_min=AtLeast(10)))
Q("board games for family night", {"category": "toys"}, g2=P(type=["board game", "card game"]), g1=P(tags="games"))
Q(
    "stem toy for a 10 year old",
    {"category": "toys"},
    g2=P(tags="stem", age_min=Between(6, 10)),
    g1=OR(P(tags=["educational", "science"], age_min=Between(5, 12)), P(type="building set", age_min=Between(6, 12))),
)
Q("toys for a baby", {"category": "toys"}, g2=P(age_min=0), g1=P(age_min=AtMost(1)))
Q("remote control car", {"category": "toys"}, g2=P(type="rc car"), g1=P(tags="vehicles"))
Q("lego under $40", {"category": "toys", "brand": "LEGO", "price_max": 40}, g2=P(type="building set"))
Q("dinosaur toys", {"category": "toys"}, g2=P(tags="dinosaurs"))
Q("1000 piece jigsaw", {"category": "toys"}, g2=P(type="puzzle", pieces=1000), g1=P(type="puzzle"))
Q("pink toy for a 3 year old", {"category": "toys", "color": "pink"}, g2=P(age_min=AtMost(3)), g1=P(age_min=AtMost(6)))
Q("magnetic tiles", {"category": "toys"}, g2=P(type="building set", magnetic=True), g1=P(magnetic=True))
Q("stocking stuffers for kids under $20", {"category": "toys", "price_max": 20}, g2=P(age_min=Between(3, 12)), g1=P(category="toys"))

# ---- groceries -------------------------------------------------------------
Q(
    "organic coffee beans",
    {"category": "groceries"},
    g2=P(type="coffee", organic=True, tags="whole bean"),
    g1=OR(P(type="coffee", organic=True), P(type="coffee", tags="whole bean")),
)
Q("gluten free pasta", {"category": "groceries"}, g2=P(type="pasta", gluten_free=True), g1=P(type="pasta"))
Q("caffeine free tea for bedtime", {"category": "groceries"}, g2=P(type="tea", caffeinated=False), g1=P(type="tea"))
Q("vegan snacks", {"category": "groceries"}, g2=P(vegan=True, tags="snacks"), g1=P(vegan=True, type=["chocolate", "nut butter", "seeds"]))
Q("dark chocolate", {"category": "groceries"}, g2=P(tags="dark chocolate"), g1=P(type="chocolate"))
Q("lindt chocolate gift box", {"category": "groceries", "brand": "Lindt"}, g2=P(tags="gift"), g1=P(type="chocolate"))
Q("oats for breakfast", {"category": "groceries"}, g2=P(type="oats"), g1=P(type=["grain", "seeds"]))
Q("high protein snacks", {"category": "groceries"}, g2=P(tags_all=["high protein", "snacks"]), g1=P(tags="high protein"))
Q("extra virgin olive oil", {"category": "groceries"}, g2=P(type="olive oil"))
Q("k-cup coffee pods", {"category": "groceries"}, g2=P(tags="pods"), g1=P(type="coffee"))
Q("organic green tea", {"category": "groceries"}, g2=P(type="tea", organic=True, tags="green tea"), g1=P(type="tea", tags="green tea"))

# ---- cross-category and misc ------------------------------------------------
Q("gift ideas for a runner", {}, g2=P(tags="running"), g1=P(tags=["fitness", "recovery"]))
Q("something red under $30", {"color": "red", "price_max": 30}, g2=lambda p: True)
Q(
    "travel gadgets",
    {},
    g2=AND(P(category=["electronics", "headphones"]), P(tags="travel")),
    g1=AND(P(category=["electronics", "headphones"]), P(tags=["portable", "travel"])),
)
Q("yellow stuff", {"color": "yellow"}, g2=lambda p: True)
Q("gifts under $25 that are in stock", {"price_max": 25, "in_stock": True}, g2=P(tags="gift"))


# --------------------------------------------------------------------------
# Judging
# --------------------------------------------------------------------------


def load_catalog(path: Path = CATALOG_PATH) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def judge(spec: dict, catalog: list[dict]) -> dict[str, int]:
    graded = []
    for p in catalog:
        if not satisfies(p, spec["constraints"]):
            continue
        if spec["g2"] is not None and spec["g2"](p):
            graded.append((2, p))
        elif spec["g1"] is not None and spec["g1"](p):
            graded.append((1, p))
    graded.sort(key=lambda gp: (-gp[0], -gp[1]["rating"], -gp[1]["review_count"], gp[1]["id"]))
    return {p["id"]: g for g, p in graded[:MAX_RELEVANT]}


def build(catalog: list[dict]) -> list[dict]:
    rows = []
    for i, spec in enumerate(SPECS, start=1):
        rows.append({"id": f"q{i:03d}", "query": spec["text"], "constraints": spec["constraints"], "relevant": judge(spec, catalog)})
    return rows


def validate(rows: list[dict], catalog: list[dict]) -> dict:
    by_id = {p["id"]: p for p in catalog}
    assert len(rows) >= 110, len(rows)
    assert len({r["query"].lower() for r in rows}) == len(rows), "duplicate query text"
    for r in rows:
        c = r["constraints"]
        assert set(c) <= CONSTRAINT_KEYS, (r["id"], c)
        if "in_stock" in c:
            assert c["in_stock"] is True
        assert r["relevant"], f"{r['id']} {r['query']!r} has no relevant product"
        assert len(r["relevant"]) <= MAX_RELEVANT
        for pid, g in r["relevant"].items():
            assert g in (1, 2) and satisfies(by_id[pid], c), (r["id"], pid)
    n_rel = [len(r["relevant"]) for r in rows]
    n_two = [sum(g == 2 for g in r["relevant"].values()) for r in rows]
    return {
        "queries": len(rows),
        "no_constraints": sum(not r["constraints"] for r in rows),
        "with_brand": sum("brand" in r["constraints"] for r in rows),
        "with_color": sum("color" in r["constraints"] for r in rows),
        "with_size": sum("size" in r["constraints"] for r in rows),
        "with_price": sum(("price_max" in r["constraints"]) or ("price_min" in r["constraints"]) for r in rows),
        "with_in_stock": sum("in_stock" in r["constraints"] for r in rows),
        "relevant_per_query_min_mean_max": (min(n_rel), round(sum(n_rel) / len(n_rel), 1), max(n_rel)),
        "queries_with_one_relevant": sum(n == 1 for n in n_rel),
        "queries_without_grade2": sum(n == 0 for n in n_two),
        "queries_at_cap": sum(n == MAX_RELEVANT for n in n_rel),
    }


def main() -> None:
    catalog = load_catalog()
    rows = build(catalog)
    with OUT_PATH.open("w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    for k, v in validate(rows, catalog).items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
