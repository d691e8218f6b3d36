"""`shopassist eval|bench|train ...`: the commands that measure and train the assistant.

``register(app)`` adds the three groups to the serving CLI (``assistant.__main__`` does);
nothing in the serving path imports this package.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.channels.cli import StoreOption, fail, store_services
from assistant.settings import get_settings, offline_environment

bench_app = typer.Typer(help="Performance benchmarks that print their figures (tables in Markdown).", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluations that print their figures.", no_args_is_help=True)
train_app = typer.Typer(help="Training of the models the assistant ships.", no_args_is_help=True)

#: the intent adapter a command measures: the store's own where it has one, else the shipped one
AdapterOption = Annotated[
    Optional[Path], typer.Option(help="LoRA adapter folder (default: the store's own, DIR/intent-adapter, else the shipped one).")
]


def register(app: typer.Typer) -> None:
    """Add the `eval`, `bench` and `train` groups to the `shopassist` command."""
    app.add_typer(eval_app, name="eval")
    app.add_typer(train_app, name="train")
    app.add_typer(bench_app, name="bench")


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
    load = ", load average {:.1f}/{:.1f}/{:.1f} at start".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
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
    plain: Annotated[
        bool, typer.Option("--plain/--no-plain", help="Also time the plain approach (Chroma `where` through LangChain).")
    ] = True,
    plain_queries: Annotated[
        int, typer.Option(help="Queries per size for the plain approach (the first N; it takes seconds a query at 1M).")
    ] = 50,
    ingest_size: Annotated[int, typer.Option(help="Products for the ingestion measurement with real embeddings (0: skip).")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic catalogs and queries.")] = 7,
    out: Annotated[Optional[Path], typer.Option(help="Also write results.json, retrieval.md and latency_vs_size.png here.")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show progress bars.")] = True,
) -> None:
    """Ingestion throughput, filtered query latency p50/p95, memory and recall@10 against exact search."""
    offline_environment()
    from retrieval.bench import scale as benchmark

    settings = get_settings()
    cache = settings.cache_dir() / "bench"
    size_list = _sizes(sizes)
    typer.echo(f"machine: {machine()}\ncache: {cache}\n", err=True)
    ingest = None
    if ingest_size:
        from assistant.app import new_store_embedder
        from retrieval.embeddings import batch_threads, encoder_name

        embedder = new_store_embedder(settings)
        typer.echo(f"encoder: {encoder_name(embedder)}", err=True)
        with batch_threads(settings.ingest_threads) as count:  # as `shopassist ingest` runs
            ingest = benchmark.measure_ingest(ingest_size, cache, embedder, threads=count, seed=seed, progress=progress)
        typer.echo(f"ingest: {ingest.per_second:,.0f} products/s; unchanged re-ingest embedded {ingest.reembedded}", err=True)
    results = [
        benchmark.measure_size(
            n,
            cache,
            queries=queries,
            plain=plain,
            plain_queries=plain_queries,
            seed=seed,
            progress=progress,
            log=lambda m: typer.echo(m, err=True),
        )
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
    out: Annotated[Optional[Path], typer.Option(help="Also write embed.json and embed.md here.")] = None,
) -> None:
    """Embedding throughput (texts/s) of each form of the encoder (float32, ONNX float32 and int8, the shipped int8 encoder), with their cosine to float32's vectors."""
    offline_environment()
    from retrieval.bench import embed as embed_bench

    settings = get_settings()
    typer.echo(f"machine: {machine()}\n", err=True)
    results = embed_bench.run(texts, settings.cache_dir(), threads or settings.torch_threads, log=lambda m: typer.echo(m, err=True))
    table = embed_bench.markdown(results)
    typer.echo(table)
    if out:
        _write_report(out, "embed", {"results": [asdict(r) for r in results]}, table)


@bench_app.command("pipeline")
def pipeline(
    store: Annotated[Optional[Path], typer.Option("--store", help="Store directory (default: the demo store).")] = None,
    repeats: Annotated[int, typer.Option(help="Times the scripted text conversations are replayed.")] = 5,
    voice: Annotated[
        bool, typer.Option("--voice/--no-voice", help="Also time voice turns (spoken query set, generated once into the cache).")
    ] = True,
    voice_clips: Annotated[int, typer.Option(help="Spoken clips to use (0: all).")] = 40,
    out: Annotated[Optional[Path], typer.Option(help="Also write pipeline.json, pipeline.md and pipeline_stages.png here.")] = None,
) -> None:
    """Latency per stage (ASR, intent, retrieval, answer) and end to end, p50/p95, for text and voice turns."""
    offline_environment()
    from assistant.app import ensure_demo_store, open_services
    from assistant.evals import pipeline_bench

    settings = get_settings()
    if store is None:
        ensure_demo_store(settings)
    services = open_services(settings, store)
    typer.echo(f"machine: {machine()}\n", err=True)
    results = pipeline_bench.run(
        services,
        repeats=repeats,
        voice=voice,
        voice_limit=voice_clips or None,
        cache_dir=settings.cache_dir(),
        log=lambda m: typer.echo(m, err=True),
    )
    table = pipeline_bench.markdown(results)
    typer.echo(table)
    if out:
        payload = {"results": [asdict(r) for r in results]}
        _write_report(out, "pipeline", payload, table, lambda path: pipeline_bench.plot(results, path), "pipeline_stages.png")


