"""A store directory: products in SQLite (the record) and Chroma (the vectors).

Layout of a store directory::

    catalog.db      products (canonical JSON + content hash), policy chunks
    chroma/         Chroma PersistentClient: collections "products" and "policies"
    quarantine/     rejected catalog rows, one JSONL file per ingest
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma

from retrieval.catalog import Product
from retrieval.embeddings import Embedder
from retrieval.types import PolicyChunk

PRODUCTS = "products"
POLICIES = "policies"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS products (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS policy_chunks (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    title TEXT NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL
);
"""


class StoreError(Exception):
    """The store is missing or unusable; the message says what to run."""


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


class Store:
    """Owns one store directory's SQLite database and Chroma collections."""

    def __init__(self, root: Path, embedder: Embedder, *, create: bool = True) -> None:
        self.root = Path(root)
        if not create and not (self.root / "catalog.db").exists():
            raise StoreError(
                f"no store at {self.root}: run `shopassist ingest CATALOG --store {self.root}` first"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder
        self.db = sqlite3.connect(self.root / "catalog.db", check_same_thread=False)
        self.db.executescript(_SCHEMA)
        self.client = chromadb.PersistentClient(
            path=str(self.root / "chroma"),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
        )
        self.products = self._collection(PRODUCTS)
        self.policies = self._collection(POLICIES)

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

    def upsert_products(self, products: Sequence[Product]) -> None:
        """Embed and write one batch; SQLite and Chroma are updated together."""
        if not products:
            return
        self.products.add_texts(
            texts=[p.search_text() for p in products],
            metadatas=[product_metadata(p) for p in products],
            ids=[p.id for p in products],
        )
        with self.db:
            self.db.executemany(
                "INSERT INTO products (id, hash, data) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET hash=excluded.hash, data=excluded.data, "
                "updated_at=datetime('now')",
                [(p.id, p.content_hash(), p.model_dump_json()) for p in products],
            )

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

    def load_policy_chunks(self) -> list[PolicyChunk]:
        rows = self.db.execute("SELECT id, doc, title, section, text FROM policy_chunks ORDER BY id")
        return [PolicyChunk(id=i, doc=d, title=t, section=s, text=x) for i, d, t, s, x in rows]

    def close(self) -> None:
        self.db.close()
