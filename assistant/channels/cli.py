"""`shopassist`: a thin command-line shell; each command calls one library function."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

from assistant.channels.inputs import is_text
from assistant.errors import USER_ERRORS
from assistant.settings import SETTINGS_ERRORS, get_settings, offline_environment, settings_problem

app = typer.Typer(help="Conversational shopping assistant.", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

StoreOption = Annotated[
    Optional[Path],
    typer.Option("--store", help="Store directory (default: $SHOPASSIST_HOME/stores/demo, built from the demo catalog)."),
]


def fail(message: str) -> NoReturn:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


def store_services(store: Path | None):
    """Open the given store, or the demo store (building it on first use)."""
    from assistant.app import ensure_demo_store, open_services

    settings = get_settings()
    try:
        if store is None:
            ensure_demo_store(settings)
        return open_services(settings, store)
    except USER_ERRORS as exc:
        fail(str(exc))


def _parse_mapping(items: list[str]) -> dict[str, str]:
    from retrieval.catalog import CANONICAL_FIELDS

    mapping = {}
    for item in items:
        field, sep, column = item.partition("=")
        if not sep or not field or not column:
            fail(f"--map {item!r}: expected FIELD=COLUMN, e.g. --map title=product_name")
        if field not in CANONICAL_FIELDS:
            fail(f"--map {item!r}: {field!r} is not a canonical field ({', '.join(CANONICAL_FIELDS)})")
        mapping[field] = column
    return mapping


@app.callback()
def _setup(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False) -> None:
    offline_environment()
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:  # a bad SHOPASSIST_* value is one line naming it, before any command starts
        get_settings()
    except SETTINGS_ERRORS as exc:
        fail(settings_problem(exc))


def _print_quarantined(rejected: list) -> None:
    """The first rejected rows with their line and reason (all of them are in the quarantine file)."""
    for item in rejected[:10]:
        typer.echo(f"  line {item.line}: {item.reason}")
    if len(rejected) > 10:
        typer.echo(f"  ... and {len(rejected) - 10} more (see the quarantine file)")


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="Catalog file: .jsonl, .json (array) or .csv in the canonical schema.")],
    store: StoreOption = None,
    map_: Annotated[list[str], typer.Option("--map", help="Map a canonical field to your column: FIELD=COLUMN (repeatable).")] = [],
    mapping_file: Annotated[Optional[Path], typer.Option("--mapping", help="JSON file {canonical field: your column}.")] = None,
    sync: Annotated[bool, typer.Option("--sync", help="Delete products that are no longer in the file.")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar while embedding.")] = True,
    name: Annotated[
        Optional[str], typer.Option("--name", help="The shop's name (required for a new store): creates or updates its profile.yaml.")
    ] = None,
) -> None:
    """Validate, clean and index a catalog; rejected rows go to a quarantine file with the reason."""
    from assistant.app import ingest_into

    settings = get_settings()
    mapping = _parse_mapping(map_)
    if mapping_file:
        try:
            mapping = {**json.loads(mapping_file.read_text()), **mapping}
        except (OSError, json.JSONDecodeError) as exc:
            fail(f"--mapping {mapping_file}: {exc}")
    store_dir = store or settings.store_dir()
    try:
        report, profile = ingest_into(store_dir, path, settings, name=name, mapping=mapping, sync=sync, progress=progress)
    except USER_ERRORS as exc:
        fail(str(exc))
    typer.echo(report.summary())
    _print_quarantined(report.quarantined)
    typer.echo(f"store: {store_dir} ({profile.name}; edit {store_dir / 'profile.yaml'} for its contacts and rules, docs/stores.md)")


@app.command()
def policies(
    folder: Annotated[Path, typer.Argument(help="Folder of Markdown (.md) or text policy documents.")],
    store: StoreOption = None,
) -> None:
    """Replace the store's policy documents."""
    from assistant.app import policy_ranker, store_embedder
    from retrieval.embeddings import batch_threads
    from retrieval.policies import ingest_policies
    from retrieval.store import Store

    settings = get_settings()
    try:
        store_dir = store or settings.store_dir()
        with batch_threads(settings.ingest_threads):
            store_ = Store(store_dir, store_embedder(settings, store_dir), server=settings.chroma_server())
            count = ingest_policies(store_, folder, policy_ranker(settings))
    except USER_ERRORS as exc:
        fail(str(exc))
    typer.echo(f"indexed {count} policy sections from {folder}")


@app.command()
def orders(
    path: Annotated[Path, typer.Argument(help="Orders file: .jsonl, .json or .csv in the schema of docs/stores.md.")],
    store: StoreOption = None,
) -> None:
    """Import (or update) the shop's orders; rejected rows go to a quarantine file with the reason."""
    from assistant.app import order_desk, store_profile
    from assistant.records.order_import import import_orders

    settings = get_settings()
    store_dir = store or settings.store_dir()
    try:
        profile = store_profile(store_dir)
        report = import_orders(
            order_desk(store_dir, database_url=settings.database_url), path, store_dir / "quarantine", default_currency=profile.currency
        )
    except USER_ERRORS as exc:
        fail(str(exc))
    typer.echo(report.summary())
    _print_quarantined(report.quarantined)


