"""Grounding: a parse keeps only what the message and the catalog support."""

from __future__ import annotations

import pytest

from assistant.intent.ground import canonical_ref, check, checked_rules, ground
from assistant.types import DialogueContext, ParsedIntent, Slots, Vocabulary

VOCAB = Vocabulary(
    categories=("headphones", "shoes", "kitchen"),
    brands=("Sony", "Bose", "Levi's", "The North Face", "Hydro Flask"),
    colors=("black", "red", "blue"),
    sizes=("10", "10.5", "M"),
    attributes=("battery_life_hours", "waterproof"),
    policy_topics=("returns", "shipping", "warranty"),
    terms=frozenset({"adjustable", "dumbbells", "headphones", "sony"}),
)


def _ground(text: str, intent: str = "search_products", **slots) -> Slots:
    return ground(ParsedIntent(intent=intent, slots=Slots(**slots), parser="llm"), text, DialogueContext(), VOCAB).slots


def test_brands_the_message_names_are_kept_in_catalog_spelling():
    assert _ground("levis jeans 32 waist", brand="levi's").brand == "Levi's"
    assert _ground("got any hydro flask bottles", brand="Hydro Flask").brand == "Hydro Flask"
    assert _ground("north face puffer in XL", brand="The North Face").brand == "The North Face"


def test_invented_or_unknown_values_are_dropped():
    slots = _ground("sunscreen for sensitive skin", query="sunscreen", category="beauty", brand="Sony", color="red")
    assert slots.brand is None and slots.category is None and slots.color is None
    assert slots.query == "sunscreen"
    assert _ground("a nice blender", category="kitchen", price_max=80.0).price_max is None
    assert _ground("a blender under fifty bucks", category="kitchen", price_max=50.0).price_max == 50.0
    assert _ground("hoodie", size="4").size is None
    assert _ground("tell me more", intent="product_question", product_refs=["1"], attribute="flat_feet").attribute is None
    assert _ground("refund rules?", intent="policy_question", policy_topic="refund").policy_topic is None
    assert _ground("return window?", intent="policy_question", policy_topic="returns").policy_topic == "returns"


def test_a_brand_the_shop_lacks_stays_a_search_word_when_the_message_says_it():
    slots = _ground("do you sell acmeblox sets?", query="sets", brand="AcmeBlox")
    assert slots.brand is None and slots.query == "AcmeBlox sets"  # for the search to say it has none
    assert _ground("sunscreen for sensitive skin", query="sunscreen", brand="Sony").query == "sunscreen"  # never said
    assert _ground("acmeblox sets", query="acmeblox sets", brand="AcmeBlox").query == "acmeblox sets"


def test_a_brand_written_with_and_for_its_ampersand_is_the_shops():
    vocabulary = VOCAB.model_copy(update={"brands": (*VOCAB.brands, "Spear & Jackson")})
    parsed = ParsedIntent(intent="search_products", slots=Slots(brand="Spear and Jackson"), parser="llm")
    assert ground(parsed, "spear and jackson", DialogueContext(), vocabulary).slots.brand == "Spear & Jackson"


def test_a_typed_email_is_taken_exactly_as_written():
    text = "i'd like to return my order. NW-100012, evelyn.ito@example.com"
    slots = _ground(text, intent="return_request", order_id="NW-100012", email="velyn.ito@example.com")
    assert slots.email == "evelyn.ito@example.com"


@pytest.mark.parametrize(
    "ref, canonical",
    [
        ("the first one", "1"),
        ("first", "1"),
        ("number 2", "2"),
        ("last_one", "-1"),
        ("the last", "-1"),
        ("that one", "it"),
        ("them", "all"),
        ("both", "both"),
        ("these two", "both"),
        ("both of them", "both"),
        ("number two", "2"),
        ("the bose one", "bose"),
        ("ghost 16", "ghost 16"),
        ("-1", "-1"),
    ],
)
def test_references_are_canonical(ref, canonical):
    assert canonical_ref(ref) == canonical


@pytest.mark.parametrize("written", ["nw100002", "NW 100002", "nw-100002", "NW-100002"])
def test_order_ids_are_written_the_way_the_order_book_keeps_them(written):
    assert _ground(f"where is {written}", intent="order_status", order_id=written).order_id == "NW-100002"


