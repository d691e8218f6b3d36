"""Deterministic generator for the Northwind Outfitters demo store data.

Run ``python -m tools.demo_store.generate`` from the repository root to (re)write, in ``assistant/demo/``:

* ``catalog.jsonl``     - one product per line (canonical product schema)
* ``orders.json``       - 50 demo orders referencing catalog products
* ``images/<cat>.svg``  - one flat icon per category
* ``retrieval_dev.jsonl`` - rebuilt via ``make_retrieval_dev`` (judged against the catalog)

Everything is driven by a seeded ``random.Random`` and a fixed "as of" date,
so two runs produce byte-identical files. ``validate()`` runs after writing and
asserts the invariants the rest of the project relies on.

The policy documents in ``policies/`` are hand-written and are not touched here.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

from . import vocab

SEED = 20261121
AS_OF = date(2026, 11, 21)  # "today" for order statuses; never the wall clock
FIRST_ORDER_DAY = date(2026, 9, 1)
LAST_ORDER_DAY = date(2026, 11, 20)
N_ORDERS = 50
N_CUSTOMERS = 35
OUT_OF_STOCK_SHARE = 0.10

#: the bundled demo data this script writes (assistant/demo/ of the repository)
HERE = Path(__file__).resolve().parents[2] / "assistant" / "demo"
CATALOG_PATH = HERE / "catalog.jsonl"
ORDERS_PATH = HERE / "orders.json"
IMAGES_DIR = HERE / "images"

BASIC_COLORS = [
    "black",
    "white",
    "grey",
    "silver",
    "red",
    "blue",
    "navy",
    "green",
    "pink",
    "purple",
    "yellow",
    "orange",
    "brown",
    "beige",
    "gold",
]
SIZED_CATEGORIES = {"apparel", "shoes"}
COLOR_TITLE_CATEGORIES = {"apparel", "shoes", "bags"}


# --------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------


def an(word: str) -> str:
    """Indefinite article for ``word``."""
    w = word.lower()
    if w.startswith(("hour", "honest", "nvidia")):
        return "an"
    if w[:1].isdigit():
        run = re.match(r"\d+", w).group()
        return "an" if run[0] == "8" or run in ("11", "18") or (len(run) == 5 and run[:2] in ("11", "18")) else "a"
    if w[:1] in "aeiou" and not w.startswith(("uni", "use", "usb", "one", "eu")):
        return "an"
    return "a"


def with_article(phrase: str) -> str:
    return f"{an(phrase)} {phrase}"


def possessive(brand: str) -> str:
    if brand.endswith("'s"):
        return brand
    if brand.endswith("s"):
        return brand + "'"
    return brand + "'s"


def num(v) -> str:
    """Format a number without a trailing .0."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def dedupe(items):
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


# --------------------------------------------------------------------------
# Attribute -> descriptive phrase variants
# --------------------------------------------------------------------------


