"""The loop that teaches the intent model: the owner's corrections folded into the next adapter.

``train intent --corrections`` takes a store's corrections (what the owner said shoppers
meant, ``ConversationLog.corrections``), refuses any whose message is one of an evaluation
set's (``evaluation_texts``: so no correction can enter a held-out set), repeats each
among freshly generated examples, and goes on training the adapter the store serves. The
figures before and after are printed on the held-out sets.

``eval corrections`` shows a round on the two test stores: simulated live traffic written
by someone who never saw the parser (``corrections/traffic.jsonl``) is parsed; the owner
corrects the misrouted messages of its odd half; the adapter is trained on them; and the
even half, never corrected, measures whether the corrected kinds of message are now
understood, next to every held-out figure before and after.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files

import numpy as np

from assistant.evals.intent import evaluate, load_devset
from assistant.evals.service import parse_report
from assistant.intent import IntentParser
from assistant.intent.data.generate import _key, held_out_texts
from assistant.intent.format import encode, render_prompt
from assistant.records.conversations import Correction
from assistant.types import DialogueContext, ParsedIntent, Slots

#: times each correction appears among the generated examples of a round
REPEATS = 8
#: a correction keeps these of the parser's slots (the traffic labels only intent, order and email)
LABELLED = ("order_id", "email")


@dataclass(frozen=True)
class Message:
    id: str
    store: str
    kind: str
    intent: str
    text: str
    order_id: str | None
    email: str | None

    @property
    def check_half(self) -> bool:
        """Even ids are never corrected: they measure the round."""
        return int(re.sub(r"\D", "", self.id)) % 2 == 0


def traffic() -> list[Message]:
    text = (files("assistant.evals") / "corrections" / "traffic.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [Message(r["id"], r["store"], r["kind"], r["intent"], r["text"], r.get("order_id"), r.get("email")) for r in rows]


def evaluation_texts() -> set[str]:
    """Every message of an evaluation set (normalised): the intent dev and test sets, the
    held-out customer-service and out-of-scope sets, and the traffic's check half."""
    texts = held_out_texts()  # the service sets too, the one read since as well: it still measures
    texts.update(_key(m.text) for m in traffic() if m.check_half)
    return texts


def correction_rows(corrections: list[Correction], held: set[str], repeats: int = REPEATS) -> tuple[list[dict], list[Correction]]:
    """(training rows, corrections refused because an evaluation set holds their message)."""
    rows: list[dict] = []
    refused: list[Correction] = []
    for correction in corrections:
        if _key(correction.text) in held:
            refused.append(correction)
            continue
        row = {
            "text": correction.text,
            "intent": correction.parsed.intent,
            "prompt": render_prompt(correction.text, correction.context),
            "target": encode(correction.parsed),
        }
        rows += [row] * repeats
    return rows, refused


@dataclass
class Figures:
    """One adapter's figures: intent accuracy on the dev and test sets (demo vocabulary) and
    the held-out customer-service routing, order ids and out-of-scope refusals."""

    dev: float
    test: float
    routed: float
    ids: float
    out_of_scope: float


def held_out_figures(parser: IntentParser) -> Figures:
    dev = evaluate(parser, load_devset(None, "dev"), "dev")
    test = evaluate(parser, load_devset(None, "test"), "test")
    service = parse_report(parser, "held out")
    return Figures(
        dev=dev.intent_right / dev.n,
        test=test.intent_right / test.n,
        routed=service.routed / service.requests,
        ids=service.ids_kept / service.ids if service.ids else 0.0,
        out_of_scope=service.declined / service.out_of_scope if service.out_of_scope else 0.0,
    )


@dataclass
class TrafficScore:
    """Intent accuracy on the traffic, by half and kind."""

    right: dict[tuple[bool, str], int] = field(default_factory=lambda: defaultdict(int))
    total: dict[tuple[bool, str], int] = field(default_factory=lambda: defaultdict(int))
    wrong: list[tuple[Message, ParsedIntent]] = field(default_factory=list)

    def add(self, message: Message, parsed: ParsedIntent) -> None:
        key = (message.check_half, message.kind)
        self.total[key] += 1
        if parsed.intent == message.intent:
            self.right[key] += 1
        else:
            self.wrong.append((message, parsed))

    def share(self, check_half: bool, kinds: set[str] | None = None) -> tuple[int, int]:
        keys = [k for k in self.total if k[0] == check_half and (kinds is None or k[1] in kinds)]
        return sum(self.right[k] for k in keys), sum(self.total[k] for k in keys)


def score_traffic(parsers: dict[str, IntentParser]) -> TrafficScore:
    """Each message alone, in a new conversation, through its store's parser."""
    score = TrafficScore()
    for message in traffic():
        score.add(message, parsers[message.store].parse(message.text, DialogueContext()))
    return score


