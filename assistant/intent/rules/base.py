"""The attributes the parser's mixins share, declared once so that a type checker can
follow them: the store's vocabulary, the compiled lexicon and the vocabulary-dependent
matchers that ``VocabularyMixin`` builds; plus, for the type checker only, the methods
one mixin calls on another.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.intent.rules.lexicon import Lexicon
from assistant.types import DialogueContext, Vocabulary

if TYPE_CHECKING:
    from assistant.intent.rules.message import _Message


class ParserBase:
    """State shared by the ``RuleIntentParser`` mixins (set in ``RuleIntentParser.__init__``
    and the ``_build_*`` methods)."""

    vocabulary: Vocabulary
    lex: Lexicon
    # categories
    _category_map: dict[str, str]
    _category_re: re.Pattern[str] | None
    _category_words: set[str]
    # colours
    _color_map: dict[str, str]
    _color_re: re.Pattern[str] | None
    # brands
    _brand_map: dict[str, str]
    _brand_re: re.Pattern[str] | None
    _implied_map: dict[str, str]
    _implied_re: re.Pattern[str] | None
    _brand_words: set[str]
    _common_brands: set[str]
    # sizes, attributes, policy topics
    _sizes: dict[str, str]
    _attribute_map: dict[str, tuple[str, int]]
    _attribute_re: re.Pattern[str] | None
    _policy: list[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None]]
    # fuzzy repair of brand and category words
    _fuzzy: dict[str, str | None]
    _fuzzy_known: set[str]

    if TYPE_CHECKING:
        # VocabularyMixin
        @staticmethod
        def _size_key(size: str) -> str: ...

        # NormaliserMixin
        def _normalise(self, raw: str) -> tuple[str, str]: ...
        def _number_words(self, text: str) -> str: ...

        # MatcherMixin
        def _negated(self, text: str, start: int) -> bool: ...
        def _extract_brands(self, msg: _Message, context: DialogueContext) -> None: ...
        def _extract_colors(self, msg: _Message, context: DialogueContext) -> None: ...
        def _extract_category(self, msg: _Message) -> None: ...
        def _extract_attribute(self, msg: _Message) -> None: ...
        def _extract_policy_topic(self, msg: _Message) -> None: ...

        # ReferenceMixin
        def _collect_refs(self, msg: _Message, context: DialogueContext, *, compare: bool, vocab_brands: bool) -> list[str]: ...
        def _named_product(self, msg: _Message) -> list[str]: ...
        def _vs_fragments(self, msg: _Message) -> list[str]: ...
