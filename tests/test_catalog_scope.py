"""A shop's own catalog decides what a message is about (issue 16): attribute names the
parser never learnt, and product words the parser sent out of scope. Run on the hardware
test store (a development store: its own categories, attribute keys and currency)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answer.attributes import resolve_attribute
from assistant.answer.products import comparison_reply
from assistant.dialogue import Session
from assistant.intent.rules.lexicon import without_filler
from assistant.pipeline import handle
from assistant.types import Slots
from retrieval.catalog import Product


@pytest.fixture(scope="session")
def hardware_services(settings, tmp_path_factory):
    from assistant.app import open_services
    from assistant.evals.stores import build_store, bundle_dir

    target = build_store(bundle_dir("brickyard"), tmp_path_factory.mktemp("brickyard") / "store", settings)
    return open_services(settings.model_copy(update={"today": date(2026, 12, 1)}), target)


def _product(pid: str, **attributes) -> Product:
    return Product(id=pid, title=f"Thing {pid}", category="tools", price=10.0, attributes=attributes)


DRILL = _product("d1", chuck_mm=13, max_torque_nm=50, battery_ah=5.0, voltage=18)
BOOTS = _product("b1", sizes=["7", "8", "9"], toe_cap="steel")
PAINT = _product("p1", coverage_m2=16, finish="matt", volume_l=2.5)
SCREWS = _product("s1", pack_size=200, length_mm=40, head_type="countersunk")
SPADE = _product("sp1", shaft="ash", blade_steel="stainless")
YARN = _product("y1", ball_weight_g=100, length_m=400, needle_size_mm=2.75)


@pytest.mark.parametrize(
    ("question", "products", "key"),
    [
        ("what size is the chuck?", [DRILL, BOOTS], "chuck_mm"),  # the rarer key word wins over "size"
        ("what's the max torque on it?", [DRILL], "max_torque_nm"),
        ("how much does it cover?", [PAINT], "coverage_m2"),  # "cover" begins "coverage"
        ("is it matt?", [PAINT], "finish"),  # a value the question names
        ("how many are in the pack?", [SCREWS], "pack_size"),
        ("how long are they?", [SCREWS], "length_mm"),  # a measuring word: long -> length
        ("what's the shaft made of?", [SPADE], "shaft"),
        ("what sizes do they come in?", [BOOTS], "sizes"),
        ("how many metres in a ball?", [YARN], "length_m"),  # the unit says which: "ball" is in ball_weight_g
        ("how many grams is a ball?", [YARN], "ball_weight_g"),
        ("tell me about it", [DRILL], None),  # no key named: the description answers
        ("is it any good?", [PAINT], None),
    ],
)
def test_a_question_finds_the_attribute_key_the_shop_uses(question, products, key):
    assert resolve_attribute(question, products) == key


def test_a_measuring_word_alone_is_not_a_literal_mention():
    assert resolve_attribute("how many radiators will one bottle do?", [SCREWS]) == "pack_size"
    assert resolve_attribute("how many radiators will one bottle do?", [SCREWS], literal=True) is None


def test_which_is_best_for_a_use_is_the_one_whose_description_says_so():
    from retrieval.catalog import Product

    fleece = Product(
        id="f1", title="Polar Fleece", category="fabric", price=9.95, description="Warm fleece. Great for no-sew blankets and snoods."
    )
    poplin = Product(id="f2", title="Poplin", category="fabric", price=4.5, description="Crisp cotton for shirts.")
    reply = comparison_reply([poplin, fleece], Slots(), "which of them is best for a no-sew blanket?")
    assert reply.text.startswith('The Polar Fleece is the one for that: its description says "Great for no-sew blankets and snoods."')
    assert reply.products[0] == fleece  # "how wide is it?" next is about the fleece
    assert comparison_reply([poplin, fleece], Slots(), "which is best for a wedding dress?").products[0] == poplin  # none says


def test_which_has_more_is_answered_before_the_table():
    thin = _product("p2", coverage_m2=12, finish="silk", volume_l=2.5)
    reply = comparison_reply([thin, PAINT], Slots(), "which covers more?")
    assert reply.text.startswith("The Thing p1 has the highest coverage: 16 m².")
    reply = comparison_reply([thin, PAINT], Slots(), "which one covers less?")
    assert reply.text.startswith("The Thing p2 has the lowest coverage: 12 m².")


@pytest.mark.parametrize(
    ("message", "named"),
    [
        ("central heating inhibitor", True),
        ("do you sell timber for stud walls?", True),
        ("whats the weather gonna be like this weekend", False),
        ("can you transfer 200 dollars to my sister", False),
        ("who made you", False),
    ],
)
def test_a_message_names_products_only_when_the_catalog_holds_its_words(hardware_services, message, named):
    assert (hardware_services.products.named_products(without_filler(message)) is not None) is named


def test_a_message_naming_what_the_shop_sells_is_never_out_of_scope(hardware_services):
    reply = handle("central heating inhibitor", Session(), hardware_services, channel="test").reply
    assert reply.intent == "search_products" and [p.brand for p in reply.products][:1] == ["Fernox"], reply.text


def test_a_question_about_the_products_on_screen_uses_their_own_attribute_names(hardware_services):
    session = Session()
    found = handle("18v combi drill kit", session, hardware_services, channel="test").reply
    assert found.products
    reply = handle("what's the max torque on it?", session, hardware_services, channel="test").reply
    first = found.products[0]
    assert reply.intent == "product_question" and f"{first.attributes['max_torque_nm']} Nm" in reply.text, reply.text
    # "in stock only" refines the drill search rather than searching for "stock"
    refined = handle("in stock only", session, hardware_services, channel="test").reply
    assert refined.products and all("Drill" in p.title for p in refined.products), refined.text


@pytest.mark.parametrize(("message", "brand"), [("irwin", "Irwin"), ("what have you got from knipex?", "Knipex"), ("claw hammer", None)])
def test_a_brand_of_the_shop_named_by_its_name_is_found(hardware_services, message, brand):
    assert hardware_services.products.named_brand(message) == brand


@pytest.mark.parametrize(
    ("message", "brand"),
    [("dyson", "Dyson"), ("fast charger for a samsung galaxy", None), ("magsafe stand for iphone and apple watch", None)],
)
def test_a_brand_said_as_what_a_product_fits_is_not_its_maker(demo_services, message, brand):
    assert demo_services.products.named_brand(message) == brand


def test_a_thing_the_shop_lacks_gets_its_closest_products_said_as_such(hardware_services):
    """The hardware shop paints walls but sells no tiles: its paints are not "kitchen wall tiles"."""
    session = Session()
    reply = handle("kitchen wall tiles", session, hardware_services, channel="test").reply
    assert reply.products == () and reply.alternatives, reply.text
    assert reply.text.startswith("I couldn't find an exact match for \"kitchen wall tiles")
    follow = handle("tell me about the first one", session, hardware_services, channel="test").reply
    assert follow.products and follow.products[0].id == reply.alternatives[0].id  # what was on screen
    found = handle("wood screws", Session(), hardware_services, channel="test").reply
    assert found.products and not found.text.startswith("I couldn't find")


def test_a_product_question_with_nothing_on_screen_is_judged_by_the_catalog(demo_services):
    """No product shown and none referred to: a message naming nothing the shop sells is
    declined; one naming what it sells is searched for; "the first one" still says nothing
    was shown yet."""
    from assistant.pipeline import run_turn

    for message in ("how tall is mount everest", "what is the capital of peru"):
        reply = run_turn(message, Session(), demo_services).reply
        assert reply.intent in ("out_of_scope", "policy_question") and not reply.products, message
    named = run_turn("is the sony wh-1000xm5 any good", Session(), demo_services).reply
    assert named.products and any("1000XM5" in p.title.upper() for p in named.products)
    first = run_turn("compare the first two", Session(), demo_services).reply
    assert first.failed and "haven't shown you any products yet" in first.text


@pytest.mark.parametrize(
    ("message", "query", "intent"),
    [
        # "wait" is no word of the catalog's, and the section that answers holds it: a service, not paint
        ("can you mix paint to a colour while I wait?", "paint mixing while I wait", "policy_question"),
        ("combi drill with free delivery", "combi drill free delivery", "search_products"),
        ("white emulsion paint", "white emulsion paint", "search_products"),
    ],
)
def test_a_search_for_what_the_shops_documents_describe_is_answered_from_them(hardware_services, message, query, intent):
    from assistant.dialogue import Session
    from assistant.pipeline import _answer, _Timer
    from assistant.types import ParsedIntent, Slots

    parsed = ParsedIntent(intent="search_products", slots=Slots(query=query))
    assert _answer(message, parsed, Session(), hardware_services, _Timer()).intent == intent
