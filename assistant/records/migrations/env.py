"""Alembic's entry point: run the migrations on the connection ``database.migrate`` passes in."""

from alembic import context

from assistant.records.database import metadata

connection = context.config.attributes["connection"]
# SQLite cannot alter a column in place: batch mode copies the table where a revision needs it
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
