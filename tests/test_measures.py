"""Measures a shopper states ("at least 30 litres", "under 2 kg", "lighter ones") as bounds
on the catalog's numeric attributes: reading, choosing the key, filtering, and the dialogue
that carries them."""

from __future__ import annotations

import pytest

from assistant.channels.sessions import dumps, loads
from assistant.dialogue import Session
from assistant.pipeline import run_turn
from retrieval.measures import choose_key, comparative, read_measures, stated, unread, without_measures
from retrieval.types import Constraints, SearchRequest
from tests.conftest import product_row, search_over

KEYS = ["capacity_l", "capacity_ml", "thickness_mm", "length_cm", "weight_kg", "max_weight_lb", "battery_life_hours", "capacity_people"]


@pytest.mark.parametrize(
    ("text", "held", "measures"),
    [
        ("a backpack of at least 30 litres", {"capacity_l": 5}, (("capacity_l", 30.0, None),)),
        ("water bottle 750ml or more", {"capacity_ml": 4}, (("capacity_ml", 750.0, None),)),
        ("water bottle 1 litre or more", {"capacity_ml": 4}, (("capacity_ml", 1000.0, None),)),  # converted to the key's unit
        ("yoga mat at least 5mm thick", {"thickness_mm": 2, "length_cm": 2}, (("thickness_mm", 5.0, None),)),  # "thick" names the key
        ("headphones with over 30 hrs battery", {"battery_life_hours": 1}, (("battery_life_hours", 30.0, None),)),
        ("treated timber at least 3 metres long", {"thickness_mm": 3}, ()),  # the timber has no length: no filter
        (
            "a tent for at least 4 people under 5 kg",
            {"weight_kg": 3, "capacity_people": 3},
            (("capacity_people", 4.0, None), ("weight_kg", None, 5.0)),
        ),
        ("a tent between 2 kg and... no, under 5 kg", {"weight_kg": 3}, (("weight_kg", None, 5.0),)),
        ("hiking backpack between 20 and 30 liters", {"capacity_l": 5}, (("capacity_l", 20.0, 30.0),)),  # a range: both sides
        ("a tent from 1kg to 2500 g", {"weight_kg": 3}, (("weight_kg", 1.0, 2.5),)),
        ("plumbing bits between £10 and £20", {}, ()),  # a price range
        ("a backpack of at least " + "9" * 400 + " litres", {"capacity_l": 5}, ()),  # beyond any float: no bound
        ("a backpack 30 or more litres", {"capacity_l": 5}, (("capacity_l", 30.0, None),)),  # the side between number and unit
        ("a 28L backpack", {"capacity_l": 5}, ()),  # a size, not a bound
        ("shoes under 50 in black", {}, ()),  # "in" is not inches, "50" is a price
        ("a tent under 5 kg", {"weight_kg": 1, "max_weight_lb": 1}, ()),  # two mass keys and nothing to choose: no filter
    ],
)
def test_stated_measures_become_bounds_on_the_catalogs_own_keys(text, held, measures):
    assert read_measures(text, KEYS, held) == measures


def test_a_key_is_chosen_by_the_words_then_by_the_products_in_question():
    assert choose_key(["capacity_l"], "anything") == "capacity_l"
    assert choose_key(["capacity_l"], "anything", {"weight_kg": 2}) is None  # none of the products in question has it
    assert choose_key(["capacity_l", "capacity_ml"], "at least 1 litre", {"capacity_ml": 3, "capacity_l": 1}) == "capacity_ml"
    assert choose_key(["capacity_l", "capacity_ml"], "at least 1 litre", {"capacity_ml": 2, "capacity_l": 2}) is None
    assert choose_key(["thickness_mm", "length_cm"], "5mm thick") == "thickness_mm"
    assert (
        choose_key(["cut_depth_mm", "cutting_capacity_mm"], "cuts at least 6cm deep", {"cut_depth_mm": 1, "cutting_capacity_mm": 1})
        == "cut_depth_mm"
    )


@pytest.mark.parametrize(
    ("text", "measures"),
    [
        ("novel over 400 pages", (("pages", 400.0, None),)),  # the word after the number names the key
        ("queen sheets with thread count over 400", (("thread_count", 400.0, None),)),  # the words before it do
        ("sunscreen SPF 50 or higher", (("spf", 50.0, None),)),
        ("cordless drill 12 volts or less", (("voltage", None, 12.0),)),  # a unit whose key has no unit suffix
        ("headphones with 30+ hrs battery", (("battery_life_hours", 30.0, None),)),
        ("watch with 7 days battery or more", (("battery_life_hours", 168.0, None),)),
        ("a 16 inch laptop or bigger", (("laptop_size_in", 16.0, None),)),
        ("books under 20", ()),  # a price: no key is named "books"
    ],
)
def test_keys_named_by_their_own_words_and_sides_in_more_places(text, measures):
    keys = ["pages", "thread_count", "spf", "voltage", "battery_life_hours", "laptop_size_in", "weight_kg"]
    assert read_measures(text, keys, dict.fromkeys(keys, 1)) == measures


def test_measures_come_out_of_the_words_and_comparatives_go_past_what_is_on_screen():
    assert without_measures("longer ones, at least 60mm") == "longer ones,"
    assert [m.at_least for m in stated("2kg or less, at least 10 litres")] == [False, True]
    lighter = comparative("lighter ones", {"weight_kg": [4.4, 7.6], "capacity_people": [4, 6]})
    assert len(lighter) == 1 and lighter[0][0] == "weight_kg" and lighter[0][1] is None and 4.39 < lighter[0][2] < 4.4
    longer = comparative("longer ones please", {"length_mm": [40, 70]})
    assert longer[0][0] == "length_mm" and 70 < longer[0][1] < 70.01
    assert comparative("lighter ones", {"capacity_l": [20.0]}) == ()  # nothing on screen has a weight
    thinner = comparative("thinner ones", {"diameter_mm": [4.0, 5.0], "length_mm": [40.0, 70.0]})  # screws are thin by diameter
    assert thinner[0][0] == "diameter_mm" and 3.99 < thinner[0][2] < 4.0


