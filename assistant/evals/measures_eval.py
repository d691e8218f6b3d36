"""`shopassist eval measures`: the measures shoppers state ("at least 30 litres", "under 5 kg")
read as the pipeline reads them, scored against the sets of ``measures/`` (written from the
three catalogs alone, without running the assistant), per store side by side.

A query is right when its constraints hold exactly the labelled measures (same keys, each
bound within 0.1% of the label, an open side open); a negative (no measure labelled) is
right when none is read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path

from retrieval.types import Constraints

Extract = Callable[[str], tuple[str, Constraints]]


#: the sets: ``heldout`` (its errors were read to build the second version of the reading,
#: so it is a development set now) and ``heldout2`` (written after, by another writer; held out)
SETS = ("heldout", "heldout2")


def heldout_path(name: str = "heldout2") -> Path:
    with as_file(files("assistant.evals") / "measures" / f"{name}.jsonl") as path:
        return Path(path)


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _same(got: float | None, want: float | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return abs(got - want) <= 1e-3 * max(1.0, abs(want))


def agrees(got: tuple, want: list) -> bool:
    """Whether the measures read are the labelled ones (order aside)."""
    read = {key: (low, high) for key, low, high in got}
    wanted = {key: (low, high) for key, low, high in want}
    return read.keys() == wanted.keys() and all(_same(read[k][0], wanted[k][0]) and _same(read[k][1], wanted[k][1]) for k in wanted)


@dataclass
class Report:
    store: str
    held_out_store: bool
    with_measures: int = 0
    with_measures_right: int = 0
    negatives: int = 0
    negatives_right: int = 0
    errors: list[dict] = field(default_factory=list)


def evaluate(store: str, extract: Extract, items: list[dict], *, held_out_store: bool = False) -> Report:
    report = Report(store, held_out_store)
    for item in items:
        _, constraints = extract(item["query"])
        got = constraints.measures or ()
        right = agrees(got, item["measures"])
        if item["measures"]:
            report.with_measures += 1
            report.with_measures_right += right
        else:
            report.negatives += 1
            report.negatives_right += right
        if not right:
            report.errors.append({"store": store, "id": item["id"], "query": item["query"], "want": item["measures"], "got": list(got)})
    return report


def markdown(reports: list[Report]) -> str:
    lines = [
        "| store | queries with a measure: read exactly | queries without one: none read | all |",
        "|---|---:|---:|---:|",
    ]
    for r in reports:
        name = f"{r.store} (held-out store)" if r.held_out_store else r.store
        total, right = r.with_measures + r.negatives, r.with_measures_right + r.negatives_right
        lines.append(
            f"| {name} | {r.with_measures_right / max(r.with_measures, 1):.1%} ({r.with_measures_right}/{r.with_measures}) "
            f"| {r.negatives_right / max(r.negatives, 1):.1%} ({r.negatives_right}/{r.negatives}) "
            f"| {right / max(total, 1):.1%} ({right}/{total}) |"
        )
    return "\n".join(lines)
