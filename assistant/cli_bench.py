"""`shopassist bench ...`: the performance benchmarks behind docs/performance.md.

Registered in ``assistant.cli`` as ``app.add_typer(bench_app, name="bench")``.
"""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.settings import get_settings, offline_environment

bench_app = typer.Typer(help="Performance benchmarks that print their figures (tables in Markdown).", no_args_is_help=True)


def machine() -> str:
    """CPU model, cores and memory of this machine, in one line."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        memory = "unknown RAM"
    load = ", load average %.1f/%.1f/%.1f at start" % os.getloadavg() if hasattr(os, "getloadavg") else ""
    return f"{model}, {os.cpu_count()} cores, {memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}{load}"


def _write_report(out: Path, name: str, payload: dict, table: str, plot=None, png: str = "") -> None:
    """NAME.json (with the machine), NAME.md (the printed table) and the plot, if any, into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps({"machine": machine(), **payload}, indent=2), encoding="utf-8")
    (out / f"{name}.md").write_text(table, encoding="utf-8")
    if plot is None:
        return
    try:
        plot(out / png)
    except ImportError:
        typer.echo("matplotlib is not installed: no plot (pip install 'shopassist[bench]')", err=True)


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(s.replace("_", "").strip()) for s in text.split(",") if s.strip()]
    except ValueError:
        raise typer.BadParameter(f"{text!r}: give comma-separated product counts, e.g. 10000,100000") from None
    if not sizes or min(sizes) < 100:
        raise typer.BadParameter("each size must be at least 100 products")
    return sizes