def attr_phrases(cat: str, key: str, v, attrs: dict) -> list[str]:
    """Alternative noun phrases describing one attribute value ([] = say nothing)."""
    t = attrs.get("type", "")
    if v is False or v is None:
        if key == "wireless" and cat == "headphones":
            return ["a simple wired connection with nothing to charge", "a plug-and-play cable"]
        if key == "caffeinated":
            return ["no caffeine at all", "a naturally caffeine-free blend"]
        return []
    if key == "battery_life_hours":
        if v >= 8000:
            return ["about a year of battery life from a replaceable coin cell"]
        if v >= 48 and cat != "headphones" and t != "speaker":
            days = round(v / 24)
            return [f"up to {days} days of battery life", f"a battery that lasts around {days} days"]
        if cat == "headphones" or t == "speaker":
            return [
                f"up to {num(v)} hours of playback",
                f"{an(num(v))} {num(v)}-hour battery",
                f"roughly {num(v)} hours of listening per charge",
            ]
        return [f"up to {num(v)} hours of battery life", f"{an(num(v))} {num(v)}-hour battery"]
    if key == "noise_cancelling":
        return ["active noise cancelling", "noise cancelling that hushes engines and office chatter", "ANC that shuts out background hum"]
    if key == "wireless":
        if t == "smart plug":
            return ["Wi-Fi control from anywhere"]
        if t == "photo printer":
            return ["Bluetooth printing straight from your phone"]
        return (
            ["a stable Bluetooth connection", "cable-free Bluetooth listening"]
            if cat == "headphones"
            else ["Bluetooth streaming", "easy Bluetooth pairing"]
        )
    if key == "water_resistant":
        return ["sweat and splash resistance", "a water-resistant build"]
    if key == "waterproof":
        return {
            "shoes": ["a waterproof upper that keeps socks dry", "fully waterproof construction"],
            "bags": ["a waterproof shell", "weatherproof fabric that keeps the contents dry"],
            "apparel": ["fully waterproof, seam-sealed fabric", "a waterproof, breathable shell"],
            "sports": ["a waterproof rainfly and floor", "weatherproof construction"],
        }.get(cat, ["a waterproof design", "full waterproofing"])
    if key == "material":
        if v in ("plastic", "mixed"):
            return []
        if cat == "apparel":
            return [f"soft {v} fabric", f"{v} construction"]
        if cat == "shoes":
            return [f"{with_article(v)} upper"]
        if cat == "bags":
            return [f"tough {v}", f"{with_article(v)} shell"]
        return [f"{with_article(v)} build", f"{v} construction"]
    if key == "cable_length_m":
        return [f"{an(num(v))} {num(v)} m cable"]
    if key == "max_volume_db":
        return [f"volume capped at {v} dB"]
    if key == "wattage":
        if cat == "electronics":
            return [f"{num(v)} W fast charging", f"{num(v)} W of output"]
        if t in ("stand mixer", "blender", "food processor", "vacuum", "hair dryer", "hair styler"):
            return [f"{with_article(str(v) + '-watt')} motor", f"{v} watts of power"]
        if cat == "home" and t in ("smart lighting", "lamp", "alarm clock"):
            return [f"{with_article(str(v) + ' W')} LED light"] if t != "lamp" else []
        return [f"{v} watts of power"]
    if key == "port":
        return ["a USB-C port", "USB-C connectivity"] if v == "usb-c" else [f"{v} connectivity"]
    if key == "ports":
        return [f"{v} charging ports"] if v > 1 else ["a single fast-charging port"]
    if key == "capacity_mah":
        return [f"{with_article(f'{v:,} mAh')} capacity", f"{v:,} mAh of stored power"]
    if key == "gps":
        return ["built-in GPS", "onboard GPS for phone-free tracking"]
    if key == "case_size_mm":
        return [f"{with_article(f'{v} mm')} case"]
    if key == "storage_gb":
        size = "1 TB" if v >= 1000 else f"{v} GB"
        return [f"{size} of storage", f"{size} of space for photos and apps"]
    if key == "ram_gb":
        return [f"{v} GB of RAM", f"{v} GB of memory for smooth multitasking"]
    if key == "screen_size_in":
        return [f"{with_article(num(v) + '-inch')} display", f"{with_article(num(v) + '-inch')} screen"]
    if key == "battery_mah":
        return [f"{with_article(f'{v:,} mAh')} battery"]
    if key == "camera_mp":
        return [f"{with_article(f'{v} MP')} main camera"]
    if key == "network":
        return ["5G connectivity"] if v == "5G" else ["4G LTE support"]
    if key == "os":
        return [f"{v} with years of updates"] if cat == "phones" else []
    if key == "foldable":
        return ["a foldable design"]
    if key == "compatible_with":
        return [f"a precise fit for the {v}"]
    if key == "magsafe":
        return ["built-in MagSafe magnets"]
    if key == "cpu":
        return [f"{with_article(v)} processor"]
    if key == "gpu":
        return [f"{with_article(v)} graphics card"]
    if key == "weight_kg":
        if cat == "laptops":
            return [f"a weight of just {num(v)} kg", f"{with_article(num(v) + ' kg')} chassis"]
        if t == "tent":
            return [f"a packed weight of {num(v)} kg"]
        return [f"{num(v)} kg of weight"]
    if key == "touchscreen":
        return ["a responsive touchscreen"]
    if key == "megapixels":
        return [f"{with_article(num(v) + ' MP')} {attrs.get('sensor', '')} sensor".replace("  ", " ")]
    if key == "video":
        return [f"{v} video recording"]
    if key == "storage":
        return []
    if key == "fit":
        return [f"{with_article(v)} fit"]
    if key == "hooded":
        return ["an adjustable hood"]
    if key == "insulated":
        return (
            ["warm synthetic or down insulation"]
            if cat == "apparel" and "fill" not in attrs
            else (["double-wall vacuum insulation"] if cat != "apparel" else [])
        )
    if key == "fill":
        return ["lofty down fill"]
    if key == "cushioning":
        return [f"{v} cushioning"]
    if key == "support":
        return ["stability support for overpronation"]
    if key == "capacity_l":
        if cat == "home":
            return [f"{with_article(num(v) + '-litre')} tank"]
        return [f"{num(v)} litres of space", f"{with_article(num(v) + '-litre')} capacity"]
    if key == "laptop_size_in":
        return [f"a padded sleeve for laptops up to {num(v)} inches"]
    if key == "wheels":
        return [f"{v} spinner wheels"]
    if key == "hydration_compatible":
        return ["a hydration-reservoir sleeve"]
    if key == "cordless":
        return ["cordless convenience"]
    if key == "runtime_min":
        return [f"up to {v} minutes of runtime"]
    if key == "coverage_sqft":
        return [f"coverage for rooms up to {v} sq ft"]
    if key == "hepa":
        return ["a true HEPA filter"]
    if key == "self_emptying":
        return ["a self-emptying base"]
    if key == "mop":
        return ["a built-in mopping mode"]
    if key == "bulbs":
        return [f"{v} smart bulbs"]
    if key == "smart":
        return ["app and voice control"]
    if key == "bed_size":
        return [f"{with_article(v + '-size')} fit"]
    if key == "thread_count":
        return [f"{with_article(str(v))} thread count"]
    if key == "pieces":
        if v <= 1:
            return []
        return [f"{v} pieces"]
    if key == "scent":
        return [f"{with_article(v)} scent"]
    if key == "burn_time_hours":
        return [f"up to {v} hours of burn time"]
    if key == "width_in" and "length_in" in attrs:
        return [f"a generous {v} x {attrs['length_in']} inch size"]
    if key == "length_in" and "width_in" not in attrs:
        return [f"{v}-inch panels"]
    if key == "capacity_ml":
        if v >= 1000:
            return [f"{with_article(num(round(v / 1000, 2)) + '-litre')} capacity"]
        return [f"{with_article(f'{v} ml')} capacity"]
    if key == "dishwasher_safe":
        return ["dishwasher-safe parts"]
    if key == "oven_safe":
        return ["oven-safe construction"]
    if key == "keeps_hot_hours":
        if v < 2:
            return []
        return [f"heat retention of up to {v} hours", f"drinks that stay hot for up to {v} hours"]
    if key == "leakproof":
        return ["a leakproof lid"]
    if key == "blade_length_in":
        return [f"{with_article(num(v) + '-inch')} blade"]
    if key == "diameter_in":
        return [f"{with_article(num(v) + '-inch')} cooking surface"]
    if key == "max_weight_g":
        return [f"a {num(v / 1000)} kg maximum load"]
    if key == "ball_size":
        return [f"official size {v}"]
    if key == "indoor":
        return ["a soft indoor grip"]
    if key == "outdoor":
        return ["outdoor-ready durability"]
    if key == "head_size_sq_in":
        return [f"{with_article(str(v))} sq in head"]
    if key == "weight_g":
        if cat == "groceries":
            return [f"{with_article(f'{num(v / 1000)} kg' if v >= 1000 else f'{v} g')} pack"]
        return [f"a weight of just {v} g"]
    if key == "count":
        return [f"{v} per pack"]
    if key == "backboard_in":
        return [f"{with_article(str(v) + '-inch')} backboard"]
    if key == "adjustable_height":
        return ["adjustable height"]
    if key == "thickness_mm":
        return [f"{num(v)} mm of cushioning"]
    if key == "length_cm":
        return [f"{with_article(f'{v} cm')} length"]
    if key == "max_weight_lb":
        return [f"weights up to {num(v)} lb"]
    if key == "capacity_people":
        return [f"room for {v} people"]
    if key == "temp_rating_f":
        return [f"{with_article(f'{v}°F')} temperature rating"]
    if key == "max_load_lb":
        return [f"{with_article(f'{v} lb')} weight capacity"]
    if key == "mips":
        return ["MIPS rotational impact protection"]
    if key == "max_resistance_lb":
        return [f"up to {v} lb of combined resistance"]
    if key == "length_m":
        return [f"{with_article(f'{num(v)} m')} cable"]
    if key == "volume_ml":
        if t in ("lip balm", "lipstick", "mascara"):
            return []
        return [f"{with_article(f'{num(v)} ml')} bottle"]
    if key == "skin_type":
        return ["a formula for all skin types"] if v == "all" else [f"a formula suited to {v} skin"]
    if key == "spf":
        return [f"broad-spectrum SPF {v}"]
    if key == "fragrance_free":
        return ["a fragrance-free formula"]
    if key == "vegan":
        return ["a fully plant-based recipe", "no animal-derived ingredients"] if cat == "groceries" else ["a vegan formula"]
    if key == "cruelty_free":
        return ["cruelty-free credentials"]
    if key == "hair_type":
        return ["care for damaged hair"] if v == "damaged" else ["settings for every hair type"]
    if key == "attachments":
        return [f"{v} styling attachments"] if v else []
    if key == "organic":
        return ["certified organic ingredients", "USDA Organic certification"]
    if key == "gluten_free":
        return ["gluten-free certification", "a gluten-free recipe"]
    if key == "roast":
        return [f"{with_article(v)} roast"]
    if key == "age_min":
        if v == 0:
            return ["safety for babies from birth"]
        if v >= 14:
            return [f"a challenge designed for ages {v} and up"]
        return [f"a recommended age of {v}+", f"play value for kids aged {v} and up"]
    if key == "battery_operated":
        return ["battery-powered lights and sounds" if cat == "toys" else "battery power"]
    if key == "magnetic":
        return ["strong built-in magnets"]
    if key == "players":
        return [f"play for {v} players"]
    return []


