"""`shopassist orders FILE`: a shop's own orders into its store (docs/stores.md, "Orders").

JSON, JSONL or CSV (``items`` as a JSON column, or one row per item with ``item_*``
columns). Every order is validated; re-importing updates orders by id; bad rows are
quarantined with their line and reason; nothing is dropped silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.errors import OrderFileError
from assistant.records.orders import Order, OrderDesk, normalise_order_id
from retrieval.catalog import RawRow, Rejected, describe_errors, read_rows
from retrieval.errors import CatalogFileError
from retrieval.ingest import write_rejected

ITEM_COLUMNS = {
    "item_product_id": "product_id",
    "item_title": "title",
    "item_quantity": "quantity",
    "item_unit_price": "unit_price",
    "item_category": "category",
    "item_tags": "tags",
}


@dataclass
class OrderImportReport:
    source: str
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: list[Rejected] = field(default_factory=list)
    quarantine_file: Path | None = None

    def summary(self) -> str:
        line = (
            f"{self.source}: read {self.read} / added {self.added} / updated {self.updated} / "
            f"unchanged {self.unchanged} / quarantined {len(self.quarantined)}"
        )
        if self.quarantine_file:
            line += f"\nquarantined rows and reasons: {self.quarantine_file}"
        return line


def _item_from_columns(data: dict[str, Any]) -> dict[str, Any] | None:
    item = {name: data.pop(column) for column, name in ITEM_COLUMNS.items() if column in data}
    item = {k: v for k, v in item.items() if v not in (None, "")}
    if not item:
        return None
    if isinstance(item.get("tags"), str):
        item["tags"] = [t.strip() for t in item["tags"].replace("|", ",").split(",") if t.strip()]
    return item


def _grouped(rows: list[RawRow]) -> tuple[list[tuple[int, dict[str, Any]]], list[Rejected]]:
    """Rows -> one dict per order (per-item CSV rows merged by order id), and rows that failed to parse."""
    orders: dict[str, tuple[int, dict[str, Any]]] = {}
    loose: list[tuple[int, dict[str, Any]]] = []
    rejected: list[Rejected] = []
    for row in rows:
        if row.data is None:
            rejected.append(Rejected(row.line, row.error or "unreadable row", None))
            continue
        data = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.data.items()}
        if isinstance(data.get("items"), str) and data["items"]:
            try:
                data["items"] = json.loads(data["items"])
            except json.JSONDecodeError as exc:
                rejected.append(Rejected(row.line, f"items: not a JSON array ({exc.msg})", row.data))
                continue
        item = _item_from_columns(data)
        key = normalise_order_id(str(data.get("order_id") or ""))
        if item is None or not key:
            loose.append((row.line, data))
            continue
        if key in orders:
            orders[key][1].setdefault("items", []).append(item)
        else:
            data["items"] = [*(data.get("items") or []), item]
            orders[key] = (row.line, data)
    return loose + list(orders.values()), rejected


def import_orders(desk: OrderDesk, path: Path, quarantine_dir: Path, default_currency: str = "USD") -> OrderImportReport:
    """Validate and store every order of ``path``; returns the counts and the quarantine file."""
    path = Path(path)
    try:
        rows = list(read_rows(path, records="orders"))
    except CatalogFileError as exc:
        raise OrderFileError(str(exc)) from exc
    report = OrderImportReport(source=str(path), read=len(rows))
    grouped, report.quarantined = _grouped(rows)
    seen: set[str] = set()
    valid: list[Order] = []
    for line, data in grouped:
        data.setdefault("currency", default_currency)
        if data.get("currency") in (None, ""):
            data["currency"] = default_currency
        try:
            order = Order.model_validate(data)
        except ValidationError as exc:
            report.quarantined.append(Rejected(line, describe_errors(exc), data))
            continue
        key = normalise_order_id(order.order_id)
        if key in seen:
            report.quarantined.append(Rejected(line, f"duplicate order_id {order.order_id!r} in this file", data))
            continue
        seen.add(key)
        before = desk.stored(order.order_id)
        if before is None:
            report.added += 1
        elif before == order:
            report.unchanged += 1
        else:
            report.updated += 1
        valid.append(order)
    desk.load_orders(valid)
    report.quarantine_file = write_rejected(quarantine_dir, path, report.quarantined, prefix="orders-")
    return report
