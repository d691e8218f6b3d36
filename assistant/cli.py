"""`shopassist`: a thin command-line shell; each command calls one library function."""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.settings import Settings, get_settings, offline_environment

app = typer.Typer(help="Conversational shopping assistant.", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
eval_app = typer.Typer(help="Evaluations that print their figures.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
train_app = typer.Typer(help="Training of the models the assistant ships.", no_args_is_help=True)
app.add_typer(train_app, name="train")
from assistant.cli_bench import bench_app  # noqa: E402  (the `bench` group lives in its own module)

app.add_typer(bench_app, name="bench")

StoreOption = Annotated[
    Optional[Path],
    typer.Option("--store", help="Store directory (default: $SHOPASSIST_HOME/stores/demo, built from the demo catalog)."),
]


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


def _services(store: Path | None):
    """Open the given store, or the demo store (building it on first use)."""
    from assistant.stores import ensure_demo_store, open_services
    from retrieval.store import StoreError

    settings = get_settings()
    try:
        if store is None:
            ensure_demo_store(settings)
        return open_services(settings, store)
    except StoreError as exc:
        _fail(str(exc))


def _parse_mapping(items: list[str]) -> dict[str, str]:
    from retrieval.catalog import CANONICAL_FIELDS

    mapping = {}
    for item in items:
        field, sep, column = item.partition("=")
        if not sep or not field or not column:
            _fail(f"--map {item!r}: expected FIELD=COLUMN, e.g. --map title=product_name")
        if field not in CANONICAL_FIELDS:
            _fail(f"--map {item!r}: {field!r} is not a canonical field ({', '.join(CANONICAL_FIELDS)})")
        mapping[field] = column
    return mapping


@app.callback()
def _setup(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False) -> None:
    offline_environment()
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="Catalog file: .jsonl, .json (array) or .csv in the canonical schema.")],
    store: StoreOption = None,
    map_: Annotated[list[str], typer.Option("--map", help="Map a canonical field to your column: FIELD=COLUMN (repeatable).")] = [],
    mapping_file: Annotated[Optional[Path], typer.Option("--mapping", help="JSON file {canonical field: your column}.")] = None,
    sync: Annotated[bool, typer.Option("--sync", help="Delete products that are no longer in the file.")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar while embedding.")] = True,
) -> None:
    """Validate, clean and index a catalog; rejected rows go to a quarantine file with the reason."""
    from assistant.stores import ingest_into
    from retrieval.catalog import CatalogFileError

    settings = get_settings()
    mapping = _parse_mapping(map_)
    if mapping_file:
        try:
            mapping = {**json.loads(mapping_file.read_text()), **mapping}
        except (OSError, json.JSONDecodeError) as exc:
            _fail(f"--mapping {mapping_file}: {exc}")
    store_dir = store or settings.store_dir()
    try:
        report, seeded = ingest_into(store_dir, path, settings, mapping=mapping, sync=sync, progress=progress)
    except CatalogFileError as exc:
        _fail(str(exc))
    typer.echo(report.summary())
    for item in report.quarantined[:10]:
        typer.echo(f"  line {item.line}: {item.reason}")
    if len(report.quarantined) > 10:
        typer.echo(f"  ... and {len(report.quarantined) - 10} more (see the quarantine file)")
    if seeded:
        typer.echo(f"store had no {' or '.join(seeded)}: added the demo ones (replace policies with `shopassist policies DIR`)")
    typer.echo(f"store: {store_dir}")


@app.command()
def policies(
    folder: Annotated[Path, typer.Argument(help="Folder of Markdown (.md) or text policy documents.")],
    store: StoreOption = None,
) -> None:
    """Replace the store's policy documents."""
    from retrieval.embeddings import load_default_embedder
    from retrieval.policies import PolicyError, ingest_policies
    from retrieval.store import Store

    settings = get_settings()
    try:
        count = ingest_policies(Store(store or settings.store_dir(), load_default_embedder(settings.torch_threads)), folder)
    except PolicyError as exc:
        _fail(str(exc))
    typer.echo(f"indexed {count} policy sections from {folder}")


def _print_reply(result, as_json: bool) -> None:
    from assistant.replay import turn_json

    if as_json:
        typer.echo(json.dumps(turn_json("ask", 1, result), ensure_ascii=False))
        return
    typer.echo(result.reply.text)
    if result.reply.handoff:
        typer.echo(f"[hand-off ticket {result.reply.handoff.ticket_id}]")


