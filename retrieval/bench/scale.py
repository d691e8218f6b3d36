"""`shopassist bench retrieval`: filtered retrieval at catalog scale, measured.

For each catalog size the run

1. generates (or loads from ``$SHOPASSIST_HOME/cache/bench``) a synthetic catalog
   (``retrieval.bench.synthetic``) with synthetic clustered vectors;
2. loads it into a Chroma collection (built once and cached; its insert rate is reported);
3. builds the in-memory ``ProductIndex`` (columns + matrix, Chroma's ANN for loose filters);
4. runs the same queries through the index, through an exact filtered scan (the ground
   truth for recall@10), and through the plain approach: a Chroma ``where`` filter through
   LangChain, on the first ``plain_queries`` queries (it takes seconds a query at 1M);
5. reports p50/p95 latency per filter kind, recall@10 and the process's memory.

Separately, ``measure_ingest`` ingests a generated catalog with the real embedding model
(batches, progress bar) into a fresh store and then again unchanged, counting the
products embedded the second time (zero).
"""

from __future__ import annotations

import gc
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from retrieval.bench.stats import percentile
from retrieval.bench.synthetic import FILTER_KINDS, SyntheticCatalog
from retrieval.index import ChromaAnn

SEED = 7
K = 10


def rss_mb() -> float:
    """Resident memory of this process, in MB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def load_catalog(n: int, cache: Path, seed: int = SEED) -> SyntheticCatalog:
    """The synthetic catalog of ``n`` products with its vectors, cached as .npz/.npy."""
    cache.mkdir(parents=True, exist_ok=True)
    columns, vectors = cache / f"catalog-{n}-s{seed}.npz", cache / f"vectors-{n}-s{seed}.npy"
    if columns.exists() and vectors.exists():
        data = np.load(columns, allow_pickle=False)
        catalog = SyntheticCatalog(
            seed,
            *(data[k] for k in ("category", "kind", "brand", "color", "price", "stock", "rating", "reviews", "size_indptr", "size_codes")),
            types=list(data["types"]),
            brands=list(data["brands"]),
            sizes=list(data["sizes"]),
        )
        catalog._vectors = np.load(vectors)
        return catalog
    catalog = SyntheticCatalog.generate(n, seed)
    arrays = {
        k: getattr(catalog, k)
        for k in ("category", "kind", "brand", "color", "price", "stock", "rating", "reviews", "size_indptr", "size_codes")
    }
    np.savez(columns, **arrays, types=np.array(catalog.types), brands=np.array(catalog.brands), sizes=np.array(catalog.sizes))
    np.save(vectors, catalog.vectors())
    return catalog


@dataclass
class ChromaBuild:
    path: Path
    seconds: float | None  # None: loaded from the cache
    count: int

    @property
    def per_second(self) -> float | None:
        return self.count / self.seconds if self.seconds else None


def chroma_collection(catalog: SyntheticCatalog, path: Path, *, progress: bool = True):
    """A persistent Chroma collection holding the catalog (vectors + product metadata),
    built once into ``path``; returns (langchain Chroma, ChromaBuild)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    from retrieval.store import PRODUCTS

    client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    done = path / "complete"
    seconds = None
    if not done.exists():
        try:
            client.delete_collection(PRODUCTS)
        except Exception:  # not there yet
            pass
        collection = client.create_collection(PRODUCTS, metadata={"hnsw:space": "cosine"}, embedding_function=None)
        batch = min(client.get_max_batch_size(), 5000)
        vectors = catalog.vectors()
        start = time.perf_counter()
        with tqdm(total=len(catalog), desc=f"chroma insert {len(catalog):,}", unit="vector", disable=not progress) as bar:
            for lo in range(0, len(catalog), batch):
                hi = min(lo + batch, len(catalog))
                collection.add(
                    ids=[catalog.product_id(i) for i in range(lo, hi)],
                    embeddings=vectors[lo:hi],
                    metadatas=[catalog.metadata(i) for i in range(lo, hi)],
                    documents=[f"{catalog.types[catalog.kind[i]]} {catalog.brands[catalog.brand[i]]}" for i in range(lo, hi)],
                )
                bar.update(hi - lo)
        seconds = time.perf_counter() - start
        done.write_text(f"{seconds:.1f}\n")
    else:
        text = done.read_text().strip()
        seconds = float(text) if text else None
    store = Chroma(collection_name=PRODUCTS, client=client, embedding_function=None)  # type: ignore[arg-type]
    return store, ChromaBuild(path, seconds, store._collection.count())


