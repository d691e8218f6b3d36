"""Ingestion into a real Chroma + SQLite store with the real embedding model."""

import json

from retrieval.ingest import ingest_catalog
from tests.conftest import new_store, product_row, write_jsonl


def test_ingest_is_idempotent_updates_and_syncs(tmp_path, embedder):
    store = new_store(tmp_path / "store", embedder)
    rows = [product_row(f"P-{i}", title=f"Wireless headphones model {i}", price=20 + i) for i in range(5)]
    catalog = write_jsonl(tmp_path / "c.jsonl", rows + ["{bad"])

    first = ingest_catalog(store, catalog, progress=False)
    assert first.counts() == {"read": 6, "added": 5, "updated": 0, "unchanged": 0, "deleted": 0, "quarantined": 1}
    quarantined = [json.loads(line) for line in first.quarantine_file.read_text().splitlines()]
    assert quarantined[0]["line"] == 6 and "invalid JSON" in quarantined[0]["reason"]

    embedded = []
    again = ingest_catalog(store, catalog, progress=False, on_batch=embedded.append)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)
    assert embedded == []  # nothing re-embedded

    rows[0]["price"] = 99.0
    rows = rows[:4]
    changed = write_jsonl(tmp_path / "c2.jsonl", rows)
    update = ingest_catalog(store, changed, progress=False)
    assert (update.added, update.updated, update.unchanged, update.deleted) == (0, 1, 3, 0)
    assert store.product_count() == 5  # without --sync nothing is deleted

    synced = ingest_catalog(store, changed, sync=True, progress=False)
    assert synced.deleted == 1 and store.product_count() == 4
    assert len(store.products.get()["ids"]) == 4  # Chroma follows SQLite
    stored = {p.id: p for p in store.load_products()}
    assert stored["P-0"].price == 99.0 and "P-4" not in stored
    meta = store.products.get(ids=["P-0"])["metadatas"][0]
    assert meta["price"] == 99.0 and meta["category"] == "headphones"


def test_sync_keeps_products_whose_row_was_quarantined(tmp_path, embedder):
    store = new_store(tmp_path / "store", embedder)
    ingest_catalog(store, write_jsonl(tmp_path / "a.jsonl", [product_row("K-1"), product_row("K-2", title="Other")]), progress=False)
    broken = write_jsonl(tmp_path / "b.jsonl", [product_row("K-1"), product_row("K-2", title="Other", price="n/a")])
    report = ingest_catalog(store, broken, sync=True, progress=False)
    assert report.deleted == 0 and len(report.quarantined) == 1
    assert store.product_count() == 2


def test_the_default_embedder_implements_the_one_interface(embedder):
    from retrieval.embeddings import Embedder

    assert isinstance(embedder, Embedder)
    vector = embedder.embed_query("waterproof running shoes")
    assert len(vector) == 384 and abs(sum(v * v for v in vector) - 1.0) < 1e-3


def test_a_price_without_a_currency_is_in_the_shops_own(tmp_path, settings):
    """A pound shop's catalog that names no currency is in pounds, not the demo's dollars."""
    from assistant.app import ingest_into
    from assistant.records.profile import StoreProfile, save_profile
    from retrieval.store import Store

    save_profile(tmp_path / "shop", StoreProfile(name="Kiln & Co", currency="GBP"))
    catalog = write_jsonl(tmp_path / "c.jsonl", [product_row("a1", price=12.5), product_row("a2", price="$9.99")])
    ingest_into(tmp_path / "shop", catalog, settings, progress=False)
    products, _ = Store(tmp_path / "shop", None, create=False, server=settings.chroma_server()).load_catalog()
    assert {p.id: p.currency for p in products} == {"a1": "GBP", "a2": "USD"}  # a written symbol still wins


