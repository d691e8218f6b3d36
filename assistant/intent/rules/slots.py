"""The slots an intent keeps (``SlotsMixin``): ``_slots`` picks, per intent, the slots,
``clear`` list and relative price from a read message; ``_query`` builds the search query
from what the extractors left; the attribute asked about is guessed when no phrase named it.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.intent.rules.base import ParserBase
from assistant.intent.rules.lexicon import _any
from assistant.intent.rules.message import _GONE, _WORD_RE, _Message
from assistant.types import ORDER_INTENTS, DialogueContext, Slots

#: words of a change request that are not the item's ("change my order to size L")
_CHANGE_WORDS = frozenset(
    "change changing swap switch update modify amend exchange order ordered orders purchase bought purchased got size sizes "
    "colour color colours colors instead need needed want wanted meant but different another new one it item".split()
)


class SlotsMixin(ParserBase):
    """Slots and query for the decided intent."""

    def _slots(self, intent: str, msg: _Message, context: DialogueContext) -> tuple[Slots, list[str], str | None]:
        clear: list[str] = []
        relative: str | None = None
        values: dict[str, Any] = {}
        if intent == "search_products":
            values.update(
                query=self._query(msg),
                category=msg.category,
                brand=msg.brand,
                color=msg.color,
                size=msg.size,
                price_min=msg.price_min,
                price_max=msg.price_max,
                in_stock=msg.in_stock,
                sort=msg.sort,
            )
            clear = list(msg.clear)
            constraints = context.constraints
            for brand in msg.negated_brands:
                if constraints.brand and constraints.brand.lower() == brand.lower() and "brand" not in clear:
                    clear.append("brand")
            for color in msg.negated_colors:
                if constraints.color and constraints.color.lower() == color.lower() and "color" not in clear:
                    clear.append("color")
            clear = [c for c in clear if values.get(c) is None]
            relative = msg.relative_price
            if self.lex.rx["similar_to"].search(msg.text):
                refs = self._collect_refs(msg, context, compare=False, vocab_brands=False)
                values["product_refs"] = [r for r in refs if r != "all"]
        elif intent == "product_question":
            refs = self._collect_refs(msg, context, compare=False, vocab_brands=False)
            if not refs or refs == ["it"]:
                named = self._named_product(msg) or [b.lower() for _, b in msg.brands]
                if named and not (context.shown_titles or context.shown_brands) or (named and not refs):
                    refs = named
            if not refs and (context.shown_titles or context.shown_brands):
                refs = ["it"]
            # "does it come in blue?" / "is it available in a 10?": the colour or size is
            # what is asked about; in "is the navy one in stock?" the colour names the product
            attribute = msg.attribute
            asked_color = msg.color if msg.color and msg.color.lower() not in refs and self._asked_in(msg, "color") else None
            asked_size = msg.size if msg.size and self._asked_in(msg, "size") else None
            if asked_color and attribute in (None, "stock", "description", "color"):
                attribute = "color"
            elif asked_size and attribute in (None, "stock", "description", "size"):
                attribute = "size"
            if attribute is None:
                attribute = self._guess_attribute(msg)
            values.update(product_refs=refs, attribute=attribute, color=asked_color, size=asked_size)
        elif intent == "compare_products":
            refs = self._collect_refs(msg, context, compare=True, vocab_brands=True)
            if not refs:
                refs = ["all"] if (context.shown_titles or context.shown_brands) else self._vs_fragments(msg)
            if refs in (["it"],) and (context.shown_titles or context.shown_brands):
                refs = ["all"]
            if not [r for r in refs if r not in ("it",)] and (context.shown_titles or context.shown_brands):
                refs = ["all"]
            # bare digits: "compare 1 and 3"
            if refs == ["all"]:
                digits = re.findall(r"(?<![\w$€£.#])([1-9])(?![\w.,%])", msg.work)
                if len(digits) >= 2:
                    refs = list(dict.fromkeys(digits))
            attribute = msg.attribute if msg.attribute not in ("description",) else None
            values.update(product_refs=refs, attribute=attribute)
        elif intent in ORDER_INTENTS:
            order_id = msg.order_id or context.pending_order_id
            values.update(order_id=order_id, email=msg.emails[0] if msg.emails else None)
            if intent == "order_status" and _any(self.lex.invoice, msg.text):
                values["invoice"] = True
            if intent == "change_order":
                values.update(self._change(msg))
            if intent == "return_request":
                refs = [r for r in self._collect_refs(msg, context, compare=False, vocab_brands=False) if r != "all"]
                if refs and (context.shown_titles or context.shown_brands):
                    values["product_refs"] = refs
        elif intent == "policy_question":
            values.update(policy_topic=msg.policy_topic)
        elif intent == "human_agent":
            values.update(order_id=msg.order_id, email=msg.emails[0] if msg.emails else None)
            if _any(self.lex.complaint, msg.text):
                values["complaint"] = True
        values = {k: v for k, v in values.items() if v not in (None, [], "")}
        return Slots(**values), clear, relative

    def _change(self, msg: _Message) -> dict[str, object]:
        """What a change request changes: the new address as written, or the new size and
        colour with the item's words ("swap the hoodie to a large")."""
        lead = self.lex.address_lead.search(msg.raw.lower())
        if lead and "address" in msg.text:
            address = msg.raw[lead.end() :].strip(" .!?")
            address = re.split(r"(?i)\s+(?:please|thanks|thank you|pls|asap)\b|[!?]", address)[0].strip(" ,.")
            if re.search(r"\d", address) or len(address.split()) >= 2:
                return {"address": address[:200]}
        item = self._query(msg)
        if item:
            words = [w for w in item.split() if w not in _CHANGE_WORDS]
            item = " ".join(words) or None
        return {"size": msg.size, "color": msg.color, "item": item}

    def _asked_in(self, msg: _Message, label: str) -> bool:
        """The colour/size span follows 'in'/'come in'/'available in' (asked about)."""
        for span in msg.spans:
            if span.label == label and span.value is not None:
                before = msg.text[max(0, span.start - 12) : span.start]
                if self.lex.rx["asked_in"].search(before) or (label == "size" and msg.text[span.start : span.end].startswith("in ")):
                    return True
                if label == "size" and msg.text[span.start : span.end].startswith("size"):
                    return True
        return False

    def _query(self, msg: _Message) -> str | None:
        lex = self.lex
        work = msg.work
        lead = lex.greeting_lead_re.match(work)
        if lead and lead.end() > 0:
            work = _GONE * lead.end() + work[lead.end() :]
        if lex.filler_re is not None:
            work = lex.filler_re.sub(lambda m: _GONE * len(m.group(0)), work)
        for pattern in lex.refinement[:1]:
            work = pattern.sub(lambda m: _GONE * len(m.group(0)), work)
        items: list[str | None] = []  # None marks a removed stretch or punctuation
        for m in re.finditer(r"\x00+|[a-z0-9]+(?:['.&+-][a-z0-9]+)*|[^\s\w]", work):
            tok = m.group(0)
            if tok[0] == _GONE or not re.match(r"[a-z0-9]", tok):
                if tok in ("&", "+"):
                    items.append(tok)
                elif items and items[-1] is not None or not items:
                    items.append(None)
                continue
            if tok in lex.query_stopwords:
                continue
            items.append(tok)
        changed = True
        while changed:
            changed = False
            for i, item in enumerate(items):
                if item is None or item not in lex.query_connectors:
                    continue
                nxt = next((t for t in items[i + 1 :] if t != ""), None)
                prev_items = [t for t in items[:i] if t != ""]
                at_start = not any(t is not None for t in prev_items)
                if nxt is None or at_start or nxt in lex.query_connectors:
                    items[i] = ""
                    changed = True
                    break
        words = [t for t in items if t]
        words = [w for w in words if w not in ("&", "+")] if len(words) <= 1 else words
        while words and words[-1] in ("&", "+"):
            words.pop()
        while words and words[0] in ("&", "+"):
            words.pop(0)
        if not words or all(w in lex.query_generic or w in lex.query_connectors for w in words):
            return None
        return " ".join(words)[:200]

    def _guess_attribute(self, msg: _Message) -> str | None:
        """Snake-case guess from the question's content words ('dishwasher safe'); what
        the extractors consumed (references, brands, colours...) is already gone."""
        text = msg.work.replace(_GONE, " ")
        stop = self.lex.guess_stopwords | self.lex.query_stopwords | self._brand_words
        words = [w for w in _WORD_RE.findall(text) if w not in stop]
        if not words or len(words) > 4:
            return None
        return re.sub(r"[^a-z0-9]+", "_", "_".join(words[:3])).strip("_") or None
