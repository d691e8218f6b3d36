"""The intent-data generator's fifth-round families: cancelling and changing orders, invoices and
refund status, complaints, account questions and other domains write valid parses whose copied
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


@pytest.fixture(scope="module")
def cat():
    return g.build_catalog(g.load_catalog())


def _loose(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


@pytest.mark.parametrize("family", sorted(FAMILY_INTENTS))
def test_new_generator_families_write_valid_parses(cat, family):
    rng = random.Random(7)
    for _ in range(300):
        row = getattr(g, family)(cat, rng)
        parsed = decode(row["target"])
        assert encode(parsed) == row["target"], row
        assert parsed.intent in FAMILY_INTENTS[family] and row["intent"] == parsed.intent, row
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
            assert slots.color is None or slots.color in cat.colors, row


def test_generated_order_ids_come_in_many_formats(cat):
    rng = random.Random(3)
    ids = {decode(g.cancel(cat, rng)["target"]).slots.order_id for _ in range(600)} - {None}
    shapes = {re.sub(r"[0-9]+", "9", re.sub(r"[A-Za-z]+", "A", oid)) for oid in ids}
    assert len(shapes) >= 8
    assert any(oid.startswith("NW-") for oid in ids) and any(oid.isdigit() for oid in ids)


def test_the_mix_gives_the_new_families_a_fifth_and_many_domains_are_out_of_scope():
    shares = {f.__name__: w for f, w in g.FAMILIES}
    assert sum(shares.values()) == pytest.approx(1.0)
    assert sum(shares[name] for name in FAMILY_INTENTS) == pytest.approx(0.2)
    assert len(g.DOMAINS) >= 30
