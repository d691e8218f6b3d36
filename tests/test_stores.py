"""A shop's own store: its profile, its orders (imported or from its backend over HTTP),
nothing of the demo store in another shop, and the store evaluation's leak check."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from assistant.dialogue import Session
from assistant.errors import OrderFileError, OrderSourceUnavailable, ProfileError
from assistant.pipeline import handle
from assistant.records.order_backend import HttpOrderSource
from assistant.records.order_import import import_orders
from assistant.records.orders import OrderDesk, OrderSource
from assistant.records.profile import OrdersBackend, StoreProfile, load_profile, name_store
from retrieval.errors import StoreError
from tests.conftest import product_row, write_jsonl

ROOT = Path(__file__).resolve().parent.parent

ORDER = {
    "order_id": "#1001",
    "email": "sam@example.org",
    "status": "shipped",
    "placed_at": "2026-11-02",
    "shipped_at": "2026-11-03",
    "carrier": "DPD",
    "tracking_number": "15501234567890",
    "items": [{"product_id": "P-1", "title": "Claw Hammer", "quantity": 1, "unit_price": 19.5}],
    "total": 19.5,
    "currency": "GBP",
}


# -- the profile ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("name: ''\n", ["name"]),
        ("name: Shop\ncurrency: pounds\n", ["currency"]),
        ("name: Shop\nproduct_url_template: https://shop.example/p/\n", ["product_url_template", "{id}"]),
        ("name: Shop\nreturns: {window_days: -3}\n", ["returns.window_days"]),
        ("name: Shop\nreturns: {window_days: 30, window_from: arrival}\n", ["returns.window_from"]),
        ("name: Shop\nfavourite_colour: blue\n", ["favourite_colour"]),
        ("name: Shop\norders_backend: {url: ftp://x}\n", ["orders_backend.url"]),
        ("- just\n- a list\n", ["mapping"]),
        ("name: [unclosed\n", ["not valid YAML"]),
    ],
)
def test_a_bad_profile_is_refused_with_the_field_and_the_fix(tmp_path, text, names):
    (tmp_path / "profile.yaml").write_text(text)
    with pytest.raises(ProfileError) as caught:
        load_profile(tmp_path)
    for name in names:
        assert name in str(caught.value)
    assert "docs/stores.md" in str(caught.value)


def test_naming_a_store_creates_its_profile_and_keeps_the_owners_edits(tmp_path):
    with pytest.raises(ProfileError, match="--name"):
        name_store(tmp_path, None)
    assert name_store(tmp_path, "  Brick  & Mortar ").name == "Brick & Mortar"
    text = (tmp_path / "profile.yaml").read_text()
    (tmp_path / "profile.yaml").write_text(text + "support:\n  email: hi@bm.example\n")
    renamed = name_store(tmp_path, "Brick and Mortar")
    assert renamed.name == "Brick and Mortar" and renamed.support.email == "hi@bm.example"
    assert load_profile(tmp_path) == renamed


# -- orders: import ---------------------------------------------------------------------


def test_orders_import_from_jsonl_is_validated_idempotent_and_quarantines_with_reasons(tmp_path):
    desk = OrderDesk(tmp_path / "shop.db")
    rows = [
        ORDER,
        {**ORDER, "order_id": "MC-5001", "status": "Out for delivery"},
        {**ORDER, "order_id": "00004587345", "placed_at": "02/11/2026"},  # not a date
        {**ORDER, "order_id": "X-1", "status": "lost"},  # not a status
        {**ORDER, "order_id": "X-2", "email": "nobody"},  # not an email
        {**ORDER, "order_id": "X-3", "items": []},  # no items
        "{broken",
        {**ORDER, "order_id": "#1001 "},  # a duplicate of the first
    ]
    path = write_jsonl(tmp_path / "orders.jsonl", rows)
    report = import_orders(desk, path, tmp_path / "quarantine")
    assert (report.read, report.added, report.updated, report.unchanged) == (8, 2, 0, 0)
    reasons = {r.line: r.reason for r in report.quarantined}
    assert len(reasons) == 6 and "not a date" in reasons[3] and "status" in reasons[4] and "email" in reasons[5]
    assert "duplicate" in reasons[8] and "JSON" in reasons[7]
    assert report.quarantine_file and len(report.quarantine_file.read_text().splitlines()) == 6
    assert desk.lookup("mc-5001", "SAM@example.org").status == "out_for_delivery"
    again = import_orders(
        desk, write_jsonl(tmp_path / "o2.jsonl", [ORDER, {**ORDER, "order_id": "MC-5001", "status": "delivered"}]), tmp_path / "quarantine"
    )
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)


def test_orders_import_from_csv_with_one_row_per_item_and_from_a_json_object(tmp_path):
    csv = tmp_path / "orders.csv"
    csv.write_text(
        "order_id,email,status,placed_at,total,item_product_id,item_title,item_quantity,item_unit_price\n"
        "00004587345,kim@example.ca,processing,2026-11-30,30,B-1,Notebook,2,10\n"
        "00004587345,kim@example.ca,processing,2026-11-30,30,B-2,Fountain Pen,1,10\n"
        "00004587346,lee@example.ca,delivered,2026-11-01,5,,,,\n"
    )
    desk = OrderDesk(tmp_path / "shop.db")
    report = import_orders(desk, csv, tmp_path / "q", default_currency="CAD")
    assert report.added == 1 and len(report.quarantined) == 1 and "items" in report.quarantined[0].reason
    found = desk.lookup("00004587345", "kim@example.ca")
    assert [i.title for i in found.items] == ["Notebook", "Fountain Pen"] and found.currency == "CAD"
    as_object = tmp_path / "orders.json"
    as_object.write_text(json.dumps({"orders": [ORDER]}))
    assert import_orders(desk, as_object, tmp_path / "q").added == 1
    with pytest.raises(OrderFileError, match="no such file"):
        import_orders(desk, tmp_path / "missing.csv", tmp_path / "q")


# -- orders: the shop's backend over HTTP ----------------------------------------------


class Backend(BaseHTTPRequestHandler):
    """A shop's order lookup: 200 with the order, 404, a slow answer, a 500, a foreign order."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        query = parse_qs(urlparse(self.path).query)
        order_id, email = query.get("order_id", [""])[0], query.get("email", [""])[0]
        self.server.seen.append((order_id, email, self.headers.get("X-Api-Key")))
        if order_id == "SLOW":
            time.sleep(1.5)
        if order_id == "BROKEN":
            self.send_response(500)
            self.end_headers()
            return
        body = None
        if order_id in ("#1001", "1001") and email.lower() == "sam@example.org":
            body = ORDER
        elif order_id == "OTHER":  # a careless backend that answers with somebody else's order
            body = ORDER
        elif order_id == "GARBLED":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>not json</html>")
            return
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def backend(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Backend)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("TEST_ORDERS_KEY", "s3cret")
    config = OrdersBackend(
        url=f"http://127.0.0.1:{server.server_port}/lookup", auth_header="X-Api-Key", auth_env="TEST_ORDERS_KEY", timeout_seconds=0.5
    )
    yield HttpOrderSource(config), server
    server.shutdown()


