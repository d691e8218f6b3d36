"""Synthetic catalogs for benchmarks: any size, seeded, with realistic distributions.

- 24 categories with skewed shares (clothing 15%, cameras 1%), each with its product
  types and a log-normal price around its own median (socks ~$12, laptops ~$850);
- per category 40 brands with Zipf-like shares, plus store brands across categories;
- colours with real-world weights (black first) where a category has colours; sizes as
  lists for clothing and shoes; ~12% out of stock; ratings around 4.2, Pareto reviews.

``rows()`` gives canonical catalog rows (title, description, attributes...) for a real
ingest with real embeddings. ``vectors()`` gives *synthetic* 384-d vectors for catalogs
too large to embed on a laptop: each is the normalised sum of a category direction, a
product-type direction, smaller brand and colour directions and noise, so products of
one type sit close together (cosine ~0.65), one category looser (~0.3), and others far
(~0), the cluster structure that makes filtered ANN search hard.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval.index import AnnIndex, ProductIndex
from retrieval.types import Constraints

DIM = 384

# name, share, median price, product types, sized ("clothing" | "shoes" | None), has colours
CATEGORIES: tuple[tuple[str, float, float, tuple[str, ...], str | None, bool], ...] = (
    (
        "clothing",
        0.15,
        35,
        ("t-shirt", "hoodie", "jacket", "jeans", "dress", "sweater", "shorts", "socks", "leggings", "coat"),
        "clothing",
        True,
    ),
    (
        "shoes",
        0.09,
        75,
        ("running shoes", "trail shoes", "sneakers", "boots", "sandals", "loafers", "slippers", "hiking boots"),
        "shoes",
        True,
    ),
    (
        "kitchen",
        0.07,
        30,
        ("frying pan", "chef knife", "blender", "coffee maker", "mixing bowl", "kettle", "toaster", "cutting board"),
        None,
        True,
    ),
    ("home decor", 0.05, 40, ("lamp", "cushion", "rug", "vase", "wall art", "candle", "mirror", "curtains"), None, True),
    ("beauty", 0.07, 18, ("lipstick", "moisturizer", "shampoo", "perfume", "face serum", "nail polish", "sunscreen"), None, False),
    ("toys", 0.05, 25, ("building blocks", "puzzle", "doll", "board game", "remote control car", "plush toy", "action figure"), None, True),
    (
        "sports",
        0.05,
        45,
        ("yoga mat", "dumbbells", "tennis racket", "football", "bike helmet", "resistance bands", "water bottle"),
        None,
        True,
    ),
    ("books", 0.06, 16, ("novel", "cookbook", "biography", "children's book", "travel guide", "comic", "textbook"), None, False),
    (
        "headphones",
        0.025,
        90,
        ("wireless headphones", "earbuds", "noise cancelling headphones", "gaming headset", "sports earbuds"),
        None,
        True,
    ),
    ("phones", 0.015, 450, ("smartphone", "phone case", "charger", "screen protector"), None, True),
    ("laptops", 0.01, 850, ("ultrabook", "gaming laptop", "chromebook", "laptop sleeve"), None, True),
    ("cameras", 0.01, 400, ("mirrorless camera", "action camera", "camera lens", "tripod"), None, True),
    ("furniture", 0.04, 180, ("sofa", "office chair", "desk", "bookshelf", "bed frame", "dining table", "stool"), None, True),
    ("garden", 0.035, 35, ("planter", "garden hose", "pruning shears", "lawn mower", "bird feeder", "seeds"), None, True),
    ("pet supplies", 0.03, 22, ("dog bed", "cat toy", "leash", "pet food", "aquarium", "litter box"), None, True),
    ("automotive", 0.025, 30, ("car charger", "floor mats", "dash cam", "seat cover", "tire inflator"), None, True),
    ("office", 0.03, 15, ("notebook", "pen set", "desk organizer", "stapler", "backpack"), None, True),
    ("jewelry", 0.025, 60, ("necklace", "ring", "earrings", "bracelet", "watch"), None, True),
    ("bags", 0.03, 55, ("backpack", "tote bag", "duffel bag", "wallet", "suitcase", "crossbody bag"), None, True),
    ("outdoor", 0.035, 70, ("tent", "sleeping bag", "camping stove", "headlamp", "hiking backpack", "rain jacket"), None, True),
    ("baby", 0.025, 30, ("stroller", "baby monitor", "onesie", "baby bottle", "car seat"), None, True),
    ("tools", 0.03, 40, ("cordless drill", "screwdriver set", "hammer", "tape measure", "tool box", "socket set"), None, True),
    ("grocery", 0.04, 8, ("coffee beans", "olive oil", "tea", "pasta", "chocolate", "granola"), None, False),
    ("health", 0.03, 20, ("vitamins", "thermometer", "first aid kit", "massage gun", "scale"), None, True),
)
COLORS = (
    "black",
    "white",
    "grey",
    "blue",
    "navy",
    "red",
    "green",
    "brown",
    "beige",
    "pink",
    "purple",
    "yellow",
    "orange",
    "silver",
    "gold",
    "multicolor",
)
COLOR_WEIGHTS = (0.22, 0.12, 0.10, 0.10, 0.05, 0.06, 0.05, 0.05, 0.04, 0.04, 0.03, 0.03, 0.03, 0.04, 0.02, 0.02)
CLOTHING_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
SHOE_SIZES = tuple(str(s).removesuffix(".0") for s in np.arange(6.0, 13.5, 0.5))
BRANDS_PER_CATEGORY = 40
STORE_BRANDS = 8
STORE_BRAND_SHARE = 0.08
OUT_OF_STOCK = 0.12
ADJECTIVES = ("classic", "premium", "lightweight", "everyday", "pro", "compact", "deluxe", "essential", "eco", "ultra", "soft", "rugged")
_SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ven",
    "tor",
    "ra",
    "zen",
    "bel",
    "no",
    "sta",
    "qui",
    "dro",
    "fa",
    "lux",
    "ori",
    "pel",
    "sa",
    "tek",
    "vo",
    "wyn",
)

#: the filter mixes the benchmark queries use, in report order
FILTER_KINDS = (
    "none",
    "category",
    "brand",
    "color",
    "price range",
    "category + price",
    "category + brand",
    "brand + color",
    "category + color + price",
    "category + size + in stock",
)


def _brand_names(rng: np.random.Generator, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        parts = rng.choice(_SYLLABLES, size=rng.integers(2, 4))
        names.add("".join(parts).capitalize())
    return sorted(names)


@dataclass
class SyntheticCatalog:
    """Columns of ``n`` generated products; row ``i`` has id ``SYN-<i>`` (ids sort as rows)."""

    seed: int
    category: np.ndarray  # codes into CATEGORIES
    kind: np.ndarray  # codes into ``types``
    brand: np.ndarray  # codes into ``brands``
    color: np.ndarray  # codes into COLORS, -1: none
    price: np.ndarray
    stock: np.ndarray
    rating: np.ndarray  # nan: unrated
    reviews: np.ndarray
    size_indptr: np.ndarray  # CSR over ``sizes``
    size_codes: np.ndarray
    types: list[str]
    brands: list[str]
    sizes: list[str]
    _vectors: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.category)

    @classmethod
    def generate(cls, n: int, seed: int = 7) -> SyntheticCatalog:
        rng = np.random.default_rng(seed)
        shares = np.array([c[1] for c in CATEGORIES])
        category = rng.choice(len(CATEGORIES), size=n, p=shares / shares.sum()).astype(np.int32)
        types = [t for c in CATEGORIES for t in c[3]]
        type_start = np.cumsum([0] + [len(c[3]) for c in CATEGORIES])
        type_count = np.diff(type_start)
        kind = (type_start[category] + (rng.random(n) * type_count[category]).astype(np.int64)).astype(np.int32)
        # brands: 40 per category with Zipf-like shares, and store brands everywhere
        names = _brand_names(rng, len(CATEGORIES) * BRANDS_PER_CATEGORY + STORE_BRANDS)
        rng.shuffle(names)
        zipf = 1.0 / np.arange(1, BRANDS_PER_CATEGORY + 1) ** 1.1
        local = rng.choice(BRANDS_PER_CATEGORY, size=n, p=zipf / zipf.sum())
        brand = (category.astype(np.int64) * BRANDS_PER_CATEGORY + local).astype(np.int32)
        store = rng.random(n) < STORE_BRAND_SHARE
        brand[store] = len(CATEGORIES) * BRANDS_PER_CATEGORY + rng.integers(0, STORE_BRANDS, int(store.sum()))
        weights = np.array(COLOR_WEIGHTS)
        color = rng.choice(len(COLORS), size=n, p=weights / weights.sum()).astype(np.int32)
        colourless = np.array([not c[5] for c in CATEGORIES])[category]
        color[colourless] = -1
        median = np.array([c[2] for c in CATEGORIES], dtype=np.float64)[category]
        price = np.maximum(0.99, np.floor(median * rng.lognormal(0.0, 0.6, n)) + 0.99)
        stock = np.where(rng.random(n) < OUT_OF_STOCK, 0, rng.geometric(0.05, n)).astype(np.int32)
        rating = np.round(np.clip(rng.normal(4.2, 0.5, n), 1.0, 5.0), 1)
        rating[rng.random(n) < 0.05] = np.nan
        reviews = np.floor(rng.pareto(1.2, n) * 20).astype(np.int64)
        # sizes: a contiguous run of the category's size scale
        sized = np.array([{"clothing": 1, "shoes": 2}.get(c[4] or "", 0) for c in CATEGORIES])[category]
        sizes = list(CLOTHING_SIZES) + list(SHOE_SIZES)
        scale_start = np.where(sized == 1, 0, len(CLOTHING_SIZES))
        scale_len = np.where(sized == 1, len(CLOTHING_SIZES), len(SHOE_SIZES))
        first = (rng.random(n) * scale_len * 0.4).astype(np.int64)
        count = np.where(sized > 0, np.minimum(scale_len - first, 2 + (rng.random(n) * scale_len * 0.6).astype(np.int64)), 0)
        indptr = np.concatenate([[0], np.cumsum(count)])
        owner = np.repeat(np.arange(n), count)
        offset = np.arange(int(indptr[-1])) - indptr[:-1][owner]
        size_codes = (scale_start[owner] + first[owner] + offset).astype(np.int32)
        return cls(seed, category, kind, brand, color, price, stock, rating, reviews, indptr, size_codes, types, names, sizes)

    # -- as catalog rows ------------------------------------------------------------
    def product_id(self, row: int) -> str:
        return f"SYN-{row:07d}"

    def row(self, i: int) -> dict:
        """Product ``i`` as a canonical catalog row."""
        rng = np.random.default_rng((self.seed, i))
        kind = self.types[self.kind[i]]
        brand = self.brands[self.brand[i]]
        category = CATEGORIES[self.category[i]][0]
        adjective = ADJECTIVES[int(rng.integers(len(ADJECTIVES)))]
        model = f"{''.join(rng.choice(list('ABCDEFGHJKLMNPRSTVWXZ'), 2))}-{int(rng.integers(100, 999))}"
        attributes: dict = {}
        colour = ""
        if self.color[i] >= 0:
            colour = COLORS[self.color[i]]
            attributes["color"] = colour
        sizes = [self.sizes[c] for c in self.size_codes[self.size_indptr[i] : self.size_indptr[i + 1]]]
        if sizes:
            attributes["size"] = sizes
        if rng.random() < 0.3:
            attributes["material"] = str(
                rng.choice(["cotton", "polyester", "leather", "steel", "aluminium", "wood", "bamboo", "recycled plastic"])
            )
        if rng.random() < 0.2:
            attributes["waterproof"] = True
        title = f"{brand} {adjective.capitalize()} {kind.title()} {model}"
        description = (
            f"A {adjective} {kind} by {brand}{' in ' + colour if colour else ''}. "
            f"Part of our {category} range, rated by {int(self.reviews[i])} shoppers."
        )
        row = {
            "id": self.product_id(i),
            "title": title,
            "description": description,
            "category": category,
            "brand": brand,
            "price": float(self.price[i]),
            "currency": "USD",
            "review_count": int(self.reviews[i]),
            "stock": int(self.stock[i]),
            "attributes": attributes,
            "tags": [kind, category],
        }
        if not np.isnan(self.rating[i]):
            row["rating"] = float(self.rating[i])
        return row

    def rows(self) -> Iterator[dict]:
        return (self.row(i) for i in range(len(self)))

    def write_jsonl(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            for row in self.rows():
                fh.write(json.dumps(row) + "\n")
        return path

    # -- synthetic vectors and the index --------------------------------------------
    def _directions(self, salt: str, count: int, dim: int) -> np.ndarray:
        rng = np.random.default_rng([self.seed, sum(salt.encode())])
        d = rng.standard_normal((count, dim)).astype(np.float32)
        return d / np.linalg.norm(d, axis=1, keepdims=True)

    def vectors(self, dim: int = DIM, chunk: int = 100_000) -> np.ndarray:
        """Normalised float32 vectors (see the module docstring), made once per catalog."""
        if self._vectors is not None and self._vectors.shape[1] == dim:
            return self._vectors
        cat = self._directions("category", len(CATEGORIES), dim)
        typ = self._directions("type", len(self.types), dim)
        brd = self._directions("brand", len(self.brands), dim)
        col = self._directions("color", len(COLORS) + 1, dim)
        out = np.empty((len(self), dim), dtype=np.float32)
        rng = np.random.default_rng([self.seed, 99])
        for start in range(0, len(self), chunk):
            s = slice(start, min(start + chunk, len(self)))
            noise = rng.standard_normal((s.stop - s.start, dim), dtype=np.float32)
            noise /= np.linalg.norm(noise, axis=1, keepdims=True)
            v = 0.55 * cat[self.category[s]] + 0.6 * typ[self.kind[s]] + 0.3 * brd[self.brand[s]] + 0.2 * col[self.color[s]] + 0.45 * noise
            out[s] = v / np.linalg.norm(v, axis=1, keepdims=True)
        self._vectors = out
        return out

    def index(self, ann: AnnIndex | None = None, **options) -> ProductIndex:
        """A ``ProductIndex`` straight from the columns (no Product objects)."""
        colours = [c for c in COLORS] + [""]
        cat_names = [c[0] for c in CATEGORIES]
        return ProductIndex(
            [self.product_id(i) for i in range(len(self))],
            self.vectors(),
            category=[cat_names[c] for c in self.category],
            brand=[self.brands[b].lower() for b in self.brand],
            color=[colours[c] for c in self.color],
            price=self.price,
            in_stock=self.stock > 0,
            sizes=(self.size_indptr, self.size_codes, [s.lower() for s in self.sizes]),
            ann=ann,
            **options,
        )

    def metadata(self, i: int) -> dict:
        """Chroma metadata in the layout ``retrieval.store.product_metadata`` writes."""
        meta = {
            "category": CATEGORIES[self.category[i]][0],
            "brand": self.brands[self.brand[i]].lower(),
            "price": float(self.price[i]),
            "currency": "USD",
            "in_stock": bool(self.stock[i] > 0),
        }
        if self.color[i] >= 0:
            meta["color"] = COLORS[self.color[i]]
        if not np.isnan(self.rating[i]):
            meta["rating"] = float(self.rating[i])
        return meta

    def queries(self, count: int, seed: int = 11) -> list[tuple[str, np.ndarray, Constraints]]:
        """``count`` benchmark queries (filter kind, vector, constraints), kinds in turn.

        Each starts from a random anchor product: the vector is near its product type (a
        shopper asking for "trail running shoes"), the filters are values the anchor has,
        so every filtered query has at least one match.
        """
        rng = np.random.default_rng([self.seed, seed])
        vectors = self.vectors()
        cat = self._directions("category", len(CATEGORIES), vectors.shape[1])
        typ = self._directions("type", len(self.types), vectors.shape[1])
        sized_rows = np.flatnonzero((np.diff(self.size_indptr) > 0) & (self.stock > 0))
        coloured_rows = np.flatnonzero(self.color >= 0)
        out = []
        for q in range(count):
            kind = FILTER_KINDS[q % len(FILTER_KINDS)]
            if "size" in kind:
                i = int(rng.choice(sized_rows))
            elif "color" in kind:
                i = int(rng.choice(coloured_rows))
            else:
                i = int(rng.integers(len(self)))
            noise = rng.standard_normal(vectors.shape[1]).astype(np.float32)
            v = 0.55 * cat[self.category[i]] + 0.6 * typ[self.kind[i]] + 0.6 * noise / np.linalg.norm(noise)
            v /= np.linalg.norm(v)
            price = float(self.price[i])
            c: dict = {}
            if "category" in kind:
                c["category"] = CATEGORIES[self.category[i]][0]
            if "brand" in kind:
                c["brand"] = self.brands[self.brand[i]]
            if "color" in kind:
                c["color"] = COLORS[self.color[i]]
            if kind == "price range":
                c["price_min"], c["price_max"] = float(np.floor(price * 0.8)), float(np.ceil(price * 1.2))
            elif "price" in kind:
                c["price_max"] = float(np.ceil(price * float(rng.uniform(1.0, 1.6))))
            if "size" in kind:
                sizes = self.size_codes[self.size_indptr[i] : self.size_indptr[i + 1]]
                c["size"] = self.sizes[int(rng.choice(sizes))]
            if "in stock" in kind:
                c["in_stock"] = True
            out.append((kind, v, Constraints(**c)))
        return out
