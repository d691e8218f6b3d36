"""Multi-turn conversations through the real pipeline over the demo store: constraints
that carry over, references to the last list shown, orders, hand-off and bad input."""

from __future__ import annotations

import json
import re

import pytest

from assistant.app import demo_catalog_path, demo_orders
from assistant.dialogue import Session
from assistant.pipeline import run_turn
from retrieval.types import Constraints

CATALOG = {row["id"]: row for row in map(json.loads, demo_catalog_path().read_text(encoding="utf-8").splitlines()) if row}
ORDERS = {o["order_id"]: o for o in demo_orders()}
LINE = re.compile(r"^\d+\. (?P<title>.+) \(\$(?P<price>[\d,]+\.\d\d)\)")


class Chat:
    """One shopper's conversation; every reply is checked against the catalog."""

    def __init__(self, services) -> None:
        self.services = services
        self.session = Session()

    def __call__(self, text: str):
        result = run_turn(text, self.session, self.services)
        assert_truthful(result.reply)
        return result.reply


def assert_truthful(reply) -> None:
    """Products and the prices quoted in the text are exactly the catalog's."""
    for product in (*reply.products, *reply.alternatives):
        row = CATALOG[product.id]
        fields = ("title", "price", "brand", "category")
        assert [getattr(product, f) for f in fields] == [row[f] for f in fields], product.id
    by_title = {p.title: p for p in (*reply.products, *reply.alternatives)}
    listed = [m for m in map(LINE.match, reply.text.splitlines()) if m]
    for m in listed:
        assert float(m["price"].replace(",", "")) == by_title[m["title"]].price, m.group(0)
    if reply.intent == "search_products":
        assert len(listed) == len(reply.products) + len(reply.alternatives)
        asked = Constraints(**{k: getattr(reply.slots, k) for k in ("category", "brand", "color", "size", "price_min", "price_max")})
        assert all(asked.matches(p) for p in reply.products)
    if reply.comparison is not None and "Price" in dict(reply.comparison.rows):  # else the same for all
        prices = dict(reply.comparison.rows)["Price"]
        assert prices == tuple(f"${CATALOG[pid]['price']:,.2f}" for pid in reply.comparison.product_ids)


@pytest.fixture
def chat(demo_services):
    return Chat(demo_services)


def test_refinements_carry_over_and_replace(chat):
    first = chat("waterproof running shoes under $80")
    assert (first.slots.category, first.slots.price_max) == ("shoes", 80)
    assert first.products and all(p.price <= 80 for p in first.products)

    cheaper = chat("cheaper")
    cheapest_shown = min(p.price for p in first.products)
    assert cheaper.slots.price_max < cheapest_shown and cheaper.slots.category == "shoes"
    if cheaper.products:
        assert all(p.price < cheapest_shown for p in cheaper.products)
    else:
        assert cheaper.text.startswith("I couldn't find any")

    black = chat("in black")
    assert black.slots.color == "black" and black.slots.price_max == cheaper.slots.price_max
    assert all(p.color == "black" for p in black.products)

    budget = chat("under 100 instead")
    assert (budget.slots.price_max, budget.slots.color, budget.slots.category) == (100, "black", "shoes")
    assert budget.products and all(p.price <= 100 and p.color == "black" for p in budget.products)
    assert max(p.price for p in budget.products) > cheaper.slots.price_max  # the old limit is gone


def test_cheaper_than_the_cheapest_says_so_honestly(chat):
    first = chat("headphones under $10")
    assert first.products
    reply = chat("cheaper")
    assert reply.slots.price_max < min(p.price for p in first.products)
    assert reply.products == ()
    assert reply.text.startswith(f"I couldn't find any headphones at or under ${reply.slots.price_max:.2f}")
    assert "Alternatives above your budget" in reply.text and reply.alternatives


def test_the_closest_things_shown_last_are_what_the_first_one_means(chat):
    first = chat("headphones under $10")
    reply = chat("cheaper")
    assert reply.alternatives and [p.id for p in reply.alternatives] != [p.id for p in first.products]
    picked = chat("tell me about the second one")
    assert picked.products and picked.products[0].id == reply.alternatives[1].id


