"""Conversations from the web channels, their sessions and the shoppers' thumbs up/down, in
the store's database (SQLite in the store directory, or ``SHOPASSIST_DATABASE_URL``).

Every turn served by the chat UI or ``POST /api/chat`` is stored with what the
assistant understood and answered, so that feedback can be reviewed next to the
exact answer it was about and exported for retraining the intent model.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, func, select, tuple_, union

from assistant.errors import UnknownTurn
from assistant.records.database import corrections, feedback, open_database, sessions, turns, upsert
from assistant.records.orders import contains_pattern
from assistant.records.tickets import TeamMessage
from assistant.types import DialogueContext, ParsedIntent, Reply, Slots, TurnResult
from retrieval.catalog import clean_text

Rating = Literal["up", "down"]


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


class TurnFact(BaseModel):
    """What the owner's signals count of one turn: no reply body, just what was asked and how it ended."""

    model_config = ConfigDict(frozen=True)

    conversation_id: str
    turn: int
    shopper_text: str
    intent: str
    slots: dict
    unmet: str | None
    handoff_ticket: str | None
    created_at: str


class Correction(BaseModel):
    """What the owner says a shopper meant by one message: a labelled example for the intent model."""

    model_config = ConfigDict(frozen=True)

    conversation_id: str
    turn: int
    text: str
    parsed: ParsedIntent
    context: DialogueContext
    created_at: str


class ReviewTurn(BaseModel):
    """A turn worth a look: rated down, handed to a person, or the one just before a hand-off."""

    model_config = ConfigDict(frozen=True)

    conversation_id: str
    turn: int
    text: str
    intent: str
    slots: dict
    why: str
    comment: str | None
    created_at: str


class LoggedTurn(BaseModel):
    model_config = ConfigDict(frozen=True)

    turn: int
    shopper_text: str
    reply: Reply
    created_at: str


def interleave(logged: list[LoggedTurn], written: list[TeamMessage]) -> list[LoggedTurn | TeamMessage]:
    """A conversation's turns and what the shop's team wrote in it, in the order they happened
    (a team message of the same second as a turn follows it)."""
    entries: list[tuple[str, int, LoggedTurn | TeamMessage]] = [(t.created_at, 0, t) for t in logged]
    entries += [(m.created_at, 1, m) for m in written]
    return [entry for _, _, entry in sorted(entries, key=lambda e: (e[0], e[1]))]