def test_a_store_embedded_from_the_earlier_text_is_embedded_again_once(tmp_path, embedder):
    store = new_store(tmp_path / "store", embedder)
    rows = [product_row(f"V-{i}", title=f"Trail shoe {i}", description="A long story about the shoe. " * 5) for i in range(3)]
    catalog = write_jsonl(tmp_path / "c.jsonl", rows)
    ingest_catalog(store, catalog, progress=False)
    assert store.vectors_current()
    with store.db:  # as a store written before vectors came from the dense text
        store.db.execute("DELETE FROM store_meta WHERE key = 'vector_text'")
        store.db.execute("UPDATE products SET vector = NULL")
    embedded: list[int] = []
    report = ingest_catalog(store, catalog, progress=False, on_batch=embedded.append)
    assert (report.unchanged, report.reembedded, sum(embedded)) == (3, 3, 3)
    assert "3 unchanged products embedded again" in report.summary()
    assert store.vectors_current()
    again = ingest_catalog(store, catalog, progress=False, on_batch=embedded.append)
    assert again.reembedded == 0 and sum(embedded) == 3  # once


def test_a_partial_file_into_a_store_embedded_from_the_earlier_text_embeds_the_rest_too(tmp_path, embedder):
    store = new_store(tmp_path / "store", embedder)
    rows = [product_row(f"W-{i}", title=f"Rain jacket {i}") for i in range(3)]
    ingest_catalog(store, write_jsonl(tmp_path / "all.jsonl", rows), progress=False)
    with store.db:
        store.db.execute("DELETE FROM store_meta WHERE key = 'vector_text'")
    embedded: list[int] = []
    report = ingest_catalog(store, write_jsonl(tmp_path / "two.jsonl", rows[:2]), progress=False, on_batch=embedded.append)
    assert (report.unchanged, report.reembedded, sum(embedded), store.product_count()) == (2, 3, 3, 3)
    assert store.vectors_current()
    ingest_catalog(store, write_jsonl(tmp_path / "one.jsonl", rows[:1]), progress=False, on_batch=embedded.append)
    assert sum(embedded) == 3  # not again


def test_the_encoder_reads_the_first_sentence_of_the_description_and_keyword_search_all_of_it():
    from retrieval.catalog import LEAD_WORDS, Product

    description = "A light trail shoe. It was designed over many seasons by a team of runners."
    product = Product.model_validate(product_row("D-1", title="Trail shoe", description=description, tags=["trail"]))
    assert product.dense_text() == "Trail shoe. Acme headphones. A light trail shoe. color black. trail"
    assert "many seasons" in product.search_text()
    rambling = Product.model_validate(product_row("D-2", description=" ".join(["word"] * 60) + "."))
    assert rambling.dense_text().count("word") == LEAD_WORDS


def test_an_ingest_with_another_encoder_embeds_the_products_and_the_policy_sections_again(tmp_path, embedder, settings):
    import numpy as np

    from retrieval.embeddings import load_embedder
    from retrieval.types import PolicyChunk

    float32 = load_embedder("float32", 1, settings.encoder_dir())
    store = new_store(tmp_path / "store", float32)
    catalog = write_jsonl(tmp_path / "c.jsonl", [product_row(f"X-{i}", title=f"Canvas tote {i}") for i in range(2)])
    ingest_catalog(store, catalog, progress=False)
    store.replace_policies([PolicyChunk(id="returns-1", doc="returns.md", title="Returns", section="Window", text="Thirty days.")])
    assert store.vector_encoder() == "all-MiniLM-L6-v2/float32" and store.vectors_current()
    store.close()

    store = new_store(tmp_path / "store", embedder)  # the int8 default
    assert not store.vectors_current()
    report = ingest_catalog(store, catalog, progress=False)
    assert report.reembedded == 2 and store.vectors_current() and store.vector_encoder() == "all-MiniLM-L6-v2/int8-documents"
    store.check_encoder()
    policy = store.policies._collection.get(ids=["returns-1"], include=["embeddings"])["embeddings"][0]
    assert np.abs(np.asarray(policy) - np.asarray(embedder.embed_documents(["Returns. Window. Thirty days."])[0])).max() < 1e-5