SKIP_KEYS = {"color", "type", "gender", "size", "sensor", "os", "caffeinated"}


# --------------------------------------------------------------------------
# Catalog
# --------------------------------------------------------------------------


def price_bands() -> dict[str, tuple[float, float]]:
    """Per category (cheap_max, premium_min) price thresholds from line prices."""
    bands = {}
    for cat, lines in vocab.LINES.items():
        prices = sorted(l["price"] for l in lines)
        bands[cat] = (prices[int(len(prices) * 0.25)], prices[int(len(prices) * 0.85)])
    return bands


def make_sizes(rng: random.Random, line: dict, color: str) -> list[str]:
    full = vocab.SIZE_PROFILES[line["sizes"]]
    sizes = list(full)
    if line["sizes"].endswith("_shoe"):
        # a few sizes are sold out on every shoe; some colours lack size 10 on purpose
        drop = rng.sample(sizes, rng.choice([0, 1, 1, 2]))
        sizes = [s for s in sizes if s not in drop or s == "10"]
        if color in line["no10"] or rng.random() < 0.12:
            sizes = [s for s in sizes if s != "10"]
        if "13" in sizes and rng.random() < 0.3:
            sizes.remove("13")
    else:
        # contiguous run of letter sizes, at least 3
        n = len(sizes)
        length = rng.randint(min(4, n), n)
        start = rng.randint(0, n - length)
        sizes = sizes[start : start + length]
    return sizes


