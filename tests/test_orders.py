"""Orders, returns under the shop's rules and hand-off tickets, in real SQLite, for a shop
that is not the demo."""

from datetime import date

import pytest

from assistant.answer.customer_service import ServiceDesk, handoff_reply, order_status_reply
from assistant.answer.returns import confirm_return, named_items, return_reply
from assistant.dialogue import Session
from assistant.records.orders import Order, OrderDesk
from assistant.records.profile import StoreProfile
from assistant.types import Slots

PROFILE = StoreProfile.model_validate(
    {
        "name": "Kiln & Co",
        "currency": "EUR",
        "support": {"email": "hallo@kiln.example", "phone": "+31 20 555 0100"},
        "handoff_reply_time": "within two working days",
        "returns": {
            "window_days": 14,
            "window_from": "delivery",
            "excluded_categories": ["food"],
            "excluded_tags": ["seconds"],
            "conditional": {"glazes": "sealed"},
            "next_steps": "Post it to our studio with the form in the parcel.",
        },
    }
)
ITEM = {"product_id": "A", "title": "Stoneware Mug", "quantity": 2, "unit_price": 10.0, "category": "mugs"}


def order(order_id, email="ann@example.com", status="delivered", delivered="2026-11-25", items=(ITEM,), **more):
    return {
        "order_id": order_id,
        "email": email,
        "status": status,
        "placed_at": "2026-11-20",
        "shipped_at": "2026-11-21" if status != "processing" else None,
        "delivered_at": delivered if status == "delivered" else None,
        "carrier": "PostNL",
        "tracking_number": f"3S{order_id.strip('#')}",
        "total": sum(i["quantity"] * i["unit_price"] for i in items),
        "currency": "EUR",
        "items": list(items),
        **more,
    }


ORDERS = [
    order("#1001"),
    order("MC-5001", status="processing"),
    order("00004587345", delivered="2026-10-01"),
    order("#1004", items=({"product_id": "F", "title": "Honey Jar", "quantity": 1, "unit_price": 6.0, "category": "food"},)),
    order("#1005", items=({"product_id": "G", "title": "Celadon Glaze Pot", "quantity": 1, "unit_price": 12.0, "category": "glazes"},)),
    order("#1006", items=(ITEM, {"product_id": "F", "title": "Honey Jar", "quantity": 1, "unit_price": 6.0, "category": "food"})),
    order("#1007", items=({"product_id": "S", "title": "Bowl", "quantity": 1, "unit_price": 4.0, "tags": ["seconds"]},)),
]


def shop(tmp_path, profile=PROFILE, today=date(2026, 12, 1)):
    desk = OrderDesk(tmp_path / "shop.db")
    desk.load_orders(ORDERS)
    return ServiceDesk(profile=profile, desk=desk, orders=desk, product=lambda pid: None, today=lambda: today)


def ask(shop_desk, order_id, message="I want to return it", session=None):
    session = session or Session()
    return session, return_reply(session, Slots(order_id=order_id, email="ann@example.com"), shop_desk, message)


def test_lookup_needs_id_and_email_in_any_id_format(tmp_path):
    d = shop(tmp_path).desk
    assert d.lookup("1001", " Ann@Example.com ").order_id == "#1001"
    assert d.lookup("#1001", "bob@example.com") is None
    assert d.lookup("mc-5001", "ann@example.com").status == "processing"
    assert d.lookup("00004587345", "ann@example.com").order_id == "00004587345"
    assert d.lookup("4587345", "ann@example.com") is None  # leading zeros are part of the id


def test_status_reveals_nothing_without_matching_email(tmp_path):
    s = shop(tmp_path)
    session = Session()
    asked = order_status_reply(session, Slots(order_id="#1001"), s)
    assert "email" in asked.text and "Mug" not in asked.text
    wrong = order_status_reply(session, Slots(email="bob@example.com"), s)
    assert wrong.failed and "Mug" not in wrong.text and "PostNL" not in wrong.text and "delivered" not in wrong.text
    right = order_status_reply(session, Slots(order_id="#1001", email="ann@example.com"), s)
    assert "delivered" in right.text and "3S1001" in right.text and "2 x Stoneware Mug (€10.00)" in right.text


