"""One message being read: the shared regexes and sentinels, ``_Message`` (the normalised
text, the working copy the extractors consume and every slot read so far) with its
``_Span`` records, and ``_masked``, which blanks stretches of a text without moving offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: longer messages are cut before parsing (the pipeline truncates earlier anyway)
MAX_CHARS = 2000
#: the character that marks consumed text in the working copy
_GONE = "\x00"
_WORD_RE = re.compile(r"[a-z0-9]+(?:['.&+-][a-z0-9]+)*")
_EMAIL_RE = re.compile(r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
_SPOKEN_EMAIL_RE = re.compile(
    r"(?<![\w@.])([a-z0-9][a-z0-9._-]*(?:\s+(?:dot|underscore|dash|hyphen)\s+[a-z0-9._-]+)*)"
    r"\s+(?:at|@)\s+"
    r"([a-z0-9-]+(?:(?:\s+dot\s+|\.)[a-z0-9-]+)*(?:\s+dot\s+|\.)"
    r"(?:com|net|org|io|co|uk|de|fr|es|it|nl|ca|au|us|edu|gov|info|me|biz|ie|ch|se|no|dk|eu))\b"
)
_ORDER_ID_RE = re.compile(r"(?<![\w@.#/-])([a-z]{2,4})(-?)(\d{4,12})(?![\w@-])")
_ORDER_NUMBER_RE = re.compile(
    r"\border\s*(?:number|no\.?|num|id|ref(?:erence)?|#)?\s*(?:is\s*|:\s*)?#?\s*(\d{4,12})\b"
    r"|(?<![\w$€£])#\s?(\d{4,12})\b"
)
#: an order id in any other format the shop uses, read only where the message talks about an
#: order: long digit runs ("732201349959", "00004587345"), a short letter prefix glued to digits
#: ("w0043112"), or segments joined by dashes/underscores ending in digits ("ab12-3391", "ord_2024_0042")
_ORDER_TOKEN_RE = re.compile(
    r"(?<![\w@.#/$€£-])#?(\d{6,16}|[a-z]{1,4}\d{4,14}|[a-z0-9]{1,8}(?:[-_][a-z0-9]{1,8}){0,3}[-_]\d{3,12})(?![\w@-]|[.,]\d)"
)
_ORDER_CONTEXT_RE = re.compile(
    r"\b(?:order|orders|ordered|package|parcel|delivery|shipment|tracking|track|return|refund|"
    r"exchange|purchase|invoice|receipt|bill|cancel|cancell?ation|reimbursement|status)\b"
)


@dataclass
class _Span:
    start: int
    end: int
    label: str
    value: Any = None


@dataclass
class _Message:
    raw: str
    text: str  # normalised: what every extractor reads
    work: str  # ``text`` with consumed stretches blanked out
    plain: str = ""  # normalised without the fuzzy brand/category repair
    spans: list[_Span] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    order_id: str | None = None
    size: str | None = None
    size_seen: bool = False
    price_min: float | None = None
    price_max: float | None = None
    in_stock: bool | None = None
    sort: str | None = None
    relative_price: str | None = None
    clear: list[str] = field(default_factory=list)
    color: str | None = None
    negated_colors: list[str] = field(default_factory=list)
    category: str | None = None
    category_strong: bool = False
    brands: list[tuple[int, str]] = field(default_factory=list)  # (position, brand)
    negated_brands: list[str] = field(default_factory=list)
    ordinal_refs: list[tuple[int, str]] = field(default_factory=list)
    attribute: str | None = None
    attribute_spans: list[tuple[int, int]] = field(default_factory=list)
    policy_topic: str | None = None
    policy_strong: bool = False  # named outright, not by a weak word such as "pay"
    frustrated: bool = False

    def consume(self, start: int, end: int, label: str, value: Any = None) -> None:
        self.work = self.work[:start] + _GONE * (end - start) + self.work[end:]
        self.spans.append(_Span(start, end, label, value))

    @property
    def brand(self) -> str | None:
        return self.brands[0][1] if self.brands else None

    @property
    def has_price(self) -> bool:
        return self.price_min is not None or self.price_max is not None


def _masked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + _GONE * (end - start) + text[end:]
    return text
