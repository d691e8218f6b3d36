"""Conversational shopping assistant: the application.

The stages, a sub-package each, in the order ``pipeline.py`` (the only place that knows
it) calls them::

    voice/ (audio -> Transcript) -> intent/ (text -> ParsedIntent) -> dialogue.py (session,
    references) -> retrieval (the library: constraints -> hits) -> answer/ (-> Reply)
    -> channels/ (cli, web, ui, replay: thin adapters over ``pipeline.handle``)

``app.py`` builds the ``Services`` a conversation needs from a store directory; measuring
and training code lives in ``evals/`` and is never imported by the serving path.

The public API is imported lazily, so ``import assistant`` loads no model::

    from assistant import Session, get_settings, handle, open_services

    services = open_services(get_settings())
    print(handle("running shoes under $80", Session(), services, channel="docs").reply.text)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: public name -> the module that defines it
_EXPORTS = {
    "handle": "assistant.pipeline",
    "Audio": "assistant.pipeline",
    "Services": "assistant.app",
    "open_services": "assistant.app",
    "ensure_demo_store": "assistant.app",
    "Session": "assistant.dialogue",
    "Settings": "assistant.settings",
    "get_settings": "assistant.settings",
    "AssistantError": "assistant.errors",
    "USER_ERRORS": "assistant.errors",
    "ParsedIntent": "assistant.types",
    "Reply": "assistant.types",
    "Slots": "assistant.types",
    "TurnResult": "assistant.types",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
