"""The assistant's errors: one base class, and messages that say what happened and how to fix it.

Errors the shopper can cause (unusable audio, a reference to nothing on screen) carry a
message written for the shopper; errors of set-up carry one for the shop owner. Channels
convert them to text at their edge (``USER_ERRORS``); anything else is a bug, which
``pipeline.handle`` answers with an apology and logs.
"""

from __future__ import annotations

from retrieval.errors import RetrievalError


class AssistantError(Exception):
    """Base of every error the assistant raises on purpose."""


class AudioError(AssistantError):
    """Unusable audio; ``str(error)`` is the message shown to the shopper."""


class UnresolvedReference(AssistantError):
    """A reference the session cannot resolve; the message is shown to the shopper."""


class FormatError(AssistantError, ValueError):
    """The intent model's output is not a valid parse (data, not a bug: the rules answer)."""


class CacheFull(AssistantError, ValueError):
    """The sequence does not fit in the intent decoder's key/value cache."""


class UnknownTurn(AssistantError, LookupError):
    """Feedback for a turn that was never recorded."""


class ProfileError(AssistantError):
    """A store's profile.yaml is missing a required field or holds a bad value; the message names it."""


class OrderFileError(AssistantError):
    """An orders file cannot be read at all; the message says how to fix it."""


class LookupLimited(AssistantError):
    """Order lookups of this email or order id failed too often; ``retry_after`` seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed lookups; try again in {retry_after} seconds")
        self.retry_after = retry_after


class DatabaseError(AssistantError):
    """The store's database URL is unusable or the database cannot be reached; the message says which."""


class OrderSourceUnavailable(AssistantError):
    """The shop's order backend did not answer (timeout, connection error, unexpected status)."""


#: errors whose message is meant for a person: channels print it instead of a traceback
USER_ERRORS: tuple[type[Exception], ...] = (AssistantError, RetrievalError)


class WouldChange(AssistantError):
    """A rehearsed answer (the owner page's agent assist) would have changed the store's records; names what."""


class PeriodError(AssistantError, ValueError):
    """A period the owner page cannot count over; the message says how to write one."""


class CorrectionError(AssistantError, ValueError):
    """An owner's correction that is not a valid parse; the message names the field."""
