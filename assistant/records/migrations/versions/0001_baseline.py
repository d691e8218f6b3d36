"""The schema of the first versioned release, and the adoption of a store's database made
before migrations existed (SQLite files whose tables lack later columns).

Revision ID: 0001
Revises:
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> list[sa.Table]:
    meta = sa.MetaData()
    return [
        sa.Table(
            "orders",
            meta,
            sa.Column("order_id", sa.String, primary_key=True),
            sa.Column("email", sa.String, nullable=False),
            sa.Column("data", sa.Text, nullable=False),
        ),
        sa.Table(
            "return_requests",
            meta,
            sa.Column("return_id", sa.String, primary_key=True),
            sa.Column("order_id", sa.String, nullable=False),
            sa.Column("email", sa.String, nullable=False),
            sa.Column("reason", sa.Text, nullable=False),
            sa.Column("conversation_id", sa.String),
            sa.Column("created_at", sa.String, nullable=False),
            sa.Column("status", sa.String, nullable=False, server_default="requested"),
            sa.Column("received_at", sa.String),
            sa.Column("refunded_at", sa.String),
        ),
        sa.Table(
            "order_actions",
            meta,
            sa.Column("action_id", sa.String, primary_key=True),
            sa.Column("order_id", sa.String, nullable=False),
            sa.Column("email", sa.String, nullable=False),
            sa.Column("kind", sa.String, nullable=False),
            sa.Column("details", sa.Text, nullable=False),
            sa.Column("conversation_id", sa.String),
            sa.Column("created_at", sa.String, nullable=False),
            sa.Column("recorded_at", sa.Float),
        ),
        sa.Table(
            "handoff_tickets",
            meta,
            sa.Column("ticket_id", sa.String, primary_key=True),
            sa.Column("conversation_id", sa.String),
            sa.Column("reason", sa.Text, nullable=False),
            sa.Column("transcript", sa.Text, nullable=False),
            sa.Column("status", sa.String, nullable=False, server_default="open"),
            sa.Column("created_at", sa.String, nullable=False),
            sa.Column("reply_to", sa.String),
            sa.Column("category", sa.String, nullable=False, server_default="request"),
        ),
        sa.Table(
            "turns",
            meta,
            sa.Column("conversation_id", sa.String, primary_key=True),
            sa.Column("turn", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("channel", sa.String, nullable=False),
            sa.Column("shopper_text", sa.Text, nullable=False),
            sa.Column("intent", sa.String, nullable=False),
            sa.Column("slots", sa.Text, nullable=False),
            sa.Column("reply_text", sa.Text, nullable=False),
            sa.Column("product_ids", sa.Text, nullable=False),
            sa.Column("handoff_ticket", sa.String),
            sa.Column("created_at", sa.String, nullable=False),
        ),
        sa.Table(
            "sessions",
            meta,
            sa.Column("conversation_id", sa.String, primary_key=True),
            sa.Column("turns", sa.Integer, nullable=False),
            sa.Column("state", sa.Text, nullable=False),
            sa.Column("updated_at", sa.Float, nullable=False),
            sa.Index("sessions_updated", "updated_at"),
        ),
        sa.Table(
            "feedback",
            meta,
            sa.Column("conversation_id", sa.String, primary_key=True),
            sa.Column("turn", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("rating", sa.String, nullable=False),
            sa.Column("comment", sa.Text),
            sa.Column("created_at", sa.String, nullable=False),
            sa.CheckConstraint("rating IN ('up', 'down')", name="feedback_rating"),
            sa.ForeignKeyConstraint(["conversation_id", "turn"], ["turns.conversation_id", "turns.turn"]),
        ),
    ]


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    existing = set(inspector.get_table_names())
    for table in _tables():
        if table.name not in existing:
            table.create(bind)
            continue
        # a table an earlier version made: add the columns it did not have yet
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have:
                default = column.server_default.arg if column.server_default is not None else None  # type: ignore[attr-defined]
                op.add_column(table.name, sa.Column(column.name, column.type, nullable=column.nullable, server_default=default))
    # order keys stored before dashes and underscores were ignored ("MC-5001" is "MC5001")
    orders = sa.table("orders", sa.column("order_id"))
    for (key,) in bind.execute(sa.select(orders.c.order_id)).fetchall():
        normal = re.sub(r"[\s#_-]", "", key).upper()
        if normal != key and bind.execute(sa.select(orders.c.order_id).where(orders.c.order_id == normal)).first() is None:
            bind.execute(orders.update().where(orders.c.order_id == key).values(order_id=normal))
