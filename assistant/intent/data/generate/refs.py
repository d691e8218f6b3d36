"""How a shopper names products, for the families that refer to them: ordinals ("the second
one", "the last"), brands ("the bose"), model words ("sony wh-1000xm5") and product-line words
("pegasus 41"), each with the canonical reference its label carries. Used by the product
question, comparison, return, policy and brand-line search families.
"""

from __future__ import annotations

import random

from retrieval.catalog import Product

ORDINALS = {1: ["first", "1st"], 2: ["second", "2nd"], 3: ["third", "3rd"], 4: ["fourth", "4th"], 5: ["fifth", "5th"]}


def model_name(product: Product) -> str:
    """The product's model words as a shopper says them: the title after the brand, up to
    the first generic word ("Sony WH-1000XM5 Wireless ..." -> "wh-1000xm5")."""
    words = product.title.split()
    if product.brand and product.title.lower().startswith(product.brand.lower()):
        words = words[len(product.brand.split()) :]
    kept = []
    for word in words:
        w = word.strip(",-").lower()
        if not w or w in _GENERIC or (kept and any(ch.isdigit() for ch in w) and len(kept) >= 2):
            break
        kept.append(w)
        if len(kept) == 2:
            break
    return " ".join(kept)


_GENERIC = {
    "wireless",
    "noise",
    "running",
    "men's",
    "women's",
    "kids'",
    "lightweight",
    "in",
    "with",
    "for",
    "-",
    "and",
    "the",
    "unlocked",
    "tablet",
    "laptop",
    "phone",
    "headphones",
    "earbuds",
    "shoes",
    "charger",
    "backpack",
    "jacket",
}


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


def _brand_ref(shown: list[Product], rng: random.Random) -> tuple[str, str] | None:
    brands = [p.brand for p in shown]
    product = rng.choice(shown)
    if brands.count(product.brand) != 1:
        return None
    name = product.brand.lower()
    return rng.choice(["the {}", "the {} one", "the {} ones", "the {} pair", "{}"]).format(name), name


_AUDIENCE_TITLE_WORDS = {"men's", "women's", "kids'", "kids", "unisex", "adult", "boys'", "girls'"}
_LINE_STOP = {
    "classic",
    "ultra",
    "smart",
    "portable",
    "compact",
    "original",
    "large",
    "medium",
    "series",
    "professional",
    "signature",
    "adjustable",
    "plush",
    "wooden",
    "vegan",
    "daily",
    "moisturizing",
    "foaming",
    "hydrating",
    "gentle",
    "high-density",
    "neoprene",
    "cast",
    "stoneware",
    "canvas",
    "waterproof",
    "usb-c",
    "essentials",
    "one",
    "dual",
    "super",
    "true",
    "fit",
    "good",
    "no.3",
    "no.4",
    "no.5",
    "cold-pressed",
    "lavender",
    "little",
    "baby's",
    "laugh",
    "slice",
    "oil-free",
    "makeup",
    "retinol",
    "am",
}


def line_words(product: Product) -> list[str]:
    """The product-line words of a title after the brand and any audience word
    ("Nike Men's Pegasus 41 Road ..." -> ["pegasus", "pegasus 41"], "ASICS Men's Gel-Kayano 31" -> [..., "gel"])."""
    words = product.title.split()
    if product.brand and product.title.lower().startswith(product.brand.lower()):
        words = words[len(product.brand.split()) :]
    words = [w.strip(",()").lower() for w in words]
    while words and words[0] in _AUDIENCE_TITLE_WORDS:
        words = words[1:]
    if (
        not words
        or not words[0][:1].isalpha()
        or words[0] in _LINE_STOP
        or words[0] in _GENERIC
        or any(ch.isdigit() for ch in words[0][:3])
    ):
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