def test_a_query_that_is_only_the_colour_is_no_query():
    assert _ground("in blue", query="blue", color="blue").filled() == {"color": "blue"}
    assert _ground("in blue", query="in blue", color="blue").filled() == {"color": "blue"}
    assert _ground("blue headphones", query="headphones blue", color="blue").query == "headphones"


def test_money_is_no_order_id():
    assert _ground("how is the €100 one delivered?", intent="order_status", order_id="100").order_id is None
    assert _ground("how is the £50 one delivered?", intent="order_status", order_id="£50").order_id is None
    assert _ground("order 100 hasn't come", intent="order_status", order_id="100").order_id == "100"


def test_order_ids_of_other_shapes_are_left_alone():
    assert _ground("order 12345678", intent="order_status", order_id="12345678").order_id == "12345678"


def test_sizes_are_written_as_the_catalog_does_when_a_size_reader_is_given():
    from assistant.intent.rules import RuleIntentParser

    reader = RuleIntentParser(VOCAB).canonical_size
    parsed = ParsedIntent(intent="search_products", slots=Slots(size="ten and a half"), parser="llm")
    assert ground(parsed, "boots in a ten and a half", DialogueContext(), VOCAB, reader).slots.size == "10.5"
    parsed = ParsedIntent(intent="search_products", slots=Slots(size="12"), parser="llm")
    assert ground(parsed, "boots in a 12", DialogueContext(), VOCAB, reader).slots.size is None  # not a size the shop has


def _parse(intent: str, **slots) -> ParsedIntent:
    return ParsedIntent(intent=intent, slots=Slots(**slots), parser="llm")


def test_the_rules_fill_what_the_model_left_empty_when_they_read_the_same_intent():
    model = _parse("search_products", query="running shoes", category="shoes")
    rules = _parse("search_products", query="sony running shoes", brand="Sony", size="10")
    slots = ground(model, "sony running shoes size 10", DialogueContext(), VOCAB, rules=rules).slots
    assert (slots.query, slots.category, slots.brand, slots.size) == ("running shoes", "shoes", "Sony", "10")
    # another intent: nothing is taken
    other = _parse("product_question", attribute="waterproof")
    assert ground(model, "sony running shoes size 10", DialogueContext(), VOCAB, rules=other).slots.attribute is None


def test_what_the_rules_add_passes_the_same_checks():
    model = _parse("search_products", query="headphones")
    rules = _parse("search_products", query="headphones", brand="Bose", attribute="mic")
    slots = ground(model, "headphones please", DialogueContext(), VOCAB, rules=rules).slots
    assert slots.brand is None  # the message does not name Bose
    # an invalid value of the model's is dropped first, so the rules' valid one can take its place
    model = _parse("policy_question", policy_topic="delivery")
    rules = _parse("policy_question", policy_topic="shipping")
    assert ground(model, "can i get next day delivery", DialogueContext(), VOCAB, rules=rules).slots.policy_topic == "shipping"


def test_one_half_of_a_price_range_is_not_added_to_the_other():
    model = _parse("search_products", query="phones", price_max=600.0)
    rules = _parse("search_products", query="phones", price_min=300.0)
    slots = ground(model, "phones up to 600, not 300", DialogueContext(), VOCAB, rules=rules).slots
    assert (slots.price_min, slots.price_max) == (None, 600.0)


def test_a_range_the_model_read_one_end_of_is_read_whole():
    rules = _parse("search_products", query="plumbing bits", price_min=10.0, price_max=20.0)
    for model_price in ({"price_max": 10.0}, {"price_min": 10.0}, {"price_max": 20.0}):
        model = _parse("search_products", query="plumbing bits", **model_price)
        slots = ground(model, "plumbing bits between £10 and £20", DialogueContext(), VOCAB, rules=rules).slots
        assert (slots.price_min, slots.price_max) == (10.0, 20.0)
    # a price of the model's that the rules' range does not hold is the model's reading, left as it is
    rules = _parse("search_products", query="plumbing bits", price_min=10.0, price_max=12.0)
    model = _parse("search_products", query="plumbing bits", price_max=15.0)
    slots = ground(model, "plumbing bits 10 to 12 or under £15", DialogueContext(), VOCAB, rules=rules).slots
    assert (slots.price_min, slots.price_max) == (None, 15.0)


