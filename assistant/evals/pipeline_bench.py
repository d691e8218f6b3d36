"""`shopassist bench pipeline`: latency per stage (ASR, intent, retrieval, answer) and end
to end, p50/p95, for text and voice turns on a store (the demo store by default).

Text turns replay a fixed script of shopper conversations (searches with constraints,
refinements, product questions, comparisons, policy and order questions) several times,
each conversation in a fresh session. Voice turns transcribe the spoken query set
(``assistant.evals.voice_set``, generated once into the cache) and answer it. Stage
timings are the pipeline's own ``timings_ms``; "wall" is measured around the call.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.dialogue import Session
from assistant.pipeline import Services, run_turn
from retrieval.bench.stats import percentile

STAGES = ("asr", "intent", "retrieval", "answer", "total", "wall")

#: conversations of typed turns, each run in a fresh session
TEXT_SCRIPT: tuple[tuple[str, ...], ...] = (
    ("waterproof running shoes under $80", "in black", "cheaper", "tell me about the first one"),
    ("wireless headphones with noise cancelling", "under 150 instead", "compare the first two"),
    ("a warm jacket for hiking, size M", "any brand is fine", "is the second one waterproof?"),
    ("what is your return policy?", "how long does shipping take?"),
    ("where is my order NW-100044? my email is theo.tanaka@example.com",),
    ("hi", "show me backpacks in stock", "sort by price"),
    ("lawn mowers",),
)


@dataclass
class StageStats:
    stage: str
    p50: float
    p95: float
    turns: int


@dataclass
class PipelineResult:
    channel: str  # "text" or "voice"
    turns: int
    stages: list[StageStats]
    note: str = ""


def _stats(channel: str, samples: dict[str, list[float]], note: str = "") -> PipelineResult:
    stages = [StageStats(s, percentile(samples[s], 50), percentile(samples[s], 95), len(samples[s])) for s in STAGES if samples.get(s)]
    return PipelineResult(channel, len(samples.get("wall", [])), stages, note)


def _record(samples: dict[str, list[float]], timings: dict[str, float], wall_ms: float) -> None:
    for stage, ms in timings.items():
        samples.setdefault(stage, []).append(ms)
    samples.setdefault("wall", []).append(wall_ms)


def bench_text(services: Services, repeats: int = 5, script: Sequence[Sequence[str]] = TEXT_SCRIPT) -> PipelineResult:
    for turn in script[0]:  # warm-up (model caches, first queries), not measured
        run_turn(turn, Session(), services)
    samples: dict[str, list[float]] = {}
    for _ in range(repeats):
        for conversation in script:
            session = Session()
            for text in conversation:
                start = time.perf_counter()
                result = run_turn(text, session, services)
                _record(samples, result.timings_ms, (time.perf_counter() - start) * 1000)
    return _stats("text", samples, f"intent parser: {type(getattr(services.parser, 'inner', services.parser)).__name__}")


def voice_clips(cache_dir: Path, limit: int | None = None) -> list[Path]:
    """The spoken query set's audio files, generated into the cache on first use."""
    from assistant.evals.voice import load_manifest
    from assistant.evals.voice_set import build

    folder = cache_dir / "voice_set"
    if not (folder / "manifest.jsonl").exists():
        build(folder)
    clips = [c.audio for c in load_manifest(folder / "manifest.jsonl")]
    return clips[:limit] if limit else clips


def bench_voice(services: Services, clips: Sequence[Path]) -> PipelineResult:
    try:
        from assistant.pipeline import run_voice_turn
    except ImportError:  # speech recognition not available in this build
        return PipelineResult("voice", 0, [], "speech recognition is not available")
    if not clips:
        return PipelineResult("voice", 0, [], "no clips")
    run_voice_turn(clips[0], Session(), services)  # warm-up: loads the speech model
    samples: dict[str, list[float]] = {}
    for clip in clips:
        start = time.perf_counter()
        result = run_voice_turn(clip, Session(), services)
        _record(samples, result.timings_ms, (time.perf_counter() - start) * 1000)
    return _stats("voice", samples, f"{len(clips)} clips")


def markdown(results: Sequence[PipelineResult]) -> str:
    lines = ["| turns | stage | p50 ms | p95 ms | n |", "|---|---|---:|---:|---:|"]
    notes = [f"{r.channel}: {r.note}" for r in results if r.note]
    for r in results:
        if not r.stages:
            lines.append(f"| {r.channel} | - | - | - | 0 ({r.note}) |")
        for s in r.stages:
            name = {"total": "total (sum of stages)", "wall": "end to end (wall clock)"}.get(s.stage, s.stage)
            lines.append(f"| {r.channel} | {name} | {s.p50:.1f} | {s.p95:.1f} | {s.turns} |")
    return "\n".join(lines) + "\n" + ("\n" + "; ".join(notes) + "\n" if notes else "")


def plot(results: Sequence[PipelineResult], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stages = [s for s in ("asr", "intent", "retrieval", "answer", "wall") if any(x.stage == s for r in results for x in r.stages)]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    width = 0.8 / max(1, 2 * len(results))
    for i, r in enumerate(results):
        by = {s.stage: s for s in r.stages}
        for j, (q, attr) in enumerate((("p50", "p50"), ("p95", "p95"))):
            values = [max(getattr(by[s], attr), 0.01) if s in by else np.nan for s in stages]
            ax.bar(np.arange(len(stages)) + (2 * i + j - len(results) + 0.5) * width, values, width, label=f"{r.channel} {q}")
    ax.set_xticks(np.arange(len(stages)), ["end to end" if s == "wall" else s for s in stages])
    ax.set_yscale("log")
    ax.set_ylabel("latency (ms, log scale)")
    ax.set_title("Per-stage latency of a turn, demo store, 2 CPU cores")
    ax.grid(True, axis="y", which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def run(
    services: Services, *, repeats: int, voice: bool, voice_limit: int | None, cache_dir: Path, log: Callable[[str], None] = print
) -> list[PipelineResult]:
    results = [bench_text(services, repeats)]
    log(f"text: {results[0].turns} turns")
    if voice:
        results.append(bench_voice(services, voice_clips(cache_dir, voice_limit)))
        log(f"voice: {results[-1].turns} turns")
    return results
