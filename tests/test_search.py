"""Product search over real stores: the demo store and a tiny store built here, both with
real Chroma, the real embedding model and real SQLite."""

from __future__ import annotations

import functools

import pytest

from assistant.answer import products as answer
from assistant.app import demo_path
from assistant.types import Slots
from retrieval.bench.evaluation import evaluate, load_devset
from retrieval.ingest import ingest_catalog
from retrieval.search import ProductSearch
from retrieval.types import Constraints, SearchRequest
from tests.conftest import new_store, product_row, search_over, write_jsonl

#: (query, constraints) pairs that each have matches in the demo catalog
DEMO_CONSTRAINED = [
    ("headphones", Constraints(category="headphones", price_max=100)),
    ("running shoes", Constraints(category="shoes", size="10", price_max=120)),
    ("jacket", Constraints(category="apparel", color="black")),
    ("", Constraints(brand="Sony")),
    ("wireless earbuds", Constraints(brand="Apple", price_min=100, price_max=300)),
    ("laptop", Constraints(category="laptops", price_min=500, price_max=1000)),
    ("backpack", Constraints(category="bags", color="black")),
    ("noise cancelling headphones", Constraints(category="headphones", in_stock=True, price_min=100)),
]


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "dense"])
def test_every_hit_meets_every_hard_constraint(demo_services, mode):
    search = demo_services.products
    for query, constraints in DEMO_CONSTRAINED:
        result = search.search(SearchRequest(query=query, constraints=constraints, k=10), mode=mode)
        assert result.hits, f"{query!r} {constraints}: expected matches in the demo catalog ({mode})"
        broken = {h.product.id: constraints.violations(h.product) for h in result.hits if not constraints.matches(h.product)}
        assert broken == {}, f"{query!r} ({mode}) returned products breaking {constraints}"
        assert result.total_matching >= len(result.hits)
        assert result.alternatives is None


@pytest.mark.parametrize("query", ["lawn mower", "garden hose", "television"])
def test_things_the_store_does_not_carry(demo_services, query):
    result = demo_services.products.search(SearchRequest(query=query))
    assert result.carried is False
    assert result.hits == () and result.total_matching == 0
    reply = answer.search_reply(result, Slots(query=query), list(demo_services.vocabulary.categories), "USD")
    assert f"we don't carry {query}" in reply.text and reply.products == () and reply.failed


def test_a_query_with_no_word_of_the_catalogs_is_carried_only_when_close_in_meaning(embedder, tmp_path):
    rows = [
        product_row("N-1", title="Bamboo Straight Knitting Needles 4mm", category="needles", description="Warm bamboo needles."),
        product_row("N-2", title="Aluminium Straight Needles 10mm", category="needles", description="Light needles for chunky yarn."),
        product_row("N-3", title="Circular Knitting Needle 5mm, 80cm", category="needles", description="For knitting in the round."),
        product_row("S-1", title="Couch, Three-Seater, Grey", category="furniture", description="A deep couch."),
    ]
    shop = search_over(tmp_path, embedder, rows)
    # the same craft is not the same thing: needles (cosine 0.50) are no embroidery hoops
    assert shop.search(SearchRequest(query="embroidery hoops")).carried is False
    assert shop.search(SearchRequest(query="sofa")).carried is True  # a couch, by meaning alone (0.62)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "known limitation of ProductSearch._carried: 'car' occurs in the catalog (toy cars) and the query's "
        "best cosine (0.33) clears CARRIED_MIN_COSINE_WITH_KEYWORDS (0.30), so toy cars are shown; "
        "dev-set queries such as 'bum bag for festivals' sit in the same cosine band, so no threshold separates them"
    ),
)
def test_car_tyres_are_not_carried(demo_services):
    result = demo_services.products.search(SearchRequest(query="car tyres"))
    assert result.carried is False and result.hits == ()