# -- query latency and recall ---------------------------------------------------------


def recall_at_k(found: Sequence[int], truth: Sequence[int], k: int = K) -> float:
    truth = list(truth)[:k]
    if not truth:
        return 1.0
    return len(set(list(found)[:k]) & set(truth)) / len(truth)


@dataclass
class KindResult:
    """One filter kind at one catalog size; latencies in ms."""

    kind: str
    queries: int
    selected_median: float  # products meeting the filter
    fast_p50: float
    fast_p95: float
    recall: float  # fast path vs exact filtered search, mean recall@10
    exact_p50: float  # exact filtered scan (numpy), the ground truth
    exact_p95: float
    methods: dict[str, int]  # how the fast path answered: exact / ann / ann+exact
    plain_queries: int = 0
    plain_p50: float | None = None  # Chroma `where` through LangChain
    plain_p95: float | None = None
    plain_recall: float | None = None


@dataclass
class SizeResult:
    size: int
    chroma_insert_s: float | None
    chroma_cached: bool
    index_build_s: float
    index_mb: float
    rss_mb: float
    kinds: list[KindResult] = field(default_factory=list)

    def filtered(self) -> list[KindResult]:
        return [r for r in self.kinds if r.kind != "none"]

    def summary(self, attr: str) -> float:
        """Worst p95 (or mean recall) over the filtered kinds."""
        values = [getattr(r, attr) for r in self.filtered() if getattr(r, attr) is not None]
        if not values:
            return float("nan")
        return float(np.mean(values)) if "recall" in attr else float(np.max(values))