def test_any_brand_drops_the_brand_and_a_new_product_starts_over(chat):
    sony = chat("sony headphones")
    assert sony.slots.brand == "Sony" and {p.brand for p in sony.products} == {"Sony"}
    any_brand = chat("any brand is fine")
    assert any_brand.slots.brand is None and any_brand.slots.category == "headphones"
    assert {p.brand for p in any_brand.products} - {"Sony"}  # other brands are back
    mowers = chat("lawn mowers")
    assert mowers.slots.category is None and mowers.products == ()
    assert "we don't carry lawn mowers" in mowers.text
    assert chat("show me running shoes").slots.category == "shoes"


def test_references_resolve_against_the_last_list(chat):
    shown = list(chat("wireless headphones").products)
    assert len(shown) >= 3
    second = chat("the second one")
    assert second.intent == "product_question" and list(second.products) == [shown[1]]
    assert second.slots.product_refs == [shown[1].id]

    compared = chat("compare the first two")
    assert compared.intent == "compare_products" and list(compared.products) == shown[:2]
    assert compared.comparison is not None and compared.comparison.product_ids == (shown[0].id, shown[1].id)

    both = chat("tell me about both")
    assert list(both.products) == shown[:2]


def test_adding_a_shown_product_to_the_cart_in_words_names_it_and_asks_the_shop_to_add_it(chat):
    shown = list(chat("wireless headphones").products)
    ordinals = ["first", "second", "third", "fourth", "fifth"]
    for i, product in enumerate(shown[:5]):
        reply = chat(f"add the {ordinals[i]} one to my cart")
        assert reply.intent == "product_question" and list(reply.products) == [product]
        assert product.title in reply.text
        if product.in_stock:
            assert [(c.product_id, c.quantity) for c in reply.cart] == [(product.id, 1)] and not reply.failed
            assert "to your cart" in reply.text
        else:  # never a promise the shop cannot keep
            assert reply.cart == () and reply.failed and "out of stock" in reply.text
    asked = chat("is the first one still available?")  # a stock question adds nothing
    assert asked.cart == () and "stock" in asked.text


@pytest.mark.parametrize(
    "message, wanted",
    [("add two of the {} one to my cart", 2), ("I'll take 3 of the {} one", 3), ("add the {} one to my cart", 1)],
)
def test_a_count_said_with_an_add_to_cart_is_the_quantity_added(chat, message, wanted):
    shown = [p for p in chat("wireless headphones").products]
    index = next(i for i, p in enumerate(shown) if p.in_stock)
    ordinal = ["first", "second", "third", "fourth", "fifth"][index]
    reply = chat(message.format(ordinal))
    assert [(c.product_id, c.quantity) for c in reply.cart] == [(shown[index].id, wanted)]
    assert (f"{wanted} of the {shown[index].title}" in reply.text) == (wanted > 1)


def test_a_count_larger_than_the_cart_takes_adds_nothing_and_says_so(chat):
    shown = list(chat("wireless headphones").products)
    index = next(i for i, p in enumerate(shown) if p.in_stock)
    ordinal = ["first", "second", "third", "fourth", "fifth"][index]
    reply = chat(f"add 150 of the {ordinal} one to my cart")
    assert reply.cart == () and "150" in reply.text and "99" in reply.text
    assert chat(f"ok add 15 of the {ordinal} one").cart[0].quantity == 15  # nothing lost: a smaller count goes in


def test_a_brand_reference_picks_the_product_of_that_brand(chat):
    shown = list(chat("noise cancelling headphones").products)
    brands = [p.brand for p in shown]
    once = [b for b in brands if b and brands.count(b) == 1]  # a brand shown once names one product
    assert once and len(shown) > 1
    named = next(p for p in shown if p.brand == once[0])
    reply = chat(f"the {once[0]} one")
    assert list(reply.products) == [named] and reply.text.startswith(named.title)


def test_only_a_brand_after_a_list_narrows_the_search_to_it(chat):
    shown = list(chat("noise cancelling headphones").products)
    brand = next(p.brand for p in shown if p.brand)
    reply = chat(f"only {brand.lower()}")
    assert reply.intent == "search_products" and reply.slots.brand == brand and reply.slots.query == "noise cancelling headphones"
    assert reply.products and all(p.brand == brand for p in reply.products)


