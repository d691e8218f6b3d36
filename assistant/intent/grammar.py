"""The output format of ``intent.format`` as token-level constraints for the decoder.

At every step of greedy decoding the model may only choose a token that keeps the line
well formed::

    code ( ";" key "=" value )* "\\n"

- the first token is one of the nine intent codes;
- after a code or a finished value: ``;``, or the end of the line;
- after ``;``: a key the format knows and the line has not used yet; then ``=`` (or the
  tokenizer's single ``=-`` token, which starts a reference like ``r=-1``);
- a value is never empty; prices are digits and ``.``; keys with a closed set of values
  (category, colour, brand, attribute, policy topic, sort, cheaper/pricier, flags, the
  constraints to clear) may only spell one of those values, from the catalog's own
  vocabulary; free text (query, size, references, order id, email) uses the prompt's
  tokens like an unconstrained step.

A step with a single possible token (``=`` after a key, the rest of a value once its
first tokens pick it) needs no logits: ``Constraint.forced`` returns it and the decoder
feeds it with the next token in one forward pass. The constraint shapes the form of the
line only; ``format.decode`` and the ``Slots`` schema still validate the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import get_args

from assistant.intent.format import EXTRA_KEYS, INTENT_CODES, SLOT_KEYS, SORTS
from assistant.intent.ground import BUILT_IN_ATTRIBUTES
from assistant.types import ClearableSlot, RelativePrice, Vocabulary

_END = "\n"
_LIST_KEYS = {"x"}  # enumerated values separated by ","


def _single(tokenizer, text: str) -> int | None:
    ids = tokenizer(text, add_special_tokens=False).input_ids
    return ids[0] if len(ids) == 1 else None


class _Trie:
    """Token sequences of the allowed values of one key."""

    def __init__(self, sequences: Iterable[list[int]]) -> None:
        self.root: dict = {}
        for seq in sequences:
            node = self.root
            for token in seq:
                node = node.setdefault(token, {})
            node[None] = True  # a value may end here


@dataclass
class _State:
    phase: str = "code"  # code | after_value | key | eq | value
    key: str | None = None
    used: set[str] = field(default_factory=set)
    node: dict | None = None  # trie node inside an enumerated value
    value_tokens: int = 0


class Constraint:
    """Which tokens may come next, for one line being decoded. Build with ``Grammar.start()``."""

    def __init__(self, grammar: Grammar) -> None:
        self.g = grammar
        self.state = _State()

    def candidates(self) -> list[int] | None:
        """The token ids allowed next, or None for "any token of the prompt's slice"."""
        g, s = self.g, self.state
        if s.phase == "code":
            return list(g.codes)
        if s.phase == "after_value":
            return [g.semicolon, *g.ends]
        if s.phase == "key":
            return [t for t, key in g.keys.items() if key not in s.used]
        if s.phase == "eq":
            # "r=-1" is written with the single token "=-"
            return [g.equals] if s.key in g.tries or s.key in ("min", "max") or g.equals_minus is None else [g.equals, g.equals_minus]
        key = s.key
        assert key is not None
        if key in g.tries:
            assert s.node is not None
            nexts = [t for t in s.node if t is not None]
            if None in s.node:
                nexts += [g.semicolon, *g.ends] + ([g.comma] if key in _LIST_KEYS else [])
            return nexts
        if key in ("min", "max"):
            return list(g.digits) + ([g.dot, g.semicolon, *g.ends] if s.value_tokens else [])
        return None  # free text: any token of the slice (no separator first: ``forbids_at_value_start``)

    def forbids_at_value_start(self) -> bool:
        s = self.state
        return s.phase == "value" and s.value_tokens == 0 and s.key not in self.g.tries and s.key not in ("min", "max")

    def forced(self) -> int | None:
        """The one token that must come next, if there is exactly one."""
        options = self.candidates()
        return options[0] if options is not None and len(options) == 1 else None

    def advance(self, token: int) -> None:
        g, s = self.g, self.state
        if s.phase == "code":
            s.phase = "after_value"
        elif s.phase == "after_value" or (s.phase == "value" and token == g.semicolon):
            if token == g.semicolon:
                s.phase, s.key, s.node, s.value_tokens = "key", None, None, 0
        elif s.phase == "key":
            s.key = g.keys[token]
            s.used.add(s.key)
            s.phase = "eq"
        elif s.phase == "eq":
            s.phase = "value"
            s.node = g.tries[s.key].root if s.key in g.tries else None
            s.value_tokens = 1 if token == g.equals_minus else 0
        else:  # inside a value
            if s.key in g.tries:
                s.node = g.tries[s.key].root if token == g.comma else (s.node or {})[token]
            s.value_tokens += 1


class Grammar:
    """The format's token sets for one tokenizer and catalog vocabulary."""

    def __init__(self, tokenizer, vocabulary: Vocabulary) -> None:
        codes = {}
        for code in INTENT_CODES.values():
            token = _single(tokenizer, " " + code)
            if token is None:
                raise ValueError(f"intent code {code!r} is not one token")
            codes[token] = code
        self.codes = codes
        self.semicolon = self._one(tokenizer, ";")
        self.equals = self._one(tokenizer, "=")
        self.equals_minus = _single(tokenizer, "=-")
        self.comma = self._one(tokenizer, ",")
        self.dot = self._one(tokenizer, ".")
        newline = tokenizer(_END, add_special_tokens=False).input_ids[-1]
        self.ends = [newline, tokenizer.eos_token_id]
        self.digits = [self._one(tokenizer, d) for d in "0123456789"]
        self.keys = {self._one(tokenizer, key): key for key in [*SLOT_KEYS.values(), *EXTRA_KEYS]}
        attributes = sorted(set(vocabulary.attributes) | BUILT_IN_ATTRIBUTES)
        values = {
            "c": vocabulary.categories,
            "col": vocabulary.colors,
            "b": vocabulary.brands,
            "a": attributes,
            "t": vocabulary.policy_topics,
            "sort": SORTS,
            "rel": get_args(RelativePrice),
            "stock": ("0", "1"),
            "inv": ("0", "1"),
            "cmp": ("0", "1"),
            "f": ("1",),
            "x": get_args(ClearableSlot),  # the values ``ParsedIntent`` accepts, no more
        }
        self.tries = {
            key: _Trie(tokenizer(str(v), add_special_tokens=False).input_ids for v in options if str(v).strip())
            for key, options in values.items()
            if options
        }

    @staticmethod
    def _one(tokenizer, text: str) -> int:
        token = _single(tokenizer, text)
        if token is None:
            raise ValueError(f"{text!r} is not one token")
        return token

    def start(self) -> Constraint:
        return Constraint(self)

    def separators(self) -> list[int]:
        return [self.semicolon, *self.ends]