def test_impossible_price_gives_no_hits_and_labelled_alternatives(demo_services):
    slots = Slots(query="headphones", category="headphones", price_max=5)
    request = SearchRequest(query="headphones", constraints=Constraints(category="headphones", price_max=5))
    result = demo_services.products.search(request)
    assert result.carried and result.hits == () and result.total_matching == 0
    assert result.alternatives is not None
    assert "price_max" in result.alternatives.dropped and "category" not in result.alternatives.dropped
    alternatives = [h.product for h in result.alternatives.hits]
    assert alternatives and all(p.category == "headphones" and p.price > 5 for p in alternatives)
    cheapest_headphones = min(p.price for p in demo_services.products.products if p.category == "headphones")
    assert alternatives[0].price == cheapest_headphones  # closest to the budget first

    reply = answer.search_reply(result, slots, list(demo_services.vocabulary.categories), "USD")
    first, second = reply.text.splitlines()[:2]
    assert first == "I couldn't find any headphones at or under $5.00."
    assert "Alternatives above your budget" in second and f"${cheapest_headphones:.2f}" in second
    assert reply.products == () and reply.alternatives == tuple(alternatives)


def test_the_shoppers_budget_is_stated_in_the_shops_currency():
    """A pound shop's "under 90" is £90.00 in the reply, never the demo's dollars."""
    slots = Slots(query="drill", price_max=90, price_min=20)
    assert answer.describe_search(slots, "GBP") == "drill between £20.00 and £90.00"
    assert answer.describe_search(slots.model_copy(update={"price_min": None}), "EUR") == "drill at or under €90.00"
    assert answer.describe_search(slots.model_copy(update={"price_max": None}), "CAD") == "drill at or over 20.00 CAD"


def test_impossible_brand_names_the_dropped_constraint(demo_services):
    request = SearchRequest(query="shoes", constraints=Constraints(category="shoes", brand="Sony"))
    result = demo_services.products.search(request)
    assert result.hits == () and result.alternatives is not None
    assert result.alternatives.dropped == ("brand",)
    assert all(h.product.category == "shoes" for h in result.alternatives.hits)
    reply = answer.search_reply(result, Slots(query="shoes", category="shoes", brand="Sony"), [], "USD")
    assert reply.text.startswith("I couldn't find any Sony shoes.")
    assert "These alternatives don't match the brand you asked for" in reply.text


@pytest.mark.parametrize(
    "query, constraints",
    [
        ("headphones", Constraints(category="headphones")),
        ("", Constraints(category="shoes", color="black")),
        ("running shoes", Constraints(price_max=150)),
    ],
)
def test_sort_orders_the_hits(demo_services, query, constraints):
    search = demo_services.products
    hits = {}
    for sort in ("price_asc", "price_desc", "rating_desc"):
        result = search.search(SearchRequest(query=query, constraints=constraints, sort=sort, k=8))
        assert len(result.hits) >= 3
        assert all(constraints.matches(h.product) for h in result.hits)
        hits[sort] = [h.product for h in result.hits]
    asc = [p.price for p in hits["price_asc"]]
    desc = [p.price for p in hits["price_desc"]]
    ratings = [p.rating or 0.0 for p in hits["rating_desc"]]
    assert asc == sorted(asc) and desc == sorted(desc, reverse=True) and ratings == sorted(ratings, reverse=True)
    assert asc[0] < desc[0]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, embedder) -> ProductSearch:
    """Eight headphones and shoes with known prices, brands, colours, sizes and ratings."""
    root = tmp_path_factory.mktemp("tiny")
    rows = [
        product_row(
            "H-1",
            title="Sony wireless noise cancelling headphones",
            brand="Sony",
            price=120.0,
            rating=4.6,
            attributes={"color": "black", "wireless": True},
        ),
        product_row("H-2", title="Sony wired studio headphones", brand="Sony", price=60.0, rating=4.1, attributes={"color": "silver"}),
        product_row(
            "H-3", title="Bose wireless headphones", brand="Bose", price=300.0, rating=4.8, attributes={"color": "black", "wireless": True}
        ),
        product_row(
            "H-4", title="Acme budget wired earphones", brand="Acme", price=15.0, rating=3.2, stock=0, attributes={"color": "white"}
        ),
        product_row(
            "S-1",
            title="Trailhawk waterproof running shoes",
            category="shoes",
            brand="Trailhawk",
            price=75.0,
            rating=4.4,
            attributes={"color": "black", "size": ["9", "10", "11"]},
        ),
        product_row(
            "S-2",
            title="Trailhawk road running shoes",
            category="shoes",
            brand="Trailhawk",
            price=55.0,
            rating=3.9,
            attributes={"color": "blue", "size": ["8", "9"]},
        ),
        product_row(
            "S-3",
            title="Nike running shoes",
            category="shoes",
            brand="Nike",
            price=140.0,
            rating=4.7,
            attributes={"color": "black", "size": ["10", "12"]},
        ),
        product_row(
            "S-4",
            title="Nike leather hiking boots",
            category="shoes",
            brand="Nike",
            price=180.0,
            rating=4.0,
            attributes={"color": "brown", "size": ["10"]},
        ),
    ]
    store = new_store(root / "store", embedder)
    report = ingest_catalog(store, write_jsonl(root / "tiny.jsonl", rows), progress=False)
    assert report.added == 8
    return ProductSearch(store)


