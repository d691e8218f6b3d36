"""The intent decision (``DeciderMixin``): ``_decide`` applies the explicit precedence
described in the package docstring, with its helpers for greetings, shopping and
refinement signals, questions about a product and the low-confidence fallback.
"""

from __future__ import annotations

import re

from assistant.intent.rules.base import ParserBase
from assistant.intent.rules.lexicon import _any
from assistant.intent.rules.message import _GONE, _WORD_RE, _Message
from assistant.types import ORDER_INTENTS, DialogueContext


class DeciderMixin(ParserBase):
    """Which intent a read message carries, and how sure the parser is."""

    def _decide(self, msg: _Message, context: DialogueContext) -> tuple[str, float]:
        lex = self.lex
        text = msg.text
        if not re.search(r"[^\W_]", text):  # empty, punctuation, emoji
            if self._greeting_only(msg):  # "👋"
                return "greeting", 0.7
            return "out_of_scope", 0.3
        shown = bool(context.shown_titles or context.shown_brands)
        in_play = shown or bool(context.constraints.filled())

        asked = context.last_intent if context.last_intent in ORDER_INTENTS else "order_status"
        # 1. the assistant asked for the e-mail that goes with an order
        if msg.emails and (context.pending_order_id or msg.order_id):
            if context.pending_order_id and self._mostly_email(msg):
                return asked, 0.95
        # 2. nothing but greetings, thanks or "what can you do"
        if self._greeting_only(msg):
            return "greeting", 0.9
        # 3. a person, please (a complaint is for a person too)
        if (_any(lex.human, text) or _any(lex.complaint, text)) and not _any(lex.human_negative, text):
            return "human_agent", 0.95
        # 4. an order's refund, invoice, cancellation or change
        if _any(lex.refund_status, text):
            return "order_status", 0.9
        cancel_status = _any(lex.cancel_status, text)
        if _any(lex.cancel_order, text) and not cancel_status:
            return "cancel_order", 0.9
        if msg.order_id and not cancel_status and re.search(r"\bcancel", text):
            return "cancel_order", 0.85
        if _any(lex.change_order, text) and "email address" not in text:
            return "change_order", 0.9
        if _any(lex.invoice, text) and (
            msg.order_id or lex.rx["personal_purchase"].search(text) or re.search(r"\b(?:my|an?|the)\s+(?:invoice|receipt)", text)
        ):
            return "order_status", 0.9
        returns_word = lex.rx["return_word"].search(text)
        policy_phrased = _any(lex.return_policy, text)
        # 5. returning their own item or order (a personal purchase beats policy phrasing:
        #    "can I return these shoes I bought last week?")
        personal = bool(msg.order_id) or bool(lex.rx["personal_purchase"].search(text))
        if (_any(lex.return_request, text) or (personal and returns_word)) and (not policy_phrased or personal):
            return "return_request", 0.9
        if msg.order_id and returns_word:
            return "return_request", 0.9
        # 6. their order
        if msg.order_id:
            return "order_status", 0.95
        if _any(lex.order_status, text):
            return "order_status", 0.9
        if msg.emails and not context.pending_order_id and self._mostly_email(msg):
            return asked, 0.6
        # 7. never ours, whatever products it names
        if _any(lex.oos_strong, msg.plain):
            return "out_of_scope", 0.9
        # 8. comparing products
        compare_cue = _any(lex.compare, text) or (shown and lex.rx["compare_when_shown"].search(text))
        refs = self._collect_refs(msg, context, compare=True, vocab_brands=True)
        if not compare_cue and len([r for r in refs if r not in ("it", "all")]) >= 2 and re.search(r"\bor\b", text) and "?" in msg.raw:
            compare_cue = True
        if compare_cue:
            if refs or shown:
                return "compare_products", 0.9
            if self._vs_fragments(msg):
                return "compare_products", 0.85
            if not self._shopping_signal(msg):
                return "compare_products", 0.6
        if lex.rx["my_order"].search(text) and not msg.policy_strong:
            return "order_status", 0.75
        # 9. the store's rules
        if (
            msg.policy_topic
            and (
                msg.policy_strong
                or policy_phrased
                or not (msg.brands or msg.has_price or msg.color or msg.size or _any(lex.shopping, text))
            )
            and (_any(lex.policy_question, text) or not self._shopping_signal(msg) or policy_phrased)
        ):
            return "policy_question", 0.9 if msg.policy_strong else 0.75
        # 10. a question about a product already shown (or named)
        pq = self._product_question(msg, context, shown)
        if pq is not None:
            return "product_question", pq
        # 11. shopping
        if self._shopping_signal(msg):
            return "search_products", 0.9
        if in_play and self._refinement_signal(msg):
            return "search_products", 0.8
        if msg.frustrated and in_play and (msg.relative_price or msg.clear or msg.color or msg.size or msg.has_price):
            return "search_products", 0.7
        # 12. other things we don't do
        if _any(lex.oos_weak, msg.plain) and (self._is_question(msg) or len(_WORD_RE.findall(text)) >= 4):
            return "out_of_scope", 0.75
        if msg.frustrated:
            return "out_of_scope", 0.5
        # 13. fallback
        return self._fallback(msg, in_play)

    def _greeting_only(self, msg: _Message) -> bool:
        lex = self.lex
        if lex.greeting_re is None:
            return False
        found = lex.greeting_re.search(msg.text) is not None
        rest = lex.greeting_re.sub(" ", msg.text)
        words = [w for w in re.findall(r"[^\W_]+|:\)|:-\)|:d", rest) if w not in lex.greeting_fillers]
        return found and not words

    def _mostly_email(self, msg: _Message) -> bool:
        rest = msg.work.replace(_GONE, " ")
        words = [w for w in _WORD_RE.findall(rest) if w not in self.lex.email_filler]
        return len(words) <= 2

    def _shopping_signal(self, msg: _Message) -> bool:
        return bool(msg.category_strong or msg.brands or msg.has_price or msg.sort or msg.size or _any(self.lex.shopping, msg.text))

    def _refinement_signal(self, msg: _Message) -> bool:
        return bool(
            msg.color
            or msg.relative_price
            or msg.clear
            or msg.category
            or msg.size_seen
            or msg.negated_brands
            or msg.negated_colors
            or _any(self.lex.refinement, msg.text)
        )

    def _is_question(self, msg: _Message) -> bool:
        return "?" in msg.raw or bool(self.lex.question_openers_re.search(msg.text))

    def _product_question(self, msg: _Message, context: DialogueContext, shown: bool) -> float | None:
        """Confidence that this is a question about a shown/named product, or None."""
        text = msg.text
        ordinal_or_name = [r for r in self._collect_refs(msg, context, compare=False, vocab_brands=False) if r not in ("it", "all")]
        refs = self._collect_refs(msg, context, compare=False, vocab_brands=False)
        question = self._is_question(msg)
        wants_search = bool(msg.relative_price or msg.clear or msg.has_price or msg.sort or self.lex.rx["more_like"].search(text))
        if wants_search:
            return None
        if shown and ordinal_or_name:
            if question or msg.attribute:
                return 0.9
            # "the second one" / "the Sony one" on its own ("only Sony" is a search filter)
            rest = [
                w
                for w in _WORD_RE.findall(msg.work.replace(_GONE, " "))
                if w not in self.lex.guess_stopwords and w not in self.lex.query_stopwords
            ]
            pointed = bool(msg.ordinal_refs) or self.lex.rx["pointing"].search(text)
            if len(rest) <= 2 and not msg.category_strong and pointed:
                return 0.8
            return None
        if shown and refs and (question or msg.attribute):
            if msg.category_strong and not msg.attribute and self.lex.rx["availability"].search(text):
                return None
            return 0.85
        # "what sizes are available?" right after products were shown: about the current one
        if (
            shown
            and question
            and msg.attribute
            and msg.attribute != "description"
            and not refs
            and not self._shopping_signal(msg)
            and not self.lex.rx["availability"].search(text)
        ):
            return 0.75
        # nothing shown: a question naming a product ("the Sony", a model number)
        if msg.attribute and question:
            named = self._named_product(msg)
            if named:
                return 0.7
            if refs and refs[0] in ("it", "all") and not msg.category_strong:
                return 0.5
        return None

    def _fallback(self, msg: _Message, in_play: bool) -> tuple[str, float]:
        words = _WORD_RE.findall(msg.work.replace(_GONE, " "))
        content = [w for w in words if w not in self.lex.query_stopwords and w not in self.lex.query_connectors]
        questiony = self.lex.rx["question_word"].search(msg.text)
        if in_play and len(words) <= 6 and not questiony:
            return "search_products", 0.55
        if (msg.color or msg.size or msg.negated_colors or msg.negated_brands) and len(words) <= 6:
            return "search_products", 0.6
        if content and len(words) <= 5 and not questiony:
            return "search_products", 0.5
        return "out_of_scope", 0.5