@bench_app.command("retrieval")
def retrieval(
    sizes: Annotated[str, typer.Option(help="Catalog sizes to measure, comma-separated.")] = "10000,100000,1000000",
    queries: Annotated[int, typer.Option(help="Queries per size, spread evenly over the filter kinds.")] = 200,
    plain: Annotated[bool, typer.Option("--plain/--no-plain", help="Also time the plain approach (Chroma `where` through LangChain).")] = True,
    plain_queries: Annotated[int, typer.Option(help="Queries per size for the plain approach (the first N; it takes seconds a query at 1M).")] = 50,
    ingest_size: Annotated[int, typer.Option(help="Products for the ingestion measurement with real embeddings (0: skip).")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic catalogs and queries.")] = 7,
    out: Annotated[Optional[Path], typer.Option(help="Also write results.json, retrieval.md and latency_vs_size.png here.")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show progress bars.")] = True,
) -> None:
    """Ingestion throughput, filtered query latency p50/p95, memory and recall@10 against exact search."""
    offline_environment()
    from retrieval import benchmark

    settings = get_settings()
    cache = settings.cache_dir() / "bench"
    size_list = _sizes(sizes)
    typer.echo(f"machine: {machine()}\ncache: {cache}\n", err=True)
    ingest = None
    if ingest_size:
        from retrieval.embeddings import load_default_embedder

        embedder = load_default_embedder(settings.torch_threads)
        ingest = benchmark.measure_ingest(ingest_size, cache, embedder, threads=settings.torch_threads, seed=seed, progress=progress)
        typer.echo(f"ingest: {ingest.per_second:,.0f} products/s; unchanged re-ingest embedded {ingest.reembedded}", err=True)
    results = [
        benchmark.measure_size(n, cache, queries=queries, plain=plain, plain_queries=plain_queries, seed=seed, progress=progress,
                               log=lambda m: typer.echo(m, err=True))
        for n in size_list
    ]
    table = benchmark.markdown(results, ingest)
    typer.echo(table)
    if out:
        payload = {"ingest": asdict(ingest) if ingest else None, "sizes": [asdict(r) for r in results]}
        _write_report(out, "retrieval", payload, table, lambda path: benchmark.plot(results, path), "latency_vs_size.png")


@bench_app.command("embed")
def embed(
    texts: Annotated[int, typer.Option(min=1, help="Synthetic product texts to encode with each embedder.")] = 2048,
    threads: Annotated[Optional[int], typer.Option(min=1, help="CPU threads (default: the torch_threads setting).")] = None,
    onnx: Annotated[bool, typer.Option("--onnx/--no-onnx", help="Also ONNX Runtime exports of the encoder (float32, int8).")] = True,
    out: Annotated[Optional[Path], typer.Option(help="Also write embed.json and embed.md here.")] = None,
) -> None:
    """Embedding throughput (texts/s) of the shipped embedder and ONNX Runtime variants, with their cosine to the shipped vectors."""
    offline_environment()
    from retrieval import embed_bench

    settings = get_settings()
    typer.echo(f"machine: {machine()}\n", err=True)
    results = embed_bench.run(texts, settings.cache_dir(), threads or settings.torch_threads, onnx=onnx, log=lambda m: typer.echo(m, err=True))
    table = embed_bench.markdown(results)
    typer.echo(table)
    if out:
        _write_report(out, "embed", {"results": [asdict(r) for r in results]}, table)


@bench_app.command("pipeline")
def pipeline(
    store: Annotated[Optional[Path], typer.Option("--store", help="Store directory (default: the demo store).")] = None,
    repeats: Annotated[int, typer.Option(help="Times the scripted text conversations are replayed.")] = 5,
    voice: Annotated[bool, typer.Option("--voice/--no-voice", help="Also time voice turns (spoken query set, generated once into the cache).")] = True,
    voice_clips: Annotated[int, typer.Option(help="Spoken clips to use (0: all).")] = 40,
    out: Annotated[Optional[Path], typer.Option(help="Also write pipeline.json, pipeline.md and pipeline_stages.png here.")] = None,
) -> None:
    """Latency per stage (ASR, intent, retrieval, answer) and end to end, p50/p95, for text and voice turns."""
    offline_environment()
    from assistant import pipeline_bench
    from assistant.stores import ensure_demo_store, open_services

    settings = get_settings()
    if store is None:
        ensure_demo_store(settings)
    services = open_services(settings, store)
    typer.echo(f"machine: {machine()}\n", err=True)
    results = pipeline_bench.run(services, repeats=repeats, voice=voice, voice_limit=voice_clips or None,
                                 cache_dir=settings.cache_dir(), log=lambda m: typer.echo(m, err=True))
    table = pipeline_bench.markdown(results)
    typer.echo(table)
    if out:
        payload = {"results": [asdict(r) for r in results]}
        _write_report(out, "pipeline", payload, table, lambda path: pipeline_bench.plot(results, path), "pipeline_stages.png")


@bench_app.command("asr")
def asr(
    clips: Annotated[int, typer.Option(help="Spoken clips to transcribe with each engine (voices taken in turn).")] = 30,
    threads: Annotated[Optional[int], typer.Option(help="CPU threads for both engines (default: the asr_threads setting).")] = None,
    compute_type: Annotated[str, typer.Option(help="faster-whisper compute type: int8 as the assistant runs, or float32 to match openai-whisper's precision.")] = "int8",
) -> None:
    """faster-whisper against openai-whisper on the same clips and weights: latency p50/p95/mean and WER.

    The CTranslate2 weights are converted once into the cache for openai-whisper (needs the voice-compare extra).

    Both engines get the same decoded audio, greedy decoding, English, no timestamps, no vocabulary prompt and the same thread count; only recognition is timed (no voice-activity filter: openai-whisper has none)."""
    offline_environment()
    try:
        import whisper  # noqa: F401
    except ImportError:
        typer.echo("openai-whisper is not installed: pip install 'shopassist[voice-compare]'", err=True)
        raise typer.Exit(1) from None
    from assistant import asr_compare
    from assistant.asr import resolve_model
    from assistant.demo.make_voice_set import build
    from assistant.voice_eval import load_manifest

    if clips < 1:
        raise typer.BadParameter("--clips must be at least 1")
    settings = get_settings()
    folder = settings.cache_dir() / "voice_set"
    if not (folder / "manifest.jsonl").exists():
        typer.echo(f"speaking the voice set into {folder} (first run only)", err=True)
        build(folder)
    chosen = asr_compare.across_voices(load_manifest(folder / "manifest.jsonl"), clips)
    model_dir = resolve_model(settings.asr_model, settings.cache_dir())
    cache_path = settings.cache_dir() / asr_compare.cache_name(settings.asr_model, model_dir)
    threads = threads or settings.asr_threads
    typer.echo(f"machine: {machine()}\nmodel: {model_dir} (faster-whisper {compute_type}; openai-whisper float32 from {cache_path})\n", err=True)
    comparison = asr_compare.compare([c.audio for c in chosen], model_dir, cache_path, threads=threads, compute_type=compute_type)
    rows, between = asr_compare.summarise(comparison, [c.text for c in chosen])
    typer.echo(asr_compare.markdown(comparison, rows, between))