def ids(result) -> list[str]:
    return [h.product.id for h in result.hits]


def test_tiny_store_filters_exactly(tiny):
    def found(query, **constraints):
        return set(ids(tiny.search(SearchRequest(query=query, constraints=Constraints(**constraints), k=10))))

    # constraints only: exactly the products that meet them
    assert found("", category="headphones", price_max=100) == {"H-2", "H-4"}
    assert found("", category="shoes", size="10") == {"S-1", "S-3", "S-4"}
    assert found("", category="shoes", size="10", color="black", price_max=100) == {"S-1"}
    assert found("", brand="nike") == {"S-3", "S-4"}
    assert found("", category="headphones", in_stock=True) == {"H-1", "H-2", "H-3"}
    assert found("", price_min=100, price_max=150) == {"H-1", "S-3"}
    # with query text: the relevant ones among them, never one that breaks a constraint
    assert {"S-1", "S-3"} <= found("running shoes", category="shoes", size="10") <= {"S-1", "S-3", "S-4"}
    assert found("wireless headphones", brand="Sony") >= {"H-1"}
    assert found("wireless headphones", brand="Sony") <= {"H-1", "H-2"}


def test_tiny_store_sorts_exactly(tiny):
    def ordered(sort):
        return ids(tiny.search(SearchRequest(query="", constraints=Constraints(category="shoes"), sort=sort, k=10)))

    assert ordered("price_asc") == ["S-2", "S-1", "S-3", "S-4"]
    assert ordered("price_desc") == ["S-4", "S-3", "S-1", "S-2"]
    assert ordered("rating_desc") == ["S-3", "S-1", "S-4", "S-2"]


def test_tiny_store_says_what_it_does_not_carry_and_what_it_relaxed(tiny):
    assert tiny.search(SearchRequest(query="lawn mower")).carried is False
    result = tiny.search(SearchRequest(query="running shoes", constraints=Constraints(category="shoes", price_max=40)))
    assert result.hits == () and result.alternatives is not None
    assert result.alternatives.dropped == ("price_min", "price_max")
    assert [h.product.id for h in result.alternatives.hits][0] == "S-2"  # the cheapest running shoe
    result = tiny.search(SearchRequest(query="headphones", constraints=Constraints(category="headphones", color="red")))
    assert result.hits == () and result.alternatives.dropped == ("color",)
    assert {h.product.category for h in result.alternatives.hits} == {"headphones"}


class MemoEmbedder:
    """The real embedder, each distinct query embedded once (the evaluation repeats them)."""

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        self.embed_query = functools.cache(embedder.embed_query)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts)