def test_words_that_only_name_an_attribute_value_narrow_the_search_in_force(chat):
    first = chat("running shoes")
    assert any(p.attributes.get("gender") == "men" for p in first.products)
    reply = chat("women's only")
    assert reply.intent == "search_products" and "running shoes" in (reply.slots.query or "")
    assert reply.products and all(p.attributes.get("gender") != "men" for p in reply.products)


def test_a_pick_among_the_products_just_compared_answers_with_that_one(chat):
    shown = list(chat("wireless headphones").products)
    assert chat("compare the first two").intent == "compare_products"
    cheaper = min(shown[:2], key=lambda p: p.price)
    reply = chat("just the cheaper one")
    assert list(reply.products) == [cheaper] and reply.text.startswith(cheaper.title)
    # the pick is now the product in focus
    assert chat("how long does the battery last?").products == (cheaper,)

    jackets = list(chat("rain jacket").products)
    assert len({p.color for p in jackets[:2]}) == 2, "the precondition: two colours compared"
    chat("compare the first two")
    red = [p for p in jackets[:2] if p.color == "red"]
    assert red and list(chat("only the red one").products) == red


def test_both_refers_to_the_pair_just_compared(chat, demo_services):
    from assistant.dialogue import resolve_refs

    shown = list(chat("wireless headphones").products)
    assert len(shown) >= 3
    chat("compare the second and the third")
    assert chat.session.focus == shown[1:3]
    assert resolve_refs(chat.session, ["both"]) == shown[1:3]
    chat.session.focus = []
    assert resolve_refs(chat.session, ["both"]) == shown[:2]  # nothing in focus: the first two


def test_cheaper_after_a_comparison_still_searches(chat):
    shown = list(chat("wireless headphones").products)
    chat("compare the first two")
    reply = chat("anything cheaper?")
    assert reply.intent == "search_products" and reply.slots.price_max is not None
    assert reply.slots.price_max < min(p.price for p in shown)


def test_a_measuring_question_about_it_is_about_the_product_on_screen(chat):
    mat = chat("yoga mat").products[0]
    reply = chat("how long is it?")
    assert reply.intent == "product_question" and list(reply.products) == [mat]
    assert str(mat.attributes["length_cm"]) in reply.text
    assert chat("how long does delivery take?").intent == "policy_question"


@pytest.mark.parametrize(
    ("message", "routed"),
    [
        ("how long is it?", ("product_question", "length_cm")),  # only measuring words: the product's
        ("how thick is this one?", ("product_question", "thickness_mm")),
        ("how long does it take to arrive?", ("policy_question", None)),  # more than a measure: the parser's reading
        ("how long do I have to return it?", ("policy_question", None)),
    ],
)
def test_a_policy_reading_of_a_measuring_question_about_it_goes_to_the_product(chat, demo_services, message, routed):
    """What the parser read as a policy question ("how long is it?" beside "how long we keep
    your data") is about the product on screen when all it asks is a measure."""
    from assistant.pipeline import _about_shown
    from assistant.types import Slots

    chat("yoga mat")
    intent, slots = _about_shown(message, "policy_question", Slots(), chat.session, demo_services)
    assert (intent, slots.attribute) == routed


@pytest.mark.xfail(
    strict=True,
    reason=(
        "rule parser: a bare 'both' after a list is parsed as a search for the word 'both' "
        "(it shows a kettle); 'tell me about both' and 'compare both' resolve correctly"
    ),
)
def test_bare_both_refers_to_the_first_two(chat):
    shown = list(chat("wireless headphones").products)
    reply = chat("both")
    assert reply.intent in ("product_question", "compare_products") and list(reply.products) == shown[:2]


def test_reference_past_the_end_gets_a_clear_message_and_the_session_goes_on(chat):
    chat("wireless headphones")
    three = list(chat("headphones between $100 and $130").products)
    assert len(three) == 3, [p.title for p in three]  # this test needs a list of exactly three
    reply = chat("the fifth one")
    assert reply.products == () and reply.failed
    assert reply.text.startswith("I only showed 3 products, so there is no 5th one.")
    assert all(p.title in reply.text for p in three)
    again = chat("the second one")
    assert list(again.products) == [three[1]]


def test_reference_before_any_list_gets_a_clear_message(chat):
    reply = chat("compare the first two")
    assert reply.failed and "haven't shown you any products yet" in reply.text
    assert chat("wireless headphones").products