def make_attributes(rng, cat, line, color):
    a = {"color": color}
    if "material" in line["attrs"]:
        a["material"] = line["attrs"]["material"]
    a["type"] = line["type"]
    for k, v in line["attrs"].items():
        if k != "material":
            a[k] = v
    if line["gender"]:
        a["gender"] = line["gender"]
    if cat in SIZED_CATEGORIES:
        a["size"] = make_sizes(rng, line, color)
    return a


def make_tags(cat, line, attrs, band):
    tags = list(line["tags"])
    tags.append(attrs["type"])
    for key, tag in (
        ("wireless", "wireless"),
        ("noise_cancelling", "noise cancelling"),
        ("waterproof", "waterproof"),
        ("organic", "organic"),
        ("vegan", "vegan"),
        ("gluten_free", "gluten free"),
        ("insulated", "insulated"),
    ):
        if attrs.get(key) is True:
            tags.append(tag)
    if attrs.get("gender") in ("men", "women", "kids"):
        tags.append({"men": "mens", "women": "womens", "kids": "kids"}[attrs["gender"]])
    if line["price"] <= band[0]:
        tags.append("budget")
    if line["price"] >= band[1]:
        tags.append("premium")
    return dedupe(t.lower() for t in tags)


def make_title(line, color, cat, style):
    base = line["title"]
    if cat not in COLOR_TITLE_CATEGORIES and len(line["colors"]) == 1:
        return base
    c = color.capitalize()
    if style == 0 or "," in base:
        return f"{base} in {c}"
    if style == 1:
        return f"{base} - {c}"
    return f"{base}, {c}"


def first_words(text: str, n: int = 6) -> str:
    return " ".join(re.findall(r"[\w'$%.-]+", text.lower())[:n])


def make_description(rng, cat, line, attrs, band, rating, reviews, used_prefixes):
    price = line["price"]
    adjs = list(vocab.ADJECTIVES[cat])
    if price <= band[0]:
        adjs += vocab.CHEAP_ADJECTIVES
    if price >= band[1]:
        adjs += vocab.PREMIUM_ADJECTIVES
    uses = line["uses"] or vocab.DEFAULT_USES[cat]
    use = rng.choice(uses)
    others = [u for u in uses + vocab.DEFAULT_USES[cat] if u != use]
    adj = rng.choice(adjs)
    ctx = {
        "brand": line["brand"],
        "brand_pos": possessive(line["brand"]),
        "model": line["model"],
        "noun": line["noun"],
        "adj": adj,
        "a_adj": with_article(adj),
        "color": attrs["color"],
        "a_color": with_article(attrs["color"]),
        "use": use,
        "use2": rng.choice(others),
    }
    ctx.update({"Adj": cap(adj), "A_adj": cap(ctx["a_adj"]), "Color": cap(attrs["color"])})

    # pick an opener whose first six words no other description uses yet
    templates = vocab.GENERIC_OPENERS + vocab.CATEGORY_OPENERS[cat] * 2
    if cat in ("groceries", "beauty"):  # "color" is only the packaging here
        templates = [t for t in templates if "olor}" not in t]
    opener = None
    for template in rng.sample(templates, len(templates)):
        candidate = cap(template.format(**ctx))
        if first_words(candidate) not in used_prefixes:
            opener = candidate
            break
    opener = opener or cap(rng.choice(templates).format(**ctx))
    used_prefixes.add(first_words(opener))
    middle = []
    if line["hook"] and rng.random() < 0.85:
        middle.append(rng.choice(vocab.HOOK_TEMPLATES).format(hook=line["hook"]))
    options = []
    for k, v in attrs.items():
        if k in SKIP_KEYS:
            continue
        variants = attr_phrases(cat, k, v, attrs)
        if variants:
            options.append(rng.choice(variants))
    rng.shuffle(options)
    if options:
        k = min(len(options), rng.choice([1, 2, 2, 3, 3]))
        middle.append(rng.choice(vocab.FEATURE_TEMPLATES[k]).format(*options[:k]))
    rng.shuffle(middle)
    sentences = [opener] + middle
    if len(sentences) < 2 or (len(sentences) < 4 and rng.random() < 0.55):
        closers = vocab.CLOSERS[cat] * 2 + vocab.GENERIC_CLOSERS
        sentences.append(rng.choice(closers).format(rating=rating, reviews=f"{reviews:,}"))
    return " ".join(cap(s) for s in sentences)


def make_rating(rng, base):
    return round(min(5.0, max(1.0, base + rng.uniform(-0.15, 0.15))), 1)