@bench_app.command("load")
def load(
    layouts: Annotated[
        str, typer.Option(help="Comma-separated PROCESSESxTHREADS layouts run one after another, side by side in one table.")
    ] = "1x1,2x1",
    conversations: Annotated[int, typer.Option(min=1, max=500, help="Concurrent conversations.")] = 50,
    turns: Annotated[int, typer.Option(min=1, max=10, help="Turns per conversation, at most (scripted conversations).")] = 4,
    max_seconds: Annotated[float, typer.Option(min=5, max=900, help="Longest load a layout gets; unfinished turns count as errors.")] = 300,
    store: Annotated[Optional[Path], typer.Option("--store", help="Store directory (default: the demo store).")] = None,
    out: Annotated[Optional[Path], typer.Option(help="Also write load.json and load.md here.")] = None,
) -> None:
    """Concurrent conversations through /api/chat of real `serve` processes on 127.0.0.1: turns/s, p50/p95, errors, memory, start-up."""
    offline_environment()
    from assistant.app import ensure_demo_store
    from assistant.evals import load_bench

    try:
        for layout in layouts.split(","):
            load_bench.parse_layout(layout.strip())
    except ValueError as exc:
        fail(str(exc))
    if store is None:
        ensure_demo_store(get_settings())  # built once here, not by each server
    typer.echo(f"machine: {machine()}\n", err=True)
    results = [
        load_bench.run_layout(layout.strip(), conversations, turns, max_seconds, store, log=lambda m: typer.echo(m, err=True))
        for layout in layouts.split(",")
    ]
    table = load_bench.markdown(results)
    typer.echo(table)
    if out:
        _write_report(out, "load", {"results": [asdict(r) for r in results]}, table)


@bench_app.command("widget")
def widget(
    store: Annotated[Optional[Path], typer.Option("--store", help="Store directory (default: the demo store).")] = None,
    screenshots: Annotated[
        Optional[Path], typer.Option(help="Also save a scripted conversation at phone and desktop sizes here (docs/screenshots).")
    ] = None,
    out: Annotated[Optional[Path], typer.Option(help="Also write widget.json and widget.md here.")] = None,
) -> None:
    """Opening the widget in Chromium against a real `serve`: requests, KB transferred and ms to a usable box, cold and warm."""
    from assistant.evals import widget_bench

    results = _browser_bench(widget_bench.run, store, screenshots)
    table = widget_bench.markdown(results)
    typer.echo(table)
    if out:
        _write_report(out, "widget", {"results": [asdict(r) for r in results]}, table)


@bench_app.command("owner")
def owner(
    store: Annotated[Optional[Path], typer.Option("--store", help="Store directory (default: the demo store).")] = None,
    screenshots: Annotated[
        Optional[Path], typer.Option(help="Also save the owner page's views at phone and desktop sizes here (docs/screenshots).")
    ] = None,
) -> None:
    """The owner page against a real `serve` on scripted conversations: ms per view, and screenshots."""
    from assistant.evals import owner_bench

    typer.echo(owner_bench.markdown(_browser_bench(owner_bench.run, store, screenshots)))


def _browser_bench(run, store: Path | None, screenshots: Path | None) -> list:
    """A bench that drives Debian's Chromium against a real `serve` of ``store`` (default: the demo store, built if needed)."""
    offline_environment()
    from assistant.app import ensure_demo_store

    if store is None:
        ensure_demo_store(get_settings())
    typer.echo(f"machine: {machine()}\n", err=True)
    try:
        return run(store, screenshots, get_settings().chromium, log=lambda m: typer.echo(m, err=True))
    except RuntimeError as exc:
        fail(str(exc))


