"""The owner page's corrections (/admin/corrections): from a turn rated down or handed to a
person, the owner marks what the shopper meant (intent and slots, in a form that offers
only valid values: the intents, and this store's own categories, brands, colours, sizes,
attributes and policy topics). Corrections are kept as labelled examples;
``shopassist train intent --corrections`` folds them into the next intent adapter."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import get_args

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from assistant.app import Services
from assistant.errors import CorrectionError, UnknownTurn
from assistant.intent.ground import EMAIL
from assistant.owner.signals_page import Shell
from assistant.records.conversations import ConversationLog
from assistant.types import INTENTS, DialogueContext, ParsedIntent, RelativePrice, Slots, Sort, Vocabulary

#: the slots the form offers as a choice of the store's own values
CHOICES = {
    "category": "categories",
    "brand": "brands",
    "color": "colors",
    "size": "sizes",
    "attribute": "attributes",
    "policy_topic": "policy_topics",
}
TEXTS = ("query", "order_id", "email", "item", "address")
NUMBERS = ("price_min", "price_max")
FLAGS = ("in_stock", "invoice", "complaint")
LABELS = {
    "query": "What they are looking for (their words)",
    "category": "Category",
    "brand": "Brand",
    "color": "Colour",
    "size": "Size",
    "price_min": "Lowest price",
    "price_max": "Highest price",
    "in_stock": "Only in stock",
    "sort": "Order by",
    "product_refs": "Products meant (as on screen: 1, 2, last, or a name; comma between)",
    "attribute": "Attribute asked about",
    "order_id": "Order number (as written)",
    "email": "Email",
    "policy_topic": "Policy topic",
    "item": "The order's item it is about",
    "address": "New delivery address",
    "invoice": "Asks for an invoice",
    "complaint": "A complaint",
    "relative_price": "Cheaper or pricier than shown",
    "frustrated": "The shopper is frustrated",
}


def options(vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """The values each choice slot may take in this store."""
    found = {slot: tuple(getattr(vocabulary, field)) for slot, field in CHOICES.items()}
    found["sort"] = tuple(get_args(Sort))
    found["relative_price"] = tuple(get_args(RelativePrice))
    found["intent"] = INTENTS
    return found


def parse_form(form: Mapping[str, str], allowed: dict[str, tuple[str, ...]]) -> ParsedIntent:
    """The owner's answer as a ParsedIntent; ``CorrectionError`` naming the field that is wrong."""
    intent = form.get("intent", "")
    if intent not in allowed["intent"]:
        raise CorrectionError("Choose what the shopper wanted.")
    slots: dict[str, object] = {}
    for name in (*CHOICES, "sort"):
        value = form.get(name, "").strip()
        if value:
            if value not in allowed[name]:
                raise CorrectionError(f"{LABELS[name]}: {value!r} is not one of this store's values.")
            slots[name] = value
    for name in TEXTS:
        value = " ".join(form.get(name, "").split())
        if value:
            slots[name] = value[:300]
    if "email" in slots and not EMAIL.fullmatch(str(slots["email"]).lower()):
        raise CorrectionError("Email: that is not an email address.")
    for name in NUMBERS:
        value = form.get(name, "").strip()
        if value:
            try:
                slots[name] = float(value)
            except ValueError:
                raise CorrectionError(f"{LABELS[name]}: write a number.") from None
    for name in FLAGS:
        if form.get(name):
            slots[name] = True
    refs = [ref.strip() for ref in form.get("product_refs", "").split(",") if ref.strip()]
    if refs:
        slots["product_refs"] = refs[:5]
    relative = form.get("relative_price", "").strip() or None
    if relative is not None and relative not in allowed["relative_price"]:
        raise CorrectionError("Cheaper or pricier: choose one of the two.")
    try:
        return ParsedIntent(intent=intent, slots=Slots(**slots), relative_price=relative, frustrated=bool(form.get("frustrated")))  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CorrectionError(f"{LABELS.get(str(first['loc'][-1]), str(first['loc'][-1]))}: {first['msg']}.") from None