def test_hybrid_is_at_least_as_good_as_either_retriever_on_the_dev_set(demo_services, monkeypatch):
    search = demo_services.products
    monkeypatch.setattr(search.store, "embedder", MemoEmbedder(search.store.embedder))
    rows = {r.name: r for r in evaluate(search, load_devset(demo_path("retrieval_dev.jsonl")))}
    tolerance = 0.01
    hybrid = rows["hybrid + constraints"]
    for single in ("keyword + constraints", "dense + constraints"):
        assert hybrid.ndcg >= rows[single].ndcg - tolerance, (single, rows[single].ndcg, hybrid.ndcg)
    assert rows["hybrid (RRF)"].ndcg >= max(rows["keyword only"].ndcg, rows["dense only"].ndcg) - tolerance
    for name in ("keyword + constraints", "dense + constraints", "hybrid + constraints"):
        assert rows[name].violations == 0 and rows[name].queries_with_violations == 0, name
    # the hard constraints are what remove the violations: without them there are plenty
    assert rows["hybrid (RRF)"].violations > 0.05
    assert hybrid.ndcg > 0.8


@pytest.fixture(scope="module")
def beauty_shop(embedder, tmp_path_factory):
    """A shop whose perfumes are in `fragrances`, beside a `beauty` and a `kitchen-accessories` category."""
    root = tmp_path_factory.mktemp("beauty-shop")
    rows = [
        product_row("F-1", title="Chanel Coco Noir Eau de Parfum 100ml", category="fragrances", brand="Chanel", description="A perfume."),
        product_row("F-2", title="Dior J'adore Eau de Parfum", category="fragrances", brand="Dior", description="A floral perfume."),
        product_row("F-3", title="Gucci Bloom Eau de Toilette", category="fragrances", brand="Gucci", description="Perfume spray."),
        product_row("B-1", title="Essence Mascara Lash Princess", category="beauty", brand="Essence", description="Mascara."),
        product_row("B-2", title="Red Lipstick", category="beauty", brand="Chic", description="A matte lipstick."),
        product_row("K-1", title="Carbon Steel Wok", category="kitchen-accessories", brand="Ken", description="A wok for stir fry."),
        product_row("K-2", title="Non-stick Frying Pan", category="kitchen-accessories", brand="Tefal", description="A pan."),
    ]
    return search_over(root, embedder, rows)


@pytest.mark.parametrize(
    ("text", "query", "parsed", "resolved"),
    [
        ("do you have any perfume?", "perfume", "beauty", "fragrances"),  # another shop's idea of perfume: this shop's products decide
        ("mascara please", "mascara", "beauty", "beauty"),  # the parser's category, confirmed by the products
        ("show me your fragrances", "", "fragrances", "fragrances"),  # named by the shopper
        ("kitchen accessories", "", "kitchen", "kitchen-accessories"),  # a category this shop does not have, named its way
        ("something to cook a stir fry in", "stir fry", "kitchen", None),  # one hit is no evidence: no filter, the wok ranks
        ("a garden hose", "garden hose", "garden", None),  # neither named nor confirmed: no filter, the words rank
    ],
)
def test_a_parsed_category_is_resolved_against_this_shops_taxonomy(beauty_shop, text, query, parsed, resolved):
    assert beauty_shop.resolve_category(text, query, parsed) == resolved


def test_a_category_does_not_vouch_for_words_the_catalog_lacks(demo_services):
    """ "do you sell televisions?" read as televisions in electronics: the demo sells none."""
    result = demo_services.products.search(SearchRequest(query="televisions", constraints=Constraints(category="electronics")))
    assert result.carried is False and result.hits == ()
    assert demo_services.products.search(SearchRequest(query="headphones", constraints=Constraints(category="headphones"))).hits


