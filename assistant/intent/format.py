"""The compact text format between the intent LLM and the typed ``ParsedIntent``.

A parse is one line: an intent code, then ``key=value`` fields, ``;``-separated::

    search;q=running shoes;c=shoes;sz=10;max=80
    question;r=2;a=battery_life_hours
    compare;r=1,2
    order;o=AB-1001;e=sam.lee@example.com;inv=1
    change;o=MC-5001;item=jacket;sz=M;addr=12 Elm St, Leeds
    cancel;o=00004587345
    human;cmp=1
    none

The prompt is equally compact: the constraints in force and the products last shown,
then the shopper's message. Short both ways because every token costs time on a CPU.
``decode`` is strict: an unknown code or key, a malformed value or a slot the schema
rejects raises ``FormatError`` (the caller falls back to the rule parser).
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from assistant.errors import FormatError
from assistant.types import SLOT_NAMES, DialogueContext, ParsedIntent, Slots

INTENT_CODES = {
    "search_products": "search",
    "product_question": "question",
    "compare_products": "compare",
    "order_status": "order",
    "return_request": "return",
    "cancel_order": "cancel",
    "change_order": "change",
    "policy_question": "policy",
    "human_agent": "human",
    "greeting": "hello",
    "out_of_scope": "none",
}
CODE_INTENTS = {code: intent for intent, code in INTENT_CODES.items()}

_SHORT_KEYS = {
    "query": "q",
    "category": "c",
    "brand": "b",
    "color": "col",
    "size": "sz",
    "price_min": "min",
    "price_max": "max",
    "in_stock": "stock",
    "sort": "sort",
    "product_refs": "r",
    "attribute": "a",
    "order_id": "o",
    "email": "e",
    "policy_topic": "t",
    "item": "item",
    "address": "addr",
    "invoice": "inv",
    "complaint": "cmp",
}
#: slot name -> key in the format (short keys, in the schema's order); a slot without a key is an import error
SLOT_KEYS = {slot: _SHORT_KEYS[slot] for slot in SLOT_NAMES}
KEY_SLOTS = {key: slot for slot, key in SLOT_KEYS.items()}
EXTRA_KEYS = ("x", "rel", "f")  # clear, relative_price, frustrated
SORTS = ("price_asc", "price_desc", "rating_desc")
_FORBIDDEN = re.compile(r"[;\n]")
#: yes/no slots, written 1 or 0
_FLAGS = ("in_stock", "invoice", "complaint")


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def encode(parsed: ParsedIntent) -> str:
    parts = [INTENT_CODES[parsed.intent]]
    filled = parsed.slots.filled()
    for slot, key in SLOT_KEYS.items():
        if slot not in filled:
            continue
        value = filled[slot]
        if isinstance(value, bool):
            text = "1" if value else "0"
        elif isinstance(value, float):
            text = _number(value)
        elif isinstance(value, list):
            text = ",".join(str(v) for v in value)
        else:
            text = str(value)
        parts.append(f"{key}={_FORBIDDEN.sub(' ', text).strip()}")
    if parsed.clear:
        parts.append("x=" + ",".join(parsed.clear))
    if parsed.relative_price:
        parts.append(f"rel={parsed.relative_price}")
    if parsed.frustrated:
        parts.append("f=1")
    return ";".join(parts)


def decode(text: str, parser: str = "llm") -> ParsedIntent:
    line = text.strip().split("\n", 1)[0].strip()
    if not line:
        raise FormatError("empty output")
    code, *fields = [p.strip() for p in line.split(";")]
    if code not in CODE_INTENTS:
        raise FormatError(f"unknown intent code {code!r}")
    slots: dict[str, object] = {}
    extras: dict[str, object] = {}
    for field in fields:
        key, sep, value = field.partition("=")
        # "q = tent" says what "q=tent" says: a space the model put around "=" loses nothing
        key, value = key.strip(), value.strip()
        if not sep or not value:
            raise FormatError(f"malformed field {field!r}")
        if key in KEY_SLOTS:
            slot = KEY_SLOTS[key]
            if slot in slots:
                raise FormatError(f"repeated field {key!r}")
            if slot in ("price_min", "price_max"):
                try:
                    slots[slot] = float(value)
                except ValueError as exc:
                    raise FormatError(f"bad price {value!r}") from exc
            elif slot in _FLAGS:
                if value not in ("1", "0"):
                    raise FormatError(f"bad flag {key}={value!r}")
                slots[slot] = value == "1"
            elif slot == "product_refs":
                slots[slot] = [v.strip() for v in value.split(",") if v.strip()]
            else:
                slots[slot] = value
        elif key == "x":
            extras["clear"] = [v.strip() for v in value.split(",") if v.strip()]
        elif key == "rel":
            extras["relative_price"] = value
        elif key == "f":
            extras["frustrated"] = value == "1"
        else:
            raise FormatError(f"unknown field {key!r}")
    try:
        return ParsedIntent(intent=CODE_INTENTS[code], slots=Slots.model_validate(slots), parser=parser, confidence=1.0, **extras)
    except ValidationError as exc:
        raise FormatError(str(exc).splitlines()[0]) from exc


def _short_title(title: str, words: int = 6) -> str:
    return " ".join(title.split()[:words])


def render_context(context: DialogueContext) -> str:
    """One or two short lines: constraints in force, then the products last shown."""
    lines = []
    constraints = {k: v for k, v in context.constraints.filled().items() if k in SLOT_KEYS and k != "product_refs"}
    if constraints:
        lines.append("now: " + ";".join(f"{SLOT_KEYS[k]}={_number(v) if isinstance(v, float) else v}" for k, v in constraints.items()))
    if context.shown_titles:
        lines.append("shown: " + " | ".join(f"{i}. {_short_title(t)}" for i, t in enumerate(context.shown_titles[:5], start=1)))
    if context.pending_order_id:
        lines.append(f"asked email for {context.pending_order_id}")
    return "\n".join(lines)


PROMPT_HEAD = "Parse the shopper message.\n"
#: the labels ``render_context`` and ``render_prompt`` start their lines with (never part of the output)
PROMPT_LABELS = frozenset({"now:", "shown:", "msg:", "parse:"})


def render_prompt(message: str, context: DialogueContext) -> str:
    """The text the model continues with its one-line parse."""
    ctx = render_context(context)
    return f"{PROMPT_HEAD}{ctx + chr(10) if ctx else ''}msg: {' '.join(message.split())[:400]}\nparse:"


#: fixed examples whose prompt and parse text pin the format (``format_fingerprint``)
_FINGERPRINT_CASES = (
    (
        "waterproof running shoes under $80, size 10",
        DialogueContext(),
        ParsedIntent(intent="search_products", slots=Slots(query="waterproof running shoes", category="shoes", size="10", price_max=80.0)),
    ),
    (
        "cheaper, and the second one in black?",
        DialogueContext(
            constraints=Slots(query="headphones", category="headphones", brand="Sony", price_min=10.5, in_stock=True),
            shown_titles=("Sony WH-1000XM5 Wireless Noise Cancelling Headphones - Navy", "Bose QuietComfort Ultra"),
            shown_brands=("Sony", "Bose"),
            last_intent="search_products",
            pending_order_id="AB-1001",
        ),
        ParsedIntent(
            intent="product_question",
            slots=Slots(product_refs=["2", "sony"], attribute="color", color="black", sort="price_asc"),
            clear=["brand", "price_min"],
            relative_price="cheaper",
            frustrated=True,
        ),
    ),
    (
        "order AB-1001 a@b.co, returns?",
        DialogueContext(),
        ParsedIntent(intent="order_status", slots=Slots(order_id="AB-1001", email="a@b.co", policy_topic="returns")),
    ),
    (
        "swap the jacket on #MC-5001 to a medium in red and send it to 12 Elm St, Leeds; also my invoice",
        DialogueContext(),
        ParsedIntent(
            intent="change_order",
            slots=Slots(order_id="MC-5001", item="jacket", size="M", color="red", address="12 Elm St, Leeds", invoice=True),
        ),
    ),
    (
        "cancel 00004587345, this is a complaint",
        DialogueContext(),
        ParsedIntent(intent="cancel_order", slots=Slots(order_id="00004587345", complaint=True)),
    ),
)


def format_fingerprint() -> str:
    """A short hash of everything the model was trained to read and write: the prompt's
    head and labels, the intent codes, slot keys, extra keys and sorts, and the exact text
    of a few prompts and parses. ``train intent`` writes it into the adapter's
    ``training.json``; the parser warns and a test fails when the format has changed since."""
    import hashlib
    import json

    described = {
        "head": PROMPT_HEAD,
        "labels": sorted(PROMPT_LABELS),
        "intents": INTENT_CODES,
        "slots": list(SLOT_KEYS.items()),
        "extra": list(EXTRA_KEYS),
        "sorts": list(SORTS),
        "cases": [(render_prompt(text, context), encode(parsed)) for text, context, parsed in _FINGERPRINT_CASES],
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode("utf-8")).hexdigest()[:16]