def owner_corrections(score: TrafficScore) -> list[Correction]:
    """What an owner marks on the correctable half's misrouted messages: the right intent,
    with the order and email the message holds, and the parser's other slots where the
    right intent is a search or a question about products (an owner would keep those)."""
    found = []
    for message, parsed in score.wrong:
        if message.check_half:
            continue
        keep = parsed.slots.filled() if message.intent in ("search_products", "product_question", "compare_products") else {}
        keep = {k: v for k, v in keep.items() if k not in LABELLED}
        slots = Slots(**keep, order_id=message.order_id, email=message.email)
        found.append(
            Correction(
                conversation_id=f"traffic-{message.id}",
                turn=1,
                text=message.text,
                parsed=ParsedIntent(intent=message.intent, slots=slots),  # type: ignore[arg-type]
                context=DialogueContext(),
                created_at="2026-12-06T00:00:00+00:00",
            )
        )
    return found


def corrected_kinds(corrections: list[Correction], messages: list[Message]) -> set[str]:
    by_text = {m.text: m.kind for m in messages}
    return {by_text[c.text] for c in corrections if c.text in by_text}


def markdown_round(
    before: Figures, after: Figures, traffic_before: TrafficScore, traffic_after: TrafficScore, kinds: set[str], corrections: int
) -> str:
    def pct(pair: tuple[int, int]) -> str:
        right, total = pair
        return f"{100 * right / total:.1f}% ({right}/{total})" if total else "-"

    others = {k for (_, k) in traffic_before.total} - kinds
    lines = [
        f"{corrections} corrections of the traffic's odd half, on the kinds: {', '.join(sorted(kinds)) or 'none'}",
        "",
        "| traffic (each message alone) | before | after |",
        "|---|---:|---:|",
        f"| corrected half: the corrected messages' kinds | {pct(traffic_before.share(False, kinds))} | {pct(traffic_after.share(False, kinds))} |",
        f"| check half (never corrected): corrected kinds | {pct(traffic_before.share(True, kinds))} | {pct(traffic_after.share(True, kinds))} |",
        f"| check half: other kinds | {pct(traffic_before.share(True, others))} | {pct(traffic_after.share(True, others))} |",
        "",
        markdown_figures(before, after),
    ]
    return "\n".join(lines)


def markdown_figures(before: Figures, after: Figures) -> str:
    rows = [
        ("intent dev set (demo), intent accuracy", before.dev, after.dev),
        ("intent test set (demo), intent accuracy", before.test, after.test),
        ("held-out customer service, routed", before.routed, after.routed),
        ("held-out customer service, order ids", before.ids, after.ids),
        ("held-out out of scope, kept out", before.out_of_scope, after.out_of_scope),
    ]
    lines = ["| measured on | before | after |", "|---|---:|---:|"]
    lines += [f"| {name} | {b:.1%} | {a:.1%} |" for name, b, a in rows]
    return "\n".join(lines)


def development_messages() -> list[tuple[str, frozenset[str]]]:
    """The development sets' messages without context, each with the intents that answer it:
    the intent dev set and the first customer-service and out-of-scope sets (read since)."""
    from assistant.evals.service import load_out_of_scope, load_service

    rows = [(e.text, frozenset({e.intent})) for e in load_devset(None, "dev") if e.context == "none"]
    rows += [(r.text, frozenset(r.intents)) for r in load_service("heldout")]
    rows += [(m.text, frozenset({"out_of_scope"})) for m in load_out_of_scope("heldout")]
    return rows


def neighbour_table(embed: Callable[[list[str]], np.ndarray], thresholds: tuple[float, ...] = (0.75, 0.8, 0.85, 0.9)) -> str:
    """How often two development messages this close (cosine) mean different things: what
    ``intent.corrections.NEAR`` was chosen from."""
    rows = development_messages()
    vectors = embed([text for text, _ in rows])
    similar = vectors @ vectors.T
    np.fill_diagonal(similar, -1.0)
    nearest, closest = similar.argmax(axis=1), similar.max(axis=1)
    lines = [
        f"{len(rows)} development messages (intent dev set without context, first customer-service and out-of-scope sets)",
        "",
        "| at least | pairs | pairs with different intents | messages with a neighbour | ... of the same intent |",
        "|---:|---:|---:|---:|---:|",
    ]
    for threshold in thresholds:
        pairs = [(i, j) for i, j in zip(*np.nonzero(np.triu(similar >= threshold, k=1)))]
        differ = sum(1 for i, j in pairs if not rows[i][1] & rows[j][1])
        near = [i for i in range(len(rows)) if closest[i] >= threshold]
        agree = sum(1 for i in near if rows[i][1] & rows[nearest[i]][1])
        lines.append(f"| {threshold:.2f} | {len(pairs)} | {differ} | {len(near)} | {agree} |")
    return "\n".join(lines)


def kinds_table(score: TrafficScore) -> str:
    kinds = sorted({k for (_, k) in score.total})
    counts: Counter[str] = Counter()
    for (_half, kind), n in score.total.items():
        counts[kind] += n
    lines = ["| kind | right |", "|---|---:|"]
    for kind in kinds:
        right = sum(score.right[(h, kind)] for h in (True, False))
        lines.append(f"| {kind} | {right}/{counts[kind]} |")
    return "\n".join(lines)
