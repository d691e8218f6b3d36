"""Each turn keeps the whole reply it gave (cards, table, sources, suggestions) as JSON, so
that a chat reopened after a reload or on another page of the shop shows the conversation
as it was. Turns logged before have none; they come back as text.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("turns")}
    if "reply" not in have:
        op.add_column("turns", sa.Column("reply", sa.Text, nullable=True))


def downgrade() -> None:
    op.drop_column("turns", "reply")