def test_the_backend_answers_only_when_id_and_email_match(backend):
    source, server = backend
    assert isinstance(source, OrderSource) and isinstance(OrderDesk.__new__(OrderDesk), OrderSource)
    assert source.lookup("#1001", "Sam@Example.org").tracking_number == "15501234567890"
    assert source.lookup("#1001", "eve@example.org") is None
    assert source.lookup("OTHER", "eve@example.org") is None  # the backend's answer is checked too
    assert server.seen[0] == ("#1001", "Sam@Example.org", "s3cret")


@pytest.mark.parametrize("order_id", ["SLOW", "BROKEN", "GARBLED"])
def test_a_backend_that_fails_is_unavailable_not_a_crash(backend, order_id):
    source, _ = backend
    with pytest.raises(OrderSourceUnavailable):
        source.lookup(order_id, "sam@example.org")


def test_an_unreachable_backend_is_answered_politely_in_a_conversation(tmp_path, demo_services):
    closed = OrdersBackend(url="http://127.0.0.1:9/lookup", timeout_seconds=0.5)
    services = _foreign(demo_services, orders=HttpOrderSource(closed))
    result = handle("where is order #1001? my email is sam@example.org", Session(), services, channel="test")
    assert "can't reach the order system" in result.reply.text and not result.error


