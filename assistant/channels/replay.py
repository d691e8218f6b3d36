"""The replay contract: conversations in (JSONL), one JSON line per turn out.

Input line:  {"id": str, "turns": [{"text": str} | {"audio": path}]}  (relative audio
             paths are relative to the conversations file)
Output line: {"conversation", "turn", "transcript", "intent", "slots", "text",
              "products": [{"id", "title", "price", "currency", "brand", "category", "attributes"}],
              "alternatives": [same shape], "sources", "handoff",
              "cart": [{"product_id", "quantity"}], "timings_ms"}

``slots`` are the slots in force after the turn: for searches, the constraints carried
over from earlier turns; ``product_refs`` resolved to product ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.app import Services
from assistant.channels.inputs import clean_text, is_text
from assistant.dialogue import Session
from assistant.pipeline import Audio, handle
from assistant.types import TurnResult
from retrieval.catalog import Product

PRODUCT_FIELDS = ("id", "title", "price", "currency", "brand", "category", "attributes")


def product_json(product: Product) -> dict[str, Any]:
    data = product.model_dump()
    return {k: data[k] for k in PRODUCT_FIELDS}


def turn_json(conversation: str, turn: int, result: TurnResult) -> dict[str, Any]:
    reply = result.reply
    return {
        "conversation": conversation,
        "turn": turn,
        "transcript": result.transcript,
        "intent": reply.intent,
        "slots": reply.slots.filled(),
        "text": reply.text,
        "products": [product_json(p) for p in reply.products],
        "alternatives": [product_json(p) for p in reply.alternatives],
        "sources": [{"doc": s.doc, "title": s.title, "section": s.section, "chunk_id": s.id} for s in reply.sources],
        "handoff": reply.handoff.model_dump() if reply.handoff else None,
        "cart": [item.model_dump() for item in reply.cart],
        "timings_ms": result.timings_ms,
    }


def _error_line(conversation: str, turn: int, message: str) -> dict[str, Any]:
    return {
        "conversation": conversation,
        "turn": turn,
        "transcript": "",
        "intent": None,
        "slots": {},
        "text": message,
        "products": [],
        "alternatives": [],
        "sources": [],
        "handoff": None,
        "cart": [],
        "timings_ms": {},
        "error": message,
    }


def replay(path: Path, services: Services) -> Iterator[dict[str, Any]]:
    """Yield one output record per turn; malformed input lines yield an error record."""
    with Path(path).open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                conversation = clean_text(str(item["id"]))
                turns = item["turns"]
                if not isinstance(turns, list):
                    raise TypeError("turns must be a list")
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                yield _error_line(
                    f"line-{line_no}", 0, f'line {line_no}: not a conversation ({exc}); expected {{"id": str, "turns": [...]}}'
                )
                continue
            session = Session(conversation_id=conversation)
            for turn in turns:
                if isinstance(turn, dict) and isinstance(turn.get("text"), str) and not is_text(turn["text"]):
                    index = session.next_turn()  # reported, and the conversation goes on
                    yield _error_line(conversation, index, f"turn {index}: the text is not valid Unicode (a lone UTF-16 surrogate)")
                elif isinstance(turn, dict) and isinstance(turn.get("text"), str):
                    result = handle(turn["text"], session, services, channel="replay")
                    yield turn_json(conversation, result.turn, result)
                elif isinstance(turn, dict) and isinstance(turn.get("audio"), str) and is_text(turn["audio"]):
                    audio = Path(turn["audio"])
                    if not audio.is_absolute():  # relative to the conversations file
                        audio = Path(path).parent / audio
                    result = handle(Audio(audio), session, services, channel="replay")
                    yield turn_json(conversation, result.turn, result)
                else:  # a turn that cannot be read still takes its number
                    index = session.next_turn()
                    yield _error_line(conversation, index, f'turn {index}: expected {{"text": str}} or {{"audio": path}}')