@app.command()
def ask(
    question: Annotated[Optional[str], typer.Argument(help="The shopper's question (or give --audio).")] = None,
    audio: Annotated[Optional[Path], typer.Option("--audio", help="A recording of the question (wav, mp3, ogg, webm, m4a, flac).")] = None,
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the reply as one replay-contract JSON line.")] = False,
) -> None:
    """Answer one question, typed or spoken."""
    from assistant.dialogue import Session
    from assistant.pipeline import run_turn, run_voice_turn

    if (question is None) == (audio is None):
        _fail('give a question or --audio FILE, e.g. shopassist ask "running shoes under $80"')
    services = _services(store)
    if audio is not None:
        result = run_voice_turn(audio, Session(), services)
        if not as_json and result.transcript:
            typer.echo(f'(heard: "{result.transcript}")')
    else:
        result = run_turn(question, Session(), services)
    _print_reply(result, as_json)


@app.command()
def chat(store: StoreOption = None) -> None:
    """A conversation in the terminal (Ctrl-D or 'quit' to leave)."""
    from assistant.dialogue import Session
    from assistant.pipeline import run_turn

    services = _services(store)
    session = Session()
    typer.echo("Ask me about products, orders, returns or store policies. Type 'quit' to leave.")
    while True:
        try:
            line = input("you> ")
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            break
        if line.strip().lower() in {"quit", "exit", "bye"}:
            break
        try:
            result = run_turn(line, session, services)
        except Exception as exc:  # the session survives a bug; the message says what happened
            logging.getLogger(__name__).exception("turn failed")
            typer.echo(f"assistant> Sorry, something went wrong on my side ({type(exc).__name__}). Please try again.")
            continue
        typer.echo("assistant> " + result.reply.text.replace("\n", "\n           "))


@app.command()
def replay(
    conversations: Annotated[Path, typer.Argument(help="JSONL: {\"id\": str, \"turns\": [{\"text\": str} | {\"audio\": path}]} per line.")],
    store: StoreOption = None,
) -> None:
    """Replay scripted conversations; prints one JSON line per turn (the replay contract)."""
    from assistant.replay import replay as run_replay

    if not conversations.exists():
        _fail(f"{conversations}: no such file")
    services = _services(store)
    for record in run_replay(conversations, services):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[Optional[str], typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (default 7860).")] = None,
) -> None:
    """Serve the support page with the chat widget, the chat UI and the JSON API on http://HOST:PORT."""
    from assistant.web import serve as serve_web

    settings = get_settings()
    services = _services(store)
    host, port = host or settings.host, port or settings.port
    typer.echo(f"Serving {services.store_name}: support page with the widget http://{host}:{port}/ , chat http://{host}:{port}/chat/ , API http://{host}:{port}/api/docs")
    serve_web(services, host=host, port=port)


@app.command("demo-catalog")
def demo_catalog() -> None:
    """Print the path of the bundled demo catalog (JSONL, canonical schema)."""
    from assistant.stores import demo_catalog_path

    typer.echo(str(demo_catalog_path()))


@eval_app.command("retrieval")
def eval_retrieval(
    store: StoreOption = None,
    devset: Annotated[Optional[Path], typer.Option(help="Labelled queries (default: the demo development set).")] = None,
) -> None:
    """nDCG@10, recall@10 and constraint violations: keyword, dense and hybrid side by side."""
    from assistant.dialogue import constraints_of
    from assistant.types import DialogueContext
    from retrieval.evaluation import evaluate, format_table, load_devset

    services = _services(store)

    def parsed(query: str):
        slots = services.parser.parse(query, DialogueContext()).slots
        return slots.query or query, constraints_of(slots)

    rows = evaluate(services.products, load_devset(devset), parsed)
    typer.echo(format_table(rows))