# -- a foreign store has nothing of the demo -----------------------------------------------

DEMO_FACTS = re.compile(
    r"Northwind|northwindoutfitters|NW-1000|NW-100\d\d|1-800-555-0142|Portland|30 days|30-day|one business day|prepaid (?:return )?label",
    re.I,
)


#: besides the demo's data: evaluation sets, and training data (other, fictional shops' own
#: policies, whose return windows are 30 days as often as not)
RUNTIME_EXCEPT = (
    "assistant/demo/",
    "assistant/evals/",
    "assistant/intent/data/",
    "assistant/intent/train.py",
    "retrieval/policy_model/shops/",
)


def test_no_demo_fact_in_runtime_code_or_templates():
    """Shop facts are data: the demo's live in assistant/demo/ (and its eval set), nowhere else shipped."""
    offenders = []
    for folder in ("assistant", "retrieval", "prompts"):
        for path in (ROOT / folder).rglob("*"):
            rel = path.relative_to(ROOT).as_posix()
            # the demo's own data, and the measuring and training code written about its labelled sets
            if not path.is_file() or rel.startswith(RUNTIME_EXCEPT) or "__pycache__" in rel:
                continue
            if path.suffix not in (".py", ".yaml", ".html", ".js", ".md", ".json"):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if DEMO_FACTS.search(line):
                    offenders.append(f"{rel}:{number}: {line.strip()[:100]}")
    assert offenders == []


def _foreign(demo_services, **changes):
    """The demo's products and parser under another shop's profile, without its policies or orders."""
    import copy

    from retrieval.policies import PolicySearch

    services = copy.copy(demo_services)
    services.profile = StoreProfile(name="Kiln & Co", support={"email": "hallo@kiln.example"})
    empty = PolicySearch.__new__(PolicySearch)
    empty.chunks, empty.answers, empty.topics, empty.by_id = [], [], (), {}
    services.policies = empty
    services.orders = None
    services.log = None
    for key, value in changes.items():
        setattr(services, key, value)
    return services


@pytest.mark.parametrize(
    ("message", "says"),
    [
        ("hi", ["Kiln & Co"]),
        ("what is your return policy?", ["Kiln & Co hasn't published", "hallo@kiln.example"]),
        ("where is my order NW-100002? mateo.nguyen@example.com", ["can't look up Kiln & Co orders"]),
        ("I want to talk to a human", ["Kiln & Co team", "hallo@kiln.example"]),
    ],
)
def test_a_shop_without_policies_or_orders_answers_with_its_own_facts_only(demo_services, message, says):
    result = handle(message, Session(), _foreign(demo_services), channel="test")
    for phrase in says:
        assert phrase in result.reply.text
    assert not DEMO_FACTS.search(result.reply.text), result.reply.text
    assert "USPS" not in result.reply.text and "1Z" not in result.reply.text


def test_a_new_store_needs_a_name_and_gets_nothing_of_the_demo(tmp_path, settings):
    from assistant.app import ingest_into, open_services

    catalog = write_jsonl(tmp_path / "c.jsonl", [product_row("K-1", title="Stoneware Mug", category="mugs", currency="EUR")])
    with pytest.raises(ProfileError, match="--name"):
        ingest_into(tmp_path / "store", catalog, settings, progress=False)
    report, profile = ingest_into(tmp_path / "store", catalog, settings, name="Kiln & Co", progress=False)
    assert report.added == 1 and profile.name == "Kiln & Co"
    services = open_services(settings, tmp_path / "store", parser=_rules(tmp_path / "store", settings))
    assert services.store_name == "Kiln & Co" and services.orders is None and services.policies.chunks == []
    assert services.desk.order_count() == 0


def _rules(store_dir, settings):
    from assistant.intent.rules import RuleIntentParser
    from assistant.types import Vocabulary

    return RuleIntentParser(Vocabulary())


