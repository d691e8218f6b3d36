"""The composition root: opening a store directory and building, once per process, the
services a conversation needs (``Services``, the dependency bag every channel hands to
``pipeline.handle``).

A store has only its own data: its catalog, its profile (``profile.yaml``: name, contacts,
rules), its policies and its orders, imported or asked of its backend. Nothing of the demo
store is copied into another store; the default store is the demo store, built from the
bundled demo data on first use.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import as_file, files
from pathlib import Path

import numpy as np

from assistant.answer.customer_service import ServiceDesk
from assistant.errors import ProfileError
from assistant.intent import IntentParser
from assistant.intent.rules.lexicon import load_lexicon
from assistant.records.conversations import ConversationLog
from assistant.records.lookup_limits import LimitedOrderSource
from assistant.records.orders import OrderDesk, OrderSource
from assistant.records.profile import StoreProfile, load_profile, name_store, save_profile
from assistant.settings import Settings
from assistant.types import Vocabulary
from assistant.voice.asr import Transcriber
from retrieval.catalog import Product
from retrieval.embeddings import DEFAULT_ENCODER, ENCODER_NAMES, Embedder, batch_threads, load_embedder
from retrieval.ingest import IngestReport, ingest_catalog
from retrieval.policies import PolicySearch, ingest_policies, load_policy_dir
from retrieval.policy_model import load_policy_encoder
from retrieval.search import ProductSearch
from retrieval.store import Store, StoreError, recorded_encoder

log = logging.getLogger(__name__)

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
    profile: StoreProfile
    orders: OrderSource | None = None  # None: the store has no orders the assistant can look up
    log: ConversationLog | None = None  # web channels record turns and feedback here
    transcriber: Transcriber | None = field(default=None)

    @property
    def store_name(self) -> str:
        return self.profile.name

    def service_desk(self) -> ServiceDesk:
        """What customer service needs: profile, orders, the desk, products by id, today."""
        today = self.settings.today
        return ServiceDesk(
            profile=self.profile,
            desk=self.desk,
            orders=self.orders,
            product=self.products.by_id.get,
            today=(lambda: today) if today else date.today,
            catalog=lambda: self.products.products,
        )

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


def order_desk(store_dir: Path, retention_days: int | None = None, database_url: str | None = None, events: bool = False) -> OrderDesk:
    """The store's orders, returns, actions and tickets: in ``database_url`` (the settings'
    ``SHOPASSIST_DATABASE_URL``) when given, else in the store directory's shop.db;
    ``events``: the help-desk webhook is on (its events go to the outbox)."""
    return OrderDesk(database_url or Path(store_dir) / "shop.db", retention_days, events)


def conversation_log(store_dir: Path, retention_days: int | None = None, database_url: str | None = None) -> ConversationLog:
    """The store's conversations, sessions and ratings: in ``database_url`` when given, else
    in the store directory's conversations.db."""
    return ConversationLog(database_url or Path(store_dir) / "conversations.db", retention_days)


def ingest_into(
    store_dir: Path, catalog: Path, settings: Settings, *, name: str | None = None, **options
) -> tuple[IngestReport, StoreProfile]:
    """Index a catalog into a store; ``name`` creates the store's profile or renames the shop.
    A new store needs a name (``ProfileError`` otherwise, before anything is embedded)."""
    profile = load_profile(store_dir)
    if profile is None and not name:
        name_store(store_dir, None)  # raises: says to pass --name
    store = Store(store_dir, store_embedder(settings, store_dir), server=settings.chroma_server())
    # a price without a currency is in the shop's own (its profile's), not the demo's dollars
    with batch_threads(settings.ingest_threads):
        report = ingest_catalog(store, catalog, default_currency=profile.currency if profile else None, **options)
    return report, name_store(store_dir, name)


def order_source(store_dir: Path, profile: StoreProfile, desk: OrderDesk, failures: str | None = None) -> OrderSource | None:
    """The shop's backend when its profile names one, else its imported orders, else none;
    ``failures`` (``SHOPASSIST_RATE_LIMIT_LOOKUP``): failed lookups allowed per email and order id."""
    source: OrderSource | None = None
    if profile.orders_backend is not None:
        from assistant.records.order_backend import HttpOrderSource

        source = HttpOrderSource(profile.orders_backend)
    elif desk.order_count():
        source = desk
    if source is not None and failures:
        source = LimitedOrderSource(source, failures)
    return source


