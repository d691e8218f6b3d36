"""End to end through the installed `shopassist` command in a subprocess: ingest a small
catalog into a new store, replay scripted conversations, check every line against the
replay contract. Each CLI start loads the embedding model, so the runs are few."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.records.orders import OrderDesk
from assistant.types import INTENTS as INTENTS_OF_TYPES
from assistant.types import SLOT_NAMES
from tests.conftest import new_store, write_jsonl

SHOPASSIST = Path(sys.executable).with_name("shopassist")
CONTRACT = {"conversation", "turn", "transcript", "intent", "slots", "text", "products", "sources", "handoff", "timings_ms"}
OPTIONAL = {"alternatives", "cart"}
PRODUCT_FIELDS = {"id", "title", "price", "currency", "brand", "category", "attributes"}
INTENTS = set(INTENTS_OF_TYPES)
#: the README's canonical slot names (in_stock is documented there as omitted unless asked for)
SLOTS = set(SLOT_NAMES)


def product(pid, title, category, brand, price, **attributes):
    return {
        "id": pid,
        "title": title,
        "description": f"{title} from {brand}.",
        "category": category,
        "brand": brand,
        "price": price,
        "currency": "USD",
        "rating": 4.2,
        "review_count": 10,
        "stock": 5,
        "attributes": attributes,
    }


GOOD = [
    product("HP-1", "Sony WH-CH520 Wireless Headphones", "headphones", "Sony", 59.99, color="black", wireless=True),
    product("HP-2", "Sony WH-1000XM5 Wireless Noise Cancelling Headphones", "headphones", "Sony", 399.99, color="silver", wireless=True),
    product("HP-3", "JBL Tune 510BT Wireless Headphones", "headphones", "JBL", 49.95, color="blue", wireless=True),
    product("HP-4", "Bose QuietComfort Wireless Headphones", "headphones", "Bose", 349.0, color="black", wireless=True),
    product("HP-5", "Anker Soundcore Wireless Earbuds", "headphones", "Anker", 29.99, color="white", wireless=True),
    product("SH-1", "Trailhawk Waterproof Running Shoes", "shoes", "Trailhawk", 64.99, color="black", size=["9", "10", "11"]),
    product("SH-2", "Nike Pegasus Running Shoes", "shoes", "Nike", 139.99, color="black", size=["10", "11"]),
    product("SH-3", "Adidas Duramo Running Shoes", "shoes", "Adidas", 64.99, color="blue", size=["8", "9", "10"]),
    product("SH-4", "Merrell Moab Hiking Boots", "shoes", "Merrell", 129.99, color="brown", size=["10"]),
    product("SH-5", "ASICS Gel-Contend Running Shoes", "shoes", "ASICS", 69.95, color="black", size=["9", "10"]),
    product("KT-1", "KitchenAid Electric Kettle", "kitchen", "KitchenAid", 99.99, color="silver"),
    product("KT-2", "Breville Espresso Machine", "kitchen", "Breville", 699.95, color="silver"),
    product("KT-3", "Ninja Air Fryer", "kitchen", "Ninja", 129.99, color="black"),
    product("KT-4", "Lodge Cast Iron Skillet", "kitchen", "Lodge", 34.9, color="black"),
]
MALFORMED = {"id": "BAD-1", "title": "A shoe without a price", "category": "shoes", "brand": "Nike"}
DUPLICATE = product("HP-1", "Sony WH-CH520 Wireless Headphones (again)", "headphones", "Sony", 1.0, color="black")

CONVERSATIONS = [
    {
        "id": "c1",
        "turns": [
            {"text": "wireless headphones under $100"},
            {"text": "cheaper"},
            {"text": "the second one"},
            {"text": "compare the first two"},
        ],
    },
    "{this line is not JSON",
    {
        "id": "c2",
        "turns": [
            {"text": "black running shoes under $100"},
            {"text": "any brand is fine"},
            {"text": "what is your return policy?"},
            {"text": "where is order NW-100002? my email is mateo.nguyen@example.com"},
        ],
    },
    {"id": "no-turns"},
    {"id": "c3", "turns": [{"text": "hi"}, {"text": "lawn mowers"}, {"txt": "a turn without text"}, {"text": "I want to talk to a human"}]},
    {"id": "c4", "turns": [{"text": "where is order #1077? my email is kim@example.org"}]},
    {
        "id": "c5",
        "turns": [
            {"text": "please cancel order 1077, kim@example.org"},
            {"text": "cancel order #1079 too"},
            {"text": "yes"},
            {"text": "where is order 1079?"},
        ],
    },
]


def shopassist(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SHOPASSIST_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    env.pop("SHOPASSIST_STORE", None)
    return subprocess.run([str(SHOPASSIST), *map(str, args)], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """(store dir, CLI home, ingest result): a new store from the small catalog."""
    root = tmp_path_factory.mktemp("replay")
    catalog = write_jsonl(root / "catalog.jsonl", [*GOOD[:7], MALFORMED, *GOOD[7:], DUPLICATE])
    store = root / "store"
    home = root / "home"
    return store, home, shopassist("ingest", catalog, "--store", store, "--no-progress", "--name", "Acme Audio & Run", home=home)


def test_ingest_prints_counts_and_quarantines_with_reasons(ingested):
    store, _, result = ingested
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "read 16, added 14, updated 0, unchanged 0, deleted 0, quarantined 2"
    assert any(line.strip().startswith("line 8:") and "price" in line for line in lines), result.stdout
    assert any(line.strip().startswith("line 16:") and "duplicate id 'HP-1'" in line for line in lines), result.stdout
    quarantine = list((store / "quarantine").glob("catalog-*.jsonl"))
    assert len(quarantine) == 1
    rows = [json.loads(line) for line in quarantine[0].read_text().splitlines()]
    assert [(r["line"], r["row"]["id"]) for r in rows] == [(8, "BAD-1"), (16, "HP-1")]
    assert "price" in rows[0]["reason"] and "first seen on line 1" in rows[1]["reason"]
    assert "Acme Audio & Run" in lines[-1] and "name: Acme Audio & Run" in (store / "profile.yaml").read_text()


#: the shop's own orders, in its own id format; one bad row
SHOP_ORDERS = [
    {
        "order_id": "#1077",
        "email": "kim@example.org",
        "status": "shipped",
        "placed_at": "2026-11-30",
        "shipped_at": "2026-12-01",
        "carrier": "Acme Post",
        "tracking_number": "AP-0042-1077",
        "total": 59.99,
        "items": [{"product_id": "HP-1", "title": "Sony WH-CH520 Wireless Headphones", "quantity": 1, "unit_price": 59.99}],
    },
    {
        "order_id": "#1079",
        "email": "kim@example.org",
        "status": "processing",
        "placed_at": "2026-12-05",
        "total": 34.9,
        "items": [{"product_id": "KT-4", "title": "Lodge Cast Iron Skillet", "quantity": 1, "unit_price": 34.9}],
    },
    {
        "order_id": "#1078",
        "email": "kim@example.org",
        "status": "teleported",
        "placed_at": "2026-11-30",
        "total": 1,
        "items": [{"product_id": "HP-3", "title": "JBL", "quantity": 1, "unit_price": 1}],
    },
]


@pytest.fixture(scope="module")
def replayed(ingested, tmp_path_factory):
    store, home, result = ingested
    assert result.returncode == 0, result.stderr
    folder = tmp_path_factory.mktemp("conv")
    imported = shopassist("orders", write_jsonl(folder / "orders.jsonl", SHOP_ORDERS), "--store", store, home=home)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines()[0].endswith("read 3 / added 2 / updated 0 / unchanged 0 / quarantined 1")
    assert "line 3:" in imported.stdout and "status" in imported.stdout
    conversations = write_jsonl(folder / "conversations.jsonl", CONVERSATIONS)
    run = shopassist("replay", conversations, "--store", store, home=home)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return store, [json.loads(line) for line in run.stdout.splitlines()]


def test_every_line_follows_the_contract(replayed):
    _, records = replayed
    catalog = {p["id"]: p for p in GOOD}
    turns = [r for r in records if "error" not in r]
    assert [(r["conversation"], r["turn"]) for r in turns] == [
        ("c1", 1),
        ("c1", 2),
        ("c1", 3),
        ("c1", 4),
        ("c2", 1),
        ("c2", 2),
        ("c2", 3),
        ("c2", 4),
        ("c3", 1),
        ("c3", 2),
        ("c3", 4),
        ("c4", 1),
        ("c5", 1),
        ("c5", 2),
        ("c5", 3),
        ("c5", 4),
    ]
    for r in turns:
        assert CONTRACT <= set(r) <= CONTRACT | OPTIONAL, set(r) ^ CONTRACT
        assert r["intent"] in INTENTS and isinstance(r["text"], str) and r["text"]
        assert set(r["slots"]) <= SLOTS, set(r["slots"]) - SLOTS
        assert isinstance(r["timings_ms"], dict) and r["timings_ms"]["total"] >= 0
        for p in r["products"] + r.get("alternatives", []):
            assert set(p) == PRODUCT_FIELDS
            assert p["id"] in catalog and p["price"] == catalog[p["id"]]["price"] and p["title"] == catalog[p["id"]]["title"]
        for ref in r["slots"].get("product_refs", []):
            assert ref in catalog


def test_malformed_input_lines_become_error_lines_and_the_rest_still_run(replayed):
    _, records = replayed
    errors = [r for r in records if "error" in r]
    assert [(r["conversation"], r["turn"]) for r in errors] == [("line-2", 0), ("line-4", 0), ("c3", 3)]
    assert "line 2: not a conversation" in errors[0]["error"] and "line 4: not a conversation" in errors[1]["error"]
    assert "turn 3" in errors[2]["error"]
    assert all(r["products"] == [] and r["intent"] is None for r in errors)


def test_conversations_keep_their_state(replayed):
    store, records = replayed
    by = {(r["conversation"], r["turn"]): r for r in records}
    first = by["c1", 1]
    assert first["intent"] == "search_products"
    assert first["slots"]["category"] == "headphones" and first["slots"]["price_max"] == 100
    assert {p["id"] for p in first["products"]} == {"HP-1", "HP-3", "HP-5"}
    cheaper = by["c1", 2]
    assert cheaper["slots"]["price_max"] < 29.99 and cheaper["products"] == []
    assert [p["id"] for p in cheaper["alternatives"]][0] == "HP-5"  # nothing cheaper: the closest, labelled
    # the list on screen is the closest things just shown: "the second", "the first two" are theirs
    on_screen = [p["id"] for p in cheaper["alternatives"]]
    second = by["c1", 3]
    assert second["intent"] == "product_question" and second["slots"]["product_refs"] == [on_screen[1]]
    compared = by["c1", 4]
    assert compared["intent"] == "compare_products"
    assert compared["slots"]["product_refs"] == on_screen[:2]

    shoes = by["c2", 1]
    assert shoes["slots"]["color"] == "black" and {p["id"] for p in shoes["products"]} <= {"SH-1", "SH-5"}
    assert by["c2", 2]["slots"].get("brand") is None and by["c2", 2]["slots"]["color"] == "black"
    policy = by["c2", 3]  # nothing of the demo store: this shop has published no policies
    assert policy["intent"] == "policy_question" and policy["sources"] == [] and "Acme Audio & Run hasn't published" in policy["text"]
    order = by["c2", 4]  # a demo order id and email find nothing here
    assert order["intent"] == "order_status" and "USPS" not in order["text"] and "delivered" not in order["text"]
    own = by["c4", 1]  # the shop's own order, imported with `shopassist orders`
    assert own["intent"] == "order_status" and "AP-0042-1077" in own["text"] and "on its way" in own["text"]
    assert by["c3", 1]["text"].startswith("Hi! I'm the Acme Audio & Run shopping assistant")

    shipped = by["c5", 1]  # shipped: not cancelled, the reason given
    assert shipped["intent"] == "cancel_order" and "can no longer be cancelled" in shipped["text"]
    asked = by["c5", 2]  # the email this conversation verified goes with the shopper's other order
    assert asked["intent"] == "cancel_order" and "Nothing changes until you say yes" in asked["text"]
    done = by["c5", 3]
    assert done["intent"] == "cancel_order" and "is cancelled" in done["text"]
    [action] = OrderDesk(store / "shop.db").actions()
    assert action["order_id"] == "#1079" and action["kind"] == "cancel" and action["conversation_id"] == "c5"
    assert by["c5", 4]["intent"] == "order_status" and action["action_id"] in by["c5", 4]["text"]

    assert by["c3", 1]["intent"] == "greeting"
    assert by["c3", 2]["products"] == [] and "don't carry lawn mowers" in by["c3", 2]["text"]
    handoff = by["c3", 4]["handoff"]
    assert set(handoff) == {"ticket_id", "reason", "next_steps"}
    tickets = OrderDesk(store / "shop.db").tickets()
    assert [t["ticket_id"] for t in tickets] == [handoff["ticket_id"]] and tickets[0]["conversation_id"] == "c3"


def test_replay_without_a_usable_store_says_what_to_run(tmp_path, embedder):
    conversations = write_jsonl(tmp_path / "c.jsonl", [{"id": "c", "turns": [{"text": "hi"}]}])
    home = tmp_path / "home"
    missing = shopassist("replay", conversations, "--store", tmp_path / "nowhere", home=home)
    assert missing.returncode == 1 and missing.stdout == ""
    assert "no store at" in missing.stderr and "shopassist ingest" in missing.stderr

    new_store(tmp_path / "empty", embedder)  # a store directory with no products
    empty = shopassist("replay", conversations, "--store", tmp_path / "empty", home=home)
    assert empty.returncode == 1 and empty.stdout == ""
    assert "has no products" in empty.stderr and "shopassist ingest" in empty.stderr

    no_file = shopassist("replay", tmp_path / "absent.jsonl", "--store", tmp_path / "empty", home=home)
    assert no_file.returncode == 1 and "absent.jsonl: no such file" in no_file.stderr
    assert not [r for r in (missing, empty, no_file) if "Traceback" in r.stderr]


def test_returns_command_lists_returns_and_records_the_shops_progress(replayed):
    store, _ = replayed
    home = store.parent / "home"
    desk = OrderDesk(store / "shop.db")
    record = desk.record_return(desk.stored("#1077"), reason="too big")
    listed = shopassist("returns", "--store", store, home=home)
    assert listed.returncode == 0 and record.return_id in listed.stdout and "requested" in listed.stdout
    refunded = shopassist("returns", record.return_id, "--status", "refunded", "--on", "2026-12-03", "--store", store, home=home)
    assert refunded.returncode == 0 and "is refunded" in refunded.stdout
    assert desk.return_of("1077").refunded_at == "2026-12-03"
    bad = shopassist("returns", record.return_id, "--status", "lost", "--store", store, home=home)
    assert bad.returncode == 1 and "--status is one of received, refunded" in bad.stderr and "Traceback" not in bad.stderr
    missing = shopassist("returns", "RMA-NOPE", "--status", "received", "--store", store, home=home)
    assert missing.returncode == 1 and "no return RMA-NOPE" in missing.stderr
