"""Orders, returns and hand-off tickets in real SQLite."""

from assistant.answer.customer_service import handoff_reply, order_status_reply, return_reply
from assistant.dialogue import Session
from assistant.records.orders import OrderDesk
from assistant.types import Slots

ORDERS = [
    {
        "order_id": "NW-1",
        "email": "Ann@Example.com",
        "status": "delivered",
        "placed_at": "2026-10-01",
        "shipped_at": "2026-10-02",
        "delivered_at": "2026-10-05",
        "carrier": "UPS",
        "tracking_number": "1Z999",
        "total": 20.0,
        "currency": "USD",
        "items": [{"product_id": "A", "title": "Mug", "quantity": 2, "unit_price": 10.0}],
    },
    {
        "order_id": "NW-2",
        "email": "bob@example.com",
        "status": "processing",
        "placed_at": "2026-11-20",
        "total": 5.0,
        "items": [{"product_id": "B", "title": "Tea", "quantity": 1, "unit_price": 5.0}],
    },
]


def desk(tmp_path):
    d = OrderDesk(tmp_path / "shop.db")
    d.load_orders(ORDERS)
    return d


def test_lookup_needs_id_and_email(tmp_path):
    d = desk(tmp_path)
    assert d.lookup("nw-1", " ann@example.com ").order_id == "NW-1"
    assert d.lookup("NW-1", "bob@example.com") is None
    assert d.lookup("NW-3", "ann@example.com") is None


def test_status_reveals_nothing_without_matching_email(tmp_path):
    d = desk(tmp_path)
    session = Session()
    asked = order_status_reply(session, Slots(order_id="NW-1"), d)
    assert "email" in asked.text and "Mug" not in asked.text
    wrong = order_status_reply(session, Slots(email="bob@example.com"), d)
    assert wrong.failed and "Mug" not in wrong.text and "UPS" not in wrong.text and "delivered" not in wrong.text
    right = order_status_reply(session, Slots(order_id="NW-1", email="ann@example.com"), d)
    assert "delivered" in right.text and "1Z999" in right.text and "2 x Mug ($10.00)" in right.text


def test_return_is_recorded_once_and_only_when_delivered(tmp_path):
    d = desk(tmp_path)
    session = Session()
    first = return_reply(session, Slots(order_id="NW-1", email="ann@example.com"), d, "too small")
    assert "RMA-" in first.text
    again = return_reply(session, Slots(order_id="NW-1", email="ann@example.com"), d, "too small")
    assert "already open" in again.text
    assert len(d.returns()) == 1 and d.returns()[0]["reason"] == "too small"
    early = return_reply(session, Slots(order_id="NW-2", email="bob@example.com"), d, "changed my mind")
    assert "can't be returned yet" in early.text and len(d.returns()) == 1


def test_handoff_ticket_is_persisted_once(tmp_path):
    d = desk(tmp_path)
    session = Session()
    session.history.append({"role": "shopper", "text": "I need a person"})
    reply = handoff_reply(session, Slots(), d, "the shopper asked for a person")
    assert reply.handoff and reply.handoff.ticket_id in reply.text and "business day" in reply.text
    handoff_reply(session, Slots(), d, "again")
    reopened = OrderDesk(tmp_path / "shop.db").tickets()
    assert len(reopened) == 1 and "I need a person" in reopened[0]["transcript"]