def test_the_leak_check_finds_another_stores_facts():
    from assistant.evals.stores import StoreReport, find_leaks

    a, b = StoreReport(name="a", store="A"), StoreReport(name="b", store="B")
    a.replies, b.replies = ["Call Brickyard on 020 7946"], ["nothing of the others here", "shared fact: free returns"]
    find_leaks([a, b], {"a": ["Acme", "free returns"], "b": ["Brickyard", "020 7946", "free returns"]})
    assert a.leaks == ["b: Brickyard", "b: 020 7946"] and b.leaks == []
    # a fact another store lists is no leak where the store's own documents say it too
    c, d = StoreReport(name="c", store="C"), StoreReport(name="d", store="D")
    c.replies = ["Returns are free within 21 days of delivery."]
    find_leaks([c, d], {"c": ["C"], "d": ["21 days"]}, {"c": "You can return most books within 21 days.", "d": ""})
    assert c.leaks == []
    find_leaks([c, d], {"c": ["C"], "d": ["21 days"]}, {"c": "You can return most books within 14 days.", "d": ""})
    assert c.leaks == ["d: 21 days"]


def test_a_store_s_own_intent_adapter_is_used_where_it_has_one(tmp_path):
    """`train intent --store DIR` (or --corrections) saves DIR/intent-adapter; the store's services
    load it, any other store the shipped one; SHOPASSIST_INTENT_ADAPTER overrules both."""
    from assistant.app import STORE_ADAPTER, adapter_dir
    from assistant.intent.llm import ADAPTER_DIR
    from assistant.settings import Settings

    settings = Settings(home=tmp_path / "home")
    assert adapter_dir(settings, tmp_path) == ADAPTER_DIR and adapter_dir(settings, None) == ADAPTER_DIR
    (tmp_path / STORE_ADAPTER).mkdir()
    assert adapter_dir(settings, tmp_path) == ADAPTER_DIR  # an empty folder (a run that never saved) is no adapter
    (tmp_path / STORE_ADAPTER / "adapter_model.safetensors").write_bytes(b"")
    assert adapter_dir(settings, tmp_path) == tmp_path / STORE_ADAPTER
    assert adapter_dir(Settings(home=tmp_path / "home", intent_adapter=tmp_path / "x"), tmp_path) == tmp_path / "x"


def test_a_store_keeps_the_encoder_its_vectors_came_from_and_refuses_queries_from_another(tmp_path, settings):
    """A store records its encoder. Unset, SHOPASSIST_ENCODER follows the store (a float32
    store keeps float32 queries); set to another, serving is refused with what to do, and an
    ingest embeds every product and policy section again with the one asked for."""
    from assistant.app import ingest_into, open_services, store_embedder
    from retrieval.embeddings import encoder_name
    from retrieval.store import recorded_encoder

    root = tmp_path / "store"
    rows = [product_row(f"E-{i}", title=f"Enamel pot {i}", category="cookware") for i in range(3)]
    catalog = write_jsonl(tmp_path / "c.jsonl", rows)
    as_float32 = settings.model_copy(update={"encoder": "float32"})
    ingest_into(root, catalog, as_float32, name="Enamel & Iron", progress=False)
    assert recorded_encoder(root) == "all-MiniLM-L6-v2/float32"
    assert encoder_name(store_embedder(settings, root)) == "all-MiniLM-L6-v2/float32"  # unset: the store's own
    open_services(settings, root, parser=_rules(root, settings))

    as_int8 = settings.model_copy(update={"encoder": "int8"})
    with pytest.raises(StoreError, match=r"SHOPASSIST_ENCODER=float32, or run `shopassist ingest CATALOG --store"):
        open_services(as_int8, root, parser=_rules(root, settings))
    report, _ = ingest_into(root, catalog, as_int8, progress=False)
    assert report.reembedded == 3 and "by another encoder" in report.summary()
    assert recorded_encoder(root) == "all-MiniLM-L6-v2/int8-documents"
    store = open_services(as_int8, root, parser=_rules(root, settings)).products.store
    products, vectors = store.load_catalog()
    embedder = store_embedder(settings, root)  # unset now follows the store to int8
    assert abs(vectors[0] - embedder.embed_documents([products[0].dense_text()])[0]).max() < 1e-6
    policy_vectors = store.policies._collection.get(include=["embeddings"])["embeddings"]
    assert policy_vectors is None or len(policy_vectors) == 0  # this shop has none; a store with sections: test_ingest
