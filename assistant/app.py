"""The composition root: opening a store directory and building, once per process, the
services a conversation needs (``Services``, the dependency bag every channel hands to
``pipeline.handle``).

A new store gets the bundled demo policies and demo orders unless the shop ingests its
own (``shopassist policies DIR``); the default store is built from the demo catalog on
first use.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path

from assistant.intent import IntentParser
from assistant.records.conversations import ConversationLog
from assistant.records.orders import OrderDesk
from assistant.settings import Settings
from assistant.types import Vocabulary
from assistant.voice.asr import Transcriber
from retrieval.embeddings import Embedder, load_default_embedder
from retrieval.ingest import IngestReport, ingest_catalog
from retrieval.policies import PolicySearch, ingest_policies, load_policy_dir
from retrieval.search import ProductSearch
from retrieval.store import Store, StoreError

log = logging.getLogger(__name__)

STORE_NAME = "Northwind Outfitters"

DEMO = files("assistant.demo")


@dataclass
class Services:
    """Everything a turn needs, built once per process (models load once)."""

    settings: Settings
    parser: IntentParser
    products: ProductSearch
    policies: PolicySearch
    desk: OrderDesk
    vocabulary: Vocabulary
    log: ConversationLog | None = None  # web channels record turns and feedback here
    store_name: str = STORE_NAME
    transcriber: Transcriber | None = field(default=None)

    def asr(self) -> Transcriber:
        """The speech recogniser, loaded on first use and kept for the process."""
        if self.transcriber is None:
            from assistant.voice.asr import WhisperTranscriber, vocabulary_prompt

            prompt = None
            if self.settings.asr_vocabulary_bias:
                brands = [b for b, _ in Counter(p.brand for p in self.products.products if p.brand).most_common()]
                prompt = vocabulary_prompt(brands, self.vocabulary.categories, self.store_name)
            self.transcriber = WhisperTranscriber.from_settings(self.settings, prompt=prompt)
        return self.transcriber


def demo_path(name: str) -> Path:
    """A file or folder of the bundled demo store's data (``assistant/demo/``)."""
    with as_file(DEMO / name) as path:
        return Path(path)


def demo_catalog_path() -> Path:
    return demo_path("catalog.jsonl")


def demo_policies_dir() -> Path:
    return demo_path("policies")


def demo_orders() -> list[dict]:
    return json.loads((DEMO / "orders.json").read_text(encoding="utf-8"))


def order_desk(store_dir: Path) -> OrderDesk:
    return OrderDesk(Path(store_dir) / "shop.db")


def seed_defaults(store: Store) -> list[str]:
    """Give a store without policies or orders the demo ones; returns what was seeded."""
    seeded = []
    if not store.load_policy_chunks():
        ingest_policies(store, demo_policies_dir())
        seeded.append("policies")
    desk = order_desk(store.root)
    if desk.order_count() == 0:
        desk.load_orders(demo_orders())
        seeded.append("orders")
    return seeded


def ingest_into(store_dir: Path, catalog: Path, settings: Settings, **options) -> tuple[IngestReport, list[str]]:
    store = Store(store_dir, _embedder(settings), server=settings.chroma_server())
    report = ingest_catalog(store, catalog, **options)
    seeded = seed_defaults(store)
    return report, seeded


def ensure_demo_store(settings: Settings, *, progress: bool = True) -> Path:
    """Build the default demo store on first use and bring it up to date with the
    bundled demo data afterwards (content hashes: an unchanged catalog costs no embedding)."""
    store_dir = settings.store_dir()
    if not (store_dir / "catalog.db").exists():
        log.info("building the demo store in %s (first run only)", store_dir)
    store = Store(store_dir, _embedder(settings), server=settings.chroma_server())
    ingest_catalog(store, demo_catalog_path(), sync=True, progress=progress)
    bundled = sorted(load_policy_dir(demo_policies_dir()), key=lambda c: c.id)
    if store.load_policy_chunks() != bundled:
        ingest_policies(store, demo_policies_dir())
    seed_defaults(store)
    return store_dir


def _embedder(settings: Settings) -> Embedder:
    return load_default_embedder(settings.torch_threads)


def default_parser(settings: Settings, vocabulary: Vocabulary):
    """The fine-tuned LLM parser (rules as its fallback), or the rule parser when asked
    for or when the shipped adapter is missing."""
    from assistant.intent.rules import RuleIntentParser

    rules = RuleIntentParser(vocabulary)
    if settings.intent_parser == "rules":
        return rules
    from assistant.intent.base_model import base_model_dir
    from assistant.intent.llm import ADAPTER_DIR, LLMIntentParser

    if not (ADAPTER_DIR / "adapter_model.safetensors").exists():
        log.warning("no intent adapter in %s: using the rule parser (run `shopassist train intent`)", ADAPTER_DIR)
        return rules
    return LLMIntentParser(base_model_dir(settings.cache_dir()), ADAPTER_DIR, vocabulary, rules, threads=settings.torch_threads)


def check_store(store_dir: Path) -> None:
    """Raise ``StoreError`` when ``store_dir`` holds no store or a store without products."""
    db = Path(store_dir) / "catalog.db"
    if not db.exists():
        raise StoreError(f"no store at {store_dir}: run `shopassist ingest CATALOG --store {store_dir}` first")

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        count = conn.execute("SELECT count(*) FROM products").fetchone()[0]
    except sqlite3.Error:
        count = 0
    finally:
        conn.close()
    if count == 0:
        raise StoreError(f"the store at {store_dir} has no products: run `shopassist ingest CATALOG --store {store_dir}`")


def open_services(settings: Settings, store_dir: Path | None = None, *, parser=None) -> Services:
    """Open an existing store and build every component once."""
    store_dir = Path(store_dir) if store_dir else settings.store_dir()
    check_store(store_dir)  # before loading any model: a wrong path fails in milliseconds
    store = Store(store_dir, _embedder(settings), create=False, server=settings.chroma_server())
    products = ProductSearch(store)
    policies = PolicySearch(store)
    vocabulary = Vocabulary.from_products(products.products, policies.topics)
    return Services(
        settings=settings,
        parser=parser or default_parser(settings, vocabulary),
        products=products,
        policies=policies,
        desk=order_desk(store_dir),
        vocabulary=vocabulary,
        log=ConversationLog(store_dir / "conversations.db"),
    )