def test_the_headline_claims_only_the_words_every_product_shown_says(demo_services):
    slots = Slots(query="waterproof running shoes", category="shoes", price_max=64.98)
    request = SearchRequest(query=slots.query, constraints=Constraints(category="shoes", price_max=64.98))
    reply = answer.search_reply(demo_services.products.search(request), slots, [], "USD")
    assert not all("waterproof" in p.search_text().lower() for p in reply.products)  # what this test is about
    assert reply.text.splitlines()[0].endswith('for "waterproof running shoes at or under $64.98":')
    shoes = slots.model_copy(update={"query": "shoes"})
    claimed = answer.search_reply(demo_services.products.search(request.model_copy(update={"query": "shoes"})), shoes, [], "USD")
    assert all("shoe" in p.search_text().lower() for p in claimed.products)
    assert claimed.text.splitlines()[0].endswith(" shoes at or under $64.98:") and "results for" not in claimed.text


def test_an_attribute_the_catalog_has_is_a_filter_that_stays_with_the_query(demo_services):
    """ "waterproof" is the demo's `waterproof: true`: every result has it, and "cheaper" keeps it."""
    products = demo_services.products
    constraints = Constraints(category="shoes", price_max=80)
    features = products.attribute_filters("waterproof running shoes", constraints)
    assert ("waterproof", "true") in features
    found = products.search(
        SearchRequest(query="waterproof running shoes", constraints=constraints.model_copy(update={"attributes": features}))
    )
    assert found.hits and all(h.product.attributes.get("waterproof") is True for h in found.hits)
    assert products.attribute_filters("running shoes", constraints) == ()  # no attribute word, no filter


def test_an_attribute_filter_with_no_match_offers_labelled_alternatives(demo_services):
    """No grocery is waterproof: the groceries shown instead are said not to be."""
    constraints = Constraints(category="groceries", attributes=(("waterproof", "true"),))
    result = demo_services.products.search(SearchRequest(query="snacks", constraints=constraints))
    assert result.hits == () and result.alternatives is not None and result.alternatives.dropped == ("attributes",)
    assert all(h.product.category == "groceries" for h in result.alternatives.hits)
    reply = answer.search_reply(result, Slots(query="snacks", category="groceries"), [], "USD")
    assert "None of those is listed as waterproof." in reply.text and reply.products == ()


@pytest.mark.parametrize(
    ("query", "features"),
    [
        ("fragrance free cleanser", (("fragrance_free", "true"),)),  # "free" is the attribute's own word
        ("caffeine free tea", ()),  # not wanted: no filter (the demo has no caffeinated: false to ask for)
        ("headphones without noise cancelling", ()),
        ("men's running shoes", (("gender", "men"),)),  # a text value the shoes are described by
    ],
)
def test_attribute_values_said_as_wanted_become_filters(demo_services, query, features):
    assert demo_services.products.attribute_filters(query, Constraints()) == features


@pytest.fixture(scope="module")
def paper_shop(embedder, tmp_path_factory):
    """Notebooks described by their ruling and cover, books by their format and language."""
    root = tmp_path_factory.mktemp("paper-shop")

    def notebook(pid: str, title: str, **attributes) -> dict:
        return product_row(pid, title=title, category="notebooks", brand="Paperco", description="A notebook.", attributes=attributes)

    def book(pid: str, title: str, **attributes) -> dict:
        return product_row(pid, title=title, category="books", brand="Pressco", description="A novel.", attributes=attributes)

    rows = [
        notebook("N-1", "A5 Notebook, Dotted, Navy", ruling="dotted", cover="hardcover"),
        notebook("N-2", "A5 Notebook, Dotted, Black", ruling="dotted", cover="card"),
        notebook("N-3", "A5 Notebook, Squared", ruling="squared", cover="card"),
        notebook("N-4", "A5 Notebook, Ruled", ruling="ruled", cover="hardcover"),
        notebook("N-5", "Pocket Notebook", cover="card"),  # says nothing of its ruling
        book("B-1", "Le Petit Prince", language="fr", format="paperback"),
        book("B-2", "Kamouraska", language="bilingual (English/French)", format="hardcover"),
        book("B-3", "Anne of Green Gables", language="en", format="hardcover"),
        book("B-4", "The Salt Road", language="en", format="paperback"),
        product_row(
            "P-1", title="Safari Fountain Pen, Fine Nib", category="fountain-pens", brand="Lamy", description="A pen; takes ink cartridges."
        ),
        product_row("P-2", title="Kakuno Fountain Pen", category="fountain-pens", brand="Pilot", description="A first fountain pen."),
        product_row("I-1", title="T52 Fountain Pen Ink, 50 ml", category="ink", brand="Lamy", description="Bottled ink."),
        product_row("I-2", title="Iroshizuku Fountain Pen Ink, 50 ml", category="ink", brand="Pilot", description="Bottled ink."),
        product_row("I-3", title="Oxblood Fountain Pen Ink, 80 ml", category="ink", brand="Diamine", description="Bottled ink."),
        product_row(
            "L-1", title="Medium A5 Notebook, Dotted", category="notebooks", brand="Leuchtturm1917", attributes={"ruling": "dotted"}
        ),
    ]
    return search_over(root, embedder, rows)


