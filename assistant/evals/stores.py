"""`shopassist eval store`: a shop's own facts only, measured per store, side by side.

For each store: policy section accuracy (each labelled question answered from the section
that answers it), dialogue turns right (scripted conversations with expectations: facts,
intents, sources, returns opened or refused, hand-offs) and leaks (another store's name,
facts or orders in any reply). The bundled test stores live in ``assistant/evals/stores/``;
``pawprint`` is held out from all tuning (its README says so; ``inkwell`` and
``loomlark`` were until their errors were read on 2026-12-07). The format is in
docs/stores.md, "Evaluating a store".
"""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from assistant.app import Services, demo_path, ensure_demo_store, ingest_into, open_services, order_desk, policy_ranker, store_embedder
from assistant.dialogue import Session
from assistant.pipeline import handle
from assistant.reading import in_catalog
from assistant.records.order_import import import_orders
from assistant.records.profile import load_profile, save_profile
from assistant.settings import Settings
from retrieval.bench.evaluation import PIPELINE, evaluate, load_devset
from retrieval.measures import without_measures
from retrieval.policies import ingest_policies
from retrieval.store import Store
from retrieval.types import SearchRequest

#: the bundled stores, in the order the table shows them; the last is held out from tuning
BUNDLED = ("demo", "brickyard", "inkwell", "loomlark", "pawprint")
HELD_OUT = ("pawprint",)


@dataclass
class StoreReport:
    name: str
    store: str
    held_out: bool = False
    policy_right: int = 0  # end to end: the reply's first source is the labelled section
    policy_search_right: int = 0  # the policy search alone: its first hit is the labelled section
    policy_total: int = 0
    turns_right: int = 0
    shopping_right: int = 0  # turns of the shopping dialogues (shopping.json), when the store has them
    shopping_total: int = 0
    turns_total: int = 0
    leaks: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)


def bundle_dir(name: str) -> Path:
    with as_file(files("assistant.evals") / "stores" / name) as path:
        return Path(path)


def bundled_services(
    settings: Settings, work: Path, names: tuple[str, ...] = BUNDLED[1:], log: Callable[[str], None] = print
) -> Iterator[tuple[str, Services]]:
    """The demo store (built once into the home, as the application builds it), then each of
    the bundled test stores ``names``, built fresh into ``work``, opened as the application
    opens them."""
    ensure_demo_store(settings, progress=False)
    yield "demo", open_services(settings)
    for name in names:
        log(f"building the {name} store")
        yield name, open_services(settings, build_store(bundle_dir(name), work / name, settings))


def build_store(bundle: Path, target: Path, settings: Settings) -> Path:
    """A fresh store directory from a test-store folder (catalog, profile, policies, orders);
    the ``demo`` folder takes the bundled demo store's data."""
    source = demo_path("profile.yaml").parent if bundle.name == "demo" else bundle
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    profile = load_profile(source)
    assert profile is not None, f"{source}: no profile.yaml"
    save_profile(target, profile)
    catalog = source / "catalog.jsonl"
    ingest_into(target, catalog, settings, progress=False)
    store = Store(target, store_embedder(settings, target), server=settings.chroma_server())
    ingest_policies(store, source / "policies", policy_ranker(settings))
    orders = source / ("orders.json" if (source / "orders.json").exists() else "orders.jsonl")
    report = import_orders(order_desk(target), orders, target / "quarantine", default_currency=profile.currency)
    assert not report.quarantined, f"{orders}: {[(r.line, r.reason) for r in report.quarantined]}"
    return target


def _expectations_met(expect: dict[str, Any], result, returned: bool, handed_off: bool, acted: bool = False) -> list[str]:
    """The expectations a turn missed (empty: the turn is right)."""
    text = result.reply.text.lower()
    missed = []
    if "intent" in expect and result.reply.intent != expect["intent"]:
        missed.append(f"intent {result.reply.intent} != {expect['intent']}")
    missed += [f"missing {s!r}" for s in expect.get("contains", []) if s.lower() not in text]
    if expect.get("contains_any") and not any(s.lower() in text for s in expect["contains_any"]):
        missed.append(f"none of {expect['contains_any']}")
    missed += [f"should not say {s!r}" for s in expect.get("not_contains", []) if s.lower() in text]
    if "source" in expect:
        first = result.reply.sources[0] if result.reply.sources else None
        want = expect["source"]
        if first is None or first.doc != want.get("doc") or ("section" in want and first.section != want["section"]):
            missed.append(f"source {(first.doc, first.section) if first else None} != {want}")
    if "handoff" in expect and handed_off != bool(expect["handoff"]):
        missed.append(f"handoff {handed_off} != {expect['handoff']}")
    if expect.get("return") == "recorded" and not returned:
        missed.append("no return recorded")
    if expect.get("return") == "refused" and returned:
        missed.append("a return was recorded")
    if expect.get("action") == "recorded" and not acted:
        missed.append("no cancellation or change recorded")
    if expect.get("action") == "none" and acted:
        missed.append("a cancellation or change was recorded")
    return missed


