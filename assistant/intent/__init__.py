"""The one interface every intent parser implements (rules now, the fine-tuned LLM later)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from assistant.types import DialogueContext, ParsedIntent


@runtime_checkable
class IntentParser(Protocol):
    name: str

    def parse(self, text: str, context: DialogueContext) -> ParsedIntent:
        """Interpret one shopper message in its dialogue context. Never raises on odd input."""
        ...
