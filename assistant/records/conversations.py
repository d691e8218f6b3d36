"""Conversations from the web channels and the shoppers' thumbs up/down, in SQLite.

Every turn served by the chat UI or ``POST /api/chat`` is stored with what the
assistant understood and answered, so that feedback can be reviewed next to the
exact answer it was about and exported for retraining the intent model.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.errors import UnknownTurn
from assistant.records.orders import contains_pattern
from assistant.types import TurnResult
from retrieval.catalog import clean_text

Rating = Literal["up", "down"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL,
    turn INTEGER NOT NULL,
    channel TEXT NOT NULL,
    shopper_text TEXT NOT NULL,
    intent TEXT NOT NULL,
    slots TEXT NOT NULL,
    reply_text TEXT NOT NULL,
    product_ids TEXT NOT NULL,
    handoff_ticket TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, turn)
);
CREATE TABLE IF NOT EXISTS sessions (
    conversation_id TEXT PRIMARY KEY,
    turns INTEGER NOT NULL,
    state TEXT NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_updated ON sessions (updated_at);
CREATE TABLE IF NOT EXISTS feedback (
    conversation_id TEXT NOT NULL,
    turn INTEGER NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, turn),
    FOREIGN KEY (conversation_id, turn) REFERENCES turns (conversation_id, turn)
);
"""


class Feedback(BaseModel):
    """One rated answer, joined with what was asked and answered."""

    model_config = ConfigDict(frozen=True)

    conversation_id: str
    turn: int
    rating: Rating
    comment: str | None
    shopper_text: str
    intent: str
    reply_text: str
    created_at: str