def test_a_range_read_backwards_is_put_the_right_way_round():
    model = _parse("search_products", query="fountain pens", price_min=60.0, price_max=40.0)
    slots = ground(model, "show me fountain pens between $40 and $60", DialogueContext(), VOCAB).slots
    assert (slots.price_min, slots.price_max) == (40.0, 60.0)
    rules = _parse("search_products", query="fountain pens", price_min=60.0, price_max=40.0)
    slots = checked_rules(rules, "fountain pens from 60 down to 40 dollars", DialogueContext(), VOCAB).slots
    assert (slots.price_min, slots.price_max) == (40.0, 60.0)


def test_names_running_into_the_question_are_cut_back_to_a_product_on_screen():
    shown = DialogueContext(
        shown_titles=(
            "Trailhawk Men's StormRunner Waterproof Running Shoes - Red",
            "Adidas Men's Duramo SL Lightweight Running Shoes in Blue",
            "Sony WH-1000XM5 Wireless Noise Cancelling Headphones",
        )
    )
    model = _parse("product_question", product_refs=["trailhawk waterproof", "adidas run", "xm5", "sony wh"])
    refs = ground(model, "are the trailhawk and adidas run and xm5 and sony wh ok", shown, VOCAB).slots.product_refs
    assert refs == ["trailhawk", "adidas", "xm5", "sony wh"]


def test_the_brand_is_taken_out_of_the_query():
    assert _ground("got any hydro flask bottles", query="hydro flask bottles", brand="Hydro Flask").query == "bottles"
    assert _ground("levis jeans", query="levis jeans", brand="Levi's").query == "jeans"
    assert _ground("north face puffer", query="north face puffer", brand="The North Face").query == "puffer"


def test_an_order_id_or_email_written_with_something_else_is_cut_or_dropped():
    slots = _ground("return NW-100021 zoe.walker@example.com", intent="return_request", order_id="NW-100021 zoe.walker@example.com")
    assert slots.order_id == "NW-100021" and slots.email == "zoe.walker@example.com"
    assert _ground("its mateo dot nguyen at example dot com", intent="order_status", email="nguyen.at").email is None


@pytest.mark.parametrize(
    "text, price, kept",
    [
        ("sunscreen spf 50 or higher", 50.0, False),
        ("1000 piece jigsaw", 1000.0, False),
        ("hydro flask 32 oz", 32.0, False),
        ("stem toy for a 10 year old", 10.0, False),
        ("running shoes under $80", 80.0, True),
        ("espresso machine 200 to 400", 400.0, True),
        ("between 200 and 400", 200.0, True),
        ("a laptop around 1.2k", 1200.0, True),
        ("phones, 300 dollars tops", 300.0, True),
        ("smartwatch with gps, 200 to 400", 200.0, True),
        ("speaker 50-100", 50.0, True),
        ("speaker 50-100", 100.0, True),
        ("a tent for 2-4 people", 2.0, False),
        ("a tent for 2-4 people", 4.0, False),
        ("lego for 8 to 12 years", 12.0, False),
        ("running shoes size 10 to 11", 10.0, False),
        ("food processor 400 - 450 please", 400.0, True),
    ],
)
def test_a_number_is_a_price_only_where_the_message_writes_it_as_one(text, price, kept):
    assert _ground(text, query="things", price_max=price).price_max == (price if kept else None)


def test_on_a_category_the_catalog_lexicon_of_the_rules_wins():
    model = _parse("search_products", query="chocolate gift box", category="headphones")
    rules = _parse("search_products", query="chocolate gift box", category="kitchen")
    assert ground(model, "chocolate gift box", DialogueContext(), VOCAB, rules=rules).slots.category == "kitchen"


def test_a_query_that_only_repeats_the_filters_is_dropped():
    assert _ground("stuff for my kitchen under 25", query="stuff for my kitchen", category="kitchen", price_max=25.0).query is None
    assert _ground("lego sets", query="lego sets", brand="Levi's").query == "lego sets"  # brand not named: kept as said
    assert _ground("levis sets", query="levis sets", brand="Levi's").query is None
    assert _ground("headphones please", query="headphones", category="headphones").query == "headphones"  # a product word
    assert _ground("kitchen knives", query="kitchen knives", category="kitchen").query == "kitchen knives"


def test_a_price_the_filter_holds_is_taken_out_of_the_query():
    slots = _ground(
        "espresso machine between two hundred and four hundred",
        query="espresso machine between two hundred and four hundred",
        category="kitchen",
        price_min=200.0,
        price_max=400.0,
    )
    assert slots.query == "espresso machine"
    assert _ground("a tent for four people", query="tent for four people").query == "tent for four people"


