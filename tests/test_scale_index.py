"""The columnar index behind filtered search at scale: real numpy, real Chroma (embedded
and a real `chroma run` server), real SQLite; synthetic catalogs with synthetic vectors
where a real embedding model is not the point."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from typer.testing import CliRunner

from retrieval.bench.scale import chroma_collection, markdown, measure_size, recall_at_k
from retrieval.bench.synthetic import FILTER_KINDS, SyntheticCatalog
from retrieval.catalog import Product
from retrieval.index import ChromaAnn, ProductIndex
from retrieval.ingest import ingest_catalog
from retrieval.search import ProductSearch
from retrieval.store import Store
from retrieval.types import ChromaServer, Constraints, SearchRequest
from tests.conftest import new_store, product_row, write_jsonl


@pytest.fixture(scope="module")
def catalog() -> SyntheticCatalog:
    return SyntheticCatalog.generate(3000, seed=3)


@pytest.fixture(scope="module")
def products(catalog) -> list[Product]:
    return [Product.model_validate(catalog.row(i)) for i in range(len(catalog))]


def _constraint_table(products: list[Product]) -> list[Constraints]:
    p, q = products[0], products[1]
    sized = next(x for x in products if x.sizes())
    table = [
        Constraints(),
        Constraints(category=p.category),
        Constraints(category=p.category.upper() + "  "),  # compared like Constraints.matches
        Constraints(brand=p.brand.lower()),
        Constraints(color=q.color),
        Constraints(size=sized.sizes()[0].lower()),
        Constraints(category=sized.category, size=sized.sizes()[-1], in_stock=True),
        Constraints(price_min=20, price_max=60),
        Constraints(price_max=p.price),  # inclusive bound
        Constraints(price_min=p.price),
        Constraints(in_stock=True),
        Constraints(in_stock=False),  # means "no constraint", as in Constraints.matches
        Constraints(category=p.category, brand=p.brand, color=p.color, price_max=p.price + 1),
        Constraints(category="lawn mowers"),  # not in the catalog
        Constraints(brand=p.brand, category=q.category if q.category != p.category else "books"),
        Constraints(color="ultraviolet", price_max=10),
    ]
    return table


def test_select_agrees_with_constraints_matches(catalog, products):
    index = ProductIndex.from_products(products, catalog.vectors())
    for constraints in _constraint_table(products):
        expected = [i for i, p in enumerate(products) if constraints.matches(p)]
        rows = index.select(constraints)
        got = list(range(len(products))) if rows is None else rows.tolist()
        assert got == expected, constraints
        assert index.mask(constraints).sum() == len(expected)
        shuffled = np.random.default_rng(0).permutation(len(products))
        assert sorted(index.matches(shuffled, constraints).tolist()) == expected


def test_columns_straight_from_a_synthetic_catalog_match_its_products(catalog, products):
    from_columns = catalog.index()
    from_products = ProductIndex.from_products(products, catalog.vectors())
    for kind, _, constraints in catalog.queries(40):
        a, b = from_columns.select(constraints), from_products.select(constraints)
        assert (a is None and b is None) or a.tolist() == b.tolist(), (kind, constraints)
        assert kind == "none" or len(a) > 0  # every generated filter has a match


def test_exact_search_is_brute_force_cosine(catalog):
    index = catalog.index(exact_max_rows=10**9)
    vectors = catalog.vectors()
    for kind, vector, constraints in catalog.queries(30):
        hits = index.search(vector, constraints, 10)
        rows = [i for i in range(len(catalog)) if index.mask(constraints)[i]]
        cosine = {i: float(vectors[i] @ vector / np.linalg.norm(vector)) for i in rows}
        best = sorted(rows, key=lambda i: (-cosine[i], i))[:10]
        assert hits.method == "exact" and hits.rows.tolist() == best, kind
        assert np.allclose(hits.scores, [cosine[i] for i in best], atol=1e-5)
        assert hits.selected == len(rows)


def test_ann_route_keeps_every_constraint_and_recall(catalog, tmp_path):
    chroma, build = chroma_collection(catalog, tmp_path / "chroma", progress=False)
    assert build.count == len(catalog)
    index = catalog.index(exact_max_rows=200)  # force the ANN route on all but tiny selections
    index.ann = ChromaAnn(chroma._collection, index.row_of)
    exact = catalog.index(exact_max_rows=10**9)
    recalls, methods = [], set()
    for kind, vector, constraints in catalog.queries(60):
        hits = index.search(vector, constraints, 10)
        methods.add(hits.method)
        allowed = set(np.flatnonzero(index.mask(constraints)).tolist())
        assert set(hits.rows.tolist()) <= allowed, kind  # never a product breaking a constraint
        assert len(hits.rows) == min(10, len(allowed))
        recalls.append(recall_at_k(hits.rows, exact.search(vector, constraints, 10).rows))
    assert "ann" in methods and "exact" in methods
    assert np.mean(recalls) >= 0.95


def test_ann_falls_back_to_exact_when_too_few_candidates_pass(catalog):
    class Useless:  # an ANN whose neighbours never pass the filter
        def nearest(self, vector, n):
            return np.arange(min(n, 5))

    index = catalog.index(exact_max_rows=10)
    index.ann = Useless()
    constraints = Constraints(category="clothing")
    hits = index.search(catalog.queries(1)[0][1], constraints, 10)
    assert hits.method == "ann+exact" and len(hits.rows) == 10
    assert set(hits.rows.tolist()) <= set(index.select(constraints).tolist())


def test_product_search_fast_path_agrees_with_plain_chroma_where(tmp_path, embedder):
    rows = [
        product_row(
            f"H-{i}",
            title=f"{colour} wireless headphones model {i}",
            price=20 + 7 * i,
            brand=brand,
            stock=i % 3,
            attributes={"color": colour},
        )
        for i, (colour, brand) in enumerate(itertools.product(["black", "white", "red"], ["Acme", "Sony", "Bose", "Jbl"]))
    ]
    rows += [
        product_row(
            f"S-{i}",
            title=f"running shoes {i}",
            category="shoes",
            price=50 + i,
            attributes={"color": "black", "size": ["9", "10"] if i % 2 else ["8"]},
        )
        for i in range(6)
    ]
    store = new_store(tmp_path / "store", embedder)
    ingest_catalog(store, write_jsonl(tmp_path / "c.jsonl", rows), progress=False)
    fast, plain = ProductSearch(store), ProductSearch(store, dense_backend="chroma")
    requests = [
        SearchRequest(query="wireless headphones", k=5),
        SearchRequest(query="headphones", constraints=Constraints(color="black", price_max=80)),
        SearchRequest(query="headphones", constraints=Constraints(brand="sony", in_stock=True)),
        SearchRequest(query="running shoes", constraints=Constraints(category="shoes", size="10")),
        SearchRequest(query="", constraints=Constraints(category="headphones"), sort="price_asc"),
        SearchRequest(query="headphones", constraints=Constraints(color="green")),  # alternatives
    ]
    for request in requests:
        a, b = fast.search(request), plain.search(request)
        assert [h.product.id for h in a.hits] == [h.product.id for h in b.hits], request
        assert a.total_matching == b.total_matching
        assert (a.alternatives is None) == (b.alternatives is None)
        assert all(request.constraints.matches(h.product) for h in a.hits)


def test_store_keeps_vectors_and_refills_a_lost_chroma_without_embedding(tmp_path, embedder):
    class Counting:  # the real model, counting what it embeds
        def __init__(self):
            self.documents = 0

        def embed_documents(self, texts):
            self.documents += len(texts)
            return embedder.embed_documents(texts)

        def embed_query(self, text):
            return embedder.embed_query(text)

    counting = Counting()
    store = new_store(tmp_path / "store", counting)
    ingest_catalog(store, write_jsonl(tmp_path / "c.jsonl", [product_row(f"P-{i}", title=f"Lamp {i}") for i in range(7)]), progress=False)
    assert counting.documents == 7
    products, vectors = store.load_catalog()
    assert vectors.shape == (7, 384) and [p.id for p in products] == sorted(p.id for p in products)
    chroma = store.products._collection.get(ids=["P-3"], include=["embeddings"])
    assert np.allclose(chroma["embeddings"][0], vectors[3], atol=1e-6)
    store.client.delete_collection("products")  # a lost index (or a new, empty Chroma server)
    store.close()
    reopened = new_store(tmp_path / "store", counting)
    assert reopened.products._collection.count() == 7
    assert counting.documents == 7  # refilled from SQLite, nothing embedded again


def test_a_store_on_a_chroma_server_answers_like_an_embedded_one(tmp_path, embedder, chroma_server):
    host, port = chroma_server
    rows = [
        product_row(f"B-{i}", title=f"{kind} backpack {i}", category="bags", price=30 + 5 * i, attributes={"color": colour})
        for i, (kind, colour) in enumerate(itertools.product(["hiking", "laptop", "school"], ["black", "blue"]))
    ]
    catalog = write_jsonl(tmp_path / "c.jsonl", rows)
    embedded = Store(tmp_path / "embedded", embedder, server=None)
    served = Store(tmp_path / "served", embedder, server=ChromaServer(host, port))
    other = Store(tmp_path / "other", embedder, server=ChromaServer(host, port))
    for store in (embedded, served):
        ingest_catalog(store, catalog, progress=False)
    assert not (tmp_path / "served" / "chroma").exists()  # the vectors live on the server
    assert served.products._collection.count() == 6 and other.products._collection.count() == 0  # one database per store
    request = SearchRequest(query="hiking backpack", constraints=Constraints(color="black", price_max=60))
    a, b = ProductSearch(embedded).search(request), ProductSearch(served).search(request)
    assert [h.product.id for h in a.hits] == [h.product.id for h in b.hits] and a.hits


def test_a_missing_chroma_server_is_a_clear_error(tmp_path, embedder):
    from retrieval.store import StoreError

    with pytest.raises(StoreError, match="chroma run --path"):
        Store(tmp_path / "s", embedder, server=ChromaServer("127.0.0.1", 9))


def test_benchmark_reports_every_filter_kind(tmp_path):
    result = measure_size(2000, tmp_path, queries=20, plain_queries=10, progress=False, log=lambda m: None)
    assert [k.kind for k in result.kinds] == list(FILTER_KINDS)
    assert result.summary("recall") >= 0.95 and result.rss_mb > 0
    assert sum(k.plain_queries for k in result.kinds) == 10
    table = markdown([result])
    assert "| category + price |" in table and "2,000" in table


def test_bench_retrieval_command(tmp_path, monkeypatch):
    from assistant.evals.cli import bench_app

    monkeypatch.setenv("SHOPASSIST_HOME", str(tmp_path))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        bench_app,
        [
            "retrieval",
            "--sizes",
            "1500",
            "--queries",
            "10",
            "--plain-queries",
            "3",
            "--ingest-size",
            "0",
            "--no-progress",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "| 1,500 |" in result.output
    assert (out / "retrieval.json").exists() and (out / "latency_vs_size.png").stat().st_size > 1000
    assert (tmp_path / "cache" / "bench" / "catalog-1500-s7.npz").exists()  # cached under SHOPASSIST_HOME
