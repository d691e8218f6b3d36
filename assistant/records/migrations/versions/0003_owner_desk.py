"""The owner's side: what the shop's team wrote on each hand-off ticket (replies the shopper
sees, notes only the team sees), the help-desk webhook's outbox (events delivered in order,
kept until the receiver took them), the owner's corrections of what a shopper meant, and on
each turn what the shop could not give (``unmet``: a product it does not carry, a search with
no product, a question no policy section answers) and the context its message was parsed in
(``context``: what was on screen, the constraints in force), so a turn can become a
labelled example.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("turns")}
    if "unmet" not in have:
        op.add_column("turns", sa.Column("unmet", sa.String, nullable=True))
    if "context" not in have:
        op.add_column("turns", sa.Column("context", sa.Text, nullable=True))
    op.create_table(
        "ticket_messages",
        sa.Column("message_id", sa.String, primary_key=True),
        sa.Column("ticket_id", sa.String, nullable=False),
        sa.Column("conversation_id", sa.String),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("author", sa.String, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("recorded_at", sa.Float, nullable=False),
        sa.CheckConstraint("kind IN ('reply', 'note')", name="ticket_messages_kind"),
    )
    op.create_index("ticket_messages_conversation", "ticket_messages", ["conversation_id", "recorded_at"])
    op.create_index("ticket_messages_ticket", "ticket_messages", ["ticket_id", "recorded_at"])
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String, nullable=False, unique=True),
        sa.Column("event", sa.String, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.Float, nullable=False, server_default="0"),
        sa.Column("claimed_until", sa.Float, nullable=False, server_default="0"),
        sa.Column("delivered_at", sa.String),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("outbox_pending", "outbox", ["delivered_at", "seq"])
    op.create_table(
        "corrections",
        sa.Column("conversation_id", sa.String, primary_key=True),
        sa.Column("turn", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("intent", sa.String, nullable=False),
        sa.Column("parsed", sa.Text, nullable=False),
        sa.Column("context", sa.Text, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("corrections")
    op.drop_index("outbox_pending", "outbox")
    op.drop_table("outbox")
    op.drop_index("ticket_messages_ticket", "ticket_messages")
    op.drop_index("ticket_messages_conversation", "ticket_messages")
    op.drop_table("ticket_messages")
    op.drop_column("turns", "context")
    op.drop_column("turns", "unmet")