def _timed(fn: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    value = fn()
    return value, (time.perf_counter() - start) * 1000


def measure_size(
    size: int,
    cache: Path,
    *,
    queries: int = 200,
    plain: bool = True,
    plain_queries: int = 50,
    seed: int = SEED,
    progress: bool = True,
    log: Callable[[str], None] = print,
) -> SizeResult:
    """Latency and recall@10 of the fast path, the exact scan and the plain approach."""
    from retrieval.chroma_where import where_clause

    catalog = load_catalog(size, cache, seed)
    cached = (cache / f"chroma-{size}-s{seed}" / "complete").exists()
    chroma, build = chroma_collection(catalog, cache / f"chroma-{size}-s{seed}", progress=progress)
    start = time.perf_counter()
    index = catalog.index()
    index.ann = ChromaAnn(chroma._collection, index.row_of)
    index_build_s = time.perf_counter() - start
    qs = catalog.queries(queries, seed=seed + size)
    for _, vector, _ in qs[:5]:  # warm up: Chroma loads its HNSW segment on first use
        index.ann.nearest(vector, K)
    gc.collect()
    per_kind: dict[str, dict[str, list]] = {
        k: {"fast": [], "exact": [], "recall": [], "selected": [], "methods": [], "plain": [], "plain_recall": []} for k in FILTER_KINDS
    }
    plain_left = plain_queries if plain else 0
    for kind, vector, constraints in tqdm(qs, desc=f"queries {size:,}", disable=not progress):
        bucket = per_kind[kind]
        hits, ms = _timed(lambda v=vector, c=constraints: index.search(v, c, K))
        bucket["fast"].append(ms)
        bucket["methods"].append(hits.method)
        bucket["selected"].append(hits.selected)

        def exact(vector=vector, constraints=constraints):
            rows = index.select(constraints)
            return index.exact(index.query_vector(vector), rows, K)[0]

        truth, ms = _timed(exact)
        bucket["exact"].append(ms)
        bucket["recall"].append(recall_at_k(hits.rows, truth))
        if plain_left > 0:
            plain_left -= 1
            results, ms = _timed(
                lambda v=vector, c=constraints: chroma.similarity_search_by_vector_with_relevance_scores(
                    v.tolist(), k=K, filter=where_clause(c)
                )
            )
            bucket["plain"].append(ms)
            bucket["plain_recall"].append(recall_at_k([index.row_of[doc.id] for doc, _ in results], truth))
    result = SizeResult(size, build.seconds, cached, index_build_s, index.nbytes / 1e6, rss_mb())
    for kind in FILTER_KINDS:
        b = per_kind[kind]
        if not b["fast"]:
            continue
        methods: dict[str, int] = {}
        for m in b["methods"]:
            methods[m] = methods.get(m, 0) + 1
        result.kinds.append(
            KindResult(
                kind=kind,
                queries=len(b["fast"]),
                selected_median=float(np.median(b["selected"])),
                fast_p50=percentile(b["fast"], 50),
                fast_p95=percentile(b["fast"], 95),
                recall=float(np.mean(b["recall"])),
                exact_p50=percentile(b["exact"], 50),
                exact_p95=percentile(b["exact"], 95),
                methods=methods,
                plain_queries=len(b["plain"]),
                plain_p50=percentile(b["plain"], 50) if b["plain"] else None,
                plain_p95=percentile(b["plain"], 95) if b["plain"] else None,
                plain_recall=float(np.mean(b["plain_recall"])) if b["plain"] else None,
            )
        )
    log(f"{size:,} products: filtered p95 {result.summary('fast_p95'):.1f} ms, recall@10 {result.summary('recall'):.3f}")
    index = catalog = chroma = None  # free them before the next size (the closures above are done with them)
    gc.collect()
    return result


# -- ingestion throughput with real embeddings -------------------------------------


@dataclass
class IngestResult:
    products: int
    seconds: float
    reingest_seconds: float
    reembedded: int  # products embedded by the second, unchanged ingest (should be 0)
    torch_threads: int
    embed_seconds: float = 0.0  # the time spent inside the embedder (beside the writes since 2026-12-07)
    encoder: str = ""  # what the store recorded (``encoder_name``)

    @property
    def per_second(self) -> float:
        return self.products / self.seconds


def measure_ingest(size: int, cache: Path, embedder, *, threads: int, seed: int = SEED, progress: bool = True) -> IngestResult:
    """Ingest a generated catalog of ``size`` products into a fresh store, then again."""
    from retrieval.ingest import ingest_catalog
    from retrieval.store import Store

    catalog = SyntheticCatalog.generate(size, seed)
    path = cache / f"catalog-{size}-s{seed}.jsonl"
    if not path.exists():
        catalog.write_jsonl(path)
    root = cache / f"ingest-store-{size}"
    shutil.rmtree(root, ignore_errors=True)
    timed = _TimedEmbedder(embedder)
    store = Store(root, timed)
    start = time.perf_counter()
    report = ingest_catalog(store, path, progress=progress)
    seconds = time.perf_counter() - start
    embedded: list[int] = []
    start = time.perf_counter()
    again = ingest_catalog(store, path, progress=progress, on_batch=embedded.append)
    reingest = time.perf_counter() - start
    assert again.unchanged == report.added, again.counts()
    store.close()
    shutil.rmtree(root, ignore_errors=True)
    return IngestResult(report.added, seconds, reingest, sum(embedded), threads, timed.seconds, timed.name)


class _TimedEmbedder:
    """The embedder, with the time spent in ``embed_documents`` added up."""

    def __init__(self, embedder) -> None:
        from retrieval.embeddings import encoder_name

        self.embedder = embedder
        self.name = encoder_name(embedder)  # the store records the real encoder
        self.seconds = 0.0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        start = time.perf_counter()
        try:
            return self.embedder.embed_documents(texts)
        finally:
            self.seconds += time.perf_counter() - start

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)