def test_a_category_named_as_what_the_thing_goes_with_is_no_filter(paper_shop):
    # "fountain pen ink": most products holding all three words are inks, so fountain-pens is a modifier
    assert paper_shop.resolve_category("do you sell fountain pen ink?", "fountain pen ink", "fountain-pens") is None
    assert paper_shop.resolve_category("fountain pens under $40", "fountain pens", "fountain-pens") == "fountain-pens"


def test_a_plain_colour_is_met_by_the_shops_shades_of_it():
    from assistant.types import color_families
    from retrieval.types import same_color

    assert same_color("blue", "Navy Blue") and same_color("navy blue", "navy blue")
    assert not same_color("navy blue", "navy") and not same_color("black", "blue-black")  # a hyphenated shade is its own
    assert color_families(["navy blue", "sky blue", "metallic orange", "blue-black"]) == {"blue"}  # two shades end in it
    assert color_families(["metallic orange", "orange"]) == {"orange"}  # the shop's own plain colour
    assert color_families(["metallic orange"], color_names=["orange", "red"]) == {"orange"}  # a lexicon's


def test_a_colour_filter_selects_every_shade_of_it(embedder, tmp_path):
    shop = search_over(
        tmp_path,
        embedder,
        [
            product_row("Y-1", title="Merino DK, Navy Blue", category="yarn", attributes={"colour": "navy blue"}),
            product_row("Y-2", title="Cotton Aran, Sky Blue", category="yarn", attributes={"colour": "sky blue"}),
            product_row("Y-3", title="Merino DK, Red", category="yarn", attributes={"colour": "red"}),
            product_row("Y-4", title="Silk Lace, Blue-Black", category="yarn", attributes={"colour": "blue-black"}),
        ],
    )
    result = shop.search(SearchRequest(query="yarn", constraints=Constraints(color="blue"), k=10))
    assert {h.product.id for h in result.hits} == {"Y-1", "Y-2"}


def test_a_long_message_has_only_its_first_unknown_words_looked_up(paper_shop):
    from retrieval.spelling import MAX_REPAIRS

    said = " ".join(["qzxwvk"] * MAX_REPAIRS + ["notebok"])
    assert paper_shop.spelled(said) == said  # the seventh unknown word is left as said
    assert paper_shop.spelled("notebok " + said).startswith("notebook ")


def test_a_yes_no_key_is_named_with_a_word_between_its_words():
    from retrieval.words import in_order

    assert in_order(["sew", "machin", "automat", "needl", "threader"], ("automat", "threader"))
    assert not in_order(["automat", "a", "b", "threader"], ("automat", "threader"))
    assert not in_order(["threader", "automat"], ("automat", "threader"))


def test_a_misspelt_product_word_is_read_as_the_catalogs_word(paper_shop):
    assert paper_shop.spelled("fountian pen under $40") == "fountain pen under $40"
    assert paper_shop.spelled("a dotted notebok") == "a dotted notebook"
    assert paper_shop.spelled("Kakuno") == "Kakuno"  # the shop's own word
    assert paper_shop.spelled("a plane ticket") == "a plane ticket"  # English, though not the shop's
    assert paper_shop.spelled("runing shoes") == "runing shoes"  # nothing of the shop's is that close