@bench_app.command("asr")
def asr(
    clips: Annotated[int, typer.Option(help="Spoken clips to transcribe with each engine (voices taken in turn).")] = 30,
    threads: Annotated[Optional[int], typer.Option(help="CPU threads for both engines (default: the asr_threads setting).")] = None,
    compute_type: Annotated[
        str, typer.Option(help="faster-whisper compute type: int8 as the assistant runs, or float32 to match openai-whisper's precision.")
    ] = "int8",
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
    from assistant.evals import asr_compare
    from assistant.evals.voice import load_manifest
    from assistant.evals.voice_set import build
    from assistant.voice.asr import resolve_model

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
    typer.echo(
        f"machine: {machine()}\nmodel: {model_dir} (faster-whisper {compute_type}; openai-whisper float32 from {cache_path})\n", err=True
    )
    comparison = asr_compare.compare([c.audio for c in chosen], model_dir, cache_path, threads=threads, compute_type=compute_type)
    rows, between = asr_compare.summarise(comparison, [c.text for c in chosen])
    typer.echo(asr_compare.markdown(comparison, rows, between))


@eval_app.command("retrieval")
def eval_retrieval(
    store: StoreOption = None,
    devset: Annotated[Optional[Path], typer.Option(help="Labelled queries (default: the demo development set).")] = None,
    stores: Annotated[
        bool, typer.Option("--stores", help="The demo store and the bundled test stores side by side (their retrieval_dev.jsonl).")
    ] = False,
    errors: Annotated[
        Optional[Path],
        typer.Option(
            help="With --stores: write each query whose results break a labelled constraint, and each not-carried one shown products, to this JSONL file."
        ),
    ] = None,
) -> None:
    """nDCG@10, recall@10 and constraint violations: keyword, dense and hybrid side by side."""
    if stores:
        _eval_retrieval_stores(errors)
        return
    from assistant.app import demo_path
    from assistant.evals.stores import parsed_extractor
    from retrieval.bench.evaluation import evaluate, format_table, load_devset

    services = store_services(store)
    rows = evaluate(services.products, load_devset(devset or demo_path("retrieval_dev.jsonl")), parsed_extractor(services))
    typer.echo(format_table(rows))


def _eval_retrieval_stores(errors: Path | None = None) -> None:
    import tempfile

    from assistant.app import demo_path
    from assistant.evals import stores as store_eval

    settings = get_settings()
    reports = []
    graded = tuple(name for name in store_eval.BUNDLED[1:] if (store_eval.bundle_dir(name) / "retrieval_dev.jsonl").exists())
    with tempfile.TemporaryDirectory(prefix="shopassist-eval-retrieval-") as work:
        for name, services in store_eval.bundled_services(settings, Path(work), graded, log=lambda line: typer.echo(line, err=True)):
            devset = demo_path("retrieval_dev.jsonl") if name == "demo" else store_eval.bundle_dir(name) / "retrieval_dev.jsonl"
            reports.append(store_eval.evaluate_retrieval(name, services, devset, held_out=name in store_eval.HELD_OUT))
    typer.echo(f"intent parser: {settings.intent_parser}\n")
    typer.echo(store_eval.retrieval_markdown(reports))
    if errors is not None:
        write_errors(errors, (record for report in reports for record in report.errors))


@eval_app.command("measures")
def eval_measures(
    errors: Annotated[Optional[Path], typer.Option(help="Write each query read wrongly to this JSONL file.")] = None,
    set_name: Annotated[
        str, typer.Option("--set", help="heldout2 (held out) or heldout (a development set since its errors were read).")
    ] = "heldout2",
) -> None:
    """Measures stated in shoppers' words ("at least 30 litres") read as constraints on the
    catalog's numeric attributes: the held-out set, demo and test stores side by side."""
    import tempfile

    from assistant.evals import measures_eval
    from assistant.evals import stores as store_eval

    settings = get_settings()
    if set_name not in measures_eval.SETS:
        fail(f"--set: one of {', '.join(measures_eval.SETS)}")
    items = measures_eval.load(measures_eval.heldout_path(set_name))
    reports = []
    with tempfile.TemporaryDirectory(prefix="shopassist-eval-measures-") as work:
        measured = tuple(n for n in store_eval.BUNDLED[1:] if any(i["store"] == n for i in items))  # the stores the set has items for
        for name, services in store_eval.bundled_services(settings, Path(work), measured, log=lambda line: typer.echo(line, err=True)):
            chosen = [i for i in items if i["store"] == name]
            extract = store_eval.parsed_extractor(services)
            reports.append(measures_eval.evaluate(name, extract, chosen, held_out_store=name in store_eval.HELD_OUT))
    typer.echo(f"set: {set_name}; intent parser: {settings.intent_parser}\n")
    typer.echo(measures_eval.markdown(reports))
    if errors is not None:
        write_errors(errors, (record for report in reports for record in report.errors))


@eval_app.command("asr")
def eval_asr(
    store: StoreOption = None,
    voice_set: Annotated[Optional[Path], typer.Option(help="Folder with manifest.jsonl (default: generated into the cache).")] = None,
    details: Annotated[Optional[Path], typer.Option(help="Write every clip's transcript and intents to this JSONL file.")] = None,
) -> None:
    """Word error rate, intent accuracy (transcript vs original text) and latency, with and without vocabulary bias."""
    from assistant.evals.voice import evaluate, format_rows, format_stages, listening_context, load_manifest, voice_turn_timings
    from assistant.evals.voice_set import build

    settings = get_settings()
    services = store_services(store)
    folder = voice_set or settings.cache_dir() / "voice_set"
    manifest = folder / "manifest.jsonl"
    if not manifest.exists():
        if voice_set is not None:
            fail(f"{manifest}: no such file")
        typer.echo(f"speaking the voice set into {folder} (first run only)", err=True)
        build(folder)
    clips = load_manifest(manifest)
    transcriber = services.asr()
    context = listening_context(services)
    transcriber.transcribe(clips[0].audio)  # warm-up, not measured
    rows, all_details = [], []
    for name, prompt in (("Whisper tiny.en, vocabulary bias", True), ("Whisper tiny.en, no bias", False)):
        if settings.asr_model not in ("tiny.en", "", "default"):
            name = name.replace("tiny.en", settings.asr_model)
        row, found = evaluate(clips, transcriber, services.parser, context, prompt=prompt, name=name)
        rows.append(row)
        all_details.extend({**d, "configuration": name} for d in found)
    voices = sorted({c.voice for c in clips})
    typer.echo(f"{len(clips)} clips ({', '.join(voices)}), {sum(1 for _ in clips) // max(len(voices), 1)} queries per voice\n")
    typer.echo(format_rows(rows))
    typer.echo("\nWhole voice turns (audio in, reply out), per stage:\n")
    typer.echo(format_stages(voice_turn_timings(clips, services)))
    if details:
        details.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in all_details) + "\n", encoding="utf-8")


FEW_SHOT = """Parse the shopper message.
msg: waterproof running shoes under $80 size 10
parse: search;q=waterproof running shoes;c=shoes;sz=10;max=80
Parse the shopper message.
now: q=headphones;c=headphones
shown: 1. Sony WH-1000XM5 Wireless | 2. Bose QuietComfort Ultra
msg: battery life on the second one?
parse: question;r=2;a=battery_life_hours
Parse the shopper message.
msg: where is order NW-100002, email mia.reyes@example.com
parse: order;o=NW-100002;e=mia.reyes@example.com
Parse the shopper message.
msg: what's your return policy
parse: policy;t=returns
Parse the shopper message.
msg: can you book me a flight
parse: none
"""


def _llm_parser(
    services, adapter: Path | None, few_shot: str = "", threads: int | None = None, quantize: str = "int8", reference_model: bool = False
):
    from assistant.intent.base_model import base_model_dir
    from assistant.intent.llm import LLMIntentParser
    from assistant.intent.rules import RuleIntentParser

    settings = get_settings()
    return LLMIntentParser(
        base_model_dir(settings.cache_dir()),
        adapter,
        services.vocabulary,
        RuleIntentParser(services.vocabulary),
        threads=threads or settings.torch_threads,
        few_shot=few_shot,
        quantize=quantize,
        reference_model=reference_model,
    )