@pytest.mark.xfail(
    strict=True,
    reason=(
        "rule parser: with nothing shown, 'the second one' is parsed as out_of_scope, so the shopper "
        "gets the generic 'I can only help with shopping' reply instead of 'I haven't shown you any products yet'"
    ),
)
def test_ordinal_before_any_list_gets_a_clear_message(chat):
    reply = chat("the second one")
    assert "haven't shown you any products yet" in reply.text


def demo_order(status: str = "delivered", *, services=None) -> dict:
    """A demo order with ``status`` and no return yet; a delivered one is inside the demo's
    return window (30 days to its "today") with no item its rules exclude or condition."""
    for order in ORDERS.values():
        if order["status"] != status or (services is not None and services.desk.open_return(order["order_id"]) is not None):
            continue
        if status == "delivered" and (order["delivered_at"] < "2026-10-22" or not all(_plainly_returnable(i) for i in order["items"])):
            continue
        return order
    pytest.skip(f"no demo order with status {status} left")


def _plainly_returnable(item: dict) -> bool:
    product = CATALOG[item["product_id"]]
    return product["category"] not in ("groceries", "beauty") and "in-ear" not in product.get("tags", [])


def test_order_status_needs_the_matching_email(chat, demo_services):
    order = ORDERS["NW-100002"]
    secrets = [
        order["carrier"],
        order["tracking_number"],
        "delivered",
        f"{order['total']:.2f}",
        *[item["title"] for item in order["items"]],
    ]
    wrong = chat(f"where is order {order['order_id']}? my email is someone.else@example.com")
    assert wrong.intent == "order_status" and wrong.failed
    assert not [s for s in secrets if s.lower() in wrong.text.lower()]
    missing = Chat(demo_services)("where is order NW-999999? my email is someone.else@example.com")
    assert missing.text == wrong.text  # the same answer whether or not the order exists

    right = chat(f"where is order {order['order_id']}? my email is {order['email']}")
    assert right.intent == "order_status" and not right.failed
    assert all(s.lower() in right.text.lower() for s in secrets)


def test_email_given_in_a_second_turn(chat):
    order = ORDERS["NW-100044"]
    ask = chat(f"where is my order {order['order_id']}")
    assert "email" in ask.text and order["tracking_number"] not in ask.text
    reply = chat(order["email"])
    assert reply.intent == "order_status" and order["tracking_number"] in reply.text


def test_return_request_is_recorded_only_with_the_matching_email(demo_services):
    order = demo_order("delivered", services=demo_services)
    before = len(demo_services.desk.returns())
    denied = Chat(demo_services)(f"I want to return order {order['order_id']}, my email is someone.else@example.com")
    assert denied.intent == "return_request" and denied.failed
    assert len(demo_services.desk.returns()) == before

    chat = Chat(demo_services)
    reply = chat(f"I want to return order {order['order_id']}, my email is {order['email']}")
    assert reply.intent == "return_request" and not reply.failed
    after = demo_services.desk.returns()
    assert len(after) == before + 1
    record = [r for r in after if r["order_id"] == order["order_id"]]
    assert len(record) == 1 and record[0]["return_id"] in reply.text
    assert record[0]["conversation_id"] == chat.session.conversation_id and record[0]["email"] == order["email"]


def tickets(services) -> dict[str, dict]:
    return {t["ticket_id"]: t for t in services.desk.tickets()}


def test_asking_for_a_person_creates_one_persisted_ticket(chat, demo_services):
    before = tickets(demo_services)
    reply = chat("I want to talk to a human")
    assert reply.intent == "human_agent" and reply.handoff is not None
    new = set(tickets(demo_services)) - set(before)
    assert new == {reply.handoff.ticket_id} and reply.handoff.ticket_id in reply.text
    ticket = tickets(demo_services)[reply.handoff.ticket_id]
    assert ticket["conversation_id"] == chat.session.conversation_id and ticket["status"] == "open"
    assert "I want to talk to a human" in ticket["transcript"]  # the person sees what was asked
    again = chat("can I speak to a person please")
    assert again.handoff.ticket_id == reply.handoff.ticket_id and len(tickets(demo_services)) == len(before) + 1