@app.command()
def returns(
    return_id: Annotated[Optional[str], typer.Argument(help="The return to update (RMA-...); none: list the store's returns.")] = None,
    status: Annotated[Optional[str], typer.Option(help="received (the parcel arrived) or refunded.")] = None,
    on: Annotated[Optional[str], typer.Option(help="The date it happened (2026-11-20; default: now).")] = None,
    store: StoreOption = None,
) -> None:
    """The returns shoppers opened, and the shop's progress on one: the refund status shoppers are told."""
    from assistant.app import order_desk
    from assistant.records.orders import RETURN_STATUSES

    settings = get_settings()
    desk = order_desk(store or settings.store_dir(), database_url=settings.database_url)
    if return_id is None:
        for row in desk.returns():
            done = row["refunded_at"] or row["received_at"] or row["created_at"]
            typer.echo(f"{row['return_id']}  order {row['order_id']}  {row['status']} ({done[:10]})  {row['email']}")
        return
    if status not in RETURN_STATUSES[1:]:
        fail(f"--status is one of {', '.join(RETURN_STATUSES[1:])}")
    try:
        record = desk.update_return(return_id, status, on)  # type: ignore[arg-type]
    except ValueError as exc:
        fail(str(exc))
    if record is None:
        fail(f"no return {return_id} in this store")
    typer.echo(f"{record.return_id} (order {record.order_id}) is {record.status}")


def _print_reply(result, as_json: bool) -> None:
    from assistant.channels.replay import turn_json

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
    from assistant.pipeline import Audio, handle

    if (question is None) == (audio is None):
        fail('give a question or --audio FILE, e.g. shopassist ask "running shoes under $80"')
    if question is not None and not is_text(question):
        fail("the question is not valid UTF-8 text; check your terminal's encoding")
    services = store_services(store)
    result = handle(Audio(audio) if audio is not None else str(question), Session(), services, channel="cli")
    if audio is not None and not as_json and result.transcript:
        typer.echo(f'(heard: "{result.transcript}")')
    _print_reply(result, as_json)


@app.command()
def chat(store: StoreOption = None) -> None:
    """A conversation in the terminal (Ctrl-D or 'quit' to leave)."""
    from assistant.dialogue import Session
    from assistant.pipeline import handle

    services = store_services(store)
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
        if not is_text(line):
            typer.echo("assistant> I couldn't read that message (it is not valid UTF-8 text); please type it again.")
            continue
        result = handle(line, session, services, channel="cli")
        typer.echo("assistant> " + result.reply.text.replace("\n", "\n           "))


@app.command()
def replay(
    conversations: Annotated[Path, typer.Argument(help='JSONL: {"id": str, "turns": [{"text": str} | {"audio": path}]} per line.')],
    store: StoreOption = None,
) -> None:
    """Replay scripted conversations; prints one JSON line per turn (the replay contract)."""
    from assistant.channels.replay import replay as run_replay

    if not conversations.exists():
        fail(f"{conversations}: no such file")
    services = store_services(store)
    for record in run_replay(conversations, services):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[Optional[str], typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (default 7860).")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Processes serving this port (each loads the models, about one per core); they share the store's database.",
        ),
    ] = 1,
) -> None:
    """Serve the support page with the chat widget, the chat UI and the JSON API on http://HOST:PORT."""
    from assistant.app import check_store, ensure_demo_store, store_profile
    from assistant.channels.web import exposed_warning, serve_workers, serving_services
    from assistant.channels.web import serve as serve_web
    from assistant.settings import hand_to_workers

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    warning = exposed_warning(host, settings.allowed_origins)
    if warning:
        typer.secho(warning, fg=typer.colors.YELLOW, bold=True, err=True)
    urls = f"support page with the widget http://{host}:{port}/ , chat http://{host}:{port}/chat/ , API http://{host}:{port}/api/docs"
    if workers == 1:
        services = serving_services(settings, store or settings.store_dir(), lambda: store_services(store))
        typer.echo(f"Serving {services.store_name}: {urls}")
        serve_web(services, host=host, port=port)
        return
    # the supervisor checks the store (and builds the demo once) but loads no model: the workers do
    try:
        store_dir = ensure_demo_store(settings) if store is None else store
        check_store(store_dir)
        name = store_profile(store_dir).name
    except USER_ERRORS as exc:
        fail(str(exc))
    hand_to_workers(store_dir)
    typer.echo(f"Serving {name} with {workers} worker processes: {urls}")
    serve_workers(host, port, workers)


@app.command()
def purge(
    store: StoreOption = None,
    days: Annotated[
        Optional[int], typer.Option("--days", help="Delete what is older than this many days (default: SHOPASSIST_RETENTION_DAYS, 90).")
    ] = None,
    email: Annotated[
        Optional[str], typer.Option("--email", help="Instead: delete everything that names this shopper's email (a privacy request).")
    ] = None,
) -> None:
    """Delete conversations, ratings and hand-off tickets past the retention period, or one shopper's data."""
    from datetime import UTC, datetime, timedelta

    from assistant.app import conversation_log, order_desk
    from assistant.records.retention import forget
    from assistant.records.retention import purge as purge_older

    settings = get_settings()
    store_dir = store or settings.store_dir()
    url = settings.database_url
    if not url and not (store_dir / "conversations.db").exists() and not (store_dir / "shop.db").exists():
        fail(f"{store_dir}: no store here (no conversations.db or shop.db)")
    log, desk = conversation_log(store_dir, database_url=url), order_desk(store_dir, database_url=url)
    if email is not None:
        if "@" not in email or not is_text(email):
            fail(f"--email {email!r}: not an email address")
        counts = forget(log, desk, email)
    else:
        keep = settings.retention_days if days is None else days
        if keep <= 0:
            fail("give --days N (N >= 1): SHOPASSIST_RETENTION_DAYS is 0, which keeps everything")
        counts = purge_older(log, desk, datetime.now(UTC) - timedelta(days=keep))
    typer.echo("deleted " + ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in counts.items()))


@app.command("demo-catalog")
def demo_catalog() -> None:
    """Print the path of the bundled demo catalog (JSONL, canonical schema)."""
    from assistant.app import demo_catalog_path

    typer.echo(str(demo_catalog_path()))


__all__ = ["app"]
