"""Cancelling and changing orders, invoices, refund progress and complaints, through the
real turn handler over the demo store, each test with its own copy of the demo's order book
(a real SQLite database): a cancellation or change is stated, asked, and recorded only on
"yes"; the wrong email reveals and records nothing; shipped orders get the reason."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.app import demo_orders
from assistant.dialogue import Session
from assistant.pipeline import run_turn
from assistant.records.orders import OrderDesk

ORDERS = {o["order_id"]: o for o in demo_orders()}


def _order(status: str, *, with_sizes: bool = False) -> dict:
    for order in ORDERS.values():
        if order["status"] == status and (not with_sizes or order["order_id"] == "NW-100049"):
            return order
    pytest.skip(f"no demo order with status {status}")


@pytest.fixture
def shop(demo_services, tmp_path):
    desk = OrderDesk(tmp_path / "orders.sqlite")
    desk.load_orders(demo_orders())
    return dataclasses.replace(demo_services, desk=desk, orders=desk)


class Chat:
    def __init__(self, services) -> None:
        self.services = services
        self.session = Session()

    def __call__(self, text: str):
        return run_turn(text, self.session, self.services).reply


def test_cancel_is_stated_then_recorded_only_on_yes(shop):
    order = _order("processing")
    chat = Chat(shop)
    asked = chat(f"please cancel my order {order['order_id']}, email {order['email']}")
    assert asked.intent == "cancel_order" and order["order_id"] in asked.text and "confirm" in asked.text.lower()
    assert asked.suggestions == ("Yes", "No")
    assert shop.desk.actions() == [] and shop.desk.stored(order["order_id"]).status == "processing"

    done = chat("yes")
    assert done.intent == "cancel_order" and "cancelled" in done.text
    [action] = shop.desk.actions()
    assert action["kind"] == "cancel" and action["action_id"] in done.text and action["conversation_id"] == chat.session.conversation_id
    assert shop.desk.stored(order["order_id"]).status == "cancelled"

    status = chat(f"what's the status of order {order['order_id']}?")  # the verified order: no email asked again
    assert status.intent == "order_status" and "cancelled" in status.text and action["action_id"] in status.text


def test_cancel_declined_changes_nothing(shop):
    order = _order("processing")
    chat = Chat(shop)
    chat(f"cancel order {order['order_id']} {order['email']}")
    declined = chat("no")
    assert "haven't changed anything" in declined.text
    assert shop.desk.actions() == [] and shop.desk.stored(order["order_id"]).status == "processing"
    assert chat("yes").intent != "cancel_order" or shop.desk.actions() == []  # a later "yes" confirms nothing


def test_cancel_with_the_wrong_email_reveals_and_records_nothing(shop):
    order = _order("processing")
    reply = Chat(shop)(f"cancel order {order['order_id']}, my email is someone.else@example.com")
    assert reply.failed and order["items"][0]["title"] not in reply.text
    assert shop.desk.actions() == []


@pytest.mark.parametrize("status", ["shipped", "delivered"])
def test_an_order_that_shipped_cannot_be_cancelled_and_gets_the_alternative(shop, status):
    order = _order(status)
    chat = Chat(shop)
    reply = chat(f"cancel order {order['order_id']} {order['email']}")
    assert reply.intent == "cancel_order" and "can no longer be cancelled" in reply.text
    assert "return" in reply.text and shop.profile.returns.window_text() in reply.text
    assert chat("yes").intent != "cancel_order" and shop.desk.actions() == []


def test_change_of_address_is_stated_and_recorded_on_yes(shop):
    order = _order("processing")
    chat = Chat(shop)
    asked = chat(f"change the delivery address on order {order['order_id']} to 12 Elm Street, Leeds LS1 4AB, email {order['email']}")
    assert asked.intent == "change_order" and "12 Elm Street, Leeds LS1 4AB" in asked.text
    assert shop.desk.actions() == []
    done = chat("yes please")
    [action] = shop.desk.actions()
    assert action["kind"] == "change" and "12 Elm Street" in action["details"] and action["action_id"] in done.text
    status = chat(f"where is order {order['order_id']}")
    assert "12 Elm Street" in status.text and action["action_id"] in status.text


def test_change_declined_or_with_the_wrong_email_records_nothing(shop):
    order = _order("processing")
    chat = Chat(shop)
    hidden = chat(f"change the address on order {order['order_id']} to 1 Side Road, Hull, email nobody@example.com")
    assert hidden.failed and "1 Side Road" not in hidden.text and order["items"][0]["title"] not in hidden.text
    asked = chat(f"change the address on order {order['order_id']} to 1 Side Road, Hull, email {order['email']}")
    assert asked.intent == "change_order" and "1 Side Road, Hull" in asked.text
    assert "haven't changed anything" in chat("no, leave it").text
    assert shop.desk.actions() == []


def test_an_order_that_shipped_cannot_be_changed(shop):
    order = _order("shipped")
    reply = Chat(shop)(f"please send order {order['order_id']} to a different address: 9 Quay St, Bristol. {order['email']}")
    assert reply.intent == "change_order" and "can no longer" in reply.text and shop.desk.actions() == []


def test_change_of_size_checks_the_sizes_the_item_comes_in(shop):
    order = _order("processing", with_sizes=True)  # a jacket in M, L, XL, XXL among other items
    chat = Chat(shop)
    unknown = chat(f"change the jacket on order {order['order_id']} to size XS, {order['email']}")
    assert unknown.intent == "change_order" and "doesn't come in size XS" in unknown.text and "XXL" in unknown.text
    asked = chat(f"change the jacket on order {order['order_id']} to size XL")
    assert asked.intent == "change_order" and "Jacket" in asked.text and "size XL" in asked.text
    chat("yes")
    [action] = shop.desk.actions()
    assert '"size": "XL"' in action["details"] and "Jacket" in action["details"]


def test_invoice_gives_the_order_summary_after_the_check(shop):
    order = _order("delivered")
    chat = Chat(shop)
    hidden = chat(f"can I get the invoice for order {order['order_id']}, email nobody@example.com")
    assert hidden.failed and order["items"][0]["title"] not in hidden.text
    reply = chat(f"can I get the invoice for order {order['order_id']}, email {order['email']}")
    assert reply.intent == "order_status" and reply.slots.invoice
    assert "Invoice summary" in reply.text and f"{order['total']:,.2f}" in reply.text
    for item in order["items"]:
        assert item["title"] in reply.text


def test_refund_progress_comes_from_the_recorded_return(shop):
    order = next(o for o in ORDERS.values() if o["status"] == "delivered")
    record = shop.desk.record_return(shop.desk.stored(order["order_id"]), reason="too small")
    chat = Chat(shop)
    before = chat(f"where is my refund for order {order['order_id']}? {order['email']}")
    assert before.intent == "order_status" and record.return_id in before.text and "not refunded yet" in before.text
    shop.desk.update_return(record.return_id, "refunded", on="2026-11-20")
    after = chat(f"where is my refund for order {order['order_id']}?")
    assert "refunded on 2026-11-20" in after.text and "received by the shop on 2026-11-20" in after.text


def test_a_complaint_opens_a_ticket_with_its_category_and_words(shop):
    chat = Chat(shop)
    reply = chat("I want to file a complaint, the courier threw my parcel over the fence")
    assert reply.intent == "human_agent" and reply.handoff is not None
    [ticket] = [t for t in shop.desk.tickets() if t["ticket_id"] == reply.handoff.ticket_id]
    assert ticket["category"] == "complaint" and "threw my parcel over the fence" in ticket["reason"]


def test_a_hand_off_uses_the_email_already_verified(shop):
    order = _order("delivered")
    chat = Chat(shop)
    chat(f"where is order {order['order_id']} {order['email']}")
    reply = chat("talk to a human")
    assert "Which email" not in reply.text
    [ticket] = [t for t in shop.desk.tickets() if t["ticket_id"] == reply.handoff.ticket_id]
    assert ticket["reply_to"] == order["email"]


def test_order_ids_match_whatever_separators_the_shopper_writes(shop):
    order = _order("delivered")
    squashed = order["order_id"].replace("-", "").lower()
    reply = Chat(shop)(f"where is order {squashed}, email {order['email']}")
    assert reply.intent == "order_status" and not reply.failed and order["order_id"] in reply.text
