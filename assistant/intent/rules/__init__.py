"""Rule-based intent parser: the measured baseline and the fallback for the LLM parser.

``RuleIntentParser(vocabulary).parse(text, context) -> ParsedIntent``

How a message is read
    1. Normalise: NFKC, lower case, contractions expanded, listed typos fixed, brand and
       category words repaired at edit distance 1, spoken numbers turned into digits
       ("a hundred and twenty" -> "120"; a lone "one" stays a word).
    2. Extract slots from a working copy of the text. Each extractor *consumes* what it
       reads (replaced by NUL characters, so offsets never move), in an order that keeps
       numbers apart: e-mails and order ids, sizes, list references ("the second one"),
       prices, "any brand is fine" / sort / "cheaper" phrases, brands (before colours:
       "Bob's Red Mill"), colours; then the category, the attribute asked about and the
       policy topic are read without consuming. What is left, minus filler phrases and
       stop words, is the search ``query``.
    3. Decide the intent with an explicit precedence (see ``_decide``): pending e-mail >
       greeting only > human agent > return request > order status > clearly out of
       scope > compare > "my order" > policy question > product question > search >
       weakly out of scope > fallback (lower confidence).
    4. Keep only the slots that intent uses.

All word lists and regexes live in ``assistant/intent/rules/lexicon.yaml`` (loaded once). The parser
never raises: any internal error yields ``out_of_scope`` with confidence 0.

Modules: ``lexicon`` (lexicon.yaml and the phrase-regex helpers), ``message`` (the message
being read), ``base`` (the attributes the mixins share), and the mixins of
``RuleIntentParser``: ``vocabulary`` (matchers built from the store's vocabulary),
``normalise``, ``extract`` and ``match`` (slot extraction), ``references``, ``decide``
(the intent) and ``slots`` (slots and query).
"""

from __future__ import annotations

import logging
import unicodedata
from typing import Any

from assistant.intent.rules.decide import DeciderMixin
from assistant.intent.rules.extract import ExtractorMixin
from assistant.intent.rules.lexicon import Lexicon, _lexicon, compile_phrases, load_lexicon
from assistant.intent.rules.match import MatcherMixin
from assistant.intent.rules.message import _GONE, MAX_CHARS
from assistant.intent.rules.normalise import NormaliserMixin
from assistant.intent.rules.references import ReferenceMixin
from assistant.intent.rules.slots import SlotsMixin
from assistant.intent.rules.vocabulary import VocabularyMixin
from assistant.types import DialogueContext, ParsedIntent, Vocabulary

__all__ = ["MAX_CHARS", "Lexicon", "RuleIntentParser", "compile_phrases", "load_lexicon"]

log = logging.getLogger(__name__)


class RuleIntentParser(VocabularyMixin, NormaliserMixin, ExtractorMixin, MatcherMixin, ReferenceMixin, DeciderMixin, SlotsMixin):
    """Regexes and word lists over a store vocabulary; see the module docstring."""

    name = "rules"

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary or Vocabulary()
        self.lex = _lexicon()
        self._build_categories()
        self._build_colors()
        self._build_brands()
        self._build_sizes()
        self._build_attributes()
        self._build_policy_topics()
        self._build_fuzzy()

    # ==================================================================================
    # Parsing

    def parse(self, text: str, context: DialogueContext | None = None) -> ParsedIntent:
        try:
            return self._parse(text, context if context is not None else DialogueContext())
        except Exception:  # noqa: BLE001 - a parser must never take the turn down
            log.exception("rule intent parser failed on %r", str(text)[:200])
            return ParsedIntent(intent="out_of_scope", confidence=0.0, parser=self.name)

    def _parse(self, text: Any, context: DialogueContext) -> ParsedIntent:
        raw = text if isinstance(text, str) else ("" if text is None else str(text))
        raw = unicodedata.normalize("NFKC", raw[: MAX_CHARS * 2])[:MAX_CHARS]
        raw = " ".join(raw.replace(_GONE, " ").split())
        msg = self._analyse(raw, context)
        intent, confidence = self._decide(msg, context)
        slots, clear, relative = self._slots(intent, msg, context)
        return ParsedIntent(
            intent=intent,
            slots=slots,
            clear=clear,
            relative_price=relative,
            frustrated=msg.frustrated,
            confidence=round(confidence, 2),
            parser=self.name,
        )