class ConversationLog:
    """``target``: a SQLite file or a database URL. ``retention_days``: turns, ratings and
    sessions older than this are deleted, checked at most hourly as turns are recorded (None
    or 0: kept until ``purge``)."""

    def __init__(self, target: Path | str, retention_days: int | None = None) -> None:
        self.retention_days = retention_days
        self._purged_at = 0.0
        self.engine = open_database(target)

    def record(self, conversation_id: str, turn: int, result: TurnResult, channel: str) -> None:
        reply = result.reply
        row = {
            "conversation_id": conversation_id,
            "turn": turn,
            "channel": channel,
            "shopper_text": clean_text(result.transcript),  # never the shopper's raw markup
            "intent": reply.intent,
            "slots": json.dumps(reply.slots.filled()),
            "reply_text": reply.text,
            "product_ids": json.dumps([p.id for p in reply.products]),
            "handoff_ticket": reply.handoff.ticket_id if reply.handoff else None,
            "created_at": _now(),
            "reply": reply.model_dump_json(),
            "unmet": reply.unmet,
            "context": result.context.model_dump_json() if result.context else None,
        }
        with self.engine.begin() as conn:
            upsert(conn, turns, row)
        if self.retention_days and time.time() - self._purged_at > PURGE_EVERY_S:
            self.purge(datetime.now(UTC) - timedelta(days=self.retention_days))

    def purge(self, before: datetime) -> dict[str, int]:
        """Delete turns and ratings recorded before ``before``, and sessions idle since; the counts deleted."""
        cutoff = before.astimezone(UTC).isoformat(timespec="seconds")
        self._purged_at = time.time()
        old_turns = select(turns.c.conversation_id, turns.c.turn).where(turns.c.created_at < cutoff)
        with self.engine.begin() as conn:
            ratings = conn.execute(delete(feedback).where(feedback.c.created_at < cutoff)).rowcount
            ratings += conn.execute(delete(feedback).where(tuple_(feedback.c.conversation_id, feedback.c.turn).in_(old_turns))).rowcount
            gone = conn.execute(delete(turns).where(turns.c.created_at < cutoff)).rowcount
            idle = conn.execute(delete(sessions).where(sessions.c.updated_at < before.timestamp())).rowcount
        return {"turns": gone, "ratings": ratings, "sessions": idle}

    def mentioning(self, email: str) -> set[str]:
        """The conversations whose turns or stored session mention ``email``."""
        pattern = contains_pattern(email.strip().lower())
        query = union(
            select(turns.c.conversation_id).where(
                func.lower(turns.c.shopper_text).like(pattern, escape="\\") | func.lower(turns.c.slots).like(pattern, escape="\\")
            ),
            select(sessions.c.conversation_id).where(func.lower(sessions.c.state).like(pattern, escape="\\")),
        )
        with self.engine.connect() as conn:
            return set(conn.scalars(query))

    def delete_conversations(self, conversation_ids: set[str]) -> dict[str, int]:
        """Delete these conversations: their turns, ratings, corrections and sessions; the counts deleted."""
        if not conversation_ids:
            return {"turns": 0, "ratings": 0, "sessions": 0}
        ids = list(conversation_ids)
        with self.engine.begin() as conn:
            ratings = conn.execute(delete(feedback).where(feedback.c.conversation_id.in_(ids))).rowcount
            conn.execute(delete(corrections).where(corrections.c.conversation_id.in_(ids)))  # the owner's labels of their words
            gone = conn.execute(delete(turns).where(turns.c.conversation_id.in_(ids))).rowcount
            stored = conn.execute(delete(sessions).where(sessions.c.conversation_id.in_(ids))).rowcount
        return {"turns": gone, "ratings": ratings, "sessions": stored}

    def rate(self, conversation_id: str, turn: int, rating: Rating, comment: str | None = None) -> None:
        """Store (or change) the shopper's rating of one answer."""
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
        with self.engine.begin() as conn:
            known = conn.scalar(select(turns.c.turn).where(turns.c.conversation_id == conversation_id, turns.c.turn == turn))
            if known is None:
                raise UnknownTurn(f"no turn {turn} in conversation {conversation_id}")
            row = {"conversation_id": conversation_id, "turn": turn, "rating": rating, "comment": comment, "created_at": _now()}
            upsert(conn, feedback, row)

    def unrate(self, conversation_id: str, turn: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(feedback).where(feedback.c.conversation_id == conversation_id, feedback.c.turn == turn))

    def feedback(self, conversation_id: str | None = None, start: datetime | None = None, end: datetime | None = None) -> list[Feedback]:
        """Ratings with what they rated: of one conversation, or given from ``start`` up to ``end``."""
        f, t = feedback.c, turns.c
        query = select(f.conversation_id, f.turn, f.rating, f.comment, t.shopper_text, t.intent, t.reply_text, f.created_at).join_from(
            feedback, turns, (f.conversation_id == t.conversation_id) & (f.turn == t.turn)
        )
        if conversation_id is not None:
            query = query.where(f.conversation_id == conversation_id)
        if start is not None:
            query = query.where(f.created_at >= _iso(start))
        if end is not None:
            query = query.where(f.created_at < _iso(end))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(f.created_at)).mappings().all()
        return [Feedback(**row) for row in rows]

    def save_session(self, conversation_id: str, turns_so_far: int, state: str) -> None:
        """Keep a conversation's state (JSON from the channel) so that a restart, an eviction
        from memory or another app process continues it without losing or renumbering anything."""
        row = {"conversation_id": conversation_id, "turns": turns_so_far, "state": state, "updated_at": time.time()}
        with self.engine.begin() as conn:
            upsert(conn, sessions, row)

    def load_session(self, conversation_id: str, max_idle_s: float) -> tuple[int, str] | None:
        """(turns numbered so far, state) of a conversation active within ``max_idle_s``;
        None for one never stored or idle longer (whose state, verified email included, is
        deleted). The turn count is never below the last turn logged, so no number is reused."""
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.updated_at < time.time() - max_idle_s))
            row = conn.execute(select(sessions.c.turns, sessions.c.state).where(sessions.c.conversation_id == conversation_id)).first()
            if row is None:
                return None
            logged = conn.scalar(select(func.max(turns.c.turn)).where(turns.c.conversation_id == conversation_id))
        return max(row[0], logged or 0), row[1]

    def transcript(self, conversation_id: str) -> list[tuple[str, Reply]]:
        """The conversation's turns in order: (what the shopper said, the reply)."""
        return [(turn.shopper_text, turn.reply) for turn in self.turns_of(conversation_id)]

    def turns_of(self, conversation_id: str) -> list[LoggedTurn]:
        """The conversation's turns in order. A turn logged before whole replies were kept
        comes back with its text alone."""
        t = turns.c
        query = select(t.turn, t.shopper_text, t.reply, t.reply_text, t.intent, t.created_at).where(t.conversation_id == conversation_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(t.turn)).all()
        shown: list[LoggedTurn] = []
        for number, shopper, stored, text, intent, created_at in rows:
            reply = None
            if stored:
                try:
                    reply = Reply.model_validate_json(stored)
                except ValueError:  # a reply of an older shape: its text is still there
                    reply = None
            reply = reply or Reply(intent=intent, slots=Slots(), text=text)
            shown.append(LoggedTurn(turn=number, shopper_text=shopper, reply=reply, created_at=created_at))
        return shown

    def facts(self, start: datetime, end: datetime) -> list[TurnFact]:
        """The turns logged from ``start`` up to (not including) ``end``, oldest first."""
        t = turns.c
        query = (
            select(t.conversation_id, t.turn, t.shopper_text, t.intent, t.slots, t.unmet, t.handoff_ticket, t.created_at)
            .where(t.created_at >= _iso(start), t.created_at < _iso(end))
            .order_by(t.created_at, t.conversation_id, t.turn)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [TurnFact(**{**row, "slots": json.loads(row["slots"] or "{}")}) for row in rows]

    def to_review(self, limit: int = 100) -> list[ReviewTurn]:
        """The newest turns rated down, handed to a person, or just before a hand-off."""
        t, f = turns.c, feedback.c
        down = select(f.conversation_id, f.turn, f.comment).where(f.rating == "down").order_by(f.created_at.desc()).limit(limit)
        handed = select(t.conversation_id, t.turn).where(t.handoff_ticket.is_not(None)).order_by(t.created_at.desc()).limit(limit)
        wanted: dict[tuple[str, int], tuple[str, str | None]] = {}
        with self.engine.connect() as conn:
            for cid, number, comment in conn.execute(down):
                wanted[(cid, number)] = ("rated down", comment)
            for cid, number in conn.execute(handed):
                wanted.setdefault((cid, number), ("handed off", None))
                if number > 1:
                    wanted.setdefault((cid, number - 1), ("before a hand-off", None))
            if not wanted:
                return []
            query = select(t.conversation_id, t.turn, t.shopper_text, t.intent, t.slots, t.created_at).where(
                tuple_(t.conversation_id, t.turn).in_(list(wanted))
            )
            rows = conn.execute(query).all()
        found = [
            ReviewTurn(
                conversation_id=cid,
                turn=number,
                text=text,
                intent=intent,
                slots=json.loads(slots or "{}"),
                why=wanted[(cid, number)][0],
                comment=wanted[(cid, number)][1],
                created_at=created_at,
            )
            for cid, number, text, intent, slots, created_at in rows
        ]
        return sorted(found, key=lambda r: (r.created_at, r.turn), reverse=True)[:limit]

    def correct(self, conversation_id: str, turn: int, parsed: ParsedIntent) -> Correction:
        """Keep what the shopper meant by a logged turn (replacing an earlier correction of it);
        ``UnknownTurn`` for a turn never logged."""
        t = turns.c
        with self.engine.begin() as conn:
            row = conn.execute(select(t.shopper_text, t.context).where(t.conversation_id == conversation_id, t.turn == turn)).first()
            if row is None:
                raise UnknownTurn(f"no turn {turn} in conversation {conversation_id}")
            context = DialogueContext.model_validate_json(row.context) if row.context else DialogueContext()
            kept = parsed.model_copy(update={"confidence": 1.0, "parser": "owner"})
            correction = Correction(
                conversation_id=conversation_id, turn=turn, text=row.shopper_text, parsed=kept, context=context, created_at=_now()
            )
            upsert(
                conn,
                corrections,
                {
                    "conversation_id": conversation_id,
                    "turn": turn,
                    "text": correction.text,
                    "intent": kept.intent,
                    "parsed": kept.model_dump_json(),
                    "context": context.model_dump_json(),
                    "created_at": correction.created_at,
                },
            )
        return correction

    def context_of(self, conversation_id: str, turn: int) -> DialogueContext:
        """What the parser was shown with a turn's message (empty for a turn logged without it)."""
        t = turns.c
        with self.engine.connect() as conn:
            stored = conn.scalar(select(t.context).where(t.conversation_id == conversation_id, t.turn == turn))
        return DialogueContext.model_validate_json(stored) if stored else DialogueContext()

    def corrections(self) -> list[Correction]:
        c = corrections.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(corrections).order_by(c.created_at.desc())).mappings().all()
        return [
            Correction(
                conversation_id=row["conversation_id"],
                turn=row["turn"],
                text=row["text"],
                parsed=ParsedIntent.model_validate_json(row["parsed"]),
                context=DialogueContext.model_validate_json(row["context"]),
                created_at=row["created_at"],
            )
            for row in rows
        ]

    def uncorrect(self, conversation_id: str, turn: int) -> bool:
        with self.engine.begin() as conn:
            c = corrections.c
            return conn.execute(delete(corrections).where(c.conversation_id == conversation_id, c.turn == turn)).rowcount > 0

    def session_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(sessions)) or 0

    def turn_count(self, conversation_id: str | None = None) -> int:
        query = select(func.count()).select_from(turns)
        if conversation_id is not None:
            query = query.where(turns.c.conversation_id == conversation_id)
        with self.engine.connect() as conn:
            return conn.scalar(query) or 0

    def close(self) -> None:
        self.engine.dispose()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(moment: datetime) -> str:
    """A moment as the log writes its times (UTC, seconds), so that strings compare as times."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


#: how often recording a turn checks the retention period
PURGE_EVERY_S = 3600