@eval_app.command("intent")
def eval_intent(
    store: StoreOption = None,
    devset: Annotated[Optional[Path], typer.Option(help="Labelled utterances (default: the shipped set named by --split).")] = None,
    split: Annotated[
        str, typer.Option(help="Shipped labelled set: dev (284, used to tune) or test (150, held out for a final check).")
    ] = "dev",
    adapter: AdapterOption = None,
    base: Annotated[bool, typer.Option("--base/--no-base", help="Also run the base model with a few examples (slow).")] = True,
    errors: Annotated[Optional[Path], typer.Option(help="Write every wrong frame to this JSONL file.")] = None,
    heldout: Annotated[
        bool, typer.Option("--heldout/--no-heldout", help="Also score the held-out customer-service and out-of-scope sets.")
    ] = True,
    ablations: Annotated[
        bool,
        typer.Option(
            "--ablations",
            help="Also score the fine-tuned model without grounding, without the rules' completion, with constrained decoding, in fp32 and with torch.ao's int8.",
        ),
    ] = False,
) -> None:
    """Intent accuracy, slot P/R/F1, frame accuracy, out-of-scope and invalid-output rates: rules vs base vs fine-tuned."""
    from assistant.app import adapter_dir
    from assistant.evals.intent import SPLITS, evaluate, format_reports, format_slots, load_devset
    from assistant.intent.rules import RuleIntentParser

    if split not in SPLITS:
        raise typer.BadParameter(f"--split is one of {', '.join(SPLITS)}")
    services = store_services(store)
    examples = load_devset(devset, split)
    reports = [evaluate(RuleIntentParser(services.vocabulary), examples, "rules")]
    if base:
        reports.append(evaluate(_llm_parser(services, None, FEW_SHOT), examples, "Gemma 270M base, few-shot"))
    if ablations:
        for quantize, label in (("fp32", "fp32 weights"), ("torch-dynamic", "torch.ao dynamic int8 (one activation scale per pass)")):
            other = _llm_parser(services, adapter or adapter_dir(get_settings(), store), quantize=quantize)
            reports.append(evaluate(other, examples, f"Gemma 270M + LoRA, {label}"))
            del other
    adapter = adapter or adapter_dir(get_settings(), store)
    typer.echo(f"adapter: {adapter}", err=True)
    tuned = _llm_parser(services, adapter)
    if heldout:
        from assistant.evals.service import HELDOUT, SETS, markdown, parse_report

        rules = RuleIntentParser(services.vocabulary)
        held = {which: [parse_report(rules, "rules", which), parse_report(tuned, "Gemma 270M + LoRA", which)] for which in SETS}
    if ablations:
        tuned.ground_slots = False
        reports.append(evaluate(tuned, examples, "Gemma 270M + LoRA, ungrounded"))
        tuned.ground_slots, tuned.complete_slots = True, False
        reports.append(evaluate(tuned, examples, "Gemma 270M + LoRA, grounded, no completion from the rules"))
        tuned.complete_slots = tuned.constrained = True
        reports.append(evaluate(tuned, examples, "Gemma 270M + LoRA, constrained decoding"))
        tuned.constrained = False
    reports.append(evaluate(tuned, examples, "Gemma 270M + LoRA"))
    typer.echo(f"{len(examples)} hand-written utterances ({devset or split})\n")
    typer.echo(format_reports(reports))
    typer.echo("")
    typer.echo(format_slots(reports))
    if heldout:
        for which, reports_of_set in held.items():
            kept = "held out, errors not printed" if which == HELDOUT else "its errors were read: a development set"
            typer.echo("\nCustomer-service requests (each intent that helps counts) and out-of-scope messages")
            typer.echo(f"(assistant/evals/{which}, {kept}):\n")
            typer.echo(markdown(reports_of_set))
    if errors:
        write_errors(errors, ({"report": r.name, **e} for r in reports for e in r.errors))


@eval_app.command("service")
def eval_service(
    store: Annotated[
        list[Path], typer.Option("--store", help="A store directory to answer on (default: the demo and the bundled test stores).")
    ] = [],
    kinds: Annotated[bool, typer.Option("--kinds/--no-kinds", help="Also print requests routed per request kind.")] = False,
    which: Annotated[
        str, typer.Option("--set", help="The set: heldout2 (held out) or heldout (its errors were read: a development set).")
    ] = "heldout2",
    errors: Annotated[
        Path | None, typer.Option(help="Write each store's errors with their text here (JSON lines); not for a held-out set.")
    ] = None,
) -> None:
    """The customer-service and out-of-scope sets through the whole turn, side by side per store."""
    import shutil
    import tempfile

    from assistant.app import open_services
    from assistant.evals.service import HELDOUT, SETS, error_records, kinds_markdown, markdown, reply_report

    if which not in SETS:
        raise typer.BadParameter(f"one of {', '.join(SETS)}", param_hint="--set")
    if errors is not None and which == HELDOUT:
        raise typer.BadParameter(f"{HELDOUT} is held out: its errors are not written", param_hint="--errors")
    from assistant.evals.stores import BUNDLED, HELD_OUT, build_store, bundle_dir

    settings = get_settings()
    reports = []
    with tempfile.TemporaryDirectory(prefix="shopassist-service-") as work:
        targets: list[tuple[str, Path]] = []
        for path in store:
            copy = Path(work) / path.name
            shutil.copytree(path, copy)
            targets.append((path.name, copy))
        if not store:
            for name in BUNDLED:
                typer.echo(f"building the {name} store", err=True)
                targets.append(
                    (name + (" (held out)" if name in HELD_OUT else ""), build_store(bundle_dir(name), Path(work) / name, settings))
                )
        for name, target in targets:
            services = open_services(settings, target)
            services.log = None
            typer.echo(f"answering on {name} ({services.store_name})", err=True)
            reports.append(reply_report(services, name, which))
    typer.echo(markdown(reports, "store"))
    if errors is not None:
        write_errors(errors, error_records(reports, which))
    if kinds:
        typer.echo("")
        typer.echo(kinds_markdown(reports))


