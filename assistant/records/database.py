"""The store's own state behind one database URL: orders, returns, order actions, hand-off
tickets, conversations, sessions and ratings.

SQLite files in the store directory are the embedded default (``shop.db`` for the desk,
``conversations.db`` for the log); ``SHOPASSIST_DATABASE_URL`` (``postgresql://...``)
puts all of it in one PostgreSQL database that several app processes, on one machine or
many, share. The tables are SQLAlchemy Core, written once for both engines; opening a
database brings it up to the current schema with the Alembic migrations in
``assistant/records/migrations`` (a database made by an earlier version, which had no
migration history, is adopted by the first one).
"""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    CheckConstraint,
    Column,
    Engine,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from assistant.errors import DatabaseError

metadata = MetaData()

orders = Table(
    "orders",
    metadata,
    Column("order_id", String, primary_key=True),  # normalise_order_id of the shop's id
    Column("email", String, nullable=False),  # lower case
    Column("data", Text, nullable=False),  # the Order as JSON
)
return_requests = Table(
    "return_requests",
    metadata,
    Column("return_id", String, primary_key=True),
    Column("order_id", String, nullable=False),  # as the shop writes it (a backend's orders are not in ``orders``)
    Column("email", String, nullable=False),
    Column("reason", Text, nullable=False),
    Column("conversation_id", String),
    Column("created_at", String, nullable=False),
    Column("status", String, nullable=False, server_default="requested"),
    Column("received_at", String),
    Column("refunded_at", String),
)
order_actions = Table(
    "order_actions",
    metadata,
    Column("action_id", String, primary_key=True),
    Column("order_id", String, nullable=False),
    Column("email", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("details", Text, nullable=False),
    Column("conversation_id", String),
    Column("created_at", String, nullable=False),
    Column("recorded_at", Float),  # time.time(): orders actions of the same second
)
handoff_tickets = Table(
    "handoff_tickets",
    metadata,
    Column("ticket_id", String, primary_key=True),
    Column("conversation_id", String),
    Column("reason", Text, nullable=False),
    Column("transcript", Text, nullable=False),
    Column("status", String, nullable=False, server_default="open"),
    Column("created_at", String, nullable=False),
    Column("reply_to", String),
    Column("category", String, nullable=False, server_default="request"),
)
turns = Table(
    "turns",
    metadata,
    Column("conversation_id", String, primary_key=True),
    Column("turn", Integer, primary_key=True, autoincrement=False),
    Column("channel", String, nullable=False),
    Column("shopper_text", Text, nullable=False),
    Column("intent", String, nullable=False),
    Column("slots", Text, nullable=False),
    Column("reply_text", Text, nullable=False),
    Column("product_ids", Text, nullable=False),
    Column("handoff_ticket", String),
    Column("created_at", String, nullable=False),
    Column("reply", Text),  # the whole Reply as JSON (revision 0002), to show the conversation again
    Column("unmet", String),  # Reply.unmet (revision 0003): what the shop could not give, for the owner's signals
    Column("context", Text),  # the DialogueContext the message was parsed in, as JSON (revision 0003)
)
sessions = Table(
    "sessions",
    metadata,
    Column("conversation_id", String, primary_key=True),
    Column("turns", Integer, nullable=False),
    Column("state", Text, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("sessions_updated", "updated_at"),
)
feedback = Table(
    "feedback",
    metadata,
    Column("conversation_id", String, primary_key=True),
    Column("turn", Integer, primary_key=True, autoincrement=False),
    Column("rating", String, nullable=False),
    Column("comment", Text),
    Column("created_at", String, nullable=False),
    CheckConstraint("rating IN ('up', 'down')", name="feedback_rating"),
    ForeignKeyConstraint(["conversation_id", "turn"], ["turns.conversation_id", "turns.turn"]),
)

ticket_messages = Table(  # revision 0003: the shop team's replies (the shopper sees them) and notes (only the team)
    "ticket_messages",
    metadata,
    Column("message_id", String, primary_key=True),
    Column("ticket_id", String, nullable=False),
    Column("conversation_id", String),
    Column("kind", String, nullable=False),
    Column("author", String, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", String, nullable=False),
    Column("recorded_at", Float, nullable=False),  # time.time(): orders messages of the same second
    CheckConstraint("kind IN ('reply', 'note')", name="ticket_messages_kind"),
    Index("ticket_messages_conversation", "conversation_id", "recorded_at"),
    Index("ticket_messages_ticket", "ticket_id", "recorded_at"),
)
outbox = Table(  # revision 0003: the help-desk webhook's events, delivered in ``seq`` order
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String, nullable=False, unique=True),
    Column("event", String, nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", String, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", Float, nullable=False, server_default="0"),
    Column("claimed_until", Float, nullable=False, server_default="0"),  # a deliverer holds the head until then
    Column("delivered_at", String),
    Column("last_error", Text),
    Index("outbox_pending", "delivered_at", "seq"),
)
corrections = Table(  # revision 0003: what the owner says a shopper meant, for the next intent adapter
    "corrections",
    metadata,
    Column("conversation_id", String, primary_key=True),
    Column("turn", Integer, primary_key=True, autoincrement=False),
    Column("text", Text, nullable=False),
    Column("intent", String, nullable=False),
    Column("parsed", Text, nullable=False),  # the ParsedIntent the owner says is right, as JSON
    Column("context", Text, nullable=False),  # the DialogueContext the message was said in, as JSON
    Column("created_at", String, nullable=False),
)

_MIGRATIONS = Path(__file__).parent / "migrations"
_head: str | None = None
_head_lock = threading.Lock()


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for ``target``: a URL as given (``postgresql://`` uses psycopg 3),
    or a path, which is a SQLite file. ``DatabaseError`` for a URL of another engine."""
    if isinstance(target, Path) or "://" not in target:
        return f"sqlite:///{Path(target).resolve()}"
    try:
        url = make_url(target)
    except (ArgumentError, ValueError):
        raise DatabaseError(f"SHOPASSIST_DATABASE_URL: {target!r} is not a database URL") from None
    if url.get_backend_name() == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    elif url.get_backend_name() != "sqlite":
        raise DatabaseError(f"SHOPASSIST_DATABASE_URL: {url.get_backend_name()} is not supported (postgresql:// or sqlite:///)")
    return url.render_as_string(hide_password=False)


def open_database(target: str | Path) -> Engine:
    """An engine for the database at ``target`` (see ``database_url``), migrated to the
    current schema. SQLite: write-ahead logging and a 30 s busy wait, so that several
    processes can share the file; PostgreSQL: a small connection pool checked before use."""
    url = make_url(database_url(target))
    if url.get_backend_name() == "sqlite":
        if url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        try:
            engine = create_engine(url, pool_size=4, max_overflow=8, pool_pre_ping=True, pool_recycle=1800)
        except ModuleNotFoundError:
            raise DatabaseError("PostgreSQL needs psycopg: pip install 'shopassist[postgres]'") from None
    try:
        migrate(engine)
    except OperationalError as exc:  # not running, refused, wrong password, no such database
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot open the database {url.render_as_string(hide_password=True)}: {reason}") from None
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    global _head
    with _head_lock:
        if _head is None:
            _head = ScriptDirectory.from_config(_config()).get_current_head()
        assert _head is not None
        return _head


def migrate(engine: Engine) -> None:
    """Bring the database to the newest revision (a no-op when it is there). On PostgreSQL
    an advisory lock makes processes starting together migrate one after another."""
    with engine.connect() as conn:
        if MigrationContext.configure(conn).get_current_revision() == head_revision():
            return
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7310442)"))
        command.upgrade(_config(conn), "head")


def upsert(conn: Connection, table: Table, rows: dict | list[dict]) -> None:
    """Insert ``rows`` (one statement, many rows), each replacing the row with its primary
    key if there is one (both engines' ON CONFLICT ... DO UPDATE with the new values)."""
    rows = [rows] if isinstance(rows, dict) else rows
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    keys = {c.name for c in table.primary_key.columns}
    stmt = dialect.insert(table)
    update = {name: stmt.excluded[name] for name in rows[0] if name not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=update), rows)