@pytest.fixture(scope="module")
def tent_shop(embedder, tmp_path_factory):
    root = tmp_path_factory.mktemp("tent-shop")
    rows = [
        product_row("T-1", title="Ridge 2-Person Tent", category="tents", attributes={"capacity_people": 2, "weight_kg": 1.9}),
        product_row("T-2", title="Dome 4-Person Tent", category="tents", attributes={"capacity_people": 4, "weight_kg": 4.4}),
        product_row("T-3", title="Family 6-Person Tent", category="tents", attributes={"capacity_people": 6, "weight_kg": 7.6}),
        product_row("T-4", title="Festival Tent", category="tents", attributes={}),  # no figures: never claimed
    ]
    return search_over(root, embedder, rows)


def test_the_index_and_the_constraint_agree_and_a_product_without_the_figure_is_out(tent_shop):
    wanted = Constraints(measures=(("capacity_people", 4.0, None), ("weight_kg", None, 5.0)))
    hits = tent_shop.search(SearchRequest(query="tent", constraints=wanted)).hits
    assert [h.product.id for h in hits] == ["T-2"]
    assert all(wanted.matches(p) == (p.id == "T-2") for p in tent_shop.products)
    assert tent_shop.measure_filters("a tent for at least 4 people", "tent", Constraints()) == (("capacity_people", 4.0, None),)


def test_nothing_within_the_measure_offers_alternatives_that_say_so(tent_shop):
    result = tent_shop.search(SearchRequest(query="tent", constraints=Constraints(measures=(("weight_kg", None, 1.0),))))
    assert result.hits == () and result.alternatives is not None and result.alternatives.dropped == ("measures",)


@pytest.fixture
def chat(demo_services):
    session = Session()

    def say(text: str):
        return run_turn(text, session, demo_services).reply

    say.session = session  # type: ignore[attr-defined]
    return say


def test_a_stated_measure_filters_is_carried_and_a_new_search_drops_it(chat):
    bags = chat("a backpack of at least 30 litres")
    assert bags.products and all(p.attributes.get("capacity_l", 0) >= 30 for p in bags.products)
    for product in bags.products:  # each says its own figure for what was asked
        assert bags.reasons[product.id].startswith(f"capacity {product.attributes['capacity_l']:g} L")
    cheaper = chat("cheaper")
    for product in (*cheaper.products, *cheaper.alternatives):
        assert product.attributes.get("capacity_l", 0) >= 30  # the measure is still in force
    shoes = chat("show me running shoes")
    assert shoes.products and chat.session.measures == ()


def test_lighter_ones_go_below_the_lightest_on_screen_and_say_it(chat):
    tents = chat("a tent for at least 4 people")
    assert tents.products and all(p.attributes["capacity_people"] >= 4 for p in tents.products)
    lightest = min(p.attributes["weight_kg"] for p in tents.products)
    lighter = chat("lighter ones")
    assert all(p.attributes["weight_kg"] < lightest for p in lighter.products)
    assert f"weight under {lightest:g} kg" in lighter.text  # the bound, said as the shopper meant it


def test_alternatives_drop_the_measure_said_last_and_name_only_what_they_miss(tent_shop):
    both = Constraints(measures=(("capacity_people", 4.0, None), ("weight_kg", None, 4.0)))
    result = tent_shop.search(SearchRequest(query="tent", constraints=both))
    assert result.hits == () and result.alternatives is not None
    assert {h.product.id for h in result.alternatives.hits} == {"T-2", "T-3"}  # still for 4 people or more
    from assistant.answer.products import search_reply
    from assistant.types import Slots

    reply = search_reply(result, Slots(query="tent"), ["tents"], "USD")
    first, second = reply.text.splitlines()[:2]
    assert first == "I couldn't find any tent with capacity at least 4 people and weight at most 4 kg."
    assert second.startswith("None of those has weight at most 4 kg.")  # the alternatives have the capacity


def test_a_comparative_nothing_on_screen_measures_is_said_plainly(chat):
    bags = chat("a backpack of at least 30 litres")
    assert bags.products and not any("weight" in k for p in bags.products for k in p.attributes)
    lighter = chat("lighter ones")
    assert lighter.text.startswith("None of the products I showed lists its weight") and lighter.failed
    assert chat.session.constraints == bags.slots and chat.session.shown == list(bags.products)  # nothing lost


def test_a_measure_the_products_do_not_list_is_said_not_claimed(chat):
    bags = chat("a backpack under 1.5kg")
    assert bags.products and bags.slots.price_max is None  # 1.5kg is no price of 1
    assert not any("weight" in key for p in bags.products for key in p.attributes)
    assert "These don't list their weight, so I couldn't check that part of your request." in bags.text
    assert unread("a tent under 5 kg for 4 people", [("weight_kg", None, 5.0)]) == []
    assert unread("a backpack under 1.5kg", []) == ["weight"]


def test_the_measures_in_force_survive_a_stored_session():
    session = Session(measures=(("capacity_l", 30.0, None),))
    assert loads(dumps(session)).measures == (("capacity_l", 30.0, None),)