def build_catalog(rng: random.Random) -> list[dict]:
    bands = price_bands()
    products = []
    used_prefixes: set[str] = set()
    for cat in vocab.CATEGORIES:
        prefix = vocab.PREFIX[cat]
        n = 0
        for line in vocab.LINES[cat]:
            if rng.random() < 0.07:
                base = rng.uniform(2.6, 3.7)  # the occasional disappointing product
            else:
                base = min(4.9, max(3.6, rng.gauss(4.35, 0.3)))
            popularity = rng.gauss(6.3 - 0.35 * math.log10(line["price"]), 1.0)
            style = rng.randrange(3)
            for color in line["colors"]:
                n += 1
                attrs = make_attributes(rng, cat, line, color)
                rating = make_rating(rng, base)
                reviews = max(0, int(math.exp(popularity + rng.gauss(0, 0.5))))
                reviews = min(reviews, 48000)
                products.append(
                    {
                        "id": f"{prefix}-{n:04d}",
                        "title": make_title(line, color, cat, style),
                        "description": make_description(rng, cat, line, attrs, bands[cat], rating, reviews, used_prefixes),
                        "category": cat,
                        "brand": line["brand"],
                        "price": round(float(line["price"]), 2),
                        "currency": "USD",
                        "rating": rating,
                        "review_count": reviews,
                        "stock": 0,  # filled below
                        "attributes": attrs,
                        "tags": make_tags(cat, line, attrs, bands[cat]),
                        "image": f"images/{cat}.svg",
                    }
                )
    # stock: exactly ~10% out of stock, the rest a skewed 1..250
    n_oos = round(len(products) * OUT_OF_STOCK_SHARE)
    oos = set(rng.sample(range(len(products)), n_oos))
    for i, p in enumerate(products):
        p["stock"] = 0 if i in oos else max(1, min(250, int(rng.expovariate(1 / 45)) + 1))
    return products


# --------------------------------------------------------------------------
# Orders
# --------------------------------------------------------------------------

FIRST_NAMES = [
    "olivia",
    "liam",
    "emma",
    "noah",
    "ava",
    "mateo",
    "sophia",
    "elijah",
    "isabella",
    "lucas",
    "mia",
    "james",
    "amelia",
    "benjamin",
    "harper",
    "henry",
    "evelyn",
    "theo",
    "aria",
    "jack",
    "chloe",
    "daniel",
    "priya",
    "samuel",
    "grace",
    "omar",
    "hannah",
    "leo",
    "zoe",
    "wei",
    "nora",
    "diego",
    "layla",
    "kenji",
    "ruby",
]
LAST_NAMES = [
    "martinez",
    "nguyen",
    "johnson",
    "patel",
    "kim",
    "garcia",
    "brown",
    "okafor",
    "rossi",
    "walker",
    "chen",
    "davis",
    "silva",
    "murphy",
    "lopez",
    "wilson",
    "singh",
    "anderson",
    "tanaka",
    "clark",
    "hughes",
    "ramirez",
    "shah",
    "thompson",
    "bennett",
    "haddad",
    "foster",
    "morgan",
    "ito",
    "reyes",
    "cooper",
    "li",
    "moreno",
    "sato",
    "price",
]
CITIES = [
    "Portland",
    "Seattle",
    "San Francisco",
    "Los Angeles",
    "Denver",
    "Austin",
    "Chicago",
    "Minneapolis",
    "Boston",
    "New York",
    "Brooklyn",
    "Philadelphia",
    "Atlanta",
    "Miami",
    "Nashville",
    "Phoenix",
    "Salt Lake City",
    "San Diego",
    "Raleigh",
    "Madison",
    "Pittsburgh",
    "Boise",
    "Sacramento",
    "Columbus",
    "Vancouver",
    "Toronto",
]
CARRIERS = ["UPS", "FedEx", "USPS", "DHL"]
INTERNATIONAL_CITIES = {"Vancouver", "Toronto"}  # Canada: DHL/UPS, no groceries/power banks/freight


def ships_abroad(p: dict) -> bool:
    """Shipping policy: groceries, power banks and oversized freight stay in the US."""
    return p["category"] != "groceries" and p["attributes"]["type"] not in ("power bank", "basketball hoop")


def tracking_number(rng, carrier):
    def digits(n):
        return "".join(rng.choice("0123456789") for _ in range(n))

    if carrier == "UPS":
        return "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16))
    if carrier == "FedEx":
        return digits(12)
    if carrier == "USPS":
        return "94" + digits(20)
    return digits(10)


# statuses of the 12 most recent orders (placed Nov 11-20, oldest first): every status
# occurs, and each is plausible for the order's age on AS_OF
RECENT_OFFSETS = (9, 7, 5, 4, 3, 2, 2, 1, 1, 0, 0, 0)  # days before LAST_ORDER_DAY
RECENT_STATUSES = (
    "delivered",
    "delivered",
    "delivered",
    "delivered",
    "out_for_delivery",
    "shipped",
    "out_for_delivery",
    "shipped",
    "processing",
    "processing",
    "processing",
    "cancelled",
)


def older_status(rng) -> str:
    return rng.choice(["delivered"] * 8 + ["returned", "cancelled"])


