"""Slot extraction (``ExtractorMixin``): ``_analyse`` reads one message into a ``_Message``,
running the extractors in an order that keeps numbers apart; this module holds the ones
that read the shape of the text (e-mails, order ids, sizes, list positions such as "the
second one", prices, sort / "cheaper" / "any brand is fine" phrases and stock words). The
extractors that match the store's words are in ``match``.
"""

from __future__ import annotations

import re

from assistant.intent.rules.base import ParserBase
from assistant.intent.rules.lexicon import _any, _lookup_key
from assistant.intent.rules.message import (
    _EMAIL_RE,
    _ORDER_CONTEXT_RE,
    _ORDER_ID_RE,
    _ORDER_NUMBER_RE,
    _ORDER_TOKEN_RE,
    _SPOKEN_EMAIL_RE,
    _masked,
    _Message,
)
from assistant.types import DialogueContext


class ExtractorMixin(ParserBase):
    """``_analyse`` and the extractors for e-mails, order ids, sizes, ordinals, prices,
    sorting and stock."""

    def _analyse(self, raw: str, context: DialogueContext) -> _Message:
        plain, text = self._normalise(raw)
        msg = _Message(raw=raw, text=text, work=text, plain=plain)
        if not text:
            return msg
        self._extract_emails(msg)
        self._extract_order_id(msg)
        self._extract_size(msg)
        self._extract_ordinal_refs(msg)
        self._extract_prices(msg)
        self._extract_sort_relative_clear(msg)
        self._extract_stock(msg)
        self._extract_brands(msg, context)  # before colours: "Bob's Red Mill"
        self._extract_colors(msg, context)
        self._extract_category(msg)
        self._extract_attribute(msg)
        self._extract_policy_topic(msg)
        lex = self.lex
        msg.frustrated = bool(
            (lex.frustration_re is not None and lex.frustration_re.search(text)) or _any(lex.frustration, text) or self._shouting(raw)
        )
        return msg

    @staticmethod
    def _shouting(raw: str) -> bool:
        words = re.findall(r"[A-Za-z]{3,}", raw)
        return len(words) >= 3 and sum(w.isupper() for w in words) >= max(3, int(0.7 * len(words)))

    def _extract_emails(self, msg: _Message) -> None:
        for m in list(_EMAIL_RE.finditer(msg.work)):
            msg.emails.append(m.group(0).strip(".").lower())
            msg.consume(m.start(), m.end(), "email")
        for m in list(_SPOKEN_EMAIL_RE.finditer(msg.work)):
            local = m.group(1)
            if local in {"me", "you", "us", "them", "it", "look", "is", "email", "mail", "address"}:
                continue
            address = f"{local}@{m.group(2)}"
            for word, sym in ((" dot ", "."), (" underscore ", "_"), (" dash ", "-"), (" hyphen ", "-")):
                address = address.replace(word, sym)
            address = re.sub(r"\s+", "", address)
            if _EMAIL_RE.fullmatch(address):
                msg.emails.append(address)
                msg.consume(m.start(), m.end(), "email")

    def _extract_order_id(self, msg: _Message) -> None:
        context_words = bool(_ORDER_CONTEXT_RE.search(msg.text))
        for m in _ORDER_ID_RE.finditer(msg.work):
            prefix, hyphen, digits = m.groups()
            if prefix in self.lex.order_id_blocked and not context_words:
                continue
            if hyphen or len(digits) >= 5 or context_words:
                msg.order_id = (prefix + hyphen + digits).upper()
                msg.consume(m.start(), m.end(), "order_id", msg.order_id)
                return
        for m in _ORDER_NUMBER_RE.finditer(msg.work):
            digits = m.group(1) or m.group(2)
            if m.group(2) and not context_words:
                continue
            msg.order_id = digits
            start = m.start(1) if m.group(1) else m.start()
            msg.consume(start, m.end(), "order_id", digits)
            return
        if not context_words:
            return
        for m in _ORDER_TOKEN_RE.finditer(msg.work):
            token = m.group(1)
            prefix = re.match(r"[a-z]*", token)
            if sum(c.isdigit() for c in token) < 4 or (prefix and prefix.group() in self.lex.order_id_blocked):
                continue
            msg.order_id = token.upper()
            msg.consume(m.start(1), m.end(), "order_id", msg.order_id)
            return

    def _extract_size(self, msg: _Message) -> None:
        for pattern in self.lex.size_patterns:
            m = pattern.search(msg.work)
            if not m:
                continue
            value = self._canonical_size(m.group("v"))
            msg.size_seen = True
            msg.consume(m.start(), m.end(), "size", value)
            if value is not None:
                msg.size = value
                return

    def canonical_size(self, value: str) -> str | None:
        """A size as the catalog writes it ("ten and a half" -> "10.5", "small" -> "S"), or
        None when the catalog has no such size."""
        return self._canonical_size(self._number_words(value.strip().lower()))

    def _canonical_size(self, value: str) -> str | None:
        v = value.strip().lower()
        v = re.sub(r"\s+and\s+a\s+half$|½$", ".5", v)
        v = re.sub(r"^(\d+)\.0$", r"\1", v)
        if _lookup_key(v) in self.lex.size_words:
            v = self.lex.size_words[_lookup_key(v)]
        elif re.fullmatch(r"[a-z0-9]+", v) and not v[0].isdigit():
            v = {"2xl": "XXL", "3xl": "XXXL"}.get(v, v.upper())
        if not self._sizes:
            return v
        return self._sizes.get(self._size_key(v))

    def _extract_ordinal_refs(self, msg: _Message) -> None:
        lex = self.lex
        work = msg.work
        refs: list[tuple[int, str]] = []
        # "the first two", "top 3", "last 2"
        for m in re.finditer(
            r"\b(?:the\s+)?(first|top|last)\s+(\d{1,2})\b(?!\s*(?:[$€£%]|dollars|bucks|days|hours|weeks|months|years|minutes))", work
        ):
            count = int(m.group(2))
            if 2 <= count <= 10:
                picks = [str(k) for k in range(1, count + 1)] if m.group(1) != "last" else [str(-k) for k in range(count, 0, -1)]
                refs += [(m.start(), p) for p in picks]
                msg.consume(m.start(), m.end(), "ref")
        work = msg.work
        for m in re.finditer(
            r"(?:#\s?|\b(?:number|num|no\.|option|item|product|result|choice|pick)\s*#?\s*)(\d{1,2})\b(?![\d.,]|\s*(?:[$€£%]|dollars|bucks))",
            work,
        ):
            k = int(m.group(1))
            if 1 <= k <= 20:
                refs.append((m.start(), str(k)))
                msg.consume(m.start(), m.end(), "ref")
        if lex.ordinals_re is not None:
            accepted_before = bool(refs)
            follow, lead, not_before = lex.ordinal_follow, lex.ordinal_lead, lex.ordinal_not_before
            for m in list(lex.ordinals_re.finditer(msg.work)):
                word = _lookup_key(m.group(0))
                value = lex.ordinals.get(word)
                if value is None:
                    continue
                before = msg.work[: m.start()].split()
                after = msg.work[m.end() :].split()
                prev = re.sub(r"[^\w&]", "", before[-1]) if before else ""
                nxt = re.sub(r"[^\w]", "", after[0]) if after else ""
                nxt2 = re.sub(r"[^\w]", "", after[1]) if len(after) > 1 else ""
                only = not before and (not after or not re.sub(r"[\W_]", "", " ".join(after)))
                if word in ("top", "bottom"):
                    ok = nxt in {"one", "ones", "option", "pick", "result", "choice"}
                elif word in ("last", "final"):
                    ok = (
                        (nxt in follow and nxt not in {"and", "or", "vs", "versus"})
                        or (prev in {"the", "and", "or", "vs", "versus", "between"} and nxt not in not_before)
                        or only
                    )
                else:
                    ok = (
                        nxt in follow
                        or (nxt == "of" and nxt2 in {"them", "these", "those"})
                        or (prev in lead and nxt not in not_before)
                        or (prev in {",", "and", "or"} and accepted_before)
                        or only
                    )
                if ok:
                    refs.append((m.start(), str(value)))
                    accepted_before = True
                    msg.consume(m.start(), m.end(), "ref")
        refs.sort(key=lambda r: r[0])  # stable: "last two" stays -2, -1
        msg.ordinal_refs = refs

    def _extract_prices(self, msg: _Message) -> None:
        lex = self.lex
        protect = [(m.start(), m.end()) for p in lex.price_fp for m in p.finditer(msg.work)]

        def scan(pattern: re.Pattern[str]) -> list[re.Match[str]]:
            return list(pattern.finditer(_masked(msg.work, protect)))

        def amount(m: re.Match[str], name: str) -> float:
            value = float(m.group(name).replace(",", ""))
            if m.group(f"{name}_k"):
                value *= 1000
            return value

        def has_currency(m: re.Match[str], *names: str) -> bool:
            return any(m.group(f"{n}_c1") or m.group(f"{n}_c2") for n in names)

        lo: float | None = None
        hi: float | None = None
        for m in scan(lex.price_between):
            lo, hi = amount(m, "a"), amount(m, "b")
            if m.group("b_k") and not m.group("a_k") and lo < 100:  # "between 1 and 1.5k"
                lo *= 1000
            msg.consume(m.start(), m.end(), "price")
            break
        if lo is None:
            for m in scan(lex.price_range):
                before = msg.text[max(0, m.start() - 20) : m.start()]
                led = lex.price_range_lead is not None and lex.price_range_lead.search(before)
                if has_currency(m, "a", "b") or led:
                    lo, hi = amount(m, "a"), amount(m, "b")
                    msg.consume(m.start(), m.end(), "price")
                    break
        if lo is None and hi is None:
            for pattern in lex.price_around:
                for m in scan(pattern):
                    value = amount(m, "a")
                    capped = re.match(r"\s*(?:max|maximum|tops|at most|or less|at the most)\b", msg.work[m.end() :])
                    if capped:  # "about 100 max" is a ceiling, not a window around 100
                        hi = value
                        msg.consume(m.start(), m.end() + capped.end(), "price")
                        break
                    floored = re.match(r"\s*(?:or more|and up|and above|or above|or higher|plus|minimum|at least)\b", msg.work[m.end() :])
                    if floored:  # "what about 400 or more" is a floor
                        lo = value
                        msg.consume(m.start(), m.end() + floored.end(), "price")
                        break
                    lo = round(value * (1 - lex.around_tolerance), 2)
                    hi = round(value * (1 + lex.around_tolerance), 2)
                    msg.consume(m.start(), m.end(), "price")
                    break
                if lo is not None:
                    break
        if lo is None and hi is None:
            ceiling = next((m for pattern in lex.price_max for m in scan(pattern)), None)
            floor = next(
                (m for pattern in lex.price_min for m in scan(pattern) if pattern is not lex.price_min[2] or has_currency(m, "a")), None
            )
            if ceiling and floor and ceiling.start() < floor.end() and floor.start() < ceiling.end():
                # one price read both ways: the longer phrase wins ("no less than 30" over "less than 30")
                if floor.end() - floor.start() > ceiling.end() - ceiling.start():
                    ceiling = None
                else:
                    floor = None
            if ceiling:
                hi = amount(ceiling, "a")
                msg.consume(ceiling.start(), ceiling.end(), "price")
            if floor:
                lo = amount(floor, "a")
                msg.consume(floor.start(), floor.end(), "price")
        if lo is None and hi is None:
            for m in scan(lex.price_bare):
                if has_currency(m, "a"):
                    hi = amount(m, "a")
                    msg.consume(m.start(), m.end(), "price")
                    break
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        msg.price_min, msg.price_max = lo, hi

    def _extract_sort_relative_clear(self, msg: _Message) -> None:
        lex = self.lex
        for slots_pattern, slots in lex.clear:
            for m in list(slots_pattern.finditer(msg.work)):
                for s in slots:
                    if s not in msg.clear:
                        msg.clear.append(s)
                msg.consume(m.start(), m.end(), "clear")
        # the longer phrase wins: "more premium" is "pricier than these", not a sort by "premium";
        # "nothing too expensive" is a sort, not "too expensive" (cheaper than these)
        excluded = [(m.start(), m.end()) for p in lex.sort_exclusions for m in p.finditer(msg.work)]
        sort_spans = [
            (m.start(), m.end()) for _, pattern in lex.sort if pattern is not None for m in pattern.finditer(_masked(msg.work, excluded))
        ]

        def take_relative(inside_longer_sort: list[tuple[int, int]]) -> None:
            for label, pattern in lex.relative:
                m = pattern.search(msg.work) if pattern is not None else None
                if m and not any(a <= m.start() and m.end() <= b and b - a > m.end() - m.start() for a, b in inside_longer_sort):
                    msg.relative_price = msg.relative_price or label
                    msg.consume(m.start(), m.end(), "relative")

        take_relative(sort_spans)
        excluded = [(m.start(), m.end()) for p in lex.sort_exclusions for m in p.finditer(msg.work)]
        best: tuple[int, int, int, str] | None = None
        for label, pattern in lex.sort:
            if pattern is None:
                continue
            for m in pattern.finditer(_masked(msg.work, excluded)):
                cand = (m.start(), -(m.end() - m.start()), m.end(), label)
                if best is None or cand < best:
                    best = cand
                break
        if best is not None:
            msg.sort = best[3]
        for _, pattern in lex.sort:
            if pattern is None:
                continue
            for m in list(pattern.finditer(_masked(msg.work, excluded))):
                msg.consume(m.start(), m.end(), "sort")
        take_relative([])  # what the sort words left

    def _extract_stock(self, msg: _Message) -> None:
        """ "in stock" / "available now" restrict a search; "out of stock is fine" lifts that."""
        for m in list(self.lex.rx["stock_any"].finditer(msg.work)):
            if "in_stock" not in msg.clear:
                msg.clear.append("in_stock")
            msg.consume(m.start(), m.end(), "clear")
        for m in list(self.lex.rx["stock_only"].finditer(msg.work)):
            msg.in_stock = True
            msg.consume(m.start(), m.end(), "in_stock")