def test_a_return_inside_the_window_is_recorded_once_with_the_shops_own_next_steps(tmp_path):
    s = shop(tmp_path)
    _, first = ask(s, "#1001", "too small")
    assert "RMA-" in first.text and "Post it to our studio" in first.text
    assert "label" not in first.text and "refund" not in first.text.lower()  # nothing the profile does not state
    _, again = ask(s, "#1001")
    assert "already open" in again.text
    assert len(s.desk.returns()) == 1 and s.desk.returns()[0]["reason"] == "too small"


@pytest.mark.parametrize(
    ("order_id", "says"),
    [
        ("00004587345", ["14 days of delivery", "2026-10-01", "2026-10-15"]),  # outside the window, quoted
        ("MC-5001", ["hasn't shipped"]),  # not delivered
        ("#1004", ["food can't be returned"]),  # an excluded category
        ("#1007", ["marked seconds"]),  # an excluded tag
    ],
)
def test_returns_the_rules_forbid_are_refused_with_the_rule(tmp_path, order_id, says):
    s = shop(tmp_path)
    _, reply = ask(s, order_id)
    assert "RMA-" not in reply.text and not s.desk.returns()
    for phrase in says:
        assert phrase in reply.text
    assert "label" not in reply.text and "refund" not in reply.text.lower()


def test_a_mixed_order_returns_only_the_allowed_items_and_names_the_others(tmp_path):
    s = shop(tmp_path)
    _, reply = ask(s, "#1006")
    assert "RMA-" in reply.text and "Stoneware Mug" in reply.text and "Honey Jar (food can't be returned)" in reply.text


def test_naming_only_an_excluded_item_opens_no_return(tmp_path):
    s = shop(tmp_path)
    _, reply = ask(s, "#1006", "I want to return the honey from order #1006")
    assert "RMA-" not in reply.text and "food can't be returned" in reply.text and not s.desk.returns()
    assert [i.title for i in named_items(Order.model_validate(ORDERS[5]), ["the mug please"])] == ["Stoneware Mug"]
    assert len(named_items(Order.model_validate(ORDERS[5]), ["return it"])) == 2  # nothing named: the whole order


def test_a_conditional_item_is_returned_only_after_the_shopper_confirms(tmp_path):
    s = shop(tmp_path)
    session, asked = ask(s, "#1005")
    assert "sealed" in asked.text and not s.desk.returns()
    refused = confirm_return(session, False, s)
    assert "RMA-" not in refused.text and not s.desk.returns()
    session, _ = ask(s, "#1005")
    done = confirm_return(session, True, s)
    assert "RMA-" in done.text and len(s.desk.returns()) == 1


def test_a_shop_without_return_rules_hands_returns_to_a_person(tmp_path):
    s = shop(tmp_path, profile=PROFILE.model_copy(update={"returns": None}))
    _, reply = ask(s, "#1001")
    assert reply.handoff is not None and not s.desk.returns()


def test_handoff_says_the_shops_reply_time_and_contacts(tmp_path):
    s = shop(tmp_path)
    session = Session()
    session.history.append({"role": "shopper", "text": "I need a person"})
    reply = handoff_reply(session, Slots(), s, "the shopper asked for a person")
    assert reply.handoff and reply.handoff.ticket_id in reply.text
    assert "Kiln & Co" in reply.text and "within two working days" in reply.text and "hallo@kiln.example" in reply.text
    handoff_reply(session, Slots(), s, "again")
    reopened = OrderDesk(tmp_path / "shop.db").tickets()
    assert len(reopened) == 1 and "I need a person" in reopened[0]["transcript"]


def test_a_handoff_without_a_stated_reply_time_promises_none(tmp_path):
    s = shop(tmp_path, profile=StoreProfile(name="Bare Shop"))
    reply = handoff_reply(Session(), Slots(), s, "the shopper asked for a person")
    assert "within" not in reply.text and "business day" not in reply.text


def test_a_store_without_orders_says_it_cannot_look_them_up(tmp_path):
    s = shop(tmp_path)
    bare = ServiceDesk(profile=s.profile, desk=s.desk, orders=None, product=s.product, today=s.today)
    reply = order_status_reply(Session(), Slots(order_id="#1001", email="ann@example.com"), bare)
    assert "can't look up Kiln & Co orders" in reply.text and "hallo@kiln.example" in reply.text and "Mug" not in reply.text
