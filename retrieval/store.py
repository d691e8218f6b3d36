"""A store directory: products in SQLite (the record) and Chroma (the ANN index).

Layout of a store directory::

    catalog.db      products (canonical JSON + content hash + float32 vector), policy chunks
    chroma/         Chroma PersistentClient: collections "products" and "policies"
    quarantine/     rejected catalog rows, one JSONL file per ingest

Given a ``ChromaServer``, the collections live on a Chroma server
(``chroma run --path DIR --port N``) instead, in a database of their own per store
(``shopassist-<store id>``), so many stores can share one server. ``catalog.db`` keeps
every product's vector too: the in-memory index (``retrieval.index``) loads them from
there, and a Chroma collection that lost rows (a new server, a deleted ``chroma/``) is
refilled from them without embedding anything again.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma

from retrieval.catalog import Product
from retrieval.embeddings import ENCODER_NAMES, Embedder, SentenceEncoder, encoder_name
from retrieval.errors import StoreError
from retrieval.index import ChromaAnn, ProductIndex
from retrieval.types import ChromaServer, PolicyChunk

log = logging.getLogger(__name__)

PRODUCTS = "products"
POLICIES = "policies"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS products (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (datetime('now')),
    vector BLOB
);
CREATE TABLE IF NOT EXISTS store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS policy_chunks (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    title TEXT NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS text_vectors (
    hash TEXT PRIMARY KEY,
    vector BLOB NOT NULL
);
"""


def product_metadata(product: Product) -> dict[str, str | float | bool]:
    """Flat, filterable fields for Chroma (no None values, lower-cased strings)."""
    meta: dict[str, str | float | bool] = {
        "category": product.category.lower(),
        "brand": product.brand.lower(),
        "price": float(product.price),
        "currency": product.currency,
        "in_stock": product.in_stock,
        "hash": product.content_hash(),
    }
    if product.color:
        meta["color"] = product.color.lower()
    if product.rating is not None:
        meta["rating"] = float(product.rating)
    return meta