@eval_app.command("asr")
def eval_asr(
    store: StoreOption = None,
    voice_set: Annotated[Optional[Path], typer.Option(help="Folder with manifest.jsonl (default: generated into the cache).")] = None,
    details: Annotated[Optional[Path], typer.Option(help="Write every clip's transcript and intents to this JSONL file.")] = None,
) -> None:
    """Word error rate, intent accuracy (transcript vs original text) and latency, with and without vocabulary bias."""
    from assistant.demo.make_voice_set import build
    from assistant.voice_eval import evaluate, format_rows, format_stages, listening_context, load_manifest, voice_turn_timings

    settings = get_settings()
    services = _services(store)
    folder = voice_set or settings.cache_dir() / "voice_set"
    manifest = folder / "manifest.jsonl"
    if not manifest.exists():
        if voice_set is not None:
            _fail(f"{manifest}: no such file")
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


def _llm_parser(services, adapter: Path | None, few_shot: str = "", threads: int | None = None, quantize: str = "int8",
                reference_model: bool = False):
    from assistant.intent_llm import LLMIntentParser
    from assistant.intent_rules import RuleIntentParser
    from assistant.llm_base import base_model_dir

    settings = get_settings()
    return LLMIntentParser(base_model_dir(settings.cache_dir()), adapter, services.vocabulary, RuleIntentParser(services.vocabulary),
                           threads=threads or settings.torch_threads, few_shot=few_shot, quantize=quantize,
                           reference_model=reference_model)


@eval_app.command("intent")
def eval_intent(
    store: StoreOption = None,
    devset: Annotated[Optional[Path], typer.Option(help="Labelled utterances (default: the shipped set named by --split).")] = None,
    split: Annotated[str, typer.Option(help="Shipped labelled set: dev (284, used to tune) or test (150, held out for a final check).")] = "dev",
    adapter: Annotated[Optional[Path], typer.Option(help="LoRA adapter folder (default: the shipped one).")] = None,
    base: Annotated[bool, typer.Option("--base/--no-base", help="Also run the base model with a few examples (slow).")] = True,
    errors: Annotated[Optional[Path], typer.Option(help="Write every wrong frame to this JSONL file.")] = None,
    ablations: Annotated[bool, typer.Option("--ablations", help="Also score the fine-tuned model without grounding, without the rules' completion, with constrained decoding, in fp32 and with torch.ao's int8.")] = False,
) -> None:
    """Intent accuracy, slot P/R/F1, frame accuracy, out-of-scope and invalid-output rates: rules vs base vs fine-tuned."""
    from assistant.intent_eval import SPLITS, evaluate, format_reports, format_slots, load_devset
    from assistant.intent_llm import ADAPTER_DIR
    from assistant.intent_rules import RuleIntentParser

    if split not in SPLITS:
        raise typer.BadParameter(f"--split is one of {', '.join(SPLITS)}")
    services = _services(store)
    examples = load_devset(devset, split)
    reports = [evaluate(RuleIntentParser(services.vocabulary), examples, "rules")]
    if base:
        reports.append(evaluate(_llm_parser(services, None, FEW_SHOT), examples, "Gemma 270M base, few-shot"))
    if ablations:
        for quantize, label in (("fp32", "fp32 weights"), ("torch-dynamic", "torch.ao dynamic int8 (one activation scale per pass)")):
            other = _llm_parser(services, adapter or ADAPTER_DIR, quantize=quantize)
            reports.append(evaluate(other, examples, f"Gemma 270M + LoRA, {label}"))
            del other
    tuned = _llm_parser(services, adapter or ADAPTER_DIR)
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
    if errors:
        errors.write_text("\n".join(json.dumps({"report": r.name, **e}, ensure_ascii=False) for r in reports for e in r.errors) + "\n")