def test_a_message_names_products_by_their_titles_words_asking_words_aside(paper_shop):
    assert paper_shop.named_products("ink") == "ink"  # one word the titles say, however far in meaning
    assert paper_shop.named_products("how much is the kakuno fountain pen") == "kakuno fountain pen"
    assert paper_shop.named_products("how is the weather today") is None


def test_a_word_only_the_catalog_uses_names_its_products_whatever_else_is_said(paper_shop):
    # "iroshizuku" is no English word and a title says it: the message asks for that ink,
    # though its other words ("need", "get", "started") weigh more by rarity
    assert paper_shop.named_products("what do I need to get started with iroshizuku?") == "iroshizuku"
    assert paper_shop.named_products("what do I need to get started with iroshizuku ink?") == "iroshizuku ink"
    assert paper_shop.named_products("what do I need to get started with qzxwvk?") is None  # no title says it
    # the word it qualifies stays, though no product holds it: the search judges whether the shop has that
    assert paper_shop.named_products("do you have an iroshizuku sampler?") == "iroshizuku sampler"


def test_a_brand_with_a_number_in_its_name_is_named_by_its_word(paper_shop):
    assert paper_shop.named_brand("dotted leuchtturm notebooks") == "Leuchtturm1917"
    assert paper_shop.named_brand("dotted leuchtturm1917 notebooks") == "Leuchtturm1917"


def test_words_that_only_name_attribute_values(paper_shop):
    assert paper_shop.names_only_attributes("hardcover") and paper_shop.names_only_attributes("dotted")
    assert not paper_shop.names_only_attributes("hardcover novels") and not paper_shop.names_only_attributes("")


def test_a_text_value_filters_out_what_contradicts_it_and_keeps_what_does_not(paper_shop):
    def shown(query: str) -> set[str]:
        constraints = Constraints(attributes=paper_shop.attribute_filters(query, Constraints()) or None)
        return {h.product.id for h in paper_shop.search(SearchRequest(query=query, constraints=constraints, k=10)).hits}

    assert paper_shop.attribute_filters("dotted notebook", Constraints()) == (("ruling", "dotted"),)
    dotted = shown("dotted notebook")
    assert {"N-1", "N-2"} <= dotted and not dotted & {"N-3", "N-4"}  # squared and ruled ones say otherwise
    hardcover = shown("hardcover notebook")
    assert {"N-1", "N-4"} <= hardcover and not hardcover & {"N-2", "N-3"}
    assert paper_shop.attribute_filters("books in french", Constraints()) == ()  # "fr" is a code, not the word
    # a two-letter code is never read from a message: "en" is also French for "in"
    assert paper_shop.attribute_filters("le petit prince en français", Constraints()) == ()


@pytest.mark.parametrize(
    ("text", "query", "resolved"),
    [
        ("show me your fragrances", "fragrances", "fragrances"),  # a category named by the shopper, no parser's category
        ("what kitchen accessories do you sell", "kitchen accessories", "kitchen-accessories"),
        ("a perfume", "perfume", None),  # no category named: the words rank
    ],
)
def test_a_category_the_shopper_names_is_a_filter_when_the_parser_gave_none(beauty_shop, text, query, resolved):
    assert beauty_shop.named_category(text, query) == resolved


def test_a_search_is_not_padded_from_categories_without_a_full_match(beauty_shop):
    """Where products hold every word of the query, a product let in by meaning alone stays
    only in one of their categories: "wok" shows the wok (and the pan beside it), not perfume."""
    hits = beauty_shop.search(SearchRequest(query="carbon steel wok")).hits
    assert hits and hits[0].product.id == "K-1"
    assert {h.product.category for h in hits} == {"kitchen-accessories"}


