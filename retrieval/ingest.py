"""Catalog ingestion: read -> clean and validate -> de-duplicate -> diff -> embed and write.

Re-ingesting is idempotent: each product carries a content hash, and only added or
changed products are embedded. Rejected rows go to a quarantine file with the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from retrieval.catalog import Product, Rejected, clean_text, read_rows, validate_row
from retrieval.store import Store

#: products embedded and written per batch; batches hold texts of similar length (less padding)
BATCH_SIZE = 256


@dataclass
class IngestReport:
    source: str
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    quarantined: list[Rejected] = field(default_factory=list)
    quarantine_file: Path | None = None
    reembedded: int = 0  # unchanged products embedded again (the store's vectors were from another text)

    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "quarantined": len(self.quarantined),
        }

    def summary(self) -> str:
        line = ", ".join(f"{k} {v}" for k, v in self.counts().items())
        if self.reembedded:
            line += f"\n{self.reembedded} unchanged products embedded again: the store's vectors were made from an earlier text or by another encoder"
        if self.quarantine_file:
            line += f"\nquarantined rows and reasons: {self.quarantine_file}"
        return line


def _duplicate_key(product: Product) -> str:
    title = re.sub(r"\W+", " ", product.title.lower()).strip()
    attrs = json.dumps(product.attributes, sort_keys=True)
    return f"{title}|{product.brand.lower()}|{attrs}"


def _raw_id(row: Mapping[str, Any] | None, mapping: Mapping[str, str] | None) -> str | None:
    """The product id of a rejected row, read through the column mapping as a valid row's would be."""
    if not isinstance(row, Mapping):
        return None
    value = row.get((mapping or {}).get("id", "id"))
    return (clean_text(value) or None) if isinstance(value, (str, int)) else None


def validate_file(
    path: Path, mapping: Mapping[str, str] | None = None, default_currency: str | None = None
) -> tuple[list[Product], list[Rejected], int]:
    """Parse and validate every row; returns (products, rejected rows, rows read)."""
    products: list[Product] = []
    rejected: list[Rejected] = []
    first_line_by_id: dict[str, int] = {}
    first_id_by_key: dict[str, str] = {}
    read = 0
    for raw in read_rows(path):
        read += 1
        if raw.data is None:
            rejected.append(Rejected(raw.line, raw.error or "unreadable row", None))
            continue
        try:
            product = validate_row(raw.data, mapping, default_currency)
        except ValueError as exc:
            rejected.append(Rejected(raw.line, str(exc), raw.data))
            continue
        if product.id in first_line_by_id:
            rejected.append(
                Rejected(raw.line, f"duplicate id {product.id!r} (first seen on line {first_line_by_id[product.id]})", raw.data)
            )
            continue
        key = _duplicate_key(product)
        if key in first_id_by_key:
            rejected.append(
                Rejected(raw.line, f"duplicate of product {first_id_by_key[key]!r} (same title, brand and attributes)", raw.data)
            )
            continue
        first_line_by_id[product.id] = raw.line
        first_id_by_key[key] = product.id
        products.append(product)
    return products, rejected, read


def write_quarantine(store: Store, source: Path, rejected: list[Rejected]) -> Path | None:
    return write_rejected(store.root / "quarantine", source, rejected)


def write_rejected(folder: Path, source: Path, rejected: list[Rejected], prefix: str = "") -> Path | None:
    """``folder/<prefix><file>-<time>.jsonl``: each rejected row with its line and reason; None when none."""
    if not rejected:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{prefix}{source.stem}-{stamp}.jsonl"
    with target.open("w", encoding="utf-8") as fh:
        for item in rejected:
            fh.write(
                json.dumps(
                    {"source": str(source), "line": item.line, "reason": item.reason, "row": item.row}, ensure_ascii=False, default=str
                )
                + "\n"
            )
    return target


def ingest_catalog(
    store: Store,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    sync: bool = False,
    progress: bool = True,
    on_batch: Callable[[int], None] | None = None,
    default_currency: str | None = None,
) -> IngestReport:
    """Ingest one catalog file into ``store``; see the module docstring. ``default_currency``:
    the shop's currency, for rows that name none."""
    path = Path(path)
    products, rejected, read = validate_file(path, mapping, default_currency)
    report = IngestReport(source=str(path), read=read, quarantined=rejected)
    known = store.product_hashes()
    old_vectors = not store.vectors_current()  # embedded from another text or encoder: every product again
    changed: list[Product] = []
    for product in products:
        old = known.get(product.id)
        if old is None:
            report.added += 1
            changed.append(product)
        elif old != product.content_hash():
            report.updated += 1
            changed.append(product)
        else:
            report.unchanged += 1
            if old_vectors:
                report.reembedded += 1
                changed.append(product)
    in_file = {p.id for p in products}
    kept = {pid for r in rejected if (pid := _raw_id(r.row, mapping))}  # quarantined this time: kept, not deleted
    if old_vectors:  # the store's products this file leaves in place are embedded again too, so this happens once
        others = [p for p in store.load_products() if p.id not in in_file and (not sync or p.id in kept)]
        report.reembedded += len(others)
        changed += others
    changed.sort(key=lambda p: len(p.dense_text()))
    batches = [changed[start : start + BATCH_SIZE] for start in range(0, len(changed), BATCH_SIZE)]
    # the next batch is embedded while this one is written (ONNX Runtime, torch and Chroma
    # all let go of the GIL), so the cores are not idle while Chroma indexes
    with (
        tqdm(total=len(changed), desc="embedding", unit="product", disable=not progress or not changed) as bar,
        ThreadPoolExecutor(1, thread_name_prefix="ingest-embed") as ahead,
    ):
        pending = ahead.submit(store.embed_products, batches[0]) if batches else None
        for number, batch in enumerate(batches):
            assert pending is not None
            vectors = pending.result()
            if number + 1 < len(batches):
                pending = ahead.submit(store.embed_products, batches[number + 1])
            store.write_embedded(batch, vectors)
            bar.update(len(batch))
            if on_batch:
                on_batch(len(batch))
    if old_vectors:
        store.replace_policies(store.load_policy_chunks())  # the policy sections' vectors came from the same encoder
        store.mark_vectors_current()
    if sync:
        present = in_file | kept
        stale = [pid for pid in known if pid not in present]
        store.delete_products(stale)
        report.deleted = len(stale)
    report.quarantine_file = write_quarantine(store, path, rejected)
    return report
