"""Synthetic catalogs, built in code and seeded, so that the intent data does not teach the demo's
taxonomy: shops of other domains (DIY, books and stationery, groceries, fragrance and beauty,
pets, toys, furniture, sports, electronics) whose category names differ in wording and
granularity ("fragrances", "skin-care", "power tools > drills", "mens-watches"), with their
own invented brands (some of several words, some common words), their own attribute keys
("wattage_w", "page_count", "pack_size"), colours and sizes in other systems (UK and EU shoe
sizes, S/M/L, volumes in ml, bed sizes) and other currencies (GBP, EUR, CAD, USD).

Titles are composed per product from the domain's parts (brand, product line, a modifier, the
noun, a number from its attributes, a colour), a few hundred products a catalog. Each catalog
is a ``Catalog`` (``common.catalog_from_products`` plus the domain's tables: modifiers, specs,
questions, audiences), so a family reads it the way it reads a store's.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field

from assistant.intent.data.generate.common import Catalog, catalog_from_products
from retrieval.catalog import Product

AttrValues = list[str] | list[int] | list[float] | list[bool]


@dataclass
class Cat:
    """One category of a synthetic domain."""

    name: str
    nouns: list[str]  # product nouns ("combi drill"); the title's last words
    mods: list[str] = field(default_factory=list)  # words before the noun, kept in the query
    after: list[str] = field(default_factory=list)  # phrases after the noun, kept in the query
    attrs: dict[str, AttrValues] = field(default_factory=dict)
    sizes: list[str] = field(default_factory=list)
    price: tuple[int, int] = (10, 100)
    title_attr: tuple[str, str] | None = None  # (key, "{}V"): a number of the title
    colored: bool = True


@dataclass
class Domain:
    name: str
    currency: str
    prefix: str
    brands: list[str]
    lines: list[str]
    colors: list[str]
    categories: list[Cat]
    attributes: dict[str, list[str]] = field(default_factory=dict)  # key -> how a shopper says it
    specs: list[tuple[str, list, str]] = field(default_factory=list)  # ("{}v drill", values, category)
    alternatives: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    key_questions: dict[str, list[str]] = field(default_factory=dict)
    audience: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


_UK_SHOES = ["UK 4", "UK 5", "UK 6", "UK 7", "UK 7.5", "UK 8", "UK 8.5", "UK 9", "UK 10", "UK 11"]
_EU_SHOES = ["38", "39", "40", "41", "42", "43", "44", "45", "46"]
_LETTERS = ["XS", "S", "M", "L", "XL", "XXL"]

DOMAINS: list[Domain] = [
    Domain(
        name="hardware",
        currency="GBP",
        prefix="HW",
        brands=["Ridgeway", "Red Kite Tools", "Ferro", "Anchor", "Bolt & Brace", "Kestrel Pro", "Hollin", "Stanmore"],
        lines=["Torque", "Ironclad", "Forge", "Vantage", "Quarry", "Tradesman", "Keystone", "Flint", "Rampart", "Mason"],
        colors=["yellow", "orange", "green", "grey", "black", "blue"],
        categories=[
            Cat(
                "power tools > drills",
                ["combi drill", "drill driver", "hammer drill", "impact driver", "sds drill"],
                ["cordless", "brushless", "compact", "heavy duty"],
                ["with two batteries", "with a case", "for masonry", "body only"],
                {
                    "voltage_v": [12, 18, 20, 36],
                    "cordless": [True, False],
                    "battery_included": [True, False],
                    "weight_kg": [1.2, 1.5, 1.8, 2.4],
                },
                price=(40, 260),
                title_attr=("voltage_v", "{}V"),
            ),
            Cat(
                "power tools > saws",
                ["circular saw", "jigsaw", "mitre saw", "reciprocating saw", "multi tool"],
                ["cordless", "corded", "compact", "laser guided"],
                ["for laminate", "with blades", "body only"],
                {"voltage_v": [18, 36, 230], "blade_mm": [165, 184, 210, 254], "wattage_w": [600, 800, 1200, 1800]},
                price=(45, 320),
                title_attr=("blade_mm", "{}mm"),
            ),
            Cat(
                "hand tools",
                ["claw hammer", "spanner set", "screwdriver set", "spirit level", "tape measure", "hacksaw", "socket set"],
                ["magnetic", "insulated", "soft grip", "stainless"],
                ["in a case", "for electricians"],
                {
                    "material": ["steel", "chrome vanadium", "fibreglass", "aluminium"],
                    "pieces": [1, 6, 12, 24, 40],
                    "length_mm": [300, 600, 1000],
                },
                price=(6, 80),
                colored=False,
            ),
            Cat(
                "paint & decorating",
                ["emulsion", "gloss paint", "paint roller", "masking tape", "wood stain", "primer", "paint brush set"],
                ["matt", "silk", "quick dry", "one coat", "exterior"],
                ["for ceilings", "for bathrooms", "for fences"],
                {"finish": ["matt", "silk", "satin", "gloss"], "coverage_m2": [10, 12, 14, 16], "volume_l": [1, 2.5, 5, 10]},
                price=(5, 60),
                title_attr=("volume_l", "{}L"),
            ),
            Cat(
                "fixings > screws",
                ["wood screws", "drywall screws", "decking screws", "wall plugs", "coach bolts"],
                ["zinc plated", "stainless", "countersunk", "self tapping"],
                ["for plasterboard", "for outdoor use"],
                {"pack_size": [50, 100, 200, 500], "length_mm": [20, 30, 40, 50, 70], "material": ["steel", "stainless steel", "brass"]},
                price=(3, 30),
                title_attr=("pack_size", "{} Pack"),
                colored=False,
            ),
            Cat(
                "garden",
                ["garden hose", "hose reel", "pressure washer", "hedge trimmer", "leaf blower", "lawn mower"],
                ["cordless", "petrol", "expandable", "lightweight"],
                ["for large gardens", "with a grass box"],
                {"length_m": [15, 20, 30, 50], "wattage_w": [450, 1400, 1800, 2100], "cordless": [True, False]},
                price=(15, 350),
            ),
        ],
        attributes={
            "voltage_v": ["voltage", "volts", "how many volts"],
            "wattage_w": ["wattage", "watts", "how powerful"],
            "cordless": ["cordless", "battery powered"],
            "battery_included": ["battery included", "come with a battery", "batteries included"],
            "blade_mm": ["blade size", "blade diameter"],
            "coverage_m2": ["coverage", "how far does it go", "square metres"],
            "volume_l": ["volume", "how many litres", "tin size"],
            "pack_size": ["pack size", "how many in a pack", "how many screws"],
            "finish": ["finish", "sheen"],
        },
        specs=[
            ("{} drill", ["18v", "12v", "36v", "18 volt"], "power tools > drills"),
            ("{}mm wood screws", [30, 40, 50], "fixings > screws"),
            ("box of {} screws", [100, 200, 500], "fixings > screws"),
            ("{} litre tin of emulsion", [2.5, 5, 10], "paint & decorating"),
            ("{}m garden hose", [15, 30, 50], "garden"),
            ("{}mm circular saw", [165, 184], "power tools > saws"),
        ],
        alternatives={
            "power tools > drills": [("corded or cordless", "cordless"), ("12v or 18v", "voltage_v")],
            "paint & decorating": [("matt or silk", "finish"), ("gloss or satin", "finish")],
            "hand tools": [("steel or fibreglass", "material")],
        },
        key_questions={
            "voltage_v": ["what voltage is the {n}", "is the {n} 18v", "how many volts is the {n}"],
            "pack_size": ["how many screws in the {n}", "how many come in the {n}"],
            "coverage_m2": ["how much wall does the {n} cover", "what's the coverage of the {n}"],
        },
        audience={"hand tools": (["professional", "diy"], ["for electricians", "for beginners", "for the trade"])},
    ),
    Domain(
        name="stationery",
        currency="CAD",
        prefix="ST",
        brands=["Quill & Co", "Papermoon", "Northline", "Bramble Books", "Ledger", "Harbourlight Press", "Ink Lab", "Simple"],
        lines=["Journey", "Meridian", "Atlas", "Classic", "Field", "Studio", "Archive", "Sketch", "Daybook", "Wren"],
        colors=["black", "navy", "sage", "terracotta", "blush", "mustard", "white"],
        categories=[
            Cat(
                "notebooks",
                ["notebook", "journal", "sketchbook", "bullet journal", "pocket notebook"],
                ["dotted", "lined", "hardcover", "softcover", "spiral bound"],
                ["with elastic closure", "for fountain pens", "with numbered pages"],
                {
                    "page_count": [96, 120, 160, 192, 240],
                    "ruling": ["dotted", "lined", "plain", "squared"],
                    "paper_gsm": [80, 100, 120, 160],
                },
                sizes=["A4", "A5", "A6", "B5"],
                price=(6, 40),
            ),
            Cat(
                "pens",
                ["fountain pen", "gel pen", "ballpoint pen", "fineliner set", "brush pen", "rollerball"],
                ["refillable", "retractable", "fine tip", "medium nib"],
                ["for left handers", "for calligraphy"],
                {
                    "nib": ["extra fine", "fine", "medium", "broad"],
                    "ink_color": ["black", "blue", "assorted"],
                    "pack_size": [1, 3, 5, 10, 12],
                },
                price=(2, 120),
            ),
            Cat(
                "fiction",
                ["novel", "paperback", "thriller", "fantasy novel", "mystery", "short story collection"],
                ["signed", "illustrated", "large print", "bestselling"],
                ["for book club", "for a long flight"],
                {
                    "format": ["hardback", "paperback", "ebook"],
                    "page_count": [220, 288, 352, 416, 512],
                    "genre": ["thriller", "fantasy", "literary", "crime"],
                },
                price=(12, 45),
                colored=False,
            ),
            Cat(
                "children's books",
                ["picture book", "board book", "activity book", "early reader", "bedtime story book"],
                ["illustrated", "lift the flap", "rhyming"],
                ["for toddlers", "for ages 5 to 7"],
                {
                    "age_range": ["0-3", "3-5", "5-7", "7-9"],
                    "format": ["board book", "paperback", "hardback"],
                    "page_count": [24, 32, 48, 64],
                },
                price=(8, 30),
                colored=False,
            ),
            Cat(
                "art-supplies",
                ["watercolour set", "sketching pencils", "acrylic paints", "oil pastels", "canvas board", "marker set"],
                ["professional", "student grade", "travel"],
                ["for beginners", "with a brush"],
                {"pieces": [12, 24, 36, 48, 72], "lightfast": [True, False], "medium": ["watercolour", "acrylic", "graphite", "oil"]},
                price=(8, 90),
                title_attr=("pieces", "{}-Piece"),
            ),
            Cat(
                "planners",
                ["weekly planner", "daily planner", "academic diary", "wall calendar", "desk pad"],
                ["undated", "dated", "hardcover"],
                ["for students", "starting in january"],
                {"layout": ["week to view", "day to a page", "month to view"], "page_count": [120, 180, 365]},
                sizes=["A4", "A5", "B6"],
                price=(9, 45),
            ),
        ],
        attributes={
            "page_count": ["page count", "how many pages", "number of pages", "pages"],
            "ruling": ["ruling", "lined or dotted", "line spacing"],
            "paper_gsm": ["paper weight", "gsm", "paper thickness"],
            "nib": ["nib", "nib size", "tip size"],
            "ink_color": ["ink colour", "ink color", "what colour ink"],
            "format": ["format", "hardback or paperback", "binding"],
            "age_range": ["age range", "what age is it for", "reading age"],
            "lightfast": ["lightfast", "fade resistant"],
            "layout": ["layout", "page layout"],
        },
        specs=[
            ("{} page notebook", [120, 160, 192, 240], "notebooks"),
            ("{} notebook", ["a5 dotted", "a4 lined", "b5 squared"], "notebooks"),
            ("pack of {} gel pens", [5, 10, 12], "pens"),
            ("{} colour marker set", [12, 24, 36], "art-supplies"),
            ("{}gsm sketchbook", [120, 160, 200], "notebooks"),
        ],
        alternatives={
            "notebooks": [("lined or dotted", "ruling"), ("hardcover or softcover", "format")],
            "fiction": [("hardback or paperback", "format")],
            "pens": [("fine or medium", "nib")],
        },
        key_questions={
            "page_count": ["how many pages in the {n}", "how many pages does the {n} have", "page count of the {n}?"],
            "paper_gsm": ["what paper weight is the {n}", "how thick is the paper in the {n}"],
            "age_range": ["what age is the {n} for", "is the {n} ok for a 4 year old"],
        },
        audience={
            "children's books": (["toddler", "kids", "baby"], ["for toddlers", "for a 6 year old", "for early readers"]),
            "art-supplies": (["kids", "adult"], ["for kids", "for adults", "for beginners"]),
        },
    ),
    Domain(
        name="grocer",
        currency="EUR",
        prefix="GR",
        brands=["Green Valley", "Mill & Hearth", "Honest", "Olvera", "Casa Tavola", "Little Acre", "Fjord Farms", "Bramblewood"],
        lines=["Origins", "Everyday", "Reserve", "Harvest", "Classic", "Select", "Nonna's", "Wild", "Kitchen", "Market"],
        colors=[],
        categories=[
            Cat(
                "coffee & tea",
                ["coffee beans", "ground coffee", "espresso pods", "green tea", "earl grey", "herbal tea", "chai"],
                ["decaf", "organic", "fairtrade", "dark roast", "single origin"],
                ["for cafetiere", "for espresso machines"],
                {
                    "weight_g": [100, 250, 500, 1000],
                    "caffeinated": [True, False],
                    "organic": [True, False],
                    "roast": ["light", "medium", "dark"],
                },
                price=(3, 25),
                title_attr=("weight_g", "{}g"),
                colored=False,
            ),
            Cat(
                "pasta, rice & grains",
                ["spaghetti", "penne", "basmati rice", "risotto rice", "couscous", "quinoa", "egg noodles"],
                ["wholewheat", "gluten free", "organic", "bronze cut"],
                ["for risotto", "in bulk"],
                {"weight_g": [500, 1000, 2000, 5000], "gluten_free": [True, False], "origin": ["italy", "india", "spain", "peru"]},
                price=(1, 15),
                title_attr=("weight_g", "{}g"),
                colored=False,
            ),
            Cat(
                "snacks",
                ["crisps", "trail mix", "granola bars", "rice cakes", "dark chocolate", "salted almonds", "popcorn"],
                ["vegan", "sugar free", "high protein", "sea salted"],
                ["without nuts", "for lunchboxes"],
                {"pack_size": [1, 4, 6, 12, 24], "vegan": [True, False], "contains_nuts": [True, False]},
                price=(1, 18),
                colored=False,
            ),
            Cat(
                "dairy & eggs",
                ["greek yoghurt", "free range eggs", "mature cheddar", "oat milk", "butter", "feta"],
                ["lactose free", "organic", "low fat", "unsalted"],
                ["for baking"],
                {"volume_ml": [250, 500, 1000], "lactose_free": [True, False], "organic": [True, False]},
                price=(1, 12),
                colored=False,
            ),
            Cat(
                "olive oil & vinegar",
                ["extra virgin olive oil", "balsamic vinegar", "rapeseed oil", "cider vinegar", "chilli oil"],
                ["cold pressed", "organic", "aged"],
                ["for dressings", "for frying"],
                {"volume_ml": [250, 500, 750, 1000], "origin": ["greece", "italy", "spain"], "organic": [True, False]},
                price=(3, 35),
                title_attr=("volume_ml", "{}ml"),
                colored=False,
            ),
        ],
        attributes={
            "weight_g": ["weight", "how many grams", "how big is the bag"],
            "pack_size": ["pack size", "how many in a pack", "how many bars"],
            "contains_nuts": ["nuts", "nut free", "contain nuts"],
            "lactose_free": ["lactose free", "lactose"],
            "origin": ["origin", "where is it from", "country of origin"],
            "roast": ["roast", "how dark is the roast"],
            "volume_ml": ["volume", "how many ml", "bottle size"],
        },
        specs=[
            ("{} bag of coffee beans", ["1kg", "500g", "250g"], "coffee & tea"),
            ("{} of basmati rice", ["5kg", "2kg", "a 1kg bag"], "pasta, rice & grains"),
            ("box of {} granola bars", [6, 12, 24], "snacks"),
            ("{} extra virgin olive oil", ["1 litre", "500ml", "750ml"], "olive oil & vinegar"),
            ("{} pack of oat milk", [6, 12], "dairy & eggs"),
        ],
        alternatives={
            "coffee & tea": [("decaf or regular", "caffeinated"), ("light or dark roast", "roast")],
            "snacks": [("with or without nuts", "contains_nuts")],
        },
        key_questions={
            "weight_g": ["how many grams is the {n}", "how heavy is the bag of {n}"],
            "origin": ["where is the {n} from", "what country is the {n} from"],
            "contains_nuts": ["does the {n} contain nuts", "is the {n} nut free"],
        },
        audience={"snacks": (["kids", "vegan"], ["for kids", "for the office", "for hiking"])},
    ),
    Domain(
        name="parfumerie",
        currency="EUR",
        prefix="PF",
        brands=["Maison Verlaine", "Solène", "Aurum", "Botanica Lab", "Nordic Skin", "Velvet & Vine", "Clair", "Rosewater Co"],
        lines=["Noir", "Lumière", "Bloom", "Hydra", "Pure", "Santal", "Eclat", "Aqua", "Velours", "Nuit"],
        colors=["nude", "rose", "coral", "berry", "clear", "bronze", "plum"],
        categories=[
            Cat(
                "fragrances",
                ["eau de parfum", "eau de toilette", "perfume", "cologne", "body mist", "perfume oil"],
                ["floral", "woody", "citrus", "long lasting", "unisex"],
                ["for evenings", "for summer"],
                {
                    "volume_ml": [30, 50, 75, 100],
                    "scent_family": ["floral", "woody", "citrus", "oriental", "fresh"],
                    "concentration": ["edp", "edt", "parfum"],
                },
                sizes=["30ml", "50ml", "100ml"],
                price=(25, 180),
                colored=False,
            ),
            Cat(
                "skin-care",
                ["moisturiser", "serum", "cleanser", "eye cream", "face mask", "toner", "sunscreen"],
                ["vitamin c", "hyaluronic", "fragrance free", "spf 30", "retinol"],
                ["for dry skin", "for oily skin", "for sensitive skin"],
                {
                    "skin_type": ["dry", "oily", "combination", "sensitive", "all"],
                    "spf": [0, 15, 30, 50],
                    "vegan": [True, False],
                    "volume_ml": [30, 50, 100, 200],
                },
                sizes=["30ml", "50ml", "100ml", "200ml"],
                price=(9, 95),
                colored=False,
            ),
            Cat(
                "make-up",
                ["lipstick", "foundation", "mascara", "eyeshadow palette", "blusher", "lip gloss", "concealer"],
                ["matte", "waterproof", "long wear", "tinted", "sheer"],
                ["for fair skin", "for everyday"],
                {"finish": ["matte", "satin", "dewy", "shimmer"], "waterproof": [True, False], "cruelty_free": [True, False]},
                price=(7, 55),
            ),
            Cat(
                "hair-care",
                ["shampoo", "conditioner", "hair oil", "hair mask", "dry shampoo", "styling cream"],
                ["sulphate free", "volumising", "repairing", "colour safe"],
                ["for curly hair", "for fine hair", "for coloured hair"],
                {
                    "hair_type": ["curly", "fine", "thick", "coloured", "all"],
                    "volume_ml": [100, 250, 400, 500],
                    "sulphate_free": [True, False],
                },
                sizes=["100ml", "250ml", "500ml"],
                price=(6, 45),
                colored=False,
            ),
            Cat(
                "mens-grooming",
                ["beard oil", "shaving cream", "aftershave balm", "razor", "beard trimmer", "face wash"],
                ["sensitive", "cordless", "sandalwood"],
                ["for sensitive skin", "for travel"],
                {"volume_ml": [30, 50, 100, 150], "cordless": [True, False], "scent_family": ["woody", "fresh", "unscented"]},
                price=(8, 110),
                colored=False,
            ),
        ],
        attributes={
            "volume_ml": ["volume", "size of the bottle", "how many ml", "bottle size"],
            "scent_family": ["scent", "what does it smell like", "fragrance notes", "smell"],
            "concentration": ["concentration", "edp or edt", "strength"],
            "skin_type": ["skin type", "for oily skin", "for dry skin"],
            "spf": ["spf", "sun protection"],
            "hair_type": ["hair type", "for curly hair"],
            "sulphate_free": ["sulphate free", "sulfate free", "sulphates"],
            "finish": ["finish", "matte or dewy"],
        },
        specs=[
            ("{} eau de parfum", ["100ml", "50ml", "30ml"], "fragrances"),
            ("spf {} moisturiser", [15, 30, 50], "skin-care"),
            ("{} shampoo", ["500ml", "250ml", "1 litre"], "hair-care"),
            ("{} serum", ["30ml", "15ml"], "skin-care"),
        ],
        alternatives={
            "fragrances": [("edp or edt", "concentration"), ("floral or woody", "scent_family")],
            "make-up": [("matte or dewy", "finish")],
            "skin-care": [("for dry or oily skin", "skin_type")],
        },
        key_questions={
            "scent_family": ["what does the {n} smell like", "what are the notes in the {n}"],
            "volume_ml": ["how many ml is the {n}", "how big is the bottle of {n}"],
            "spf": ["what spf is the {n}", "does the {n} have spf"],
        },
        audience={
            "fragrances": (["womens", "mens", "unisex"], ["for her", "for him", "for women", "for men"]),
            "skin-care": (["mens", "teen"], ["for men", "for teens"]),
        },
    ),
    Domain(
        name="pets",
        currency="USD",
        prefix="PT",
        brands=["Happy Paws", "Barkwell", "Whisker & Tail", "Good Boy Goods", "Northstar Pet", "Fetch", "Purrfect", "Tails"],
        lines=["Active", "Comfort", "Wild Trail", "Everyday", "Pro", "Cozy", "Explorer", "Chompers", "Gentle", "Prime"],
        colors=["red", "navy", "tan", "grey", "pink", "forest green", "black"],
        categories=[
            Cat(
                "dog > food",
                ["dry dog food", "wet dog food", "dog treats", "dental chews", "puppy food"],
                ["grain free", "salmon", "chicken", "hypoallergenic", "senior"],
                ["for large breeds", "for sensitive stomachs"],
                {
                    "weight_kg": [1.5, 2, 6, 12, 15],
                    "grain_free": [True, False],
                    "life_stage": ["puppy", "adult", "senior"],
                    "flavour": ["chicken", "salmon", "lamb", "beef"],
                },
                price=(5, 90),
                title_attr=("weight_kg", "{}kg"),
                colored=False,
            ),
            Cat(
                "dog > beds & crates",
                ["dog bed", "crate", "orthopedic bed", "dog blanket", "travel crate"],
                ["washable", "memory foam", "calming", "foldable"],
                ["for large dogs", "for the car"],
                {"machine_washable": [True, False], "material": ["fleece", "memory foam", "canvas", "steel"]},
                sizes=["S", "M", "L", "XL"],
                price=(20, 180),
            ),
            Cat(
                "cat > litter",
                ["cat litter", "litter box", "litter mat", "litter scoop"],
                ["clumping", "unscented", "self cleaning", "covered"],
                ["for multiple cats"],
                {"weight_kg": [4, 8, 10, 15], "clumping": [True, False], "scented": [True, False]},
                price=(6, 250),
                colored=False,
            ),
            Cat(
                "collars & leads",
                ["collar", "lead", "harness", "retractable lead", "reflective collar"],
                ["reflective", "padded", "no pull", "leather"],
                ["for puppies", "for night walks"],
                {"material": ["nylon", "leather", "neoprene"], "reflective": [True, False]},
                sizes=["XS", "S", "M", "L", "XL"],
                price=(8, 55),
            ),
            Cat(
                "aquarium",
                ["fish tank", "aquarium filter", "fish food flakes", "aquarium heater", "air pump"],
                ["led", "quiet", "tropical", "starter"],
                ["for goldfish", "for a 60 litre tank"],
                {"capacity_l": [20, 40, 60, 120], "wattage_w": [5, 25, 50, 100]},
                price=(6, 220),
                colored=False,
            ),
        ],
        attributes={
            "grain_free": ["grain free", "grains"],
            "life_stage": ["life stage", "for puppies", "for senior dogs"],
            "flavour": ["flavour", "flavor", "what flavour"],
            "machine_washable": ["machine washable", "washable", "can i wash it"],
            "clumping": ["clumping", "does it clump"],
            "scented": ["scented", "smell"],
            "reflective": ["reflective", "visible at night"],
            "capacity_l": ["capacity", "how many litres", "tank size"],
            "wattage_w": ["wattage", "watts"],
        },
        specs=[
            ("{} bag of dry dog food", ["15kg", "12kg", "2kg"], "dog > food"),
            ("{} litre fish tank", [20, 60, 120], "aquarium"),
            ("{} of cat litter", ["10kg", "a 15kg bag"], "cat > litter"),
            ("harness for a {} dog", ["20kg", "5kg", "30kg"], "collars & leads"),
        ],
        alternatives={
            "dog > food": [("chicken or salmon", "flavour"), ("grain free or not", "grain_free")],
            "collars & leads": [("nylon or leather", "material")],
        },
        key_questions={
            "life_stage": ["is the {n} ok for puppies", "what age is the {n} for"],
            "capacity_l": ["how many litres is the {n}", "how big is the {n}"],
            "flavour": ["what flavour is the {n}", "is the {n} chicken"],
        },
        audience={
            "dog > food": (["puppy", "senior", "small breed"], ["for puppies", "for older dogs", "for small dogs"]),
            "collars & leads": (["puppy", "small dog"], ["for puppies", "for big dogs", "for cats"]),
        },
    ),
    Domain(
        name="toys",
        currency="CAD",
        prefix="TY",
        brands=["Brightblock", "Tumble & Twig", "Kiddo Labs", "Marbleworks", "Pip Squeak", "Little Otter", "Rocket", "Meadow"],
        lines=["Adventure", "Junior", "Explorer", "Mega", "Mini", "Discovery", "Galaxy", "Safari", "Castle", "Turbo"],
        colors=["red", "blue", "yellow", "green", "pink", "purple", "rainbow"],
        categories=[
            Cat(
                "building-sets",
                ["building set", "construction kit", "brick set", "magnetic tiles", "marble run"],
                ["magnetic", "motorized", "starter", "deluxe"],
                ["for ages 6 and up", "with a booklet"],
                {"piece_count": [60, 120, 250, 500, 1000], "age_min_years": [3, 5, 6, 8, 12], "battery_required": [True, False]},
                price=(15, 180),
                title_attr=("piece_count", "{}-Piece"),
            ),
            Cat(
                "board-games",
                ["board game", "card game", "strategy game", "party game", "cooperative game"],
                ["family", "travel", "two player"],
                ["for game night", "for 2 players"],
                {"players": ["2", "2-4", "2-6", "3-8"], "age_min_years": [5, 8, 10, 14], "play_time_min": [15, 30, 60, 90]},
                price=(12, 80),
                colored=False,
            ),
            Cat(
                "puzzles",
                ["jigsaw puzzle", "floor puzzle", "3d puzzle", "puzzle cube"],
                ["wooden", "glow in the dark"],
                ["for adults", "for toddlers"],
                {"piece_count": [24, 100, 500, 1000, 2000], "age_min_years": [3, 6, 12]},
                price=(8, 45),
                title_attr=("piece_count", "{}-Piece"),
                colored=False,
            ),
            Cat(
                "outdoor-play",
                ["scooter", "trampoline", "water blaster", "kite", "sandpit", "swing set"],
                ["foldable", "light up", "three wheel"],
                ["for the garden", "for toddlers"],
                {"age_min_years": [2, 3, 5, 8], "max_load_kg": [20, 50, 100], "assembly_required": [True, False]},
                price=(10, 400),
            ),
            Cat(
                "plush",
                ["teddy bear", "plush unicorn", "stuffed dinosaur", "soft toy", "cuddly bunny"],
                ["giant", "weighted", "musical"],
                ["for newborns", "for bedtime"],
                {"height_cm": [20, 30, 45, 80], "machine_washable": [True, False], "age_min_years": [0, 1, 3]},
                price=(8, 60),
            ),
        ],
        attributes={
            "piece_count": ["piece count", "how many pieces", "number of pieces", "pieces"],
            "age_min_years": ["age", "what age", "minimum age", "suitable for a"],
            "battery_required": ["batteries", "need batteries", "battery required"],
            "players": ["players", "how many players", "number of players"],
            "play_time_min": ["play time", "how long does a game take", "game length"],
            "max_load_kg": ["max load", "weight limit", "how much weight"],
            "assembly_required": ["assembly", "assembly required", "does it need assembling"],
            "height_cm": ["height", "how tall", "how big"],
            "machine_washable": ["machine washable", "washable"],
        },
        specs=[
            ("{} piece jigsaw puzzle", [500, 1000, 2000], "puzzles"),
            ("building set with {} pieces", [250, 500, 1000], "building-sets"),
            ("board game for {} players", [2, 4, 6], "board-games"),
            ("{} inch teddy bear", [12, 18, 30], "plush"),
        ],
        alternatives={
            "board-games": [("cooperative or competitive", "players")],
            "outdoor-play": [("two or three wheels", "age_min_years")],
        },
        key_questions={
            "piece_count": ["how many pieces in the {n}", "how many pieces does the {n} have"],
            "players": ["how many players for the {n}", "can two people play the {n}"],
            "age_min_years": ["what age is the {n} for", "is the {n} ok for a 4 year old"],
        },
        audience={
            "puzzles": (["kids", "adult", "toddler"], ["for adults", "for kids", "for toddlers"]),
            "outdoor-play": (["kids", "toddler"], ["for toddlers", "for a 7 year old", "for big kids"]),
            "plush": (["baby"], ["for babies", "for newborns"]),
        },
    ),
    Domain(
        name="furniture",
        currency="EUR",
        prefix="FN",
        brands=["Oaken", "Hygge Haus", "Linden & Low", "Studio Forma", "Nest", "Arbor", "Kasa", "Copperfield Home"],
        lines=["Oslo", "Alba", "Marlow", "Kendal", "Sora", "Tivoli", "Brisa", "Hamlin", "Arlo", "Vesta"],
        colors=["oak", "walnut", "white", "charcoal", "sage", "navy", "mustard", "natural"],
        categories=[
            Cat(
                "living room > sofas",
                ["sofa", "corner sofa", "sofa bed", "loveseat", "chaise sofa"],
                ["velvet", "leather", "modular", "compact"],
                ["for small spaces", "with storage"],
                {"seats": [2, 3, 4], "upholstery": ["velvet", "linen", "leather", "boucle"], "width_cm": [150, 180, 210, 260]},
                price=(300, 2200),
                title_attr=("seats", "{}-Seater"),
            ),
            Cat(
                "living room > tables",
                ["coffee table", "side table", "console table", "nest of tables"],
                ["round", "glass", "solid wood", "marble effect"],
                ["with storage", "for a small living room"],
                {
                    "material": ["oak", "walnut veneer", "glass", "metal"],
                    "width_cm": [45, 90, 110, 120],
                    "assembly_required": [True, False],
                },
                price=(60, 600),
            ),
            Cat(
                "bedroom > beds",
                ["bed frame", "ottoman bed", "divan bed", "bunk bed", "headboard"],
                ["upholstered", "storage", "low", "four poster"],
                ["with drawers", "for a kids room"],
                {"material": ["pine", "oak", "fabric", "metal"], "storage": [True, False]},
                sizes=["single", "double", "king", "super king"],
                price=(150, 1500),
            ),
            Cat(
                "bedroom > wardrobes",
                ["wardrobe", "chest of drawers", "bedside table", "dressing table"],
                ["mirrored", "sliding door", "two door", "tall"],
                ["with a mirror", "for a small bedroom"],
                {"drawers": [2, 3, 4, 6], "height_cm": [60, 90, 180, 200], "assembly_required": [True, False]},
                price=(80, 1100),
            ),
            Cat(
                "office",
                ["desk", "standing desk", "office chair", "bookcase", "filing cabinet"],
                ["ergonomic", "height adjustable", "corner", "compact"],
                ["for a home office", "with lumbar support"],
                {"max_load_kg": [80, 110, 150], "adjustable": [True, False], "width_cm": [80, 120, 140, 160]},
                price=(70, 900),
            ),
        ],
        attributes={
            "seats": ["seats", "how many people does it seat", "how many seats"],
            "upholstery": ["upholstery", "fabric", "what fabric"],
            "width_cm": ["width", "how wide", "dimensions", "size"],
            "height_cm": ["height", "how tall"],
            "storage": ["storage", "does it have storage"],
            "drawers": ["drawers", "how many drawers"],
            "max_load_kg": ["max load", "weight limit", "how much weight does it hold"],
            "adjustable": ["adjustable", "height adjustable"],
            "assembly_required": ["assembly", "does it come assembled", "flat pack"],
        },
        specs=[
            ("{} seater sofa", [2, 3, 4], "living room > sofas"),
            ("{} cm wide desk", [100, 120, 140], "office"),
            ("{} bed frame", ["king size", "double", "single", "super king"], "bedroom > beds"),
            ("chest of {} drawers", [3, 4, 6], "bedroom > wardrobes"),
        ],
        alternatives={
            "living room > sofas": [("velvet or linen", "upholstery"), ("2 or 3 seater", "seats")],
            "bedroom > beds": [("pine or oak", "material")],
        },
        key_questions={
            "width_cm": ["how wide is the {n}", "what are the dimensions of the {n}"],
            "seats": ["how many people does the {n} seat", "is the {n} a 3 seater"],
            "assembly_required": ["does the {n} come assembled", "is the {n} flat pack"],
        },
        audience={"bedroom > beds": (["kids", "childrens"], ["for kids", "for a teenager", "for guests"])},
    ),
    Domain(
        name="sports",
        currency="GBP",
        prefix="SP",
        brands=["Stride", "Kinetic", "Peak Form", "Apex Athletics", "Swift", "Racer & Rowe", "Tempo", "Velo North"],
        lines=["Glide", "Sprint", "Surge", "Phantom", "Drift", "Vortex", "Pulse", "Halo", "Nimbus", "Blaze"],
        colors=["black", "white", "volt", "navy", "red", "grey", "coral", "teal"],
        categories=[
            Cat(
                "running-shoes",
                ["running shoes", "trail shoes", "racing flats", "trainers"],
                ["cushioned", "lightweight", "stability", "carbon plated", "wide fit"],
                ["for marathons", "for flat feet", "for trails"],
                {
                    "drop_mm": [0, 4, 8, 10, 12],
                    "weight_g": [210, 240, 280, 310],
                    "surface": ["road", "trail", "track"],
                    "waterproof": [True, False],
                },
                sizes=_UK_SHOES,
                price=(45, 190),
            ),
            Cat(
                "mens-football-boots",
                ["football boots", "astro turf trainers", "firm ground boots", "indoor boots"],
                ["leather", "laceless", "wide fit"],
                ["for artificial grass", "for wet pitches"],
                {"surface": ["firm ground", "soft ground", "artificial grass", "indoor"], "upper": ["leather", "synthetic", "knit"]},
                sizes=_EU_SHOES,
                price=(35, 220),
            ),
            Cat(
                "womens-activewear",
                ["leggings", "sports bra", "running top", "gym shorts", "track jacket"],
                ["high waisted", "seamless", "breathable", "reflective"],
                ["with pockets", "for yoga", "for running"],
                {
                    "fit": ["slim", "regular", "relaxed"],
                    "support_level": ["low", "medium", "high"],
                    "material": ["nylon", "polyester", "merino"],
                },
                sizes=_LETTERS,
                price=(15, 90),
            ),
            Cat(
                "cycling",
                ["bike helmet", "bike lights", "cycling jersey", "bike lock", "turbo trainer", "mudguards"],
                ["aero", "rechargeable", "mips", "heavy duty"],
                ["for commuting", "for road bikes"],
                {"weight_g": [250, 300, 900, 1500], "rechargeable": [True, False], "lumens": [100, 400, 800, 1200]},
                sizes=["S", "M", "L"],
                price=(12, 450),
            ),
            Cat(
                "fitness",
                ["kettlebell", "dumbbells", "resistance bands", "yoga mat", "pull up bar", "skipping rope"],
                ["adjustable", "non slip", "extra thick"],
                ["for home workouts", "for beginners"],
                {"weight_kg": [4, 8, 12, 16, 24], "material": ["cast iron", "neoprene", "rubber", "tpe"], "thickness_mm": [4, 6, 10]},
                price=(8, 250),
                title_attr=("weight_kg", "{}kg"),
            ),
            Cat(
                "swimming",
                ["swim goggles", "swimsuit", "swim shorts", "swim cap", "wetsuit"],
                ["anti fog", "chlorine resistant", "mirrored"],
                ["for open water", "for the pool"],
                {"chlorine_resistant": [True, False], "thickness_mm": [2, 3, 5]},
                sizes=_LETTERS,
                price=(6, 260),
            ),
        ],
        attributes={
            "drop_mm": ["drop", "heel drop", "heel to toe drop"],
            "weight_g": ["weight", "how heavy", "how light"],
            "surface": ["surface", "what surface", "for road or trail"],
            "upper": ["upper", "what's the upper made of"],
            "fit": ["fit", "how does it fit"],
            "support_level": ["support", "support level", "how supportive"],
            "lumens": ["lumens", "how bright", "brightness"],
            "rechargeable": ["rechargeable", "usb charging"],
            "thickness_mm": ["thickness", "how thick"],
            "chlorine_resistant": ["chlorine resistant", "chlorine"],
        },
        specs=[
            ("{} kettlebell", ["16kg", "12kg", "8 kg", "24kg"], "fitness"),
            ("{}mm yoga mat", [4, 6, 10], "fitness"),
            ("bike lights with {} lumens", [400, 800, 1200], "cycling"),
            ("{}mm drop running shoes", [0, 4, 8], "running-shoes"),
            ("{} wetsuit", ["3mm", "5mm"], "swimming"),
        ],
        alternatives={
            "running-shoes": [("road or trail", "surface"), ("waterproof or not", "waterproof")],
            "mens-football-boots": [("firm ground or soft ground", "surface"), ("leather or synthetic", "upper")],
            "womens-activewear": [("high or medium support", "support_level")],
        },
        key_questions={
            "drop_mm": ["what's the drop on the {n}", "how much heel drop does the {n} have"],
            "lumens": ["how bright is the {n}", "how many lumens is the {n}"],
            "weight_g": ["how heavy is the {n}", "what does the {n} weigh"],
        },
        audience={
            "running-shoes": (["womens", "mens", "kids", "women's", "men's"], ["for women", "for men", "for kids"]),
            "cycling": (["kids", "womens"], ["for kids", "for adults"]),
        },
    ),
    Domain(
        name="electronics",
        currency="USD",
        prefix="EL",
        brands=["Voltra", "Lumina", "Orbitron", "Clearwave", "Pixelcraft", "Sonance", "Boltline", "Echo Valley"],
        lines=["Nova", "Pulse", "Edge", "Aero", "Prism", "Zen", "Matrix", "Quantum", "Flux", "Ion"],
        colors=["black", "silver", "white", "space grey", "midnight blue"],
        categories=[
            Cat(
                "tv & home theater",
                ["smart tv", "soundbar", "projector", "streaming stick", "tv wall mount"],
                ["4k", "oled", "qled", "dolby atmos"],
                ["for a small room", "with hdmi arc"],
                {"screen_size_in": [32, 43, 55, 65, 75], "resolution": ["1080p", "4k", "8k"], "hdmi_ports": [2, 3, 4]},
                price=(40, 2400),
                title_attr=("screen_size_in", '{}"'),
            ),
            Cat(
                "audio > speakers",
                ["bluetooth speaker", "smart speaker", "bookshelf speakers", "party speaker"],
                ["portable", "waterproof", "stereo"],
                ["for the shower", "for parties"],
                {"battery_life_hours": [8, 12, 20, 30], "waterproof": [True, False], "wattage_w": [10, 20, 40, 100]},
                price=(25, 500),
            ),
            Cat(
                "computers > monitors",
                ["monitor", "gaming monitor", "ultrawide monitor", "portable monitor"],
                ["curved", "144hz", "usb-c", "4k"],
                ["for photo editing", "for gaming"],
                {"screen_size_in": [24, 27, 32, 34], "refresh_rate_hz": [60, 75, 144, 165, 240], "panel": ["ips", "va", "oled"]},
                price=(110, 1200),
                title_attr=("screen_size_in", '{}"'),
            ),
            Cat(
                "cameras",
                ["mirrorless camera", "action camera", "instant camera", "dashcam", "webcam"],
                ["4k", "waterproof", "compact"],
                ["for vlogging", "for travel"],
                {"megapixels": [12, 20, 24, 33, 45], "waterproof": [True, False], "video": ["1080p", "4k", "6k"]},
                price=(40, 2600),
            ),
            Cat(
                "smart home",
                ["smart plug", "video doorbell", "security camera", "smart bulb", "thermostat"],
                ["wifi", "battery powered", "outdoor"],
                ["for renters", "that works with alexa"],
                {"connectivity": ["wifi", "zigbee", "bluetooth"], "battery_powered": [True, False], "pack_size": [1, 2, 4]},
                price=(12, 280),
            ),
        ],
        attributes={
            "screen_size_in": ["screen size", "how big is the screen", "inches"],
            "resolution": ["resolution", "is it 4k"],
            "hdmi_ports": ["hdmi ports", "how many hdmi"],
            "refresh_rate_hz": ["refresh rate", "hz"],
            "panel": ["panel", "panel type", "ips or va"],
            "megapixels": ["megapixels", "camera resolution"],
            "video": ["video", "video resolution"],
            "connectivity": ["connectivity", "wifi or zigbee", "does it need a hub"],
            "battery_powered": ["battery powered", "wired or battery"],
            "pack_size": ["pack size", "how many in the pack"],
            "wattage_w": ["wattage", "watts", "how loud"],
        },
        specs=[
            ("{} inch 4k tv", [43, 55, 65, 75], "tv & home theater"),
            ("{}hz gaming monitor", [144, 165, 240], "computers > monitors"),
            ("{} inch monitor", [24, 27, 32], "computers > monitors"),
            ("{} pack of smart plugs", [2, 4], "smart home"),
            ("{}mp mirrorless camera", [24, 33, 45], "cameras"),
        ],
        alternatives={
            "computers > monitors": [("ips or va", "panel"), ("60 or 144hz", "refresh_rate_hz")],
            "smart home": [("wifi or zigbee", "connectivity"), ("wired or battery", "battery_powered")],
            "tv & home theater": [("4k or 8k", "resolution")],
        },
        key_questions={
            "screen_size_in": ["how big is the screen on the {n}", "what size is the {n}"],
            "refresh_rate_hz": ["what's the refresh rate of the {n}", "is the {n} 144hz"],
            "megapixels": ["how many megapixels is the {n}"],
        },
        audience={"cameras": (["kids", "beginner"], ["for kids", "for beginners", "for vloggers"])},
    ),
]


_UPPER = {"led", "oled", "qled", "tv", "sds", "usb-c", "mips", "edp", "edt", "spf", "3d", "4k"}


def _title(words: list[str]) -> str:
    return " ".join(
        w.upper() if w in _UPPER else w if any(ch.isupper() or ch.isdigit() for ch in w) else w.capitalize()
        for w in " ".join(words).split()
    )


def _products(domain: Domain, rng: random.Random) -> list[Product]:
    """A few hundred products: per category, titles composed of a brand, one of its lines, a
    modifier, a number from the attributes and the noun, with a colour where the category has one."""
    lines = {brand: rng.sample(domain.lines, 3) for brand in domain.brands}
    out: list[Product] = []
    for spec in domain.categories:
        brands = rng.sample(domain.brands, k=min(len(domain.brands), rng.randint(4, 6)))
        for _ in range(rng.randint(35, 70)):
            brand = rng.choice(brands)
            noun = rng.choice(spec.nouns)
            attributes: dict = {key: rng.choice(values) for key, values in spec.attrs.items()}
            words = [brand, rng.choice(lines[brand])]
            if spec.title_attr and rng.random() < 0.6:
                key, fmt = spec.title_attr
                words.append(fmt.format(attributes[key]))
            if spec.mods and rng.random() < 0.5:
                words.append(rng.choice(spec.mods))
            words.append(noun)
            title = _title(words)
            if spec.colored and domain.colors:
                attributes["color"] = rng.choice(domain.colors)
                if rng.random() < 0.6:
                    title += f", {attributes['color'].title()}"
            if spec.sizes:
                start = rng.randrange(len(spec.sizes))
                attributes["size"] = spec.sizes[start : start + rng.randint(1, 5)]
            attributes["type"] = noun
            lo, hi = spec.price
            price = max(1, round(rng.uniform(lo, hi))) - rng.choice([0.01, 0.05, 0.0, 0.5])
            out.append(
                Product(
                    id=f"{domain.prefix}-{len(out) + 1:04d}",
                    title=title,
                    category=spec.name,
                    brand=brand,
                    price=round(max(price, 0.5), 2),
                    currency=domain.currency,
                    rating=round(rng.uniform(3.2, 4.9), 1),
                    review_count=rng.randint(0, 3000),
                    stock=rng.choice([0, 3, 12, 40, 120]),
                    attributes=attributes,
                )
            )
    return out


def _specs(domain: Domain, rng: random.Random) -> list[tuple[str, str]]:
    return [(template.format(value), category) for template, values, category in domain.specs for value in values]


def build_domain(domain: Domain, seed: int = 0) -> Catalog:
    rng = random.Random(f"{domain.name}:{seed}")
    products = _products(domain, rng)
    return catalog_from_products(
        products,
        domain.name,
        {
            "nouns": {c.name: c.nouns for c in domain.categories},
            "attributes": domain.attributes,
            "modifiers": {c.name: (c.mods, c.after) for c in domain.categories if c.mods or c.after},
            "specs": _specs(domain, rng),
            "alternatives": domain.alternatives,
            "key_questions": domain.key_questions,
            "audience": domain.audience,
        },
    )


@functools.cache
def synthetic_catalogs(seed: int = 0) -> tuple[Catalog, ...]:
    """Every synthetic catalog, built once per seed (the products do not depend on the data's seed)."""
    return tuple(build_domain(domain, seed) for domain in DOMAINS)