def install(router: APIRouter, shell: Shell, services: Services) -> None:
    e = html.escape
    root = shell.root
    allowed = options(services.vocabulary)

    @router.get("/corrections")
    def corrections_page(request: Request) -> Response:
        if not shell.signed_in(request):
            return shell.sign_in_form()
        log = services.log
        if log is None:
            return shell.frame("Corrections", "<p>This store keeps no conversation log.</p>", 404)
        kept = log.corrections()
        done = {(c.conversation_id, c.turn) for c in kept}
        review = [r for r in log.to_review() if (r.conversation_id, r.turn) not in done]
        review_rows = "".join(
            f"<tr><td>{e(r.text)}</td><td>{e(_understood(r.intent, r.slots))}</td><td>{e(r.why)}{(': ' + e(r.comment)) if r.comment else ''}</td>"
            f'<td><a class="button secondary" href="{root}/admin/corrections/{e(r.conversation_id)}/{r.turn}">Correct</a></td></tr>'
            for r in review
        )
        kept_rows = "".join(
            f"<tr><td>{e(c.text)}</td><td>{e(_understood(c.parsed.intent, c.parsed.slots.filled()))}</td><td>{e(c.created_at[:16].replace('T', ' '))}</td>"
            f'<td><form method="post" action="{root}/admin/corrections/{e(c.conversation_id)}/{c.turn}/remove">'
            '<button type="submit" class="secondary">Remove</button></form></td></tr>'
            for c in kept
        )
        content = (
            "<h1>Corrections</h1><p>Mark what shoppers meant where the assistant got it wrong. "
            f"{len(kept)} kept; <code>shopassist train intent --corrections</code> folds them into the next intent model "
            "and prints its figures before and after.</p>"
            '<section class="panel" aria-labelledby="h-review"><h2 id="h-review">To review</h2>'
            + (
                '<div class="scroll"><table><thead><tr><th>Shopper said</th><th>Understood as</th><th>Why</th><th></th></tr></thead>'
                f"<tbody>{review_rows}</tbody></table></div>"
                if review
                else "<p class=meta>Nothing rated down or handed off is waiting.</p>"
            )
            + '</section><section class="panel" aria-labelledby="h-kept"><h2 id="h-kept">Kept</h2>'
            + (
                '<div class="scroll"><table><thead><tr><th>Shopper said</th><th>Meant</th><th>Saved (UTC)</th><th></th></tr></thead>'
                f"<tbody>{kept_rows}</tbody></table></div>"
                if kept
                else "<p class=meta>No corrections yet.</p>"
            )
            + "</section>"
        )
        return shell.frame("Corrections", content)

    def turn_of(log: ConversationLog, conversation_id: str, turn: int):
        return next((t for t in log.turns_of(conversation_id) if t.turn == turn), None)

    def form_page(conversation_id: str, turn: int, values: Mapping[str, str] | None = None, error: str = "", status: int = 200) -> Response:
        log = services.log
        logged = turn_of(log, conversation_id, turn) if log else None
        if log is None or logged is None:
            return shell.frame("Not found", "<p>No such turn.</p>", 404)
        if values is None:
            earlier = next((c for c in log.corrections() if c.conversation_id == conversation_id and c.turn == turn), None)
            meant = earlier.parsed if earlier else ParsedIntent(intent=logged.reply.intent, slots=logged.reply.slots)
            values = _values(meant)
        context = log.context_of(conversation_id, turn)
        fields = "".join(_field(name, values, allowed) for name in ("intent", *Slots.model_fields, "relative_price", "frustrated"))
        alert = f'<p class="error" role="alert">{e(error)}</p>' if error else ""
        content = (
            f'<p><a href="{root}/admin/corrections">← Corrections</a></p><h1>What did the shopper mean?</h1>{alert}'
            f'<section class="panel"><p><b>Shopper:</b> {e(logged.shopper_text)}</p>{_context_html(context)}'
            f"<p class=meta><b>The assistant answered:</b> {e(logged.reply.text[:400])}</p></section>"
            f'<form method="post" action="{root}/admin/corrections/{e(conversation_id)}/{turn}" class="panel">{fields}'
            '<div class="row"><button type="submit">Save correction</button></div></form>'
        )
        return shell.frame("Correct a turn", content, status)

    @router.get("/corrections/{conversation_id}/{turn}")
    def correction_form(request: Request, conversation_id: str, turn: int) -> Response:
        if not shell.signed_in(request):
            return shell.sign_in_form()
        return form_page(conversation_id, turn)

    @router.post("/corrections/{conversation_id}/{turn}")
    async def save(request: Request, conversation_id: str, turn: int) -> Response:
        if not shell.signed_in(request):
            return shell.sign_in_form()
        log = services.log
        if log is None:
            return shell.frame("Not found", "<p>No such turn.</p>", 404)
        form = {key: str(value)[:500] for key, value in (await request.form()).items()}
        try:
            meant = parse_form(form, allowed)
            log.correct(conversation_id, turn, meant)
            remembered(services)
        except CorrectionError as exc:
            return form_page(conversation_id, turn, form, str(exc), 400)
        except UnknownTurn:
            return shell.frame("Not found", "<p>No such turn.</p>", 404)
        return RedirectResponse(f"{root}/admin/corrections", status_code=303)

    @router.post("/corrections/{conversation_id}/{turn}/remove")
    def remove(request: Request, conversation_id: str, turn: int) -> Response:
        if not shell.signed_in(request):
            return shell.sign_in_form()
        log = services.log
        if log is None or not log.uncorrect(conversation_id, turn):
            return shell.frame("Not found", "<p>No such correction.</p>", 404)
        remembered(services)
        return RedirectResponse(f"{root}/admin/corrections", status_code=303)