def test_repeated_failures_hand_off(chat, demo_services):
    before = tickets(demo_services)
    replies = [chat(q) for q in ("lawn mowers", "garden hoses", "cat litter")]
    assert all(r.failed for r in replies)
    assert replies[0].handoff is None and replies[1].handoff is None
    handoff = replies[2].handoff
    assert handoff is not None and handoff.reason == "the assistant could not help several times"
    assert handoff.ticket_id in replies[2].text
    ticket = tickets(demo_services)[handoff.ticket_id]
    assert handoff.ticket_id not in before
    assert all(q in ticket["transcript"] for q in ("lawn mowers", "garden hoses", "cat litter"))


def test_frustration_hands_off(chat, demo_services):
    chat("wireless headphones")
    reply = chat("this is useless, you are not helping at all")
    assert reply.handoff is not None and reply.handoff.reason == "the shopper is frustrated"
    assert reply.handoff.ticket_id in tickets(demo_services)


@pytest.mark.parametrize("message", ["", "   \n\t "])
def test_empty_message_gets_a_clear_message(chat, message):
    reply = chat(message)
    assert reply.failed and reply.text.startswith("I didn't catch a question there.")
    assert chat("wireless headphones").products


def test_very_long_message_is_cut_with_a_notice(chat, demo_services):
    limit = demo_services.settings.max_message_chars
    message = ("I am looking for comfortable waterproof running shoes for long trail runs in the rain. " * 80)[:5000]
    result = run_turn(message, chat.session, demo_services)
    assert len(result.transcript) <= limit < 5000
    assert result.reply.text.startswith(f"(Your message was very long, so I only read the first {limit} characters.)")
    assert chat("in black").slots.color == "black"


@pytest.mark.parametrize(
    ("message", "answered"),
    [
        ("how do I stop your marketing texts?", True),  # the parser reads it as out of scope; the privacy policy answers it
        ("what number do I call from outside the US?", True),
        ("how do i cancel my netflix subscription", False),  # nothing of this shop's
        ("can you book me a flight to Lisbon", False),
    ],
)
def test_a_question_the_shops_policies_answer_is_answered_from_them(chat, message, answered):
    reply = chat(message)
    assert (reply.intent == "policy_question" and bool(reply.sources)) is answered, reply.text


@pytest.mark.parametrize(
    ("question", "topic", "section"),
    [
        ("how long do you keep my order history", "returns", ("privacy", "How long we keep data")),  # a wrong hint loses
        ("how do i start a return", "privacy", ("returns", "How to start a return")),
    ],
)
def test_the_parsers_policy_topic_is_a_hint_not_a_filter(demo_services, question, topic, section):
    """The parser learnt one shop's documents; another shop's, or a wrong guess, must not hide the answer."""
    top = demo_services.policies.search(question, topic=topic)[0].chunk
    assert (top.doc, top.section) == section


@pytest.mark.parametrize(
    ("message", "answered"),
    [
        # far from every sentence (cosine 0.46), but its rare words are the rights section's
        ("I'm in the EU and want a copy of all the data you hold on me under GDPR", True),
        ("can you transfer 200 dollars to my sister", False),  # as close, but none of its words are the policies'
        ("write a poem about returns", False),
        ("whats my bank balance", False),
    ],
)
def test_policies_answer_a_message_whose_words_their_section_holds(demo_services, message, answered):
    assert demo_services.policies.answers_confidently(message) is answered


def test_a_hand_off_asks_where_to_reply_before_promising_an_email(demo_services):
    """Nobody can answer by email without one: the ticket asks, then records the address."""
    from assistant.pipeline import handle

    session = Session()
    first = handle("I want to talk to a human", session, demo_services, channel="test").reply
    assert first.handoff is not None and "Which email address should they reply to?" in first.text
    assert "Once I have it, a person will reply by email within one business day" in first.text
    given = handle("it's Sam.Lee@example.com thanks", session, demo_services, channel="test").reply
    assert "sam.lee@example.com" in given.text and "reply by email within one business day" in given.text
    assert demo_services.service_desk().desk.reply_to(first.handoff.ticket_id) == "sam.lee@example.com"
    later = handle("do you sell yoga mats", session, demo_services, channel="test").reply
    assert later.intent == "search_products"  # asked once; the conversation moves on


