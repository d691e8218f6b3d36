"""`shopassist eval policies`: the policy search alone, section accuracy per shop, with the
store's own encoder, with the tuned policy encoder, and with the policy reranker after it,
side by side.

The shops: the demo, the hardware shop, the bookshop and the yarn and fabric shop
(development: their errors were read to build the search), the pet shop (held out, in
``stores/``), and the shops of ``policy_heldout/`` (held out: written before any model saw
them, their errors never read). The policy
encoder's training shops (``retrieval/policy_model/shops``) are reported apart: a figure
on them is a fit, not a measure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

from assistant.app import demo_path
from retrieval.embeddings import Embedder
from retrieval.policies import InMemoryPolicies, PolicySearch, SectionReranker, answering_sections, load_policy_dir
from retrieval.policy_model import SHOPS_DIR
from retrieval.policy_model.train import LabelledShop, label_questions, load_shops


@dataclass(frozen=True)
class PolicySet:
    name: str
    role: str  # "development", "held out" or "training"
    shop: LabelledShop


def _folder(*parts: str) -> Path:
    with as_file(files("assistant.evals").joinpath(*parts)) as path:
        return Path(path)


def _from_eval_json(name: str, policies: Path, evalset: Path, role: str) -> PolicySet:
    answers = answering_sections(load_policy_dir(policies))
    items = json.loads(evalset.read_text(encoding="utf-8"))["policy_questions"]
    return PolicySet(name, role, LabelledShop(name, answers, label_questions(items, answers, str(evalset))))


def policy_sets(training: bool = False) -> list[PolicySet]:
    """Every labelled policy set this repo has, development first, then held out."""
    stores = _folder("stores")
    sets = [
        _from_eval_json("demo", demo_path("policies"), stores / "demo" / "eval.json", "development"),
        _from_eval_json("brickyard", stores / "brickyard" / "policies", stores / "brickyard" / "eval.json", "development"),
        _from_eval_json("inkwell", stores / "inkwell" / "policies", stores / "inkwell" / "eval.json", "development"),
        _from_eval_json("loomlark", stores / "loomlark" / "policies", stores / "loomlark" / "eval.json", "development"),
        _from_eval_json("pawprint", stores / "pawprint" / "policies", stores / "pawprint" / "eval.json", "held out"),
    ]
    sets += [PolicySet(shop.name, "held out", shop) for shop in load_shops(_folder("policy_heldout"))]
    if training:
        sets += [PolicySet(shop.name, "training", shop) for shop in load_shops(SHOPS_DIR)]
    return sets


def section_accuracy(search: PolicySearch, shop: LabelledShop) -> int:
    """How many of ``shop``'s questions get a labelled section as the search's first hit."""
    right = 0
    for question, positives in shop.questions:
        hits = search.search(question)
        right += bool(hits) and any(hits[0].chunk.id == shop.answers[i].id for i in positives)
    return right


def run(sets: list[PolicySet], base: Embedder, rankers: dict[str, tuple[Embedder | None, SectionReranker | None]]) -> list[dict]:
    """Each set's section accuracy with each (dense ranker, reranker) configuration."""
    rows = []
    for item in sets:
        source = InMemoryPolicies(item.shop.answers, base)
        row = {"shop": item.name, "role": item.role, "questions": len(item.shop.questions)}
        for label, (ranker, reranker) in rankers.items():
            row[label] = section_accuracy(PolicySearch(source, ranker, reranker), item.shop)
        rows.append(row)
    return rows


def markdown(rows: list[dict], labels: list[str]) -> str:
    lines = ["| shop | set | questions | " + " | ".join(labels) + " |", "|---|---|---:|" + "---:|" * len(labels)]
    for role in ("development", "held out", "training"):
        chosen = [r for r in rows if r["role"] == role]
        for r in chosen:
            cells = " | ".join(f"{r[label] / r['questions']:.1%} ({r[label]})" for label in labels)
            lines.append(f"| {r['shop']} | {role} | {r['questions']} | {cells} |")
        if len(chosen) > 1:
            total = sum(r["questions"] for r in chosen)
            cells = " | ".join(f"**{sum(r[label] for r in chosen) / total:.1%}**" for label in labels)
            lines.append(f"| all {role} | | {total} | {cells} |")
    return "\n".join(lines)