def evaluate_store(name: str, services: Services, evalset: dict[str, Any], *, held_out: bool = False) -> StoreReport:
    report = StoreReport(name=name, store=services.store_name, held_out=held_out)
    for item in evalset.get("policy_questions", []):
        result = handle(item["question"], Session(), services, channel="eval")
        report.replies.append(result.reply.text)
        first = result.reply.sources[0] if result.reply.sources else None
        right = first is not None and first.doc == item["doc"] and first.section == item["section"]
        hits = services.policies.search(item["question"])
        top = hits[0].chunk if hits else None
        found = top is not None and top.doc == item["doc"] and top.section == item["section"]
        report.policy_total += 1
        report.policy_right += right
        report.policy_search_right += found
        if not right or not found:
            report.errors.append(
                {
                    "kind": "policy",
                    "question": item["question"],
                    "want": [item["doc"], item["section"]],
                    "got": [first.doc, first.section] if first else None,
                    "search": [top.doc, top.section] if top else None,
                    "intent": result.reply.intent,
                }
            )
    for kind, dialogues in (("dialogue", evalset.get("dialogues", [])), ("shopping", evalset.get("shopping", []))):
        for dialogue in dialogues:
            _replay_dialogue(report, services, dialogue, kind)
    return report


def _replay_dialogue(report: StoreReport, services: Services, dialogue: dict[str, Any], kind: str) -> None:
    session = Session(conversation_id=f"eval-{dialogue['id']}"[:64])
    for number, turn in enumerate(dialogue["turns"], start=1):
        before, actions = len(services.desk.returns()), len(services.desk.actions())
        result = handle(turn["text"], session, services, channel="eval")
        report.replies.append(result.reply.text)
        returned = len(services.desk.returns()) > before
        acted = len(services.desk.actions()) > actions
        missed = _expectations_met(turn.get("expect", {}), result, returned, session.handed_off is not None, acted)
        if kind == "shopping":
            report.shopping_total += 1
            report.shopping_right += not missed
        else:
            report.turns_total += 1
            report.turns_right += not missed
        if missed:
            report.errors.append(
                {
                    "kind": kind,
                    "dialogue": dialogue["id"],
                    "turn": number,
                    "text": turn["text"],
                    "missed": missed,
                    "reply": result.reply.text[:400],
                }
            )


def find_leaks(reports: list[StoreReport], facts: dict[str, list[str]], documents: dict[str, str] | None = None) -> None:
    """Each store's replies against every other store's distinctive facts, except those it
    shares: one of its own facts, or words its own documents say (``documents``: its policies,
    profile and catalog; two shops may both give 21 days to return)."""
    for report in reports:
        own = {f.lower() for f in facts.get(report.name, [])}
        mine = (documents or {}).get(report.name, "").lower()
        text = "\n".join(report.replies).lower()
        for other, strings in facts.items():
            if other == report.name:
                continue
            report.leaks += [f"{other}: {s}" for s in strings if s.lower() not in own and s.lower() not in mine and s.lower() in text]


def own_documents(services: Services) -> str:
    """What a store itself says: its policies, its profile and its products."""
    parts = [f"{c.title} {c.section}: {c.text}" for c in services.policies.chunks]
    parts.append(services.profile.model_dump_json())
    parts += [p.search_text() for p in services.products.products]
    return "\n".join(parts)


def run(
    stores: list[tuple[str, Path | None, Path]], settings: Settings, work: Path, log: Callable[[str], None] = print
) -> list[StoreReport]:
    """``stores``: (name, existing store directory or None to build the bundled one, eval.json)."""
    reports, facts, documents = [], {}, {}
    for name, existing, devset in stores:
        evalset = json.loads(Path(devset).read_text(encoding="utf-8"))
        shopping = Path(devset).with_name("shopping.json")
        if shopping.exists():  # multi-turn shopping dialogues, scored in their own column
            evalset["shopping"] = json.loads(shopping.read_text(encoding="utf-8")).get("dialogues", [])
        facts[name] = evalset.get("facts", [])
        target = work / name
        if existing is None:
            log(f"building the {name} store in {target}")
            build_store(bundle_dir(name), target, settings)
        else:  # a copy: the dialogues open returns and tickets
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(existing, target)
        as_of = evalset.get("as_of")
        dated = settings.model_copy(update={"today": date.fromisoformat(as_of) if as_of else None})
        services = open_services(dated, target)
        log(f"evaluating {name} ({services.store_name}) as of {as_of or 'today'}")
        reports.append(evaluate_store(name, services, evalset, held_out=name in HELD_OUT))
        documents[name] = own_documents(services)
        services.log = None
    find_leaks(reports, facts, documents)
    return reports