def build_orders(rng: random.Random, catalog: list[dict]) -> list[dict]:
    firsts = rng.sample(FIRST_NAMES, N_CUSTOMERS)
    lasts = rng.sample(LAST_NAMES, N_CUSTOMERS)
    customers = [{"email": f"{f}.{l}@example.com", "city": rng.choice(CITIES)} for f, l in zip(firsts, lasts)]
    # every customer orders once; 15 orders go to repeat customers (some of them twice or more)
    assignment = list(range(N_CUSTOMERS)) + [rng.choice(range(12)) for _ in range(N_ORDERS - N_CUSTOMERS)]
    rng.shuffle(assignment)
    # most orders are spread over Sep 1 - Nov 10; the newest dozen fall in the last ten days
    # so that every status (processing ... out_for_delivery) occurs
    older_span = (date(2026, 11, 10) - FIRST_ORDER_DAY).days
    days = sorted(FIRST_ORDER_DAY + timedelta(days=rng.randint(0, older_span)) for _ in range(N_ORDERS - len(RECENT_OFFSETS)))
    days += [LAST_ORDER_DAY - timedelta(days=d) for d in RECENT_OFFSETS]
    in_stock = [p for p in catalog if p["stock"] > 0]
    # statuses get their own stream so that catalog edits do not reshuffle them
    status_rng = random.Random(SEED + 2)
    statuses = [older_status(status_rng) for _ in range(N_ORDERS - len(RECENT_STATUSES))]
    statuses[4] = statuses[21] = "returned"  # a couple of returns among the older orders, always
    statuses[12] = "cancelled"
    statuses += list(RECENT_STATUSES)
    orders = []
    for i, (cust_idx, placed, status) in enumerate(zip(assignment, days, statuses)):
        cust = customers[cust_idx]
        shipped = delivered = carrier = tracking = None
        if status in ("shipped", "out_for_delivery", "delivered", "returned"):
            shipped = placed + timedelta(days=rng.choice([0, 1, 1, 2]))
            shipped = min(shipped, AS_OF - timedelta(days=1))
            carrier = rng.choice(["DHL", "UPS"] if cust["city"] in INTERNATIONAL_CITIES else CARRIERS[:3])
            tracking = tracking_number(rng, carrier)
        if status in ("delivered", "returned"):
            delivered = min(shipped + timedelta(days=rng.randint(2, 6)), AS_OF - timedelta(days=1))
            delivered = max(delivered, shipped + timedelta(days=1))
        items = []
        pool = [p for p in in_stock if ships_abroad(p)] if cust["city"] in INTERNATIONAL_CITIES else in_stock
        for p in rng.sample(pool, rng.choice([1, 1, 1, 2, 2, 3, 4])):
            qty = rng.choice([1, 1, 1, 1, 2, 2, 3]) if p["price"] < 40 else 1
            items.append({"product_id": p["id"], "title": p["title"], "quantity": qty, "unit_price": p["price"]})
        total = round(sum(it["quantity"] * it["unit_price"] for it in items), 2)
        orders.append(
            {
                "order_id": f"NW-{100001 + i}",
                "email": cust["email"],
                "status": status,
                "placed_at": placed.isoformat(),
                "shipped_at": shipped.isoformat() if shipped else None,
                "delivered_at": delivered.isoformat() if delivered else None,
                "carrier": carrier,
                "tracking_number": tracking,
                "items": items,
                "total": total,
                "currency": "USD",
                "shipping_address_city": cust["city"],
            }
        )
    return orders


# --------------------------------------------------------------------------
# Category icons (flat, hand-drawn SVG; white glyph on a coloured tile)
# --------------------------------------------------------------------------

ICON_BG = {
    "electronics": "#3D5A80",
    "headphones": "#6A4C93",
    "phones": "#1982C4",
    "laptops": "#2A9D8F",
    "apparel": "#E76F51",
    "shoes": "#F4A261",
    "bags": "#8D6E63",
    "home": "#43AA8B",
    "kitchen": "#D62828",
    "sports": "#F77F00",
    "beauty": "#E56B9F",
    "toys": "#FFB703",
    "groceries": "#6A994E",
}