def remembered(services) -> None:
    """The chat reads messages as the owner's corrections say from now on (``intent.corrections``)."""
    memory = getattr(services.parser, "memory", None)
    if memory is not None:
        memory.reload()


def _understood(intent: str, slots: Mapping[str, object]) -> str:
    said = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in slots.items())
    return f"{intent.replace('_', ' ')}" + (f" ({said})" if said else "")


def _values(parsed: ParsedIntent) -> dict[str, str]:
    values = {"intent": parsed.intent, "relative_price": parsed.relative_price or "", "frustrated": "on" if parsed.frustrated else ""}
    for name, value in parsed.slots.filled().items():
        if isinstance(value, bool):
            values[name] = "on" if value else ""
        elif isinstance(value, list):
            values[name] = ", ".join(value)
        elif isinstance(value, float):
            values[name] = f"{value:g}"
        else:
            values[name] = str(value)
    return values


def _field(name: str, values: Mapping[str, str], allowed: dict[str, tuple[str, ...]]) -> str:
    e = html.escape
    label = "What the shopper wanted" if name == "intent" else LABELS[name]
    value = values.get(name, "")
    if name in allowed:
        choices = allowed[name]
        blank = "" if name == "intent" else '<option value="">(none)</option>'
        opts = "".join(f'<option value="{e(c)}"{" selected" if c == value else ""}>{e(c.replace("_", " "))}</option>' for c in choices)
        return f'<label for="f-{name}">{e(label)}</label><select id="f-{name}" name="{name}">{blank}{opts}</select>'
    if name in FLAGS or name == "frustrated":
        checked = " checked" if value else ""
        return (
            f'<label style="font-weight:400;display:flex;gap:8px;align-items:center"><input type="checkbox" name="{name}"{checked} '
            f'style="width:auto;min-height:0"> {e(label)}</label>'
        )
    kind = ' type="number" min="0" step="0.01"' if name in NUMBERS else (' type="email"' if name == "email" else "")
    return f'<label for="f-{name}">{e(label)}</label><input id="f-{name}" name="{name}"{kind} value="{e(value)}" maxlength="300">'


def _context_html(context: DialogueContext) -> str:
    e = html.escape
    parts = []
    if context.shown_titles:
        shown = "".join(f"<li>{e(t)}</li>" for t in context.shown_titles)
        parts.append(f'<p class=meta>On screen when they wrote it:</p><ol class="products">{shown}</ol>')
    constraints = context.constraints.filled()
    if constraints:
        parts.append(f"<p class=meta>Asked for before: {e(_understood('search', constraints))}</p>")
    return "".join(parts)