def _vector_blob(vector: Sequence[float]) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def chroma_client(root: Path, database: str, server: ChromaServer | None = None):
    """A Chroma server client when ``server`` is given, else the store's own
    PersistentClient. On a server each store gets its own database (created here)."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if server is None:
        return chromadb.PersistentClient(path=str(root / "chroma"), settings=chroma_settings)
    where = f"{server.host}:{server.port}"
    try:
        admin = chromadb.AdminClient(
            ChromaSettings(
                chroma_api_impl="chromadb.api.fastapi.FastAPI",
                chroma_server_host=server.host,
                chroma_server_http_port=server.port,
                chroma_server_ssl_enabled=server.ssl,
                anonymized_telemetry=False,
            )
        )
        try:
            admin.get_database(database)
        except Exception:  # chromadb raises NotFoundError (or a plain exception over HTTP)
            admin.create_database(database)
        return chromadb.HttpClient(
            host=server.host,
            port=server.port,
            ssl=server.ssl,
            database=database,
            settings=chroma_settings,
        )
    except Exception as exc:
        if type(exc).__module__.startswith(("httpx", "chromadb")) or isinstance(exc, (ConnectionError, ValueError)):
            raise StoreError(
                f"cannot use the Chroma server at {where} ({exc}); start it with "
                f"`chroma run --path DIR --port {server.port}` or use the embedded Chroma (no server)"
            ) from exc
        raise


#: what a product's vector is embedded from (``Product.dense_text``); stored in the store, so
#: that an ingest embeds again every product of a store embedded from another text
VECTOR_TEXT = "dense-text-v1"


def _vector_encoder(db: sqlite3.Connection) -> str | None:
    """What a store's database records of its vectors' encoder; a store made before it was
    recorded, with products, was embedded by the float32 model; None: nothing embedded."""
    row = db.execute("SELECT value FROM store_meta WHERE key = 'vector_encoder'").fetchone()
    if row:
        return row[0]
    return SentenceEncoder.name if db.execute("SELECT count(*) FROM products").fetchone()[0] else None


def recorded_encoder(root: Path) -> str | None:
    """The encoder a store directory's vectors came from, read without opening the store;
    None for a new or empty store."""
    path = Path(root) / "catalog.db"
    if not path.exists():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _vector_encoder(db)
    except sqlite3.Error:  # a store from before store_meta: embedded by the float32 model
        return SentenceEncoder.name
    finally:
        db.close()


class Store:
    """Owns one store directory's SQLite database and Chroma collections."""

    def __init__(self, root: Path, embedder: Embedder, *, create: bool = True, server: ChromaServer | None = None) -> None:
        self.root = Path(root)
        if not create and not (self.root / "catalog.db").exists():
            raise StoreError(f"no store at {self.root}: run `shopassist ingest CATALOG --store {self.root}` first")
        self.root.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder
        self.server = server
        self.db = sqlite3.connect(self.root / "catalog.db", check_same_thread=False)
        self.db.executescript(_SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(products)")}
        if "vector" not in columns:  # a store made before vectors were kept in SQLite
            with self.db:
                self.db.execute("ALTER TABLE products ADD COLUMN vector BLOB")
        if not self.product_count():  # nothing embedded yet: whatever is embedded will be current
            self.mark_vectors_current()
        self.client = chroma_client(self.root, self.database_name(), self.server)
        self.products = self._collection(PRODUCTS)
        self.policies = self._collection(POLICIES)
        self.reconcile()

    def store_id(self) -> str:
        """A random id given to the store when it is created (names its server database)."""
        row = self.db.execute("SELECT value FROM store_meta WHERE key = 'store_id'").fetchone()
        if row:
            return row[0]
        value = uuid.uuid4().hex[:16]
        with self.db:
            self.db.execute("INSERT INTO store_meta (key, value) VALUES ('store_id', ?)", (value,))
        return value

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def vector_encoder(self) -> str | None:
        """The name of the encoder the store's vectors came from (``encoder_name``)."""
        return _vector_encoder(self.db)

    def vectors_current(self) -> bool:
        """Whether the product vectors were embedded from ``VECTOR_TEXT`` by this store's
        encoder (a store made before that text has the whole search text's vectors until its
        next ingest; one embedded by another encoder is embedded again by the next ingest)."""
        return self._meta("vector_text") == VECTOR_TEXT and self.vector_encoder() in (None, encoder_name(self.embedder))

    def mark_vectors_current(self) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)",
                [("vector_text", VECTOR_TEXT), ("vector_encoder", encoder_name(self.embedder))],
            )

    def check_encoder(self) -> None:
        """Raise ``StoreError`` when the store's vectors came from another encoder than the
        one its queries would be embedded with: their similarities would mean nothing."""
        recorded = self.vector_encoder()
        if recorded is not None and recorded != encoder_name(self.embedder):
            kind = ENCODER_NAMES.get(recorded)
            raise StoreError(
                f"the store {self.root} was embedded with {recorded}, not {encoder_name(self.embedder)}: "
                + (f"set SHOPASSIST_ENCODER={kind}, or " if kind else "")
                + f"run `shopassist ingest CATALOG --store {self.root}` again to embed it with this one"
            )

    def database_name(self) -> str:
        return f"shopassist-{self.store_id()}"

    def _collection(self, name: str) -> Chroma:
        return Chroma(
            collection_name=name,
            embedding_function=self.embedder,  # type: ignore[arg-type]
            client=self.client,
            collection_metadata={"hnsw:space": "cosine"},
        )

    # -- products -------------------------------------------------------------------
    def product_hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, hash FROM products"))

    def product_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM products").fetchone()[0]

    def load_products(self) -> list[Product]:
        rows = self.db.execute("SELECT data FROM products ORDER BY id")
        return [Product.model_validate_json(data) for (data,) in rows]

    def load_catalog(self) -> tuple[list[Product], np.ndarray]:
        """Every product (by id) and the matrix of their vectors, row for row."""
        products: list[Product] = []
        blobs: list[bytes] = []
        for data, blob in self.db.execute("SELECT data, vector FROM products ORDER BY id"):
            products.append(Product.model_validate_json(data))
            blobs.append(blob)
        if not products:
            return [], np.zeros((0, 0), dtype=np.float32)
        matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(products), -1)
        return products, matrix

    def product_index(self) -> tuple[list[Product], ProductIndex]:
        """The products and a ``ProductIndex`` over them, using Chroma's ANN for loose filters."""
        products, vectors = self.load_catalog()
        index = ProductIndex.from_products(products, vectors)
        index.ann = ChromaAnn(self.products._collection, index.row_of)
        return products, index

    def upsert_products(self, products: Sequence[Product]) -> None:
        """Embed one batch and write it; SQLite and Chroma are updated together."""
        if products:
            self.write_embedded(products, self.embed_products(products))

    def embed_products(self, products: Sequence[Product]) -> list[list[float]]:
        """The vectors of ``products`` (from ``dense_text``); safe to run beside ``write_embedded``."""
        return self.embedder.embed_documents([p.dense_text() for p in products])

    def write_embedded(self, products: Sequence[Product], vectors: Sequence[Sequence[float]]) -> None:
        """Write products with their vectors from ``embed_products``; SQLite and Chroma together."""
        self._write_products(products, [p.search_text() for p in products], vectors)

    def _write_products(self, products: Sequence[Product], texts: Sequence[str], vectors: Sequence[Sequence[float]]) -> None:
        # the same layout langchain-chroma writes (documents + metadatas), vectors given
        self.products._collection.upsert(
            ids=[p.id for p in products],
            embeddings=[np.asarray(v, dtype=np.float32) for v in vectors],  # type: ignore[arg-type]
            metadatas=[product_metadata(p) for p in products],
            documents=list(texts),
        )
        with self.db:
            self.db.executemany(
                "INSERT INTO products (id, hash, data, vector) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET hash=excluded.hash, data=excluded.data, "
                "vector=excluded.vector, updated_at=datetime('now')",
                [(p.id, p.content_hash(), p.model_dump_json(), _vector_blob(v)) for p, v in zip(products, vectors)],
            )

    def reconcile(self, batch: int = 1000) -> int:
        """Make SQLite and Chroma agree (SQLite is the record); returns products rewritten.

        A store from before vectors were kept in SQLite gets them copied from Chroma; a
        Chroma collection missing products (a new server) gets them from SQLite; only a
        product with no vector anywhere is embedded again.
        """
        missing_vector = [pid for (pid,) in self.db.execute("SELECT id FROM products WHERE vector IS NULL")]
        in_chroma = self.products._collection.count()
        policy_count = self.db.execute("SELECT count(*) FROM policy_chunks").fetchone()[0]
        if not missing_vector and in_chroma == self.product_count() and self.policies._collection.count() == policy_count:
            return 0
        known: set[str] = set()
        for start in range(0, in_chroma, batch):
            known.update(self.products._collection.get(include=[], limit=batch, offset=start)["ids"])
        ids = [pid for (pid,) in self.db.execute("SELECT id FROM products")]
        absent = [pid for pid in ids if pid not in known]
        extra = list(known - set(ids))
        if extra:
            self.products.delete(ids=extra)
        todo = sorted(set(missing_vector) | set(absent))
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            stored = {
                pid: (Product.model_validate_json(data), blob)
                for pid, data, blob in self.db.execute(
                    f"SELECT id, data, vector FROM products WHERE id IN ({','.join('?' * len(chunk))})", chunk
                )
            }
            lacking = [pid for pid in chunk if stored[pid][1] is None and pid in known]
            chroma_vectors = {}
            if lacking:
                from_chroma = self.products._collection.get(ids=lacking, include=["embeddings"])
                found = from_chroma["embeddings"]
                chroma_vectors = dict(zip(from_chroma["ids"], found if found is not None else []))
            products = [stored[pid][0] for pid in chunk]
            texts = [p.search_text() for p in products]
            vectors: list = []
            unknown = [i for i, pid in enumerate(chunk) if stored[pid][1] is None and pid not in chroma_vectors]
            fresh = iter(self.embedder.embed_documents([products[i].dense_text() for i in unknown])) if unknown else iter(())
            for pid in chunk:
                blob = stored[pid][1]
                if blob is not None:
                    vectors.append(np.frombuffer(blob, dtype=np.float32))
                elif pid in chroma_vectors:
                    vectors.append(np.asarray(chroma_vectors[pid], dtype=np.float32))
                else:
                    vectors.append(np.asarray(next(fresh), dtype=np.float32))
            self._write_products(products, texts, vectors)
        chunks = self.load_policy_chunks()
        if self.policies._collection.count() != len(chunks):
            self.replace_policies(chunks)
        if todo or extra:
            log.info("store %s: %d products rewritten, %d stale vectors removed", self.root, len(todo), len(extra))
        return len(todo)

    def delete_products(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        self.products.delete(ids=ids)
        with self.db:
            self.db.executemany("DELETE FROM products WHERE id = ?", [(i,) for i in ids])

    # -- policies -------------------------------------------------------------------
    def replace_policies(self, chunks: Sequence[PolicyChunk]) -> None:
        old = [row[0] for row in self.db.execute("SELECT id FROM policy_chunks")]
        if old:
            self.policies.delete(ids=old)
        if chunks:
            self.policies.add_texts(
                texts=[f"{c.title}. {c.section}. {c.text}" for c in chunks],
                metadatas=[{"doc": c.doc, "title": c.title, "section": c.section} for c in chunks],
                ids=[c.id for c in chunks],
            )
        with self.db:
            self.db.execute("DELETE FROM policy_chunks")
            self.db.executemany(
                "INSERT INTO policy_chunks (id, doc, title, section, text) VALUES (?, ?, ?, ?, ?)",
                [(c.id, c.doc, c.title, c.section, c.text) for c in chunks],
            )

    def embed_cached(self, texts: Sequence[str], embedder: Embedder | None = None) -> np.ndarray:
        """Document vectors of ``texts`` (n x d) by ``embedder`` (the store's own by default),
        embedding only those this store has not embedded before (kept in ``text_vectors`` by
        the hash of the text and of the encoder's ``name``)."""
        encoder = embedder or self.embedder
        namespace = f"{encoder_name(encoder)}\0"
        keys = [hashlib.sha256(f"{namespace}{t}".encode()).hexdigest() for t in texts]
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self.db.execute(f"SELECT hash, vector FROM text_vectors WHERE hash IN ({marks})", chunk):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        if missing:
            vectors = encoder.embed_documents([t for _, t in missing])
            rows = [(k, _vector_blob(v)) for (k, _), v in zip(missing, vectors)]
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO text_vectors (hash, vector) VALUES (?, ?)", rows)
            found.update({k: np.frombuffer(b, dtype=np.float32) for k, b in rows})
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[k] for k in keys])

    def load_policy_chunks(self) -> list[PolicyChunk]:
        rows = self.db.execute("SELECT id, doc, title, section, text FROM policy_chunks ORDER BY id")
        return [PolicyChunk(id=i, doc=d, title=t, section=s, text=x) for i, d, t, s, x in rows]

    def close(self) -> None:
        self.db.close()