ICON_GLYPH = {
    # lightning bolt in a plug-style rounded square
    "electronics": '<rect x="38" y="30" width="44" height="50" rx="8" fill="#fff"/>'
    '<rect x="48" y="18" width="6" height="14" rx="2" fill="#fff"/>'
    '<rect x="66" y="18" width="6" height="14" rx="2" fill="#fff"/>'
    '<path d="M63 38 L50 58 H60 L56 74 L70 52 H60 Z" fill="{bg}"/>'
    '<path d="M60 80 V100" stroke="#fff" stroke-width="6" stroke-linecap="round"/>',
    "headphones": '<path d="M28 72 V60 a32 32 0 0 1 64 0 V72" fill="none" stroke="#fff" '
    'stroke-width="8" stroke-linecap="round"/>'
    '<rect x="22" y="64" width="20" height="32" rx="8" fill="#fff"/>'
    '<rect x="78" y="64" width="20" height="32" rx="8" fill="#fff"/>',
    "phones": '<rect x="40" y="18" width="40" height="84" rx="8" fill="#fff"/>'
    '<rect x="45" y="28" width="30" height="58" rx="2" fill="{bg}"/>'
    '<circle cx="60" cy="94" r="3.5" fill="{bg}"/>',
    "laptops": '<rect x="28" y="30" width="64" height="44" rx="4" fill="#fff"/>'
    '<rect x="34" y="36" width="52" height="32" rx="1" fill="{bg}"/>'
    '<path d="M18 80 H102 L96 90 H24 Z" fill="#fff"/>',
    "apparel": '<path d="M44 24 L28 32 L16 52 L30 60 L36 50 V98 H84 V50 L90 60 L104 52 L92 32 L76 24 C72 32 48 32 44 24 Z" fill="#fff"/>',
    "shoes": '<path d="M16 64 C16 54 20 46 26 44 L40 46 C44 54 54 58 66 60 L92 66 C100 68 104 74 '
    '104 80 V84 H16 Z" fill="#fff"/>'
    '<rect x="16" y="86" width="88" height="8" rx="3" fill="#fff"/>'
    '<path d="M44 52 L50 48 M50 56 L56 52 M56 60 L62 56" stroke="{bg}" stroke-width="3" '
    'stroke-linecap="round"/>',
    "bags": '<path d="M46 44 V36 a14 14 0 0 1 28 0 V44" fill="none" stroke="#fff" stroke-width="6"/>'
    '<rect x="26" y="42" width="68" height="56" rx="10" fill="#fff"/>'
    '<rect x="40" y="58" width="40" height="6" rx="3" fill="{bg}"/>',
    "home": '<path d="M60 20 L16 58 H28 V98 H52 V74 H68 V98 H92 V58 H104 Z" fill="#fff"/>',
    "kitchen": '<rect x="26" y="50" width="68" height="44" rx="10" fill="#fff"/>'
    '<rect x="20" y="42" width="80" height="8" rx="4" fill="#fff"/>'
    '<rect x="54" y="32" width="12" height="8" rx="3" fill="#fff"/>'
    '<rect x="12" y="58" width="14" height="6" rx="3" fill="#fff"/>'
    '<rect x="94" y="58" width="14" height="6" rx="3" fill="#fff"/>'
    '<path d="M48 26 q-4 -6 0 -12 M60 24 q-4 -6 0 -12 M72 26 q-4 -6 0 -12" stroke="#fff" '
    'stroke-width="3" fill="none" stroke-linecap="round"/>',
    "sports": '<circle cx="60" cy="60" r="38" fill="#fff"/>'
    '<path d="M22 60 H98 M60 22 V98 M33 33 C48 48 48 72 33 87 M87 33 C72 48 72 72 87 87" '
    'stroke="{bg}" stroke-width="4" fill="none"/>',
    "beauty": '<rect x="44" y="52" width="32" height="48" rx="6" fill="#fff"/>'
    '<rect x="52" y="36" width="16" height="16" rx="2" fill="#fff"/>'
    '<path d="M52 36 V26 H78 V32 H66 V36" fill="#fff"/>'
    '<rect x="50" y="66" width="20" height="20" rx="3" fill="{bg}"/>',
    "toys": '<rect x="20" y="50" width="80" height="44" rx="6" fill="#fff"/>'
    '<rect x="28" y="38" width="16" height="14" rx="3" fill="#fff"/>'
    '<rect x="52" y="38" width="16" height="14" rx="3" fill="#fff"/>'
    '<rect x="76" y="38" width="16" height="14" rx="3" fill="#fff"/>',
    "groceries": '<path d="M60 38 C46 28 24 34 24 60 C24 84 42 100 52 100 C56 100 58 98 60 98 '
    'C62 98 64 100 68 100 C78 100 96 84 96 60 C96 34 74 28 60 38 Z" fill="#fff"/>'
    '<path d="M60 38 C60 28 64 20 70 16" stroke="#fff" stroke-width="5" fill="none" '
    'stroke-linecap="round"/>'
    '<path d="M64 26 C70 16 82 16 86 20 C80 28 70 30 64 26 Z" fill="#fff"/>',
}


def svg_icon(cat: str) -> str:
    bg = ICON_BG[cat]
    glyph = ICON_GLYPH[cat].replace("{bg}", bg)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="120" height="120" '
        f'role="img" aria-label="{cat}"><title>{cat}</title>'
        f'<rect width="120" height="120" rx="20" fill="{bg}"/>{glyph}</svg>\n'
    )


# --------------------------------------------------------------------------
# Writing & validation
# --------------------------------------------------------------------------