def test_a_reference_does_not_keep_the_words_of_the_question():
    slots = _ground(
        "is the kitchenaid artisan mixer waterproof",
        intent="product_question",
        product_refs=["kitchenaid artisan mixer waterproof"],
        attribute="waterproof",
    )
    assert slots.product_refs == ["kitchenaid artisan mixer"]


def test_a_spoken_email_with_the_dot_dropped_gets_it_back():
    slots = _ground("the email is liam bennett at example dot com", intent="order_status", email="liam bennett@example.com")
    assert slots.email == "liam.bennett@example.com"
    assert _ground("the email is liam at example dot com", intent="order_status", email="noah bennett@example.com").email is None


def test_the_rules_answer_passes_the_same_checks_when_it_stands_in_for_the_model():
    rules = _parse("product_question", product_refs=["1"], attribute="mic")
    assert checked_rules(rules, "does the first one have a mic", DialogueContext(), VOCAB).slots.attribute is None
    rules = _parse("search_products", query="headphones", price_max=50.0)
    assert checked_rules(rules, "headphones under fifty bucks", DialogueContext(), VOCAB).slots.price_max == 50.0


def test_an_intent_keeps_only_the_slots_it_acts_on():
    slots = _ground("is there free delivery if i spend over 50", intent="policy_question", policy_topic="shipping", price_max=50.0)
    assert slots.filled() == {"policy_topic": "shipping"}
    slots = _ground("where is order NW-100002, i bought sony headphones", intent="order_status", order_id="NW-100002", brand="Sony")
    assert slots.filled() == {"order_id": "NW-100002"}
    assert _ground("hi there sony fan here", intent="greeting", brand="Sony").filled() == {}


def test_a_price_the_rules_read_on_the_other_side_is_moved_there():
    model = _parse("search_products", query="wireless headphones", price_min=50.0)
    rules = _parse("search_products", query="wireless headphones", price_max=50.0)
    slots = ground(model, "wireless headphnes under fifty bucks", DialogueContext(), VOCAB, rules=rules).slots
    assert (slots.price_min, slots.price_max) == (None, 50.0)
    model = _parse("search_products", query="tents", price_min=100.0, price_max=300.0)  # a range stays as the model read it
    rules = _parse("search_products", query="tents", price_max=100.0)
    slots = ground(model, "tents from 100 to 300", DialogueContext(), VOCAB, rules=rules).slots
    assert (slots.price_min, slots.price_max) == (100.0, 300.0)
    model = _parse("search_products", query="shoes", price_min=500.0)  # the rules misread a typo: no word says "under"
    rules = _parse("search_products", query="shoes", price_max=500.0)
    slots = ground(model, "shoes mniimum five hundred dollars", DialogueContext(), VOCAB, rules=rules).slots
    assert (slots.price_min, slots.price_max) == (500.0, None)


def test_a_brand_or_colour_the_shopper_misspelt_is_kept():
    vocab = VOCAB.model_copy(update={"brands": (*VOCAB.brands, "Samsonite"), "colors": (*VOCAB.colors, "grey", "green")})
    slots = ground(
        _parse("search_products", query="carry on", brand="Samsonite", color="green"),
        "samsointe carry on in grreen",
        DialogueContext(),
        vocab,
    ).slots
    assert (slots.brand, slots.color) == ("Samsonite", "green")
    slots = ground(_parse("search_products", query="fleece jacket", color="grey"), "gray fleece jacket", DialogueContext(), vocab).slots
    assert slots.color == "grey"  # the lexicon's synonym
    slots = ground(
        _parse("search_products", query="bags", brand="Sony", color="red"), "bags by sonos in rose", DialogueContext(), vocab
    ).slots
    assert (slots.brand, slots.color) == (None, None)  # short names must be exact; rose is not red


def test_a_query_with_words_the_shopper_never_said_gives_way():
    model = _parse("search_products", query="do-waterproof", category="kitchen")
    rules = _parse("search_products", query="dutch ovens", category="kitchen")
    assert ground(model, "hiya do you guys sell dutch ovens", DialogueContext(), VOCAB, rules=rules).slots.query == "dutch ovens"
    assert _ground("need sony headphnes", query="sony headphones").query == "sony headphones"  # the typo, repaired
    # a typo of the model's own: the shopper's spelling is the better-known one
    assert _ground("do you sell televisions?", query="tlevisions").query == "televisions"
    assert _ground("any moisturiser for dry skin", query="moisturizer").query == "moisturiser"  # a tie: the shopper's
    assert _ground("adjustable dumbels", query="adjustable dumbbells").query == "adjustable dumbbells"  # the catalog's word
    assert _ground("know any good riddles", query="red riddles").query == "riddles"  # no rule query: the words said stay
    assert _ground("womens trail shoes", query="women's trail shoes").query == "women's trail shoes"