def _on_screen(query: str, *products, focus=(), last_intent: str = "search_products") -> Session:
    from assistant.types import Slots

    session = Session()
    session.constraints = Slots(query=query)
    session.shown, session.focus, session.last_intent = list(products), list(focus), last_intent
    return session


def _thing(pid: str, title: str, price: float = 10.0, **attributes):
    from retrieval.catalog import Product

    return Product(id=pid, title=title, category="things", brand=title.split()[0], price=price, attributes=attributes)


def test_a_question_for_a_product_in_another_colour_searches_in_that_colour():
    from assistant.reading import another_color
    from assistant.types import Slots

    pink = _thing("L-1", "Liberty Tana Lawn, Wiltshire Pink", colour="pink")
    session = _on_screen("liberty tana lawn", pink, focus=[pink], last_intent="product_question")
    asked = Slots(color="blue", attribute="color")
    assert another_color("have you a blue one instead?", asked, session) == "blue"
    assert another_color("got any in blue?", asked, session) == "blue"
    assert another_color("is the blue one in stock?", asked, session) is None  # picks a product on screen
    blue = _thing("L-2", "Liberty Tana Lawn, Betsy Blue", colour="navy blue")
    assert another_color("have you a blue one?", asked, _on_screen("liberty tana lawn", pink, blue)) is None


def test_a_search_that_only_names_an_attribute_of_the_product_in_focus_asks_about_it():
    from assistant.reading import focus_attribute
    from assistant.types import Slots

    yarn = _thing("Y-1", "Bambino DK, Lemon", needle_size_mm=4, length_m=300)
    session = _on_screen("baby yarn", yarn, focus=[yarn], last_intent="product_question")
    assert focus_attribute(Slots(query="needle size"), session) == "needle_size_mm"
    assert focus_attribute(Slots(query="needles"), session) is None  # a search for needles
    assert focus_attribute(Slots(query="needle size"), _on_screen("baby yarn", yarn)) is None  # nothing in focus


def test_cheaper_than_a_product_on_screen_is_below_its_price_whatever_its_brand():
    from assistant.reading import than_shown
    from assistant.types import ParsedIntent, Slots

    rowan, king = _thing("Y-1", "Rowan Big Wool", 15.95), _thing("Y-2", "King Cole Big Value", 4.25)
    parsed = ParsedIntent(intent="search_products", slots=Slots(brand="Rowan"), relative_price="cheaper")
    read = than_shown("anything cheaper than the rowan?", parsed, _on_screen("super chunky yarn", rowan, king))
    assert read.slots.brand is None and read.slots.price_max == 15.94 and read.relative_price is None
    read = than_shown("anything dearer than the king cole one?", parsed, _on_screen("super chunky yarn", rowan, king))
    assert read.slots.price_min == 4.26
    assert than_shown("anything cheaper?", parsed, _on_screen("yarn", rowan, king)) == parsed
    compared = _on_screen("super chunky yarn", rowan, king, focus=[rowan, king], last_intent="compare_products")
    read = than_shown("anything cheaper than those?", parsed, compared)  # the products just compared
    assert read.slots.price_max == 4.24


def test_anything_cheaper_than_the_products_compared_is_a_search_below_their_prices(demo_services):
    from assistant.types import Slots

    mats = _mats_on_screen(demo_services)
    mats.focus, mats.last_intent = mats.shown[:2], "compare_products"
    asked = Slots(product_refs=[p.id for p in mats.shown[:2]], attribute="price")
    reply = _answered("anything cheaper than those?", "compare_products", demo_services, asked, mats)
    assert reply.intent == "search_products" and reply.slots.price_max < min(p.price for p in mats.shown[:2])


def test_asking_whether_the_shop_sells_another_thing_is_a_new_search():
    from assistant.reading import asks_the_range
    from assistant.types import Slots

    session = _on_screen("super chunky yarn")
    assert asks_the_range("do you sell 10mm needles?", Slots(query="10mm needles"), session)
    assert not asks_the_range("do you have any in blue?", Slots(color="blue"), session)
    assert not asks_the_range("do you have it in super chunky?", Slots(query="super chunky"), session)
    assert not asks_the_range("10mm needles", Slots(query="10mm needles"), session)  # no question of the range


