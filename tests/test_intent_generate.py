"""The intent-data generator's fifth- and sixth-round families: cancelling and changing orders, invoices
and refund status, complaints, account questions, other domains, and what goes wrong after ordering
(wrong or missing items, late parcels, cancellation checks, compensation, shop rules) write valid parses whose copied
values (order id, item, address, email) are in the message as written."""

from __future__ import annotations

import random
import re

import pytest

from assistant.intent.data import generate as g
from assistant.intent.format import decode, encode

FAMILY_INTENTS = {
    "cancel": {"cancel_order"},
    "change": {"change_order"},
    "invoice_refund": {"order_status"},
    "complaint": {"human_agent"},
    "policy_account": {"policy_question"},
    "oos_domains": {"out_of_scope"},
}
#: the sixth round: what goes wrong after ordering
AFTERCARE_INTENTS = {
    "delivered_wrong": {"return_request"},
    "not_arrived": {"order_status"},
    "cancel_check": {"order_status"},
    "compensation": {"human_agent"},
    "shop_rules": {"policy_question"},
}


@pytest.fixture(scope="module")
def cat():
    return g.build_catalog(g.load_catalog())


def _loose(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


@pytest.mark.parametrize("family", sorted(FAMILY_INTENTS | AFTERCARE_INTENTS))
def test_new_generator_families_write_valid_parses(cat, family):
    rng = random.Random(7)
    synthetic = g.synthetic_catalogs()
    for i in range(300):
        on = synthetic[i % len(synthetic)] if family in AFTERCARE_INTENTS and i % 2 else cat
        row = getattr(g, family)(on, rng)
        parsed = decode(row["target"])
        assert encode(parsed) == row["target"], row
        assert parsed.intent in (FAMILY_INTENTS | AFTERCARE_INTENTS)[family] and row["intent"] == parsed.intent, row
        slots = parsed.slots
        pending = "asked email for " in row["prompt"]
        if slots.order_id and not pending:
            if slots.order_id.startswith("NW-"):  # demo ids: "nw 100023" is NW-100023
                assert _loose(slots.order_id) in _loose(row["text"]), row
            else:  # any other id exactly as written
                assert slots.order_id in row["text"] and not slots.order_id.startswith("#"), row
        if pending:
            assert f"asked email for {slots.order_id}" in row["prompt"], row
        for value in (slots.item, slots.address):
            assert value is None or value in row["text"], row
        if slots.email and not pending:
            assert slots.email in row["text"], row
        if parsed.intent == "change_order":
            assert slots.color is None or slots.color in on.colors, row


def test_generated_order_ids_come_in_many_formats(cat):
    rng = random.Random(3)
    ids = {decode(g.cancel(cat, rng)["target"]).slots.order_id for _ in range(600)} - {None}
    shapes = {re.sub(r"[0-9]+", "9", re.sub(r"[A-Za-z]+", "A", oid)) for oid in ids}
    assert len(shapes) >= 8
    assert any(oid.startswith("NW-") for oid in ids) and any(oid.isdigit() for oid in ids)


def test_the_mix_gives_the_new_families_about_a_quarter_and_many_domains_are_out_of_scope():
    shares = {f.__name__: w for f, w in g.FAMILIES}
    assert sum(shares.values()) == pytest.approx(1.0)
    assert sum(shares[name] for name in FAMILY_INTENTS) == pytest.approx(0.23)
    assert sum(shares[name] for name in AFTERCARE_INTENTS) == pytest.approx(0.10)
    assert len(g.DOMAINS) >= 30


# -- the catalogs the data draws from --------------------------------------------------------


def _said(value: str, text: str) -> bool:
    """Whether each word of ``value`` is in ``text``, allowing the generator's one typo a message."""
    import difflib

    words = re.findall(r"[0-9a-z']+", text.lower())
    return all(w in words or difflib.get_close_matches(w, words, n=1, cutoff=0.75) for w in re.findall(r"[0-9a-z']+", value.lower()))


def _products(cat) -> list:
    return [p for ps in cat.titles.values() for p in ps]


def test_the_synthetic_catalogs_differ_in_structure():
    from assistant.intent.data.generate.catalogs import synthetic_catalogs

    cats = synthetic_catalogs()
    assert len(cats) >= 6 and len({c.name for c in cats}) == len(cats)
    categories = [frozenset(c.titles) for c in cats]
    keys = [frozenset(k for p in _products(c) for k in p.attributes) for c in cats]
    assert len(set(categories)) == len(cats) and not frozenset.intersection(*categories)
    assert len(set(keys)) == len(cats) and len(frozenset.union(*keys)) >= 60
    assert {c.currency for c in cats} >= {"GBP", "EUR", "CAD", "USD"}
    everything = [name for c in cats for name in c.titles]
    assert any(">" in n for n in everything) and any("-" in n for n in everything) and any(n.isalpha() for n in everything)
    brands = {b for c in cats for bs in c.brands.values() for b in bs}
    assert any(" " in b for b in brands) and not brands & {b for bs in g.build_catalog(g.load_catalog()).brands.values() for b in bs}
    sizes = {s for c in cats for ss in c.sizes.values() for s in ss}
    assert {"UK 8", "42", "M", "50ml", "king"} <= sizes
    assert any(not c.colors for c in cats)  # a grocer has no colours: the families do without
    for c in cats:
        products = _products(c)
        assert len(products) >= 200 and len({p.id for p in products}) == len(products)
        assert len({p.title for p in products}) >= len(products) // 2  # composed, not one fixed list
        assert {p.currency for p in products} == {c.currency}


def test_synthetic_catalogs_are_seeded():
    from assistant.intent.data.generate.catalogs import DOMAINS, build_domain

    a, b = build_domain(DOMAINS[0]), build_domain(DOMAINS[0])
    assert [p.model_dump() for p in _products(a)] == [p.model_dump() for p in _products(b)]


@pytest.fixture(scope="module")
def mixed_rows():
    return g.generate(4000, seed=11)


def test_the_mix_draws_from_every_catalog_and_round_trips(mixed_rows):
    from assistant.intent.data.generate.mix import DEMO_SHARE, catalogs

    names = {cat.name for cat, _ in catalogs()}
    counts = {name: sum(r["catalog"] == name for r in mixed_rows) for name in names}
    assert counts["demo"] / len(mixed_rows) == pytest.approx(DEMO_SHARE, abs=0.04)
    assert all(count > 100 for count in counts.values()), counts
    for row in mixed_rows:
        assert encode(decode(row["target"])) == row["target"], row
    for name in names - {"demo"}:  # every family works on every catalog: its searches and questions are there
        intents = {r["intent"] for r in mixed_rows if r["catalog"] == name}
        assert {"search_products", "product_question", "compare_products"} <= intents, name


def test_catalog_slots_come_from_the_example_s_own_catalog_and_its_words(mixed_rows):
    from assistant.intent.data.generate.mix import catalogs

    by_name = {cat.name: cat for cat, _ in catalogs()}
    prices = {
        "GBP": ("£", "quid", "pounds"),
        "EUR": ("€", "euro"),
        "CAD": ("$", "dollars", "bucks", "cad"),
        "USD": ("$", "dollars", "bucks"),
    }
    named = 0
    for row in mixed_rows:
        cat, slots = by_name[row["catalog"]], decode(row["target"]).slots
        if slots.category:
            assert slots.category in cat.titles, row
            if not cat.demo:  # another catalog's category only where the shopper named it
                assert _said(slots.category, row["text"]), row
                named += 1
        if slots.brand:
            assert slots.brand in {b for bs in cat.brands.values() for b in bs}, row
            assert _said(slots.brand, row["text"]), row
        if row["intent"] in ("search_products", "product_question") and slots.color:
            assert slots.color in cat.colors, row
        if row["intent"] in ("search_products", "product_question") and slots.size:
            assert slots.size in {s for ss in cat.sizes.values() for s in ss}, row
        if row["intent"] == "search_products" and (slots.price_max or slots.price_min) and not cat.demo:
            words = set(re.findall(r"[a-z]+|[£€$]", row["text"].lower()))  # prices in this catalog's currency only
            assert not words & ({w for ws in prices.values() for w in ws} - set(prices[cat.currency])), row
    assert named > 20  # some shoppers do name a category as the catalog writes it


TEST_STORE = [
    {
        "id": "K-1",
        "title": "Copperleaf Stovetop Moka Pot 6 Cup",
        "category": "coffee gear",
        "brand": "Copperleaf",
        "price": 34,
        "currency": "GBP",
        "attributes": {"color": "silver", "capacity_cups": 6, "induction": True, "type": "moka pot"},
    },
    {
        "id": "K-2",
        "title": "Copperleaf Gooseneck Kettle",
        "category": "coffee gear",
        "brand": "Copperleaf",
        "price": 49,
        "currency": "GBP",
        "attributes": {"color": "matte black", "capacity_ml": 900, "induction": False},
    },
    {
        "id": "K-3",
        "title": "Fenwick Burr Grinder",
        "category": "coffee gear",
        "brand": "Fenwick",
        "price": 89,
        "currency": "GBP",
        "attributes": {"color": "matte black", "grind_settings": 40},
    },
    {
        "id": "K-4",
        "title": "Fenwick Apron, Canvas",
        "category": "Aprons & Textiles",
        "brand": "Fenwick",
        "price": 22,
        "currency": "GBP",
        "attributes": {"color": "olive", "size": ["S", "M", "L"], "material": "canvas"},
    },
    {
        "id": "K-5",
        "title": "Tidewell Linen Tea Towel Set",
        "category": "Aprons & Textiles",
        "brand": "Tidewell",
        "price": 15,
        "currency": "GBP",
        "attributes": {"color": "olive", "pack_size": 3, "material": "linen"},
    },
    {
        "id": "K-6",
        "title": "Tidewell Oven Gloves",
        "category": "Aprons & Textiles",
        "brand": "Tidewell",
        "price": 12,
        "currency": "GBP",
        "attributes": {"color": "rust", "material": "cotton"},
    },
]


def test_a_store_generation_uses_only_that_store_s_vocabulary():
    from assistant.types import Vocabulary
    from retrieval.catalog import Product

    products = [Product.model_validate(p) for p in TEST_STORE]
    vocab = Vocabulary.from_products(products)
    rows = g.generate(800, seed=4, catalog=products)
    assert {r["catalog"] for r in rows} == {"store"}
    demo = g.build_catalog(g.load_catalog())
    demo_words = set(demo.titles)
    categories = 0
    for row in rows:
        parsed = decode(row["target"])
        assert encode(parsed) == row["target"], row
        slots = parsed.slots
        assert slots.category is None or (slots.category in vocab.categories and _said(slots.category, row["text"])), row
        assert slots.brand is None or slots.brand in vocab.brands, row
        categories += bool(slots.category)
        if row["intent"] in ("search_products", "product_question", "compare_products"):
            assert slots.color is None or slots.color in vocab.colors, row
            assert slots.size is None or slots.size in vocab.sizes, row
        shown = re.search(r"^shown: (.*)$", row["prompt"], re.M)
        for title in re.split(r" \| \d\. ", shown.group(1)[3:]) if shown else []:  # the context shows this store's titles
            assert any(p.title.startswith(title) for p in products), row
        assert not re.search(r"\bc=(?:" + "|".join(demo_words) + r")\b", row["prompt"]), row
    assert categories > 0
    questions = {decode(r["target"]).slots.attribute for r in rows if r["intent"] == "product_question"}
    assert questions & {"capacity_ml", "grind_settings", "pack_size", "material", "induction"}
