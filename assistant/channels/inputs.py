"""Checks every channel applies to what arrives from outside before it reaches the turn handler."""

from __future__ import annotations


def is_text(value: str) -> bool:
    """True when ``value`` can be stored and sent back as UTF-8: no lone UTF-16 surrogates
    (JSON's ``"\\ud800"``, or bytes that were not UTF-8 read with ``surrogateescape``)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_text(value: str) -> str:
    """``value`` with every lone surrogate replaced by U+FFFD (a surrogate pair becomes its character)."""
    return value if is_text(value) else value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