def ensure_demo_store(settings: Settings, *, progress: bool = True) -> Path:
    """Build the default demo store on first use and bring it up to date with the
    bundled demo data afterwards (content hashes: an unchanged catalog costs no embedding)."""
    store_dir = settings.store_dir()
    if not (store_dir / "catalog.db").exists():
        log.info("building the demo store in %s (first run only)", store_dir)
    # the demo store is built from the package's data: embedded again whenever the default encoder changes
    store = Store(store_dir, new_store_embedder(settings), server=settings.chroma_server())
    with batch_threads(settings.ingest_threads):
        ingest_catalog(store, demo_catalog_path(), sync=True, progress=progress)
        bundled = sorted(load_policy_dir(demo_policies_dir()), key=lambda c: c.id)
        if store.load_policy_chunks() != bundled:
            ingest_policies(store, demo_policies_dir(), policy_ranker(settings))
    profile = load_profile(demo_path("profile.yaml").parent)
    assert profile is not None, "the demo store's profile.yaml is missing from the package"
    if load_profile(store_dir) != profile:
        save_profile(store_dir, profile)
    desk = order_desk(store_dir, database_url=settings.database_url)
    if desk.order_count() == 0:
        desk.load_orders(demo_orders())
    return store_dir


def new_store_embedder(settings: Settings) -> Embedder:
    """The encoder a new store is embedded with: ``SHOPASSIST_ENCODER``, else the default."""
    return load_embedder(settings.encoder or DEFAULT_ENCODER, settings.torch_threads, settings.encoder_dir())


def store_embedder(settings: Settings, store_dir: Path) -> Embedder:
    """The encoder of ``store_dir``: ``SHOPASSIST_ENCODER`` when set, else the one its vectors
    came from (a store keeps its encoder until it is asked to change), else the default."""
    kind = settings.encoder or ENCODER_NAMES.get(recorded_encoder(store_dir) or "", DEFAULT_ENCODER)
    return load_embedder(kind, settings.torch_threads, settings.encoder_dir())


def policy_ranker(settings: Settings) -> Embedder | None:
    """The encoder that ranks policy sections (``SHOPASSIST_POLICY_ENCODER``); None: the store's."""
    return load_policy_encoder() if settings.policy_encoder == "tuned" else None


#: a store's own intent adapter (``train intent --store DIR`` or ``--corrections``), inside its directory
STORE_ADAPTER = "intent-adapter"


def adapter_dir(settings: Settings, store_dir: Path | None = None) -> Path:
    """The intent adapter to serve: ``SHOPASSIST_INTENT_ADAPTER``, else the store's own, else the shipped one."""
    from assistant.intent.llm import ADAPTER_DIR

    if settings.intent_adapter is not None:
        return settings.intent_adapter
    own = Path(store_dir or settings.store_dir()) / STORE_ADAPTER
    return own if (own / "adapter_model.safetensors").exists() else ADAPTER_DIR


def _intent_model(settings: Settings, adapter: Path) -> tuple[Path, Path] | None:
    """(base model folder, saved int8 decoder) of the fine-tuned parser; None when the
    adapter is missing."""
    from assistant.intent.base_model import base_model_dir
    from assistant.intent.llm import compiled_decoder

    if not (adapter / "adapter_model.safetensors").exists():
        return None
    model_dir = base_model_dir(settings.cache_dir())
    return model_dir, compiled_decoder(settings.cache_dir(), model_dir, adapter)


def preload_parser(settings: Settings, store_dir: Path | None = None) -> None:
    """Start loading the intent model in the background (see ``llm.load_decoder``): a server's
    start calls this first, so that the model loads while everything else opens. On a fresh
    machine that includes converting the base model (``base_model_dir``, about half a
    minute), which then overlaps embedding the demo store's catalog; the parser's
    constructor waits for whatever is left."""
    adapter = adapter_dir(settings, store_dir)
    if settings.intent_parser != "llm":
        return
    # What the main thread will need from transformers (the policy encoder through peft, the
    # product encoder's question model: BERT), imported before the loading thread starts:
    # transformers' lazy module failed a main-thread `from transformers import AutoModel`
    # (inside peft) while the loading thread imported through it (a restart, 2026-12-07).
    # The main thread imports these anyway; only the order changes.
    import peft  # noqa: F401
    import transformers.models.auto.modeling_auto  # noqa: F401
    import transformers.models.bert.modeling_bert  # noqa: F401

    def load() -> None:
        from assistant.intent.llm import load_decoder

        try:
            paths = _intent_model(settings, adapter)
            if paths is not None:
                load_decoder(paths[0], adapter, paths[1])
        except Exception:  # the parser's constructor tries again and raises it where it is seen
            log.exception("preloading the intent model failed")

    threading.Thread(target=load, name="intent-preload", daemon=True).start()