def test_a_product_on_screen_named_by_its_price_is_the_one_asked_about():
    from assistant.reading import priced_one

    small, big = _thing("V-1", "Gift Voucher, €25", 25.0), _thing("V-2", "Gift Voucher, €100", 100.0)
    session = _on_screen("gift vouchers", small, big)
    assert priced_one("how is the €100 one delivered?", session) == big
    assert priced_one("and the €25 voucher?", session) == small
    assert priced_one("anything under €100?", session) is None  # a budget, not a product
    assert priced_one("how is the €50 one delivered?", session) is None  # none costs that


def test_a_question_about_the_shops_range_names_the_products_it_asks_for(demo_services):
    from assistant.reading import names_products

    assert names_products("do you sell headphones as well?", demo_services.products) == "headphones"
    assert names_products("headphones as well?", demo_services.products) is None  # not asked as a question of the range
    assert names_products("do you sell my details to advertisers?", demo_services.products) is None


def _answered(text: str, intent: str, services, slots=None, session: Session | None = None):
    """The reply to ``text`` once a parser has read it as ``intent`` (the stages after the parser)."""
    from assistant.pipeline import _answer, _Timer
    from assistant.types import ParsedIntent, Slots

    parsed = ParsedIntent(intent=intent, slots=slots or Slots())
    return _answer(text, parsed, session or Session(), services, _Timer())


def _mats_on_screen(services) -> Session:
    from retrieval.types import SearchRequest

    mats = [h.product for h in services.products.search(SearchRequest(query="yoga mats", k=5)).hits]
    assert mats
    return _on_screen("yoga mats", *mats)


def test_a_product_question_with_nothing_on_screen_that_the_documents_answer_is_answered_from_them(demo_services):
    from assistant.types import Slots

    reply = _answered("what is care+ and how much does it cost?", "product_question", demo_services, Slots(product_refs=["it"]))
    assert reply.intent == "policy_question" and reply.sources[0].section.startswith("Northwind Care+")
    reply = _answered("how much is the tent?", "product_question", demo_services, Slots(product_refs=["it"]))
    assert reply.intent != "policy_question"  # a product the shopper means, not a document's subject


def test_who_to_turn_to_is_answered_from_the_documents_but_asking_for_someone_hands_off(demo_services):
    reply = _answered("who can I complain to if you mishandle my personal data", "human_agent", demo_services)
    assert reply.intent == "policy_question" and reply.sources[0].doc == "privacy"
    assert _answered("who can I talk to", "human_agent", demo_services).handoff is not None


def test_asking_whether_the_shop_sells_something_else_is_a_search_with_products_on_screen(demo_services):

    session = _mats_on_screen(demo_services)
    reply = _answered("do you sell water bottles as well?", "policy_question", demo_services, session=session)
    assert reply.intent == "search_products" and "Water Bottle" in reply.text


def test_a_question_about_a_product_not_on_screen_that_the_shop_sells_searches_for_it(demo_services):
    from assistant.types import Slots

    session = _mats_on_screen(demo_services)
    asked = Slots(product_refs=["hydro flask water bottle"], attribute="material")
    reply = _answered("do you have the hydro flask water bottle?", "product_question", demo_services, asked, session)
    assert reply.intent == "search_products" and "Hydro Flask" in reply.text
    reply = _answered(
        "how much is the purple one?", "product_question", demo_services, Slots(product_refs=["purple"], attribute="price"), session
    )
    assert reply.failed and "None of the products I just showed" in reply.text  # a pick among those shown


def test_what_else_looks_beyond_the_brand_in_force_unless_it_names_one():
    from assistant.reading import beyond_brand
    from assistant.types import ParsedIntent, Slots

    machine = _thing("M-1", "Singer Heavy Duty 4423", 279.0)
    session = _on_screen("singer heavy duty", machine, focus=[machine], last_intent="product_question")
    session.constraints = Slots(query="singer heavy duty", brand="Singer")
    parsed = ParsedIntent(intent="search_products", slots=Slots(query="sew denim"))
    assert beyond_brand("what else have you got that can sew denim?", parsed, session).clear == ["brand"]
    said = ParsedIntent(intent="search_products", slots=Slots(brand="Singer"))
    assert beyond_brand("anything else by singer?", said, session).clear == []  # the brand is said again
    assert beyond_brand("ones that can sew denim", parsed, session).clear == []  # a refinement keeps it