def markdown(reports: list[StoreReport]) -> str:
    lines = [
        "| store | policy section: search | policy section: end to end | dialogue turns right | shopping turns right | leaks |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        label = f"{r.name} ({r.store}){' (held out)' if r.held_out else ''}"
        search = f"{r.policy_search_right / max(r.policy_total, 1):.1%} ({r.policy_search_right}/{r.policy_total})"
        policy = f"{r.policy_right / max(r.policy_total, 1):.1%} ({r.policy_right}/{r.policy_total})"
        turns = f"{r.turns_right / max(r.turns_total, 1):.1%} ({r.turns_right}/{r.turns_total})"
        shopping = f"{r.shopping_right / r.shopping_total:.1%} ({r.shopping_right}/{r.shopping_total})" if r.shopping_total else "-"
        lines.append(f"| {label} | {search} | {policy} | {turns} | {shopping} | {len(r.leaks)} |")
    leaks = [f"- {r.name}: {leak}" for r in reports for leak in r.leaks]
    return "\n".join(lines + (["", "Leaks:", *leaks] if leaks else []))


@dataclass
class RetrievalReport:
    name: str
    store: str
    held_out: bool
    rows: list  # retrieval.bench.evaluation.Row per configuration
    not_carried: int = 0
    not_carried_handled: int = 0
    carried_with_hits: int = 0
    carried_as_closest: int = 0  # carried queries whose hits the reply calls "the closest things"
    #: what went wrong, one record per query: a shown product breaking a labelled constraint,
    #: a not-carried query answered with products
    errors: list[dict] = field(default_factory=list)


def parsed_extractor(services: Services):
    """Query text -> (search words, constraints) as the pipeline reads them: the parser, then
    the store's own taxonomy (``pipeline.in_catalog``), the attribute values the words name
    and the measures they state ("at least 30 litres")."""
    from assistant.dialogue import constraints_of
    from assistant.types import DialogueContext

    @functools.cache  # each query is read once per report, however often it is searched
    def parsed(query: str):
        slots = in_catalog(query, services.parser.parse(query, DialogueContext()).slots, services.products)
        constraints = constraints_of(slots)
        features = services.products.attribute_filters(slots.query or query, constraints)
        constraints = constraints.model_copy(update={"attributes": features or None})
        measures = services.products.measure_filters(query, slots.query or query, constraints)
        words = without_measures(slots.query or query) or slots.query or query
        return words, constraints.model_copy(update={"measures": measures or None})

    return parsed


def evaluate_retrieval(name: str, services: Services, devset_path: Path, *, held_out: bool = False) -> RetrievalReport:
    """The store's graded queries: nDCG@10 and violations per configuration (the real pipeline
    is "hybrid + parsed constraints"), and how many not-carried queries show no product."""
    devset = load_devset(devset_path)
    extract = functools.cache(parsed_extractor(services))  # each query parsed once, for every use below
    errors: list[dict] = []

    def violated(configuration: str, q, wrong: list) -> None:  # the pipeline's configuration only
        if configuration != PIPELINE:
            return
        text, constraints = extract(q.query)
        errors.append(
            {
                "store": name,
                "id": q.id,
                "query": q.query,
                "kind": "violation",
                "labelled": q.constraints.model_dump(exclude_none=True),
                "parsed": {"query": text, **constraints.model_dump(exclude_none=True)},
                "breaking": [f"{p.title} [{p.category}] {p.price}" for p in wrong],
            }
        )

    rows = evaluate(services.products, devset, extract, violated)
    report = RetrievalReport(name, services.store_name, held_out, rows, errors=errors)
    for q in devset:
        if q.not_carried:
            reply = handle(q.query, Session(), services, channel="eval").reply
            report.not_carried += 1
            report.not_carried_handled += not reply.products
            if reply.products:
                report.errors.append(
                    {"store": name, "id": q.id, "query": q.query, "kind": "not carried, shown", "intent": reply.intent, "reply": reply.text}
                )
        else:
            text, constraints = extract(q.query)
            result = services.products.search(SearchRequest(query=text, constraints=constraints, k=services.settings.top_k))
            report.carried_with_hits += bool(result.hits)
            report.carried_as_closest += bool(result.hits) and not result.close
    return report


def retrieval_markdown(reports: list[RetrievalReport]) -> str:
    lines = [
        "| store | queries | nDCG@10, labelled constraints | nDCG@10, parsed (the pipeline) | violations, parsed | not carried handled "
        "| carried, shown as the closest |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        rows = {row.name: row for row in r.rows}
        labelled, parsed = rows["hybrid + constraints"], rows[PIPELINE]
        label = f"{r.name} ({r.store}){' (held out)' if r.held_out else ''}"
        carried = f"{r.not_carried_handled}/{r.not_carried}" if r.not_carried else "-"
        lines.append(
            f"| {label} | {parsed.queries} | {labelled.ndcg:.3f} | {parsed.ndcg:.3f} | "
            f"{parsed.queries_with_violations}/{parsed.queries} | {carried} | {r.carried_as_closest}/{r.carried_with_hits} |"
        )
    return "\n".join(lines)