def default_parser(settings: Settings, vocabulary: Vocabulary, store_dir: Path | None = None):
    """The fine-tuned LLM parser (rules as its fallback), or the rule parser when asked
    for or when the adapter is missing. The adapter is the store's own where it has one
    (``adapter_dir``), else the shipped one."""
    from assistant.intent.rules import RuleIntentParser

    rules = RuleIntentParser(vocabulary)
    if settings.intent_parser == "rules":
        return rules
    from assistant.intent.llm import ADAPTER_DIR, LLMIntentParser

    adapter = adapter_dir(settings, store_dir)
    paths = _intent_model(settings, adapter)
    if paths is None:
        log.warning("no intent adapter in %s: using the rule parser (run `shopassist train intent`)", adapter)
        return rules
    model_dir, compiled = paths
    if adapter != ADAPTER_DIR:
        log.info("using the intent adapter %s", adapter)
    return LLMIntentParser(model_dir, adapter, vocabulary, rules, threads=settings.torch_threads, compiled=compiled)


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


def store_products(store_dir: Path) -> list[Product]:
    """The products of an existing store, read from its catalog database (no model is loaded)."""
    check_store(store_dir)
    conn = sqlite3.connect(f"file:{Path(store_dir) / 'catalog.db'}?mode=ro", uri=True)
    try:
        return [Product.model_validate_json(data) for (data,) in conn.execute("SELECT data FROM products ORDER BY id")]
    finally:
        conn.close()


def store_profile(store_dir: Path) -> StoreProfile:
    """The store's profile; a store without one is told how to make it."""
    profile = load_profile(store_dir)
    if profile is None:
        raise ProfileError(
            f"the store at {store_dir} has no profile.yaml: name the shop with "
            f'`shopassist ingest CATALOG --store {store_dir} --name "Shop Name"` (docs/stores.md)'
        )
    return profile


def open_services(settings: Settings, store_dir: Path | None = None, *, parser=None) -> Services:
    """Open an existing store and build every component once."""
    store_dir = Path(store_dir) if store_dir else settings.store_dir()
    check_store(store_dir)  # before loading any model: a wrong path fails in milliseconds
    profile = store_profile(store_dir)
    store = Store(store_dir, store_embedder(settings, store_dir), create=False, server=settings.chroma_server())
    store.check_encoder()  # SHOPASSIST_ENCODER names another encoder than the store's vectors came from
    products = ProductSearch(store)
    policies = PolicySearch(store, policy_ranker(settings))
    vocabulary = Vocabulary.from_products(products.products, policies.topics, color_names=load_lexicon().get("color_synonyms", {}))
    desk = order_desk(store_dir, settings.retention_days, settings.database_url, events=settings.webhook_url is not None)
    log = conversation_log(store_dir, settings.retention_days, settings.database_url)
    return Services(
        settings=settings,
        parser=corrected(parser or default_parser(settings, vocabulary, store_dir), vocabulary, log, store.embedder),
        products=products,
        policies=policies,
        desk=desk,
        vocabulary=vocabulary,
        profile=profile,
        orders=order_source(store_dir, profile, desk, settings.rate_limit_lookup),
        log=log,
    )


def corrected(parser: IntentParser, vocabulary: Vocabulary, log: ConversationLog, embedder: Embedder) -> IntentParser:
    """``parser`` reading the messages the owner corrected, and ones worded nearly the same,
    as the owner did (``intent.corrections``), from the moment a correction is saved."""

    def embed(texts: list[str]) -> np.ndarray:
        return np.asarray(embedder.embed_documents(texts), dtype=np.float32)

    return corrected_by(parser, vocabulary, log.corrections, embed)


def corrected_by(parser: IntentParser, vocabulary: Vocabulary, corrections, embed) -> IntentParser:
    """``parser`` with the corrections ``corrections()`` returns recalled (``embed``: texts to
    normalised vectors, the store's encoder)."""
    from assistant.intent.corrections import CorrectedParser, CorrectionMemory
    from assistant.intent.rules import RuleIntentParser

    rules = getattr(parser, "fallback", None) or RuleIntentParser(vocabulary)
    return CorrectedParser(parser, rules, vocabulary, CorrectionMemory(corrections, embed))
