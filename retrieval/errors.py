"""The retrieval library's errors: one base class, and messages that say how to fix the problem."""

from __future__ import annotations


class RetrievalError(Exception):
    """Base of every error the retrieval library raises on purpose; ``str(error)`` is
    written for the person running it (what is wrong and what to do)."""


class CatalogFileError(RetrievalError):
    """The catalog file itself cannot be read; the message says how to fix it."""


class StoreError(RetrievalError):
    """The store is missing or unusable; the message says what to run."""


class PolicyError(RetrievalError):
    """Policy files cannot be read; the message says which and why."""
