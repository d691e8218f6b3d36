"""References to products (``ReferenceMixin``): list positions read by the extractors,
shown brands and fragments of shown titles ("the Sony one"), "it" / "all", a product
named outright ("the Sony WH-1000XM5") and the two sides of "X vs Y" when nothing is shown.
"""

from __future__ import annotations

import re

from assistant.intent.rules.base import ParserBase
from assistant.intent.rules.message import _GONE, _WORD_RE, _masked, _Message
from assistant.types import DialogueContext


def _title_tokens(title: str) -> set[str]:
    """Words of a product title, plus the parts of hyphenated words ('wh-1000xm5' ->
    'wh', '1000xm5') and the letter+digit tail of model numbers ('xm5')."""
    tokens = set(_WORD_RE.findall(title.lower()))
    for tok in list(tokens):
        parts = re.split(r"[-.&+']", tok)
        if len(parts) > 1:
            tokens.update(p for p in parts if p)
        for part in parts:
            m = re.search(r"\d([a-z]+\d+[a-z]*)$", part)
            if m and len(m.group(1)) >= 3:
                tokens.add(m.group(1))
    return tokens


class ReferenceMixin(ParserBase):
    """What a message points at, as the ``product_refs`` the dialogue resolves."""

    def _name_refs(self, msg: _Message, context: DialogueContext, *, vocab_brands: bool, compare: bool) -> list[tuple[int, int, str]]:
        """(start, end, ref) for shown brands, shown title fragments and (optionally) brands."""
        text = _masked(
            msg.text,
            msg.attribute_spans + [(s.start, s.end) for s in msg.spans if s.label in ("ref", "price", "size", "order_id", "email")],
        )
        refs: list[tuple[int, int, str]] = []
        for brand in context.shown_brands:
            if not brand or not brand.strip():
                continue
            for m in re.finditer(r"(?<![\w])" + re.escape(brand.lower()) + r"(?![\w])", text):
                if not self._negated(text.replace(_GONE, " "), m.start()):
                    refs.append((m.start(), m.end(), brand.lower()))
        if vocab_brands:  # brands written out (not implied by "airpods")
            for span in msg.spans:
                if span.label == "brand":
                    refs.append((span.start, span.end, str(span.value).lower()))
        lowered = [" ".join(t.lower().split()) for t in context.shown_titles if t]
        titles = [_title_tokens(t) for t in lowered]
        if titles:
            # a fragment starts with a distinctive title word (not in every title, not a
            # function word) and grows while it stays a substring of one shown title
            common = set.intersection(*titles) if len(titles) > 1 else set()
            union = set().union(*titles)
            function_words = self.lex.query_stopwords | self.lex.guess_stopwords
            # a word every title shares ("the XM5" when three colours are shown) still
            # points at them, except when comparing, where it cannot tell them apart
            stop = self.lex.ref_stopwords | function_words | (common if compare else set())
            toks = list(_WORD_RE.finditer(text))
            i = 0
            while i < len(toks):
                tok = toks[i].group(0)
                if tok not in union or tok in stop or not (len(tok) > 2 or any(c.isdigit() for c in tok)):
                    i += 1
                    continue
                j = i
                while j + 1 < len(toks):
                    nxt_tok = toks[j + 1].group(0)
                    phrase = text[toks[i].start() : toks[j + 1].end()]
                    if (
                        nxt_tok in function_words
                        or not re.fullmatch(r"[\s-]*", text[toks[j].end() : toks[j + 1].start()])
                        or not any(phrase in t for t in lowered)
                    ):
                        break
                    j += 1
                before = _WORD_RE.findall(text[: toks[i].start()])
                prev = before[-1] if before else ""
                nxt = toks[j + 1].group(0) if j + 1 < len(toks) else ""
                if compare or prev in self.lex.ref_lead or nxt in {"one", "ones", "model", "version", "pair"}:
                    refs.append((toks[i].start(), toks[j].end(), text[toks[i].start() : toks[j].end()]))
                i = j + 1
        if context.shown_titles or context.shown_brands:
            # "the Kestrel one": a name the shopper uses for a shown product, even one
            # that matches nothing (the dialogue then lists what was shown)
            for m in re.finditer(
                r"\b(?:the|that|this)\s+([a-z0-9][a-z0-9'-]*(?:\s+[a-z0-9][a-z0-9'-]*)?)\s+(?:one|ones|model|version)\b", text
            ):
                words = [w for w in m.group(1).split() if w not in self.lex.query_stopwords and w not in self.lex.guess_stopwords]
                if words and not any(r[0] <= m.start(1) < r[1] for r in refs):
                    refs.append((m.start(1), m.end(1), " ".join(words)))
        # overlapping refs: keep the longer one
        refs.sort(key=lambda r: (r[0], -(r[1] - r[0])))
        kept: list[tuple[int, int, str]] = []
        for r in refs:
            if kept and r[0] < kept[-1][1]:
                continue
            if any(r[2] == k[2] for k in kept):
                continue
            kept.append(r)
        return kept

    def _collect_refs(self, msg: _Message, context: DialogueContext, *, compare: bool, vocab_brands: bool) -> list[str]:
        lex = self.lex
        positioned: list[tuple[int, str]] = list(msg.ordinal_refs)
        positioned += [(s, r) for s, _, r in self._name_refs(msg, context, vocab_brands=vocab_brands, compare=compare)]
        text = msg.work
        if lex.pair_refs_re is not None:
            m = lex.pair_refs_re.search(text)
            if m and not msg.ordinal_refs:
                positioned += [(m.start(), "1"), (m.start(), "2")]
        positioned.sort(key=lambda p: p[0])
        refs: list[str] = []
        for _, r in positioned:
            if r not in refs:
                refs.append(r)
        if refs:
            return refs
        if lex.plural_refs_re is not None and lex.plural_refs_re.search(text):
            return ["all"]
        if any(p.search(text) for p in lex.singular_refs):
            return ["it"]
        return []

    def _named_product(self, msg: _Message) -> list[str]:
        """'the Sony WH-1000XM5' -> ['sony wh-1000xm5']: a brand after a determiner or
        followed by a model name (up to two words that are not attribute/category words)."""
        out: list[str] = []
        attr = _masked(msg.text, msg.attribute_spans)
        stop = self.lex.guess_stopwords | self.lex.query_stopwords | self.lex.query_connectors | self._category_words
        for start, brand in msg.brands:
            span = next((s for s in msg.spans if s.label == "brand" and s.start == start), None)
            end = span.end if span else start + len(brand)
            before = _WORD_RE.findall(msg.text[:start])
            det = bool(before) and before[-1] in {"the", "this", "that", "your", "my", "a"}
            model: list[str] = []
            pos = end
            for m in _WORD_RE.finditer(attr, end):
                gap = attr[pos : m.start()]
                word = m.group(0)
                if not re.fullmatch(r"[\s-]*", gap) or word in stop or word in self._color_map or len(model) == 2:
                    break
                model.append(word)
                pos = m.end()
            if det or model:
                out.append(" ".join([brand.lower(), *model]))
        return out

    def _vs_fragments(self, msg: _Message) -> list[str]:
        """'iphone 15 vs galaxy s24' -> ['iphone 15', 'galaxy s24'] when nothing is shown."""
        text = msg.text
        m = re.search(r"(.{1,40}?)\s+(?:vs\.?|versus|or|and|compared to|against)\s+(.{1,40})", text)
        if not m:
            return []
        stop = self.lex.ref_stopwords | self.lex.guess_stopwords | {"compare", "difference", "between", "which", "better"}

        def clean(part: str, tail: bool) -> str:
            words = [w for w in _WORD_RE.findall(part)]
            if tail:
                words = words[::-1]
            out: list[str] = []
            for w in words:
                if w in stop:
                    if out:
                        break
                    continue
                out.append(w)
                if len(out) == 3:
                    break
            if tail:
                out = out[::-1]
            return " ".join(out)

        left, right = clean(m.group(1), True), clean(m.group(2), False)
        return [f for f in (left, right) if f]