class ConversationLog:
    """``retention_days``: turns, ratings and sessions older than this are deleted, checked
    at most hourly as turns are recorded (None or 0: kept until ``purge``)."""

    def __init__(self, path: Path, retention_days: int | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.retention_days = retention_days
        self._purged_at = 0.0
        self._lock = threading.Lock()
        self.db = sqlite3.connect(self.path, check_same_thread=False)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.executescript(_SCHEMA)

    def record(self, conversation_id: str, turn: int, result: TurnResult, channel: str) -> None:
        reply = result.reply
        row = (
            conversation_id,
            turn,
            channel,
            clean_text(result.transcript),  # never the shopper's raw markup
            reply.intent,
            json.dumps(reply.slots.filled()),
            reply.text,
            json.dumps([p.id for p in reply.products]),
            reply.handoff.ticket_id if reply.handoff else None,
            _now(),
        )
        with self._lock, self.db:
            self.db.execute("INSERT OR REPLACE INTO turns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        if self.retention_days and time.time() - self._purged_at > PURGE_EVERY_S:
            self.purge(datetime.now(UTC) - timedelta(days=self.retention_days))

    def purge(self, before: datetime) -> dict[str, int]:
        """Delete turns and ratings recorded before ``before``, and sessions idle since; the counts deleted."""
        cutoff = before.astimezone(UTC).isoformat(timespec="seconds")
        with self._lock, self.db:
            self._purged_at = time.time()
            ratings = self.db.execute("DELETE FROM feedback WHERE created_at < ?", (cutoff,)).rowcount
            ratings += self.db.execute(
                "DELETE FROM feedback WHERE (conversation_id, turn) IN (SELECT conversation_id, turn FROM turns WHERE created_at < ?)",
                (cutoff,),
            ).rowcount
            turns = self.db.execute("DELETE FROM turns WHERE created_at < ?", (cutoff,)).rowcount
            sessions = self.db.execute("DELETE FROM sessions WHERE updated_at < ?", (before.timestamp(),)).rowcount
        return {"turns": turns, "ratings": ratings, "sessions": sessions}

    def mentioning(self, email: str) -> set[str]:
        """The conversations whose turns or stored session mention ``email``."""
        pattern = contains_pattern(email.strip().lower())
        query = (
            "SELECT conversation_id FROM turns WHERE lower(shopper_text) LIKE ?1 ESCAPE '\\' OR lower(slots) LIKE ?1 ESCAPE '\\'"
            " UNION SELECT conversation_id FROM sessions WHERE lower(state) LIKE ?1 ESCAPE '\\'"
        )
        with self._lock:
            return {row[0] for row in self.db.execute(query, (pattern,))}

    def delete_conversations(self, conversation_ids: set[str]) -> dict[str, int]:
        """Delete these conversations: their turns, ratings and sessions; the counts deleted."""
        counts = {"turns": 0, "ratings": 0, "sessions": 0}
        with self._lock, self.db:
            for cid in conversation_ids:
                counts["ratings"] += self.db.execute("DELETE FROM feedback WHERE conversation_id = ?", (cid,)).rowcount
                counts["turns"] += self.db.execute("DELETE FROM turns WHERE conversation_id = ?", (cid,)).rowcount
                counts["sessions"] += self.db.execute("DELETE FROM sessions WHERE conversation_id = ?", (cid,)).rowcount
        return counts

    def rate(self, conversation_id: str, turn: int, rating: Rating, comment: str | None = None) -> None:
        """Store (or change) the shopper's rating of one answer."""
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
        with self._lock, self.db:
            known = self.db.execute("SELECT 1 FROM turns WHERE conversation_id = ? AND turn = ?", (conversation_id, turn)).fetchone()
            if not known:
                raise UnknownTurn(f"no turn {turn} in conversation {conversation_id}")
            self.db.execute("INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?, ?)", (conversation_id, turn, rating, comment, _now()))

    def unrate(self, conversation_id: str, turn: int) -> None:
        with self._lock, self.db:
            self.db.execute("DELETE FROM feedback WHERE conversation_id = ? AND turn = ?", (conversation_id, turn))

    def feedback(self, conversation_id: str | None = None) -> list[Feedback]:
        query = (
            "SELECT f.conversation_id, f.turn, f.rating, f.comment, t.shopper_text, t.intent, t.reply_text, f.created_at"
            " FROM feedback f JOIN turns t USING (conversation_id, turn)"
        )
        args: tuple = ()
        if conversation_id is not None:
            query += " WHERE f.conversation_id = ?"
            args = (conversation_id,)
        with self._lock:
            rows = self.db.execute(query + " ORDER BY f.created_at", args).fetchall()
        keys = ("conversation_id", "turn", "rating", "comment", "shopper_text", "intent", "reply_text", "created_at")
        return [Feedback(**dict(zip(keys, row))) for row in rows]

    def save_session(self, conversation_id: str, turns: int, state: str) -> None:
        """Keep a conversation's state (JSON from the channel) so that a restart or an
        eviction from memory neither loses nor renumbers it."""
        with self._lock, self.db:
            self.db.execute("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?)", (conversation_id, turns, state, time.time()))

    def load_session(self, conversation_id: str, max_idle_s: float) -> tuple[int, str] | None:
        """(turns numbered so far, state) of a conversation active within ``max_idle_s``;
        None for one never stored or idle longer (whose state, verified email included, is
        deleted). The turn count is never below the last turn logged, so no number is reused."""
        with self._lock, self.db:
            self.db.execute("DELETE FROM sessions WHERE updated_at < ?", (time.time() - max_idle_s,))
            row = self.db.execute("SELECT turns, state FROM sessions WHERE conversation_id = ?", (conversation_id,)).fetchone()
            if row is None:
                return None
            logged = self.db.execute("SELECT MAX(turn) FROM turns WHERE conversation_id = ?", (conversation_id,)).fetchone()[0]
        return max(row[0], logged or 0), row[1]

    def session_count(self) -> int:
        with self._lock:
            return self.db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]

    def turn_count(self, conversation_id: str | None = None) -> int:
        with self._lock:
            if conversation_id is None:
                return self.db.execute("SELECT COUNT(*) FROM turns").fetchone()[0]
            return self.db.execute("SELECT COUNT(*) FROM turns WHERE conversation_id = ?", (conversation_id,)).fetchone()[0]

    def close(self) -> None:
        self.db.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


#: how often recording a turn checks the retention period
PURGE_EVERY_S = 3600