def test_a_product_holding_only_the_commoner_word_is_not_padding_from_another_category(embedder, tmp_path):
    """ "isolating valve": the dust mask holds "valve" (half the words) but the rarer,
    deciding word is "isolating"; with the valves holding every word, the mask is left out,
    while a valve without "isolating" stays (its category has the full match)."""
    rows = [
        product_row("P-1", title="Compression Isolating Valve 15mm", category="plumbing", brand="Pegler", description="Isolates a tap."),
        product_row("P-2", title="Thermostatic Radiator Valve", category="plumbing", brand="Drayton", description="Valve for radiators."),
        product_row("P-3", title="Brass Gate Valve 22mm", category="plumbing", brand="Pegler", description="A gate valve."),
        product_row("S-1", title="FFP2 Valved Dust Masks", category="safety-wear", brand="3M", description="Masks with an exhale valve."),
        product_row("S-2", title="Safety Glasses", category="safety-wear", brand="3M", description="Clear lenses."),
        product_row("H-1", title="Claw Hammer 16oz", category="hand-tools", brand="Stanley", description="Fibreglass handle."),
    ]
    ids = [h.product.id for h in search_over(tmp_path, embedder, rows).search(SearchRequest(query="isolating valve")).hits]
    assert ids[0] == "P-1" and "S-1" not in ids
    assert {"P-2", "P-3"} <= set(ids)


def test_a_comparison_names_its_columns_and_a_short_title_is_not_cut():
    from retrieval.catalog import Product

    books = [
        Product(id="B-1", title="The Paper Bag Princess", category="books", price=8.95),
        Product(id="B-2", title="Franklin in the Dark", category="books", price=8.99),
    ]
    assert answer.short_names(books) == ("The Paper Bag Princess", "Franklin in the Dark")
    long = [
        Product(id="S-1", title="Trailhawk Men's StormRunner Waterproof Running Shoes - Blue", category="shoes", price=80.0),
        Product(id="S-2", title="Trailhawk Men's StormRunner Waterproof Running Shoes - Black", category="shoes", price=80.0),
    ]
    assert answer.short_names(long) == ("Trailhawk Blue", "Trailhawk Black")
    reply = answer.comparison_reply(books, Slots())
    assert "- Product: The Paper Bag Princess | Franklin in the Dark" in reply.text


def test_a_coded_value_is_named_by_the_word_its_products_titles_say(embedder, tmp_path):
    def pen(pid: str, title: str, nib: str) -> dict:
        return product_row(pid, title=title, category="pens", description="A fountain pen.", attributes={"nib_size": nib})

    pens = [
        pen("P-1", "Safari Fountain Pen, Petrol, Medium Nib", "M"),
        pen("P-2", "Custom 74 Fountain Pen, Medium Nib", "M"),
        pen("P-3", "Safari Fountain Pen, Fine Nib", "F"),
        pen("P-4", "Kakuno Fountain Pen, Fine Nib", "F"),
        pen("P-5", "Loom Fountain Pen, Extra Fine Nib", "EF"),
        pen("P-6", "Eco Fountain Pen, Extra Fine Nib", "EF"),
    ]
    shop = search_over(tmp_path, embedder, pens)
    assert shop.attribute_filters("fountain pens with a medium nib", Constraints()) == (("nib_size", "m"),)
    # "fine" is in the F and the EF titles, but only the EF titles also say "extra"
    assert shop.attribute_filters("fine nib fountain pens", Constraints()) == (("nib_size", "f"),)
    assert shop.attribute_filters("an extra fine nib pen", Constraints()) == (("nib_size", "ef"),)
    assert shop.attribute_filters("fountain pens", Constraints()) == ()
    # one extra fine pen: "fine" still names F, as "extra" stands before it in that pen's title
    shop = search_over(tmp_path / "one-ef", embedder, pens[:5])
    assert shop.attribute_filters("fine nib fountain pens", Constraints()) == (("nib_size", "f"),)
    assert shop.attribute_filters("an extra fine nib pen", Constraints()) == ()