@bench_app.command("intent")
def bench_intent(
    store: StoreOption = None,
    adapter: AdapterOption = None,
    n: Annotated[int, typer.Option(min=0, help="Development utterances for the fast path (0: all of them).")] = 0,
    naive: Annotated[
        int, typer.Option(min=1, help="Utterances for the naive generate() baseline (about 1-2 s each), spread over the set.")
    ] = 20,
    threads: Annotated[Optional[int], typer.Option(min=1, help="Torch threads (default: the torch_threads setting).")] = None,
) -> None:
    """Parse latency p50/p95: the engineered fast path next to a naive model.generate() baseline, same run."""
    import statistics

    from assistant.app import adapter_dir
    from assistant.evals.intent import CONTEXTS, load_devset
    from assistant.intent.format import render_prompt
    from assistant.intent.llm import naive_generate, timed
    from retrieval.bench.stats import percentile

    services = store_services(store)
    examples = load_devset()
    parser = _llm_parser(services, adapter or adapter_dir(get_settings(), store), threads=threads, reference_model=True)
    typer.echo(f"torch threads: {threads or get_settings().torch_threads}", err=True)
    parser.parse(examples[0].text, CONTEXTS[examples[0].context])  # warm-up
    chosen = examples[: n or None]
    fast = [timed(parser.parse, ex.text, CONTEXTS[ex.context])[1] for ex in chosen]
    stats = dataclasses.replace(parser.stats)
    parser.draft = False
    undrafted = [timed(parser.parse, ex.text, CONTEXTS[ex.context])[1] for ex in chosen]
    parser.draft = True
    picks = list(range(0, len(chosen), max(1, len(chosen) // max(1, naive))))[:naive]
    slow = [
        timed(naive_generate, parser.model, parser.tokenizer, render_prompt(chosen[i].text, CONTEXTS[chosen[i].context]))[1] for i in picks
    ]
    rows = [
        ("fast path (rules' draft verified, lean int8 decoder, cached head, restricted vocabulary)", fast),
        ("fast path without the draft (one token a pass)", undrafted),
        ("fast path, the naive row's utterances", [fast[i] for i in picks]),
        ("naive model.generate() (transformers, fp32, full vocabulary)", slow),
    ]
    typer.echo("| decoder | parses | p50 ms | p95 ms | mean ms |\n|---|---:|---:|---:|---:|")
    for name, values in rows:
        typer.echo(
            f"| {name} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 95):.0f} | {statistics.mean(values):.0f} |"
        )
    parses = max(1, stats.parses)
    typer.echo(
        f"\nfast path: {stats.forward_passes / parses:.2f} forward passes a parse; {stats.accepted}/{stats.drafted} "
        f"draft tokens accepted ({stats.acceptance_rate:.0%}); fallbacks to the rule parser: {stats.fallbacks}/{stats.parses}"
    )


@bench_app.command("batching")
def bench_batching(
    store: StoreOption = None,
    adapter: AdapterOption = None,
    n: Annotated[int, typer.Option(min=1, help="Development utterances parsed in each row.")] = 160,
    concurrency: Annotated[list[int], typer.Option(help="Threads parsing at once (repeat the option for several).")] = [1, 4, 8],
    rounds: Annotated[int, typer.Option(min=1, help="Times each row is measured, alternating the modes.")] = 2,
) -> None:
    """Parses per second and latency when several threads parse at once, with concurrent parses
    decoded together (``LLMIntentParser.line``) and one at a time (as before), side by side in
    one run: the intent model is most of a turn's cost under load."""
    import statistics

    from assistant.app import adapter_dir
    from assistant.evals.intent import CONTEXTS, load_devset, parse_concurrently
    from assistant.intent.llm import MAX_BATCH
    from retrieval.bench.stats import percentile

    services = store_services(store)
    examples = load_devset()[:n]
    parser = _llm_parser(services, adapter or adapter_dir(get_settings(), store))
    for ex in examples[:8]:  # warm-up
        parser.parse(ex.text, CONTEXTS[ex.context])
    results: dict[tuple[int, str], list[tuple[float, list[float], dict]]] = {}
    for _ in range(rounds):
        for k in concurrency:
            for mode, limit in (("one at a time", 1), ("decoded together", MAX_BATCH)):
                parser._batcher.limit = limit
                results.setdefault((k, mode), []).append(parse_concurrently(parser, examples, k))
    parser._batcher.limit = MAX_BATCH
    typer.echo(f"{len(examples)} development utterances a row, {rounds} rounds; torch threads: {get_settings().torch_threads}\n")
    typer.echo("| threads parsing at once | concurrent parses | parses/s | p50 ms | p95 ms | same parses as one at a time |")
    typer.echo("|---:|---|---:|---:|---:|---|")
    for (k, mode), runs in results.items():
        rate = statistics.median(len(examples) / wall for wall, _, _ in runs)
        every = [x for _, lat, _ in runs for x in lat]
        same = all(run[2] == results[(k, "one at a time")][0][2] for run in runs)
        typer.echo(
            f"| {k} | {mode} | {rate:.1f} | {statistics.median(every):.0f} | {percentile(every, 95):.0f} | {'yes' if same else 'no'} |"
        )


#: optimizer steps of ``train intent --store`` (continuing from the shipped adapter): about 25
#: minutes on 2 CPU cores at 4-5 s a step, inside the hour with the data and the model's loading
STORE_STEPS = 300


@train_app.command("intent")
def train_intent(
    out: Annotated[
        Optional[Path],
        typer.Option(help="Adapter folder (default: the shipped one; with --store or --corrections, the store's DIR/intent-adapter)."),
    ] = None,
    steps: Annotated[
        Optional[int],
        typer.Option(min=1, help=f"Optimizer steps (about 5 s each on 2 CPU cores; default 600, {STORE_STEPS} with --store)."),
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Examples per step.")] = 16,
    examples: Annotated[int, typer.Option(help="Generated training examples.")] = 12000,
    store_share: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="With --store: the share of the examples drawn from the store's own catalog.")
    ] = 0.5,
    learning_rate: Annotated[
        Optional[float], typer.Option(help="Peak learning rate (default 4e-4; 2e-4 with --store, 1e-4 with --corrections).")
    ] = None,
    init_adapter: Annotated[
        Optional[Path], typer.Option(help="Continue from this adapter (default: none; with --store, the shipped one).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for data, shuffling and initialisation.")] = 13,
    max_minutes: Annotated[float, typer.Option(help="Stop (and save) after this many minutes.")] = 55.0,
    threads: Annotated[
        Optional[int], typer.Option(min=1, help="Torch threads (default: every core; training, unlike a parse, gains from them).")
    ] = None,
    corrections: Annotated[
        bool,
        typer.Option(
            "--corrections",
            help="Fold the store's corrections (owner page) into the adapter it serves; prints the held-out figures before and after.",
        ),
    ] = False,
    store: StoreOption = None,
    repeats: Annotated[int, typer.Option(min=1, help="With --corrections: times each correction appears among the examples.")] = 8,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="With --corrections: train a new adapter rather than go on training the one served.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --corrections: install the new adapter even if the intent dev set fell.")
    ] = False,
) -> None:
    """LoRA fine-tuning of Gemma 3 270M into the intent parser (seeded; progress bar and loss log).
    With --store DIR alone, adapts the shipped parser to that shop's categories, brands and words
    (a GPU is used when torch sees one); with --corrections, folds the owner's corrections in."""
    import random

    from tqdm import tqdm

    from assistant.intent.base_model import base_model_dir
    from assistant.intent.data.generate import generate
    from assistant.intent.llm import ADAPTER_DIR, check_format
    from assistant.intent.train import TrainConfig, train

    settings = get_settings()
    target = out or ADAPTER_DIR
    start_from: Path | None = None
    before = None
    meta: dict = {}
    if corrections:
        from assistant.app import STORE_ADAPTER, adapter_dir, conversation_log
        from assistant.evals import learning

        rows = generate(examples, seed=seed)
        store_dir = store or settings.store_dir()
        log = conversation_log(store_dir, database_url=settings.database_url)
        kept = log.corrections()
        log.close()
        folded, refused = learning.correction_rows(kept, learning.evaluation_texts(), repeats)
        for correction in refused:
            typer.echo(f"refused (an evaluation set holds this message): {correction.text!r}", err=True)
        if not folded:
            fail(f"no corrections to fold in from {store_dir} (mark them on the owner page, /admin/corrections)")
        serving = adapter_dir(settings, store_dir)
        start_from = None if fresh else serving
        installed = out or Path(store_dir) / STORE_ADAPTER
        target = installed.with_name(installed.name + ".next")  # installed only if the dev set holds
        typer.echo(f"{len(kept) - len(refused)} corrections, each {repeats} times among {len(rows)} generated examples", err=True)
        typer.echo(f"figures of the adapter served now ({serving}) ...", err=True)
        before = learning.held_out_figures(_llm_parser(store_services(None), serving))
        rows += folded
    elif store is not None:
        from assistant.app import STORE_ADAPTER, store_products
        from retrieval.store import StoreError

        try:
            products = store_products(store)
        except StoreError as exc:
            fail(str(exc))
        start_from = init_adapter or ADAPTER_DIR
        if not (start_from / "adapter_model.safetensors").exists():
            fail(f"no adapter to continue from in {start_from}: train the shipped one first (`shopassist train intent`)")
        target = out or store / STORE_ADAPTER
        own = round(examples * store_share)
        rows = generate(own, seed=seed, catalog=products) + generate(examples - own, seed=seed + 1)
        random.Random(seed).shuffle(rows)
        meta = {"store": str(store), "store_products": len(products), "store_examples": own}
        typer.echo(f"{len(products)} products in {store}: {own} examples from its catalog, {examples - own} general ones", err=True)
    else:
        start_from = init_adapter
        rows = generate(examples, seed=seed)
    if start_from is not None:
        check_format(start_from)
    steps = steps or (STORE_STEPS if store is not None and not corrections else 600)
    typer.echo(f"{len(rows)} training examples; base model {base_model_dir(settings.cache_dir())}", err=True)
    config = TrainConfig(
        steps=steps,
        batch_size=batch_size,
        examples=examples,
        seed=seed,
        max_minutes=max_minutes,
        threads=threads or os.cpu_count() or 1,
        learning_rate=learning_rate or 4e-4,
        warmup_steps=min(30, max(1, steps // 10)),
    )
    if start_from is not None and learning_rate is None:  # continuing: a round of corrections, or one shop's words
        config = dataclasses.replace(config, learning_rate=config.learning_rate / (4 if corrections else 2))
    bar = tqdm(total=steps, desc="training", unit="step")

    def step(n: int, loss: float) -> None:
        bar.update(1)
        bar.set_postfix(loss=f"{loss:.3f}")

    loss_log = target / "loss.jsonl"
    target.mkdir(parents=True, exist_ok=True)
    losses = train(
        base_model_dir(settings.cache_dir()), target, rows, config, on_step=step, loss_log=loss_log, init_adapter=start_from, meta=meta
    )
    bar.close()
    first, last = sum(losses[:10]) / max(1, len(losses[:10])), sum(losses[-10:]) / max(1, len(losses[-10:]))
    typer.echo(f"adapter saved to {target}; loss {first:.3f} (first 10 steps) -> {last:.3f} (last 10); log {loss_log}")
    if before is not None:
        import shutil

        from assistant.evals import learning

        after = learning.held_out_figures(_llm_parser(store_services(None), target))
        typer.echo(learning.markdown_figures(before, after))
        if after.dev < before.dev and not force:
            fail(
                f"not installed: the intent dev set fell from {before.dev:.1%} to {after.dev:.1%}; the adapter is kept in {target} "
                "(--force installs it anyway)"
            )
        if installed.exists():
            shutil.rmtree(installed)
        target.rename(installed)
        typer.echo(f"installed in {installed}: `shopassist serve` on this store uses it from its next start")


@eval_app.command("corrections")
def eval_corrections(
    steps: Annotated[int, typer.Option(help="Optimizer steps of the round (about 5 s each on 2 CPU cores).")] = 120,
    repeats: Annotated[int, typer.Option(min=1, help="Times each correction appears among the examples.")] = 8,
    examples: Annotated[int, typer.Option(help="Generated examples the corrections are mixed into.")] = 12000,
    adapter: Annotated[Optional[Path], typer.Option(help="The adapter before the round (default: the shipped one).")] = None,
    out: Annotated[Optional[Path], typer.Option(help="Keep the round's adapter here (default: a temporary folder).")] = None,
    learning_rate: Annotated[
        Optional[float], typer.Option(help="Peak learning rate (default: 1e-4 for a round; the first training's 4e-4 with --fresh).")
    ] = None,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Train a new adapter from the base model with the shipped recipe (`train intent --corrections --fresh`: "
            "use --steps 800) instead of a round from the adapter.",
        ),
    ] = False,
    memory: Annotated[
        bool,
        typer.Option(
            "--memory",
            help="No training: the corrections recalled at parse time (what the chat does from the moment one is saved), "
            "and the development sets' table the recall's threshold was chosen from.",
        ),
    ] = False,
) -> None:
    """A round of owner corrections on the two test stores: figures before and after, corrected kinds and everything else."""
    import tempfile

    from assistant.app import open_services
    from assistant.evals import learning
    from assistant.evals import stores as store_eval
    from assistant.intent.base_model import base_model_dir
    from assistant.intent.data.generate import generate
    from assistant.intent.llm import ADAPTER_DIR
    from assistant.intent.rules import RuleIntentParser
    from assistant.intent.train import TrainConfig, train

    settings = get_settings()
    start = adapter or ADAPTER_DIR
    demo = store_services(None)
    with tempfile.TemporaryDirectory(prefix="shopassist-corrections-") as work:
        vocabularies = {}
        for name in ("brickyard", "inkwell"):
            built = store_eval.build_store(store_eval.bundle_dir(name), Path(work) / name, settings)
            vocabularies[name] = open_services(settings, built, parser=RuleIntentParser(demo.vocabulary)).vocabulary

        def parsers(path: Path) -> dict:
            return {name: _llm_parser(dataclasses.replace(demo, vocabulary=vocab), path) for name, vocab in vocabularies.items()}

        typer.echo("before: the traffic and the held-out sets ...", err=True)
        served = parsers(start)
        demo_parser = _llm_parser(demo, start)
        traffic_before = learning.score_traffic(served)
        before = learning.held_out_figures(demo_parser)
        fixes = learning.owner_corrections(traffic_before)
        rows, refused = learning.correction_rows(fixes, learning.evaluation_texts(), repeats)
        if refused:
            fail(f"{len(refused)} corrections repeat an evaluation message: the traffic's halves overlap")
        if not rows:
            fail("no message of the correctable half was misrouted: nothing to correct")
        if memory:
            import numpy as np

            from assistant.app import corrected_by

            def embed(texts: list[str]):
                return np.asarray(demo.products.store.embedder.embed_documents(texts), dtype=np.float32)

            typer.echo(f"after: {len(fixes)} corrections recalled at parse time ...", err=True)
            traffic_after = learning.score_traffic(
                {name: corrected_by(p, vocabularies[name], lambda: fixes, embed) for name, p in served.items()}
            )
            after = learning.held_out_figures(corrected_by(demo_parser, demo.vocabulary, lambda: fixes, embed))
            kinds = learning.corrected_kinds(fixes, learning.traffic())
            typer.echo(learning.neighbour_table(embed) + "\n")
            typer.echo(learning.markdown_round(before, after, traffic_before, traffic_after, kinds, len(fixes)))
            return
        target = out or Path(work) / "adapter"
        typer.echo(f"training on {len(fixes)} corrections x {repeats} among {examples} generated examples, {steps} steps ...", err=True)
        config = TrainConfig(
            steps=steps,
            examples=examples,
            threads=os.cpu_count() or 1,
            learning_rate=learning_rate or (4e-4 if fresh else 1e-4),
            warmup_steps=min(30, max(1, steps // 10)),
            max_minutes=240.0,  # a measurement: the recipe's steps, however slow the machine
        )
        data = generate(examples, seed=config.seed) + rows
        train(base_model_dir(settings.cache_dir()), target, data, config, init_adapter=None if fresh else start)
        typer.echo("after ...", err=True)
        traffic_after = learning.score_traffic(parsers(target))
        after = learning.held_out_figures(_llm_parser(demo, target))
    kinds = learning.corrected_kinds(fixes, learning.traffic())
    typer.echo(learning.markdown_round(before, after, traffic_before, traffic_after, kinds, len(fixes)))
    typer.echo("\nTraffic by kind, before:\n\n" + learning.kinds_table(traffic_before))
    typer.echo("\nTraffic by kind, after:\n\n" + learning.kinds_table(traffic_after))


@eval_app.command("store")
def eval_store(
    store: Annotated[
        list[Path], typer.Option("--store", help="A store directory to evaluate (a copy is used); pair each with --devset.")
    ] = [],
    devset: Annotated[list[Path], typer.Option("--devset", help="Its eval.json (docs/stores.md, 'Evaluating a store').")] = [],
    bundled: Annotated[
        bool, typer.Option("--bundled/--no-bundled", help="Also build and evaluate the demo store and the bundled test stores.")
    ] = True,
    errors: Annotated[Optional[Path], typer.Option(help="Write every missed question and turn to this JSONL file.")] = None,
) -> None:
    """Policy section accuracy, dialogue turns right and leaks of other stores' facts: demo and test stores side by side."""
    import tempfile

    from assistant.evals import stores as store_eval

    if len(store) != len(devset):
        raise typer.BadParameter("give one --devset for each --store")
    for path in devset:
        if not path.is_file():
            raise typer.BadParameter(f"--devset {path}: no such file (its format: docs/stores.md, 'Evaluating a store')")
    for path in store:
        if not (path / "profile.yaml").is_file():
            raise typer.BadParameter(f"--store {path}: not a store directory with a profile.yaml (docs/stores.md)")
    settings = get_settings()
    chosen: list[tuple[str, Path | None, Path]] = []
    if bundled:
        chosen += [(name, None, store_eval.bundle_dir(name) / "eval.json") for name in store_eval.BUNDLED]
    chosen += [(Path(s).name, Path(s), Path(d)) for s, d in zip(store, devset)]
    if not chosen:
        raise typer.BadParameter("nothing to evaluate: give --store and --devset, or --bundled")
    with tempfile.TemporaryDirectory(prefix="shopassist-eval-store-") as work:
        reports = store_eval.run(chosen, settings, Path(work), log=lambda m: typer.echo(m, err=True))
    typer.echo(f"intent parser: {settings.intent_parser}\n")
    typer.echo(store_eval.markdown(reports))
    if errors:
        write_errors(errors, ({"store": r.name, **e} for r in reports for e in r.errors))


@eval_app.command("policies")
def eval_policies(
    adapter: Annotated[Optional[Path], typer.Option(help="Policy encoder adapter folder (default: the shipped one).")] = None,
    training: Annotated[bool, typer.Option("--training", help="Also report the encoder's training shops (a fit, not a measure).")] = False,
    reranker: Annotated[Optional[Path], typer.Option(help="Policy reranker folder (default: the shipped one, when there is one).")] = None,
) -> None:
    """The policy search alone: section accuracy per shop, store encoder, tuned policy encoder and
    the policy reranker after it, side by side."""
    from assistant.evals import policies as policy_eval
    from retrieval.embeddings import load_default_embedder
    from retrieval.policy_model import ADAPTER_DIR, load_policy_encoder
    from retrieval.policy_model.rerank import RERANK_DIR, load_policy_reranker

    folder = adapter or ADAPTER_DIR
    if not (folder / "adapter_model.safetensors").is_file():
        fail(f"{folder}: no adapter_model.safetensors (train one with `shopassist train policies`)")
    settings = get_settings()
    encoder = load_policy_encoder(folder)
    rankers = {"store encoder": (None, None), "policy encoder": (encoder, None)}
    reader = load_policy_reranker(reranker or RERANK_DIR)
    if reader is not None:
        rankers["policy encoder + reranker"] = (encoder, reader)
    elif reranker is not None:
        fail(f"{reranker}: no reranker there (train one with `shopassist train policy-reranker`)")
    rows = policy_eval.run(
        policy_eval.policy_sets(training), load_default_embedder(settings.torch_threads, settings.encoder_dir()), rankers
    )
    typer.echo(f"policy encoder: {folder}; reranker: {reader.name if reader else 'none'}\n")
    typer.echo(policy_eval.markdown(rows, list(rankers)))


def _policy_training_shops() -> list:
    """The labelled shops of retrieval/policy_model/shops, or a clear error naming the bad line."""
    from retrieval.errors import PolicyError
    from retrieval.policy_model import SHOPS_DIR
    from retrieval.policy_model.train import load_shops

    try:
        shops = load_shops(SHOPS_DIR)
    except PolicyError as exc:
        fail(f"training data: {exc}")
    typer.echo(f"{len(shops)} shops, {sum(len(s.questions) for s in shops)} questions", err=True)
    return shops


@train_app.command("policy-reranker")
def train_policy_reranker(
    out: Annotated[Optional[Path], typer.Option(help="Reranker folder (default: the shipped one).")] = None,
    steps: Annotated[int, typer.Option(min=1, help="Optimizer steps (8 questions x 4 sections each).")] = 400,
    learning_rate: Annotated[float, typer.Option(help="AdamW learning rate (warm-up, then linear decay).")] = 1e-3,
    seed: Annotated[int, typer.Option(help="Seed for sampling and initialisation.")] = 13,
) -> None:
    """Train the policy reranker (a cross-encoder over the search's first sections) on the shops in
    retrieval/policy_model/shops (never an evaluation shop)."""
    from retrieval.embeddings import load_default_embedder
    from retrieval.policy_model.rerank import RERANK_DIR
    from retrieval.policy_model.train import RerankConfig, train_reranker

    shops = _policy_training_shops()
    config = RerankConfig(steps=steps, learning_rate=learning_rate, seed=seed, threads=os.cpu_count() or 1)
    embedder = load_default_embedder(1, get_settings().encoder_dir())
    record = train_reranker(shops, out or RERANK_DIR, config, embedder, log=lambda m: typer.echo(m, err=True))
    typer.echo(json.dumps(record, indent=2))
    typer.echo("now: shopassist eval policies", err=True)


@train_app.command("policies")
def train_policies(
    out: Annotated[Optional[Path], typer.Option(help="Adapter folder (default: the shipped one).")] = None,
    steps: Annotated[int, typer.Option(min=1, help="Optimizer steps (about 3.5 s each on 2 CPU cores).")] = 500,
    learning_rate: Annotated[float, typer.Option(help="AdamW learning rate (warm-up, then linear decay).")] = 1e-3,
    seed: Annotated[int, typer.Option(help="Seed for sampling and initialisation.")] = 13,
) -> None:
    """Train the policy encoder's LoRA adapter on the shops in retrieval/policy_model/shops (never an evaluation shop)."""
    from retrieval.policy_model import ADAPTER_DIR
    from retrieval.policy_model.train import TrainingConfig, train

    shops = _policy_training_shops()
    config = TrainingConfig(steps=steps, learning_rate=learning_rate, seed=seed, threads=os.cpu_count() or 1)
    record = train(shops, out or ADAPTER_DIR, config, log=lambda m: typer.echo(m, err=True))
    typer.echo(json.dumps(record, indent=2))
    typer.echo("now: shopassist eval policies", err=True)


def write_errors(path: Path, records: Iterable[dict]) -> None:
    """An evaluation's errors, one JSON object a line, in ``path`` (its folder made if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    typer.echo(f"errors written to {path}", err=True)