@bench_app.command("intent")
def bench_intent(
    store: StoreOption = None,
    adapter: Annotated[Optional[Path], typer.Option(help="LoRA adapter folder (default: the shipped one).")] = None,
    n: Annotated[int, typer.Option(min=0, help="Development utterances for the fast path (0: all of them).")] = 0,
    naive: Annotated[int, typer.Option(min=1, help="Utterances for the naive generate() baseline (about 1-2 s each), spread over the set.")] = 20,
    threads: Annotated[Optional[int], typer.Option(min=1, help="Torch threads (default: the torch_threads setting).")] = None,
) -> None:
    """Parse latency p50/p95: the engineered fast path next to a naive model.generate() baseline, same run."""
    import statistics

    from assistant.intent_eval import CONTEXTS, load_devset, percentile
    from assistant.intent_format import render_prompt
    from assistant.intent_llm import ADAPTER_DIR, naive_generate, timed

    services = _services(store)
    examples = load_devset()
    parser = _llm_parser(services, adapter or ADAPTER_DIR, threads=threads, reference_model=True)
    typer.echo(f"torch threads: {threads or get_settings().torch_threads}", err=True)
    parser.parse(examples[0].text, CONTEXTS[examples[0].context])  # warm-up
    chosen = examples[: n or None]
    fast = [timed(parser.parse, ex.text, CONTEXTS[ex.context])[1] for ex in chosen]
    stats = dataclasses.replace(parser.stats)
    parser.draft = False
    undrafted = [timed(parser.parse, ex.text, CONTEXTS[ex.context])[1] for ex in chosen]
    parser.draft = True
    picks = list(range(0, len(chosen), max(1, len(chosen) // max(1, naive))))[:naive]
    slow = [timed(naive_generate, parser.model, parser.tokenizer, render_prompt(chosen[i].text, CONTEXTS[chosen[i].context]))[1]
            for i in picks]
    rows = [("fast path (rules' draft verified, lean int8 decoder, cached head, restricted vocabulary)", fast),
            ("fast path without the draft (one token a pass)", undrafted),
            ("fast path, the naive row's utterances", [fast[i] for i in picks]),
            ("naive model.generate() (transformers, fp32, full vocabulary)", slow)]
    typer.echo("| decoder | parses | p50 ms | p95 ms | mean ms |\n|---|---:|---:|---:|---:|")
    for name, values in rows:
        typer.echo(f"| {name} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 95):.0f} | {statistics.mean(values):.0f} |")
    parses = max(1, stats.parses)
    typer.echo(f"\nfast path: {stats.forward_passes / parses:.2f} forward passes a parse; {stats.accepted}/{stats.drafted} "
               f"draft tokens accepted ({stats.acceptance_rate:.0%}); fallbacks to the rule parser: {stats.fallbacks}/{stats.parses}")


@train_app.command("intent")
def train_intent(
    out: Annotated[Optional[Path], typer.Option(help="Adapter folder (default: the one shipped in the package).")] = None,
    steps: Annotated[int, typer.Option(help="Optimizer steps (about 5 s each on 2 CPU cores).")] = 600,
    batch_size: Annotated[int, typer.Option(help="Examples per step.")] = 16,
    examples: Annotated[int, typer.Option(help="Generated training examples.")] = 12000,
    seed: Annotated[int, typer.Option(help="Seed for data, shuffling and initialisation.")] = 13,
    max_minutes: Annotated[float, typer.Option(help="Stop (and save) after this many minutes.")] = 55.0,
    threads: Annotated[Optional[int], typer.Option(min=1, help="Torch threads (default: every core; training, unlike a parse, gains from them).")] = None,
) -> None:
    """LoRA fine-tuning of Gemma 3 270M into the intent parser (seeded; progress bar and loss log)."""
    import os

    from tqdm import tqdm

    from assistant.intent_data.generate import generate
    from assistant.intent_llm import ADAPTER_DIR
    from assistant.intent_train import TrainConfig, train
    from assistant.llm_base import base_model_dir

    settings = get_settings()
    target = out or ADAPTER_DIR
    rows = generate(examples, seed=seed)
    typer.echo(f"{len(rows)} generated examples; base model {base_model_dir(settings.cache_dir())}", err=True)
    config = TrainConfig(steps=steps, batch_size=batch_size, examples=examples, seed=seed, max_minutes=max_minutes,
                         threads=threads or os.cpu_count() or 1)
    bar = tqdm(total=steps, desc="training", unit="step")

    def step(n: int, loss: float) -> None:
        bar.update(1)
        bar.set_postfix(loss=f"{loss:.3f}")

    loss_log = target / "loss.jsonl"
    target.mkdir(parents=True, exist_ok=True)
    losses = train(base_model_dir(settings.cache_dir()), target, rows, config, on_step=step, loss_log=loss_log)
    bar.close()
    first, last = sum(losses[:10]) / max(1, len(losses[:10])), sum(losses[-10:]) / max(1, len(losses[-10:]))
    typer.echo(f"adapter saved to {target}; loss {first:.3f} (first 10 steps) -> {last:.3f} (last 10); log {loss_log}")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    app()


__all__ = ["app", "Settings"]
