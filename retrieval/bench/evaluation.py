"""Retrieval evaluation on a labelled development set.

Each dev query has graded relevance (2 = fully relevant, 1 = partly) and the hard
constraints it states. Every configuration retrieves the top 10:

- keyword / dense / hybrid on the raw query text (no constraint handling),
- the same three with the labelled constraints applied as hard filters,
- hybrid with the constraints the rule parser extracts (the real pipeline), when a
  parser is given.

Metrics: nDCG@10 (graded), recall@10 (relevant found in the top 10 / min(10, relevant)),
and constraint violations (share of returned products breaking a stated constraint).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from retrieval.search import Mode, ProductSearch
from retrieval.types import Constraints, Product, SearchRequest

K = 10
#: the configuration the assistant runs: hybrid retrieval with the parser's constraints
PIPELINE = "hybrid + parsed constraints"


class DevQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    query: str
    constraints: Constraints = Constraints()
    relevant: dict[str, int]
    not_carried: bool = False  # the shop sells nothing of the kind: scored by the caller, not by nDCG


def load_devset(path: Path) -> list[DevQuery]:
    """Labelled queries, one JSON object a line (the demo store's: ``assistant/demo/retrieval_dev.jsonl``)."""
    text = Path(path).read_text(encoding="utf-8")
    return [DevQuery.model_validate(json.loads(line)) for line in text.splitlines() if line.strip()]


def ndcg_at_k(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** relevant.get(pid, 0) - 1) / math.log2(i + 2) for i, pid in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at_k(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    wanted = {pid for pid, g in relevant.items() if g > 0}
    if not wanted:
        return 0.0
    return len(wanted & set(ranked[:k])) / min(k, len(wanted))


@dataclass
class Row:
    name: str
    ndcg: float
    recall: float
    violations: float  # share of returned products that break a stated constraint
    queries_with_violations: int
    queries: int


Extractor = Callable[[str], tuple[str, Constraints]]
#: told each query's products that break its labelled constraints: (configuration, query, them)
Violations = Callable[[str, DevQuery, list[Product]], None]


def evaluate(
    search: ProductSearch, devset: list[DevQuery], extract: Extractor | None = None, violations: Violations | None = None
) -> list[Row]:
    configs: list[tuple[str, Mode, str]] = [
        ("keyword only", "keyword", "raw"),
        ("dense only", "dense", "raw"),
        ("hybrid (RRF)", "hybrid", "raw"),
        ("keyword + constraints", "keyword", "labelled"),
        ("dense + constraints", "dense", "labelled"),
        ("hybrid + constraints", "hybrid", "labelled"),
    ]
    if extract is not None:
        configs.append((PIPELINE, "hybrid", "parsed"))
    rows = []
    for name, mode, constraint_source in configs:
        ndcgs, recalls, returned, broken, bad_queries = [], [], 0, 0, 0
        for q in [q for q in devset if not q.not_carried]:
            text, constraints = q.query, Constraints()
            if constraint_source == "labelled":
                constraints = q.constraints
            elif constraint_source == "parsed" and extract is not None:
                text, constraints = extract(q.query)
            result = search.search(SearchRequest(query=text, constraints=constraints, k=K), mode=mode)
            ranked = [h.product.id for h in result.hits]
            ndcgs.append(ndcg_at_k(ranked, q.relevant))
            recalls.append(recall_at_k(ranked, q.relevant))
            wrong = [h.product for h in result.hits if not q.constraints.matches(h.product)]
            returned += len(ranked)
            broken += len(wrong)
            bad_queries += bool(wrong)
            if wrong and violations is not None:
                violations(name, q, wrong)
        rows.append(Row(name, sum(ndcgs) / len(ndcgs), sum(recalls) / len(recalls), broken / max(returned, 1), bad_queries, len(ndcgs)))
    return rows


def format_table(rows: list[Row]) -> str:
    lines = [
        "| configuration | nDCG@10 | recall@10 | constraint violations (results) | queries with a violation |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r.name} | {r.ndcg:.3f} | {r.recall:.3f} | {r.violations:.1%} | {r.queries_with_violations}/{r.queries} |")
    return "\n".join(lines)
