"""The owner page at /admin, behind the token in ``SHOPASSIST_ADMIN_TOKEN``: the hand-off
inbox (each ticket with its conversation, the team's replies and notes, and what the
assistant would answer), the demand signals, and the corrections that teach the model.

Without a token configured nothing of it exists (404). The token is typed once into a
sign-in form; the browser then keeps a cookie holding its SHA-256 (HttpOnly, SameSite=Strict,
path /admin), compared in constant time. No shopper page links here. Every value shown is
escaped; every change is a POST from the page itself (SameSite=Strict: no other site's form
can make one).
"""

from __future__ import annotations

import hashlib
import hmac
import html
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.answer.products import format_price
from assistant.app import Services
from assistant.owner import corrections_page, signals_page
from assistant.owner.assist import Suggestion, suggest
from assistant.owner.inbox import Inbox, Line, TicketView
from assistant.owner.signals_page import Shell
from assistant.records.outbox import Outbox

COOKIE = "shopassist_admin"
AGENT_COOKIE = "shopassist_agent"  # the name the team member signs replies with
MAX_MESSAGE = 5000
STYLE = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#101828;background:#f9fafb}
header{background:#0f172a;color:#fff;padding:10px 24px;display:flex;flex-wrap:wrap;gap:8px 24px;align-items:center}
header nav{display:flex;gap:16px;flex:1}header a{color:#fff}header form{margin:0}
main{max-width:1100px;margin:0 auto;padding:24px}
a{color:#175cd3}h1{font-size:24px;margin:0 0 12px}h2{font-size:18px;margin:0 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d0d5dd;border-radius:12px}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #eaecf0;vertical-align:top}th{font-size:13px;color:#475467}
.panel{background:#fff;border:1px solid #d0d5dd;border-radius:12px;padding:16px;margin-bottom:16px}
.meta{color:#475467;font-size:14px}.columns{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px;align-items:start}
@media (max-width:760px){.columns{grid-template-columns:1fr}main{padding:12px}th.wide,td.wide{display:none}}
ol.transcript{list-style:none;padding:0;margin:12px 0}
ol.transcript li{padding:6px 10px;border-radius:8px;margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere}
.shopper{background:#eff8ff}.assistant{background:#f2f4f7}.team{background:#ecfdf3}.note{background:#fffaeb;border:1px dashed #dc6803}
button,.button{font:inherit;min-height:40px;padding:0 14px;border-radius:8px;border:1px solid #175cd3;background:#175cd3;color:#fff;cursor:pointer;text-decoration:none;display:inline-flex;align-items:center}
button.secondary{background:#fff;color:#175cd3}
input,textarea,select{font:inherit;min-height:40px;padding:6px 10px;border:1px solid #98a2b3;border-radius:8px;width:100%}
textarea{min-height:110px}label{font-weight:600;display:block;margin:8px 0 4px}
.row{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin-top:8px}
.error{color:#b42318}.tag{display:inline-block;padding:0 8px;border-radius:999px;background:#f2f4f7;font-size:13px}
ul.products{padding-left:18px;margin:6px 0}.scroll{overflow-x:auto}svg.chart{display:block;margin:8px 0}
"""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )
    return HTMLResponse(document, status_code=status, headers={"X-Robots-Tag": "noindex", "Cache-Control": "no-store"})


def _line_html(line: Line, correct: str | None = None) -> str:
    """One line of a conversation; ``correct``: where to mark what a shopper's message meant."""
    e = html.escape
    who = {"shopper": "Shopper", "assistant": "Assistant", "team": f"{line.author} (reply)", "note": f"{line.author} (note)"}[line.role]
    fix = f' <a href="{e(correct)}" class="meta">correct what they meant</a>' if correct else ""
    return f'<li class="{e(line.role)}"><b>{e(who or line.role)}:</b> {e(line.text)}{fix}</li>'


def _suggestion_html(suggestion: Suggestion | None) -> str:
    e = html.escape
    if suggestion is None:
        return '<section class="panel" aria-label="Suggested answer"><h2>Suggested answer</h2><p class="meta">The assistant has no answer to add here.</p></section>'
    products = "".join(
        f"<li>{e(p.title)} · {e(format_price(p.price, p.currency))}{'' if p.in_stock else ' · out of stock'} <span class='meta'>({e(p.id)})</span></li>"
        for p in suggestion.products
    )
    shown = f'<p class="meta">It would show:</p><ul class="products">{products}</ul>' if products else ""
    return (
        '<section class="panel" aria-label="Suggested answer"><h2>Suggested answer</h2>'
        f'<p class="meta">To “{e(suggestion.answering)}” the assistant would say:</p>'
        f'<blockquote id="suggested" style="white-space:pre-wrap">{e(suggestion.said)}</blockquote>{shown}'
        "<p class=meta>It is in the reply box, ready to send or edit.</p></section>"
    )


def install(
    app: FastAPI, services: Services, token: str | None, root: str = "", extra: Callable[[APIRouter, Callable], None] | None = None
) -> None:
    """Add /admin to ``app`` when ``token`` is set (at least 16 characters; the settings check it).
    ``extra``: adds more views to the router, given the router and a check of the sign-in."""
    if not token:
        return
    inbox = Inbox(services.desk, services.log)
    store_name = services.store_name
    expected = _digest(token)
    router = APIRouter(prefix="/admin", include_in_schema=False)
    e = html.escape

    def signed_in(request: Request) -> bool:
        return hmac.compare_digest(request.cookies.get(COOKIE, ""), expected)

    def frame(title: str, content: str, status: int = 200) -> HTMLResponse:
        nav = f'<nav aria-label="Owner page"><a href="{root}/admin">Inbox</a><a href="{root}/admin/signals">Signals</a><a href="{root}/admin/corrections">Corrections</a></nav>'
        body = (
            f"<header><strong>{e(store_name)}: owner page</strong>{nav}"
            f'<form method="post" action="{root}/admin/sign-out"><button type="submit" class="secondary">Sign out</button></form></header>'
            f"<main>{content}</main>"
        )
        return page(title, body, status)

    def sign_in_form(message: str = "", status: int = 401) -> HTMLResponse:
        error = f'<p class="error" role="alert">{e(message)}</p>' if message else ""
        body = (
            f"<header><strong>{e(store_name)}: owner page</strong></header><main><h1>Sign in</h1>{error}"
            f'<form method="post" action="{root}/admin/sign-in"><label for="token">Admin token</label>'
            '<input id="token" name="token" type="password" autocomplete="current-password" required style="max-width:420px"> '
            '<div class="row"><button type="submit">Sign in</button></div></form></main>'
        )
        return page("Sign in", body, status)

    def not_found() -> HTMLResponse:
        return frame("Not found", "<p>No such ticket.</p>", 404)

    @router.get("")
    def inbox_page(request: Request, status: str = "open") -> Response:
        if not signed_in(request):
            return sign_in_form()
        chosen = status if status in ("open", "closed") else None
        tickets = inbox.tickets(chosen)  # type: ignore[arg-type]
        rows = "".join(
            f'<tr id="{e(t.ticket_id)}"><td><a href="{root}/admin/tickets/{e(t.ticket_id)}">{e(t.ticket_id)}</a></td>'
            f"<td>{e(t.reason)}<br><span class=meta>“{e(t.last_shopper_text[:140])}”</span></td>"
            f'<td><span class="tag">{e(t.category)}</span></td><td class="wide">{e(t.created_at.replace("T", " ")[:16])}</td>'
            f'<td class="wide">{e(t.reply_to or "no email yet")}</td><td>{e(t.status)}</td></tr>'
            for t in tickets
        )
        tabs = " · ".join(
            f'<a href="{root}/admin?status={s}"{" aria-current=page" if s == status else ""}>{label}</a>'
            for s, label in (("open", "Open"), ("closed", "Closed"), ("all", "All"))
        )
        table = (
            '<table><thead><tr><th>Ticket</th><th>Reason and last message</th><th>Kind</th><th class="wide">Opened (UTC)</th>'
            f'<th class="wide">Reply to</th><th>Status</th></tr></thead><tbody>{rows}</tbody></table>'
            if tickets
            else "<p>No hand-offs here.</p>"
        )
        return frame("Hand-off inbox", f"<h1>Hand-off inbox</h1><p>{tabs} · {len(tickets)} shown</p>{webhook_status()}{table}")

    def webhook_status() -> str:
        """How the help desk's webhook is doing: what waits, and why the oldest is not taken."""
        if services.settings.webhook_url is None:
            return ""
        state = Outbox(services.desk.engine).status()
        oldest = state["oldest"]
        if oldest is None:
            return f'<p class="meta" role="status">Help-desk webhook: everything delivered ({state["delivered"]} events).</p>'
        why = f"; last error: {e(oldest['last_error'])}" if oldest["last_error"] else ""
        return (
            f'<p class="error" role="status">Help-desk webhook: {state["waiting"]} events waiting, the oldest ({e(oldest["event"])}, '
            f"{e(oldest['created_at'])}) tried {oldest['attempts']} times{why}. They are kept and sent in order once your help desk answers.</p>"
        )

    @router.get("/tickets/{ticket_id}")
    def ticket_page(request: Request, ticket_id: str) -> Response:
        if not signed_in(request):
            return sign_in_form()
        ticket = inbox.ticket(ticket_id)
        if ticket is None:
            return not_found()
        return frame(f"{ticket.ticket_id}", _ticket_html(ticket, suggest(ticket, services), request.cookies.get(AGENT_COOKIE, "")))

    def _ticket_html(ticket: TicketView, suggestion: Suggestion | None, agent: str) -> str:
        base = f"{root}/admin/tickets/{e(ticket.ticket_id)}"
        lines = "".join(
            _line_html(
                line,
                f"{root}/admin/corrections/{ticket.conversation_id}/{line.turn}" if line.role == "shopper" and line.turn else None,
            )
            for line in ticket.transcript
        )
        reply_to = e(ticket.reply_to) if ticket.reply_to else "no email given yet"
        toggle = (
            f'<form method="post" action="{base}/close"><button type="submit" class="secondary">Close ticket</button></form>'
            if ticket.status == "open"
            else f'<form method="post" action="{base}/reopen"><button type="submit" class="secondary">Reopen ticket</button></form>'
        )
        draft = e(suggestion.text) if suggestion else ""
        return (
            f'<p><a href="{root}/admin">← Inbox</a></p><h1>{e(ticket.ticket_id)}: {e(ticket.reason)}</h1>'
            f'<p class="meta">{e(ticket.category)} · opened {e(ticket.created_at)} · reply to {reply_to} · {e(ticket.status)}</p>'
            '<div class="columns"><section class="panel" aria-label="Conversation"><h2>Conversation</h2>'
            f'<ol class="transcript">{lines}</ol></section><div>'
            f'<section class="panel" aria-label="Reply"><h2>Reply to the shopper</h2><form method="post" action="{base}/reply">'
            f'<label for="reply">Reply (the shopper sees it in the chat, and your help desk gets it)</label>'
            f'<textarea id="reply" name="text" maxlength="{MAX_MESSAGE}" required>{draft}</textarea>'
            f'<label for="author">Signed as</label><input id="author" name="author" maxlength="80" value="{e(agent)}" placeholder="Customer service">'
            '<div class="row"><button type="submit">Send reply</button></div></form></section>'
            f"{_suggestion_html(suggestion)}"
            f'<section class="panel" aria-label="Note"><h2>Note for the team</h2><form method="post" action="{base}/note">'
            f'<label for="note">Note (never shown to the shopper)</label><textarea id="note" name="text" maxlength="{MAX_MESSAGE}" required></textarea>'
            '<div class="row"><button type="submit" class="secondary">Add note</button></div></form></section>'
            f'<div class="row">{toggle}</div></div></div>'
        )

    def write(request: Request, ticket_id: str, kind: str, text: str, author: str) -> Response:
        if not signed_in(request):
            return sign_in_form()
        if not text.strip():
            return frame("Nothing written", f'<p class="error" role="alert">The {kind} was empty; nothing was sent.</p>', 400)
        name = " ".join(author.split())[:80] or "Customer service"
        if inbox.write(ticket_id, "reply" if kind == "reply" else "note", name, text) is None:
            return not_found()
        response = RedirectResponse(f"{root}/admin/tickets/{ticket_id}", status_code=303)
        response.set_cookie(AGENT_COOKIE, name, httponly=True, samesite="strict", path=f"{root}/admin", max_age=365 * 86400)
        return response

    @router.post("/tickets/{ticket_id}/reply")
    def reply(
        request: Request,
        ticket_id: str,
        text: Annotated[str, Form(max_length=MAX_MESSAGE)] = "",
        author: Annotated[str, Form(max_length=80)] = "",
    ) -> Response:
        return write(request, ticket_id, "reply", text, author)

    @router.post("/tickets/{ticket_id}/note")
    def note(request: Request, ticket_id: str, text: Annotated[str, Form(max_length=MAX_MESSAGE)] = "") -> Response:
        return write(request, ticket_id, "note", text, request.cookies.get(AGENT_COOKIE, ""))

    @router.post("/sign-in")
    def sign_in(request: Request, token: Annotated[str, Form(max_length=512)] = "") -> Response:
        if not hmac.compare_digest(_digest(token), expected):
            return sign_in_form("That token is not right.")
        response = RedirectResponse(f"{root}/admin", status_code=303)
        secure = request.url.scheme == "https"
        response.set_cookie(COOKIE, expected, httponly=True, samesite="strict", secure=secure, path=f"{root}/admin")
        return response

    @router.post("/sign-out")
    def sign_out() -> Response:
        response = RedirectResponse(f"{root}/admin", status_code=303)
        response.delete_cookie(COOKIE, path=f"{root}/admin")
        return response

    def set_status(request: Request, ticket_id: str, change: Callable[[str], bool]) -> Response:
        if not signed_in(request):
            return sign_in_form()
        if not change(ticket_id):
            return not_found()
        return RedirectResponse(f"{root}/admin/tickets/{ticket_id}", status_code=303)

    @router.post("/tickets/{ticket_id}/close")
    def close(request: Request, ticket_id: str) -> Response:
        return set_status(request, ticket_id, inbox.close)

    @router.post("/tickets/{ticket_id}/reopen")
    def reopen(request: Request, ticket_id: str) -> Response:
        return set_status(request, ticket_id, inbox.reopen)

    shell = Shell(root, signed_in, sign_in_form, frame)
    signals_page.install(router, shell, services)
    corrections_page.install(router, shell, services)
    app.include_router(router)
