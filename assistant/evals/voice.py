"""Speech evaluation: word error rate, intent accuracy on transcripts versus on the
original text, and latency, over the spoken query set (``make_voice_set``).

Both texts are normalised the same way before WER: lower case, number words as digits
("a hundred and fifty" -> 150, the intent parser's own normaliser), "$80" -> "80 dollars",
punctuation removed. Intent accuracy uses the rule parser with a context in which a few
headphones were just shown, so follow-ups ("the second one") make sense.
"""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import jiwer

from assistant.dialogue import Session
from assistant.intent import IntentParser
from assistant.pipeline import Services, run_voice_turn
from assistant.types import DialogueContext, Slots
from assistant.voice.asr import AudioError, WhisperTranscriber
from retrieval.bench.stats import percentile

_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)")
_PUNCT = re.compile(r"[^\w\s]")


def normalise(text: str, parser) -> str:
    text = parser.normalise(text.lower()) if hasattr(parser, "normalise") else text.lower()
    text = _MONEY.sub(lambda m: m.group(1).replace(",", "") + " dollars", text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = _PUNCT.sub(" ", text)
    return " ".join(text.split())


@dataclass
class Clip:
    id: str
    voice: str
    text: str
    intent: str
    audio: Path
    keywords: list[str] = field(default_factory=list)


def load_manifest(path: Path) -> list[Clip]:
    clips = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            clips.append(
                Clip(row["id"], row["voice"], row["text"], row["intent"], Path(path).parent / row["audio"], row.get("keywords", []))
            )
    return clips


def listening_context(services: Services) -> DialogueContext:
    shown = [p for p in services.products.products if p.category == "headphones"][:3]
    return DialogueContext(
        constraints=Slots(query="headphones", category="headphones"),
        shown_titles=tuple(p.title for p in shown),
        shown_brands=tuple(p.brand for p in shown),
        last_intent="search_products",
    )


@dataclass
class Row:
    name: str
    wer: float
    intent_transcript: float
    intent_text: float
    p50_ms: float
    p95_ms: float
    unsure: int
    errors: int
    clips: int


def evaluate(
    clips: list[Clip], transcriber: WhisperTranscriber, parser: IntentParser, context: DialogueContext, *, prompt: bool, name: str
) -> tuple[Row, list[dict]]:
    refs, hyps, times, details = [], [], [], []
    right_transcript = right_text = unsure = errors = 0
    for clip in clips:
        try:
            heard = transcriber.transcribe(clip.audio, prompt=prompt)
            text, ms, confident = heard.text, heard.timings_ms["decode"] + heard.timings_ms["transcribe"], heard.confident
        except AudioError as exc:
            text, ms, confident, errors = "", 0.0, False, errors + 1
            details.append({"id": clip.id, "voice": clip.voice, "error": str(exc)})
        refs.append(normalise(clip.text, parser))
        hyps.append(normalise(text, parser) if text else "")
        times.append(ms)
        unsure += not confident
        on_transcript = parser.parse(text, context).intent if text else "out_of_scope"
        on_text = parser.parse(clip.text, context).intent
        right_transcript += on_transcript == clip.intent
        right_text += on_text == clip.intent
        details.append(
            {
                "id": clip.id,
                "voice": clip.voice,
                "reference": clip.text,
                "transcript": text,
                "intent": clip.intent,
                "intent_on_transcript": on_transcript,
                "ms": round(ms, 1),
            }
        )
    n = len(clips)
    wer = jiwer.wer(refs, [h or "<empty>" for h in hyps])
    row = Row(name, wer, right_transcript / n, right_text / n, percentile(times, 50), percentile(times, 95), unsure, errors, n)
    return row, details


def voice_turn_timings(clips: list[Clip], services: Services) -> dict[str, list[float]]:
    """Whole voice turns (audio in, reply with products out), each in a fresh session."""
    stages: dict[str, list[float]] = {}
    for clip in clips:
        result = run_voice_turn(clip.audio, Session(), services)
        for stage, ms in result.timings_ms.items():
            stages.setdefault(stage, []).append(ms)
    return stages


def format_rows(rows: list[Row]) -> str:
    lines = [
        "| configuration | WER | intent acc. (transcript) | intent acc. (original text) | ASR p50 ms | ASR p95 ms | unsure | errors | clips |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.wer:.1%} | {r.intent_transcript:.1%} | {r.intent_text:.1%} | {r.p50_ms:.0f} | {r.p95_ms:.0f} | {r.unsure} | {r.errors} | {r.clips} |"
        )
    return "\n".join(lines)


def format_stages(stages: dict[str, list[float]]) -> str:
    order = ["asr", "intent", "retrieval", "answer", "total"]
    lines = ["| stage | p50 ms | p95 ms | turns |", "|---|---:|---:|---:|"]
    for stage in sorted(stages, key=lambda s: order.index(s) if s in order else 99):
        values = stages[stage]
        lines.append(f"| {stage} | {statistics.median(values):.0f} | {percentile(values, 95):.0f} | {len(values)} |")
    return "\n".join(lines)
