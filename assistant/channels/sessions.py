"""Conversations of the JSON API: issued by the server, kept in the store's conversation log.

The server picks every conversation id (24 random URL-safe characters); a client can only
send back one it was given, so nobody inherits what another shopper verified by choosing
an id. Each turn's session is saved, so a restart or an eviction from the in-memory cache
continues the conversation where it was, with its turn numbers; a conversation idle
longer than ``SHOPASSIST_SESSION_IDLE_MINUTES`` is gone, with the email it verified.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections import OrderedDict

from pydantic import TypeAdapter

from assistant.answer.order_actions import PendingAction
from assistant.answer.returns import PendingReturn
from assistant.dialogue import Session
from assistant.records.conversations import ConversationLog

_SESSION = TypeAdapter(Session)
#: the session fields that hold a typed value waiting for the shopper's answer
_PENDING = {"pending_return": TypeAdapter(PendingReturn | None), "pending_action": TypeAdapter(PendingAction | None)}


def dumps(session: Session) -> str:
    data = _SESSION.dump_python(dataclasses.replace(session, **dict.fromkeys(_PENDING)), mode="json")
    for name, adapter in _PENDING.items():
        data[name] = adapter.dump_python(getattr(session, name), mode="json")
    return json.dumps(data, ensure_ascii=False)


def loads(text: str) -> Session:
    data = json.loads(text)
    pending = {name: data.pop(name, None) for name in _PENDING}
    session = _SESSION.validate_python(data)
    for name, adapter in _PENDING.items():
        setattr(session, name, adapter.validate_python(pending[name]))
    return session


class SessionStore:
    """Sessions by id: the most recently used in memory, every one in the conversation log
    (``log`` None: memory only, as for a store without one). With a log the stored state is
    the truth: a cached session is used only while no other process has answered a turn of
    it since, so processes sharing one database continue each other's conversations."""

    def __init__(self, log: ConversationLog | None, idle_minutes: float, capacity: int = 2000) -> None:
        self.log = log
        self.max_idle_s = idle_minutes * 60
        self.capacity = capacity
        self._items: OrderedDict[str, tuple[Session, threading.Lock]] = OrderedDict()
        self._lock = threading.Lock()

    def new(self) -> tuple[Session, threading.Lock]:
        session = Session()  # its id: dialogue.new_conversation_id, 144 random bits
        with self._lock:
            return self._keep(session)

    def get(self, conversation_id: str) -> tuple[Session, threading.Lock] | None:
        """The conversation with this id, or None when it was never issued or has expired."""
        with self._lock:
            if self.log is None:
                return self._items.get(conversation_id)
            stored = self.log.load_session(conversation_id, self.max_idle_s)
            if stored is None:
                self._items.pop(conversation_id, None)
                return None
            turns, state = stored
            cached = self._items.get(conversation_id)
            if cached is not None and cached[0].turns == turns:
                self._items.move_to_end(conversation_id)
                return cached
            # never seen here, or another process answered a turn since: the stored state is newer
            session = loads(state)
            session.turns = max(session.turns, turns)
            return self._keep(session, cached[1] if cached else None)

    def save(self, session: Session) -> None:
        if self.log is not None:
            self.log.save_session(session.conversation_id, session.turns, dumps(session))

    def _keep(self, session: Session, lock: threading.Lock | None = None) -> tuple[Session, threading.Lock]:
        entry = (session, lock or threading.Lock())
        self._items[session.conversation_id] = entry
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return entry
