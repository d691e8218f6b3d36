"""Slots matched against the store's vocabulary (``MatcherMixin``): brands (with the guards
for brand names that are everyday words, and "a charger for my Samsung" compatibility),
colours, the category, the attribute asked about and the policy topic; plus negation
("but not Sony"), which turns a brand or colour into one to drop.
"""

from __future__ import annotations

import re

from assistant.intent.rules.base import ParserBase
from assistant.intent.rules.lexicon import _any, _lookup_key
from assistant.intent.rules.message import _GONE, _WORD_RE, _masked, _Message
from assistant.types import DialogueContext


class MatcherMixin(ParserBase):
    """The extractors that read brands, colours, category, attribute and policy topic."""

    def _negation_start(self, text: str, start: int) -> int | None:
        """Where a negation right before ``start`` begins ("but not Sony"), else None."""
        lo = max(0, start - 30)
        m = self.lex.rx["negation"].search(text[lo:start].replace(_GONE, " "))
        return lo + m.start() if m else None

    def _negated(self, text: str, start: int) -> bool:
        return self._negation_start(text, start) is not None

    def _extract_colors(self, msg: _Message, context: DialogueContext) -> None:
        if self._color_re is None:
            return
        protect = []
        if self.lex.color_exceptions_re is not None:
            protect = [(m.start(), m.end()) for m in self.lex.color_exceptions_re.finditer(msg.work)]
        for m in list(self._color_re.finditer(_masked(msg.work, protect))):
            color = self._color_map.get(_lookup_key(m.group(0)))
            if color is None:
                continue
            neg = self._negation_start(msg.work, m.start())
            if neg is not None:
                msg.negated_colors.append(color)
                msg.consume(neg, m.end(), "color", color)
                continue
            if msg.color is None:
                msg.color = color
            msg.consume(m.start(), m.end(), "color", color)

    def _extract_category(self, msg: _Message) -> None:
        if self._category_re is None:
            return
        weak_hit: str | None = None
        work = msg.work
        for span in msg.spans:
            if span.label == "brand":
                work = work[: span.start] + msg.text[span.start : span.end] + work[span.end :]
        for m in self._category_re.finditer(work):
            category = self._category_map.get(_lookup_key(m.group(0)))
            if category is None:
                continue
            if (m.start() > 0 and work[m.start() - 1] == "-") or work[m.end() : m.end() + 1] == "-":
                continue
            if _lookup_key(m.group(0)) in {_lookup_key(w) for w in self.lex.weak_category_words}:
                weak_hit = weak_hit or category
                continue
            msg.category, msg.category_strong = category, True
            return
        msg.category = weak_hit

    def _extract_brands(self, msg: _Message, context: DialogueContext) -> None:
        if self._brand_re is None:
            return
        compatible = False
        for m in list(self._brand_re.finditer(msg.work)):
            brand = self._brand_map.get(_lookup_key(m.group(0)))
            if brand is None:
                continue
            if self._guarded(msg.work, m, brand):
                continue
            if brand in self._common_brands and not self._common_brand_ok(msg, m, brand):
                continue
            neg = self._negation_start(msg.work, m.start())
            if neg is not None:
                msg.negated_brands.append(brand)
                msg.consume(neg, m.end(), "brand_not", brand)
                continue
            if self._compatibility(msg.work, m.start()):
                compatible = True
                continue  # "a charger for my Samsung": stays in the query
            msg.brands.append((m.start(), brand))
            msg.consume(m.start(), m.end(), "brand", brand)
        if not msg.brands and not msg.negated_brands and not compatible and self._implied_re is not None:
            for m in self._implied_re.finditer(msg.work):  # "white airpods" -> Apple
                brand = self._implied_map.get(_lookup_key(m.group(0)))
                after = _WORD_RE.findall(msg.work[m.end() :])[:1]
                if after and after[0] in self._category_words:
                    continue  # "iphone charger" is a charger, not an Apple product
                if brand and not self._compatibility(msg.work, m.start()):
                    msg.brands.append((m.start(), brand))  # not consumed: "airpods" stays in the query
                    break

    def _compatibility(self, work: str, start: int) -> bool:
        before = work[max(0, start - 40) : start].replace(_GONE, " ")
        return _any(self.lex.brand_compatibility, before)

    def _common_brand_ok(self, msg: _Message, m: re.Match[str], brand: str) -> bool:
        """A brand that is an everyday word ("Nothing", "KIND") counts when written with
        capitals (not as the first word) or right before a product word."""
        written = [brand, brand.upper(), brand.title(), brand[:1].upper() + brand[1:]]
        for form in written:
            if re.search(r"(?<=\S\s)(?<![\w])" + re.escape(form) + r"(?![\w])", msg.raw):
                return True
        after = _WORD_RE.findall(msg.text[m.end() :])[:1]
        return bool(after) and (after[0] in self._category_words or after[0] in {"brand", "products", "stuff"})

    def _guarded(self, work: str, m: re.Match[str], brand: str) -> bool:
        guard = self.lex.brand_guards.get(brand.lower())
        if not guard:
            return False
        after = work[m.end() :].strip()
        before = work[: m.start()].strip()
        nxt = any(re.match(re.escape(w) + r"\b", after) for w in guard.get("next", []))
        prv = any(
            re.search(r"\b" + re.escape(w) + r"$", before + " " + m.group(0)) or re.search(r"\b" + re.escape(w) + r"$", before)
            for w in guard.get("prev", [])
        )
        return nxt or prv

    def _extract_attribute(self, msg: _Message) -> None:
        if self._attribute_re is None:
            return
        best: tuple[int, int, str] | None = None
        for m in self._attribute_re.finditer(msg.text):
            found = self._attribute_map.get(_lookup_key(m.group(0)))
            if found is None:
                continue
            key, tier = found
            msg.attribute_spans.append((m.start(), m.end()))
            if best is None or (tier, m.start()) < (best[0], best[1]):
                best = (tier, m.start(), key)
        if best is not None:
            msg.attribute = best[2]

    def _extract_policy_topic(self, msg: _Message) -> None:
        for topic, strong, _ in self._policy:  # priority order
            if strong is not None and strong.search(msg.text):
                msg.policy_topic, msg.policy_strong = topic, True
                return
        for topic, _, weak in self._policy:
            if weak is not None and weak.search(msg.text):
                msg.policy_topic, msg.policy_strong = topic, False
                return