# -- report ---------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    if value is None or np.isnan(value):
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def markdown(results: Sequence[SizeResult], ingest: IngestResult | None = None) -> str:
    """The report's tables."""
    lines = []
    if ingest:
        lines += [
            "| ingestion (all-MiniLM-L6-v2 embeddings) | value |",
            "|---|---:|",
            f"| products | {ingest.products:,} |",
            f"| first ingest (validate, embed, SQLite + Chroma) | {ingest.seconds:.1f} s = **{ingest.per_second:,.0f} products/s** |",
            f"| encoder | {ingest.encoder or '-'} |",
            f"| time in the encoder (the next batch is embedded while one is written) | {ingest.embed_seconds:.1f} s ({ingest.products / ingest.embed_seconds:,.0f} texts/s) |"
            if ingest.embed_seconds
            else "| time in the encoder | - |",
            f"| re-ingest of the unchanged catalog | {ingest.reingest_seconds:.1f} s, {ingest.reembedded} products embedded |",
            f"| torch threads | {ingest.torch_threads} |",
            "",
        ]
    lines += [
        "| products | Chroma insert (vectors given) | index build | index memory | process RSS | filtered p95 (worst kind) | recall@10 (filtered, mean) | plain `where` p95 (worst kind) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        insert = (
            f"{r.chroma_insert_s:.0f} s ({r.size / r.chroma_insert_s:,.0f}/s){' †' if r.chroma_cached else ''}"
            if r.chroma_insert_s
            else "-"
        )
        lines.append(
            f"| {r.size:,} | {insert} | {r.index_build_s:.1f} s | {r.index_mb:,.0f} MB | {r.rss_mb:,.0f} MB | "
            f"{_ms(r.summary('fast_p95'))} ms | {r.summary('recall'):.3f} | {_ms(r.summary('plain_p95'))} ms |"
        )
    if any(r.chroma_cached for r in results):
        lines.append("\n† measured when the cached collection was built, not in this run.")
    for r in results:
        lines += [
            "",
            f"**{r.size:,} products** (latency in ms; fast = this index, exact = numpy scan of the whole filtered set, plain = Chroma `where` via LangChain)",
            "",
            "| filter | queries | matching (median) | fast p50 | fast p95 | recall@10 | route | exact p50 | exact p95 | plain p50 | plain p95 | plain recall@10 |",
            "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
        ]
        for k in r.kinds:
            route = ", ".join(f"{m} {n}" for m, n in sorted(k.methods.items()))
            plain = (
                f"{_ms(k.plain_p50)} | {_ms(k.plain_p95)} | {k.plain_recall:.3f} (n={k.plain_queries})" if k.plain_queries else "- | - | -"
            )
            lines.append(
                f"| {k.kind} | {k.queries} | {k.selected_median:,.0f} | {_ms(k.fast_p50)} | {_ms(k.fast_p95)} | {k.recall:.3f} | {route} | "
                f"{_ms(k.exact_p50)} | {_ms(k.exact_p95)} | {plain} |"
            )
    return "\n".join(lines) + "\n"


def plot(results: Sequence[SizeResult], path: Path) -> Path:
    """Latency against catalog size (log-log): fast path, exact scan, plain Chroma `where`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r.size for r in results]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    series = [
        ("fast path, filtered p95 (worst kind)", [r.summary("fast_p95") for r in results], "o-"),
        ("fast path, unfiltered p95", [next((k.fast_p95 for k in r.kinds if k.kind == "none"), np.nan) for r in results], "s--"),
        ("exact numpy scan, filtered p95", [r.summary("exact_p95") for r in results], "^:"),
        ("Chroma where (plain), filtered p95", [r.summary("plain_p95") for r in results], "x-"),
    ]
    for label, values, style in series:
        if not all(np.isnan(v) for v in values):
            ax.plot(sizes, values, style, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("catalog size (products)")
    ax.set_ylabel("query latency (ms)")
    ax.set_title("Filtered top-10 retrieval latency, 384-d, 2 CPU cores")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