def test_a_colour_at_the_end_of_the_query_is_the_filter_said_again():
    assert _ground("kitchen aid stand mixer red", query="stand mixer red", color="red").query == "stand mixer"
    assert _ground("red wine glasses", query="red wine glasses", color="red").query == "red wine glasses"


def test_the_attribute_is_the_one_the_question_names():
    shown = DialogueContext(
        shown_titles=("Sony WH-1000XM5 Wireless Noise Cancelling Headphones", "Bose QuietComfort Wireless Noise Cancelling Headphones"),
        shown_brands=("Sony", "Bose"),
    )
    vocab = VOCAB.model_copy(update={"attributes": (*VOCAB.attributes, "noise_cancelling", "gender", "weight_kg")})

    def asked(text: str, attribute: str, rules_attribute: str | None = None, **slots) -> str | None:
        model = _parse("product_question", attribute=attribute, **slots)
        rules = _parse("product_question", attribute=rules_attribute, **slots)
        return ground(model, text, shown, vocab, rules=rules).slots.attribute

    assert asked("is that one actually any good", "description", "rating", product_refs=["it"]) == "rating"
    assert asked("reviews for the last pair?", "reviews", product_refs=["-1"]) == "rating"  # a phrase of the rating group
    assert asked("does the first one come in a 12", "weight_kg", size="12", product_refs=["1"]) == "size"
    assert asked("the bose one", "noise_cancelling", product_refs=["bose"]) is None  # an open question
    assert asked("what about the second one", "description", product_refs=["2"]) is None
    assert asked("is the last one for women", "gender", product_refs=["-1"]) == "gender"  # a catalog key with no lexicon words
    assert asked("how long does the battery last on the sony", "battery_life_hours", product_refs=["sony"]) == "battery_life_hours"


def test_a_misspelt_name_of_a_product_on_screen_is_put_right():
    shown = DialogueContext(shown_titles=("Trailhawk Men's StormRunner Waterproof Running Shoes - Red",))
    slots = ground(
        _parse("product_question", product_refs=["trailhhawks"], attribute="waterproof"), "are the trailhhawks waterproof", shown, VOCAB
    ).slots
    assert slots.product_refs == ["trailhawk"]


def test_an_order_id_without_digits_is_dropped():
    assert _ground("i want to return the stand mixer", intent="return_request", order_id="stand mixer").order_id is None


def test_an_order_needs_a_word_that_asks_for_one():
    assert _ground("a gift for my mom, she likes candles", query="candles", sort="price_desc").sort is None
    assert _ground("chepaest candles", query="candles", sort="price_asc").sort == "price_asc"  # a typo still asks
    assert _ground("candles that won't break the bank", query="candles", sort="price_asc").sort == "price_asc"


def test_grounding_leaves_the_labelled_sets_as_labelled(demo_services):
    """The checks remove what a message does not support, so a right parse keeps every slot
    it has: every hand-written label of the development and test sets does."""
    from assistant.evals.intent import CONTEXTS, load_devset, normalise
    from assistant.intent.rules import RuleIntentParser

    rules = RuleIntentParser(demo_services.vocabulary)
    changed = []
    for e in load_devset(split="dev") + load_devset(split="test"):
        gold = ParsedIntent(intent=e.intent, slots=Slots(**e.slots), parser="gold")
        context = CONTEXTS[e.context]
        got = check(gold, e.text, context, demo_services.vocabulary, rules.canonical_size, rules.parse(e.text, context))
        changed += [(e.id, s) for s in gold.slots.filled() if normalise(s, getattr(gold.slots, s)) != normalise(s, getattr(got.slots, s))]
    assert changed == []


def test_a_letter_size_said_in_words_is_kept():
    assert _ground("now extra large for me", size="XL").size == "XL"
    assert _ground("now large for me", size="XL").size is None


def test_a_number_with_a_unit_stays_in_the_query_beside_a_price():
    slots = _ground(
        "building set with over 500 pieces no more than 120 dollars", query="building set with over 500 pieces", price_max=120.0
    )
    assert slots.query == "building set with over 500 pieces"