def write_all() -> None:
    rng = random.Random(SEED)
    catalog = build_catalog(rng)
    orders = build_orders(random.Random(SEED + 1), catalog)
    with CATALOG_PATH.open("w", encoding="utf-8", newline="\n") as f:
        for p in catalog:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    with ORDERS_PATH.open("w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(orders, ensure_ascii=False, indent=2) + "\n")
    IMAGES_DIR.mkdir(exist_ok=True)
    for cat in vocab.CATEGORIES:
        (IMAGES_DIR / f"{cat}.svg").write_text(svg_icon(cat), encoding="utf-8", newline="\n")


def load_catalog(path: Path = CATALOG_PATH) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def description_prefix_share(catalog: list[dict], n_words: int = 6) -> float:
    """Share of products whose first ``n_words`` description words also open another description."""
    counts = Counter(first_words(p["description"], n_words) for p in catalog)
    return sum(1 for p in catalog if counts[first_words(p["description"], n_words)] > 1) / len(catalog)


def max_trigram_overlap(catalog: list[dict]) -> float:
    """Mean over products of the highest word-trigram Jaccard similarity to any other description."""
    grams = []
    for p in catalog:
        w = re.findall(r"\w+", p["description"].lower())
        grams.append({tuple(w[i : i + 3]) for i in range(len(w) - 2)})
    best = []
    for i, g in enumerate(grams):
        m = 0.0
        for j, h in enumerate(grams):
            if i != j and g and h:
                m = max(m, len(g & h) / len(g | h))
        best.append(m)
    return sum(best) / len(best)


def validate(verbose: bool = True) -> dict:
    catalog = load_catalog()
    orders = json.loads(ORDERS_PATH.read_text(encoding="utf-8"))
    keys = [
        "id",
        "title",
        "description",
        "category",
        "brand",
        "price",
        "currency",
        "rating",
        "review_count",
        "stock",
        "attributes",
        "tags",
        "image",
    ]
    assert len(catalog) >= 520, len(catalog)
    per_cat = Counter(p["category"] for p in catalog)
    assert sorted(per_cat) == sorted(vocab.CATEGORIES), per_cat
    assert all(n >= 35 for n in per_cat.values()), per_cat
    ids = [p["id"] for p in catalog]
    titles = [p["title"] for p in catalog]
    assert len(set(ids)) == len(ids), "duplicate ids"
    assert len(set(titles)) == len(titles), [t for t, c in Counter(titles).items() if c > 1]
    assert len({p["description"] for p in catalog}) == len(catalog), "duplicate descriptions"
    brands_per_cat = defaultdict(set)
    for p in catalog:
        assert list(p) == keys, p["id"]
        assert re.fullmatch(r"[A-Za-z0-9._-]+", p["id"]), p["id"]
        assert isinstance(p["price"], float) and p["price"] > 0 and round(p["price"], 2) == p["price"]
        assert p["currency"] == "USD"
        assert 1.0 <= p["rating"] <= 5.0 and round(p["rating"], 1) == p["rating"]
        assert isinstance(p["review_count"], int) and p["review_count"] >= 0
        assert isinstance(p["stock"], int) and p["stock"] >= 0
        a = p["attributes"]
        assert a["color"] in BASIC_COLORS, (p["id"], a["color"])
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in a), p["id"]
        if p["category"] in SIZED_CATEGORIES:
            assert isinstance(a["size"], list) and a["size"] and all(isinstance(s, str) for s in a["size"])
        else:
            assert "size" not in a, p["id"]
        if p["category"] in COLOR_TITLE_CATEGORIES:
            assert a["color"] in p["title"].lower(), p["title"]
        n_sent = len(re.findall(r"[.!?](?:\s|$)", p["description"]))
        assert 2 <= n_sent <= 5, (p["id"], p["description"])
        assert "{" not in p["description"] and "  " not in p["description"], p["description"]
        assert p["image"] == f"images/{p['category']}.svg" and (HERE / p["image"]).exists()
        brands_per_cat[p["category"]].add(p["brand"])
    assert all(5 <= len(b) <= 8 for b in brands_per_cat.values()), brands_per_cat
    oos_share = sum(p["stock"] == 0 for p in catalog) / len(catalog)
    assert 0.07 <= oos_share <= 0.13, oos_share
    prefix_share = description_prefix_share(catalog)
    assert prefix_share < 0.05, prefix_share
    overlap = max_trigram_overlap(catalog)
    for svg in IMAGES_DIR.glob("*.svg"):
        assert svg.stat().st_size < 3072, svg

    by_id = {p["id"]: p for p in catalog}
    assert len(orders) == N_ORDERS
    assert [o["order_id"] for o in orders] == sorted(o["order_id"] for o in orders)
    for o in orders:
        assert FIRST_ORDER_DAY.isoformat() <= o["placed_at"] <= LAST_ORDER_DAY.isoformat()
        st = o["status"]
        shipped = st in ("shipped", "out_for_delivery", "delivered", "returned")
        assert (o["shipped_at"] is not None) == shipped, o
        assert (o["carrier"] is not None) == shipped and (o["tracking_number"] is not None) == shipped, o
        assert (o["delivered_at"] is not None) == (st in ("delivered", "returned")), o
        if o["shipped_at"]:
            assert o["placed_at"] <= o["shipped_at"] < AS_OF.isoformat()
        if o["delivered_at"]:
            assert o["shipped_at"] < o["delivered_at"] < AS_OF.isoformat()
        for it in o["items"]:
            p = by_id[it["product_id"]]
            if o["shipping_address_city"] in INTERNATIONAL_CITIES:
                assert ships_abroad(p), (o["order_id"], p["id"])
            assert it["title"] == p["title"] and it["unit_price"] == p["price"], it
            assert isinstance(it["quantity"], int) and it["quantity"] >= 1
        assert o["total"] == round(sum(i["quantity"] * i["unit_price"] for i in o["items"]), 2)
    customers = Counter(o["email"] for o in orders)
    assert set(o["status"] for o in orders) == {"processing", "shipped", "out_for_delivery", "delivered", "cancelled", "returned"}

    stats = {
        "products": len(catalog),
        "per_category": dict(sorted(per_cat.items())),
        "out_of_stock_share": round(oos_share, 3),
        "desc_first6_shared_share": round(prefix_share, 4),
        "desc_mean_max_trigram_jaccard": round(overlap, 3),
        "price_range": (min(p["price"] for p in catalog), max(p["price"] for p in catalog)),
        "under_20": sum(p["price"] < 20 for p in catalog),
        "orders": len(orders),
        "customers": len(customers),
        "repeat_customers": sum(c > 1 for c in customers.values()),
        "order_statuses": dict(Counter(o["status"] for o in orders)),
    }
    if verbose:
        for k, v in stats.items():
            print(f"{k}: {v}")
    return stats


def main() -> None:
    write_all()
    validate()
    # the retrieval dev set is judged against the catalog, so rebuild it alongside
    from . import make_retrieval_dev

    print("--- retrieval_dev.jsonl")
    make_retrieval_dev.main()


if __name__ == "__main__":
    main()
