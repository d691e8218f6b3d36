"""The owner page at /admin: the hand-off inbox, behind the token in ``SHOPASSIST_ADMIN_TOKEN``.

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
from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.owner.inbox import Inbox, TicketView

COOKIE = "shopassist_admin"
STYLE = """
body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#101828;background:#f9fafb}
header{background:#0f172a;color:#fff;padding:12px 24px;display:flex;justify-content:space-between;align-items:center}
header form{margin:0}main{max-width:980px;margin:0 auto;padding:24px}
.ticket{background:#fff;border:1px solid #d0d5dd;border-radius:12px;padding:16px;margin-bottom:16px}
.ticket h2{font-size:17px;margin:0 0 4px}.meta{color:#475467;font-size:14px}
ol.transcript{list-style:none;padding:0;margin:12px 0}ol.transcript li{padding:6px 10px;border-radius:8px;margin:4px 0;white-space:pre-wrap}
.shopper{background:#eff8ff}.assistant{background:#f2f4f7}
button{font:inherit;min-height:40px;padding:0 14px;border-radius:8px;border:1px solid #175cd3;background:#175cd3;color:#fff;cursor:pointer}
input{font:inherit;min-height:40px;padding:0 10px;border:1px solid #98a2b3;border-radius:8px;width:min(420px,100%)}
.error{color:#b42318}
"""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    document = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )
    return HTMLResponse(document, status_code=status, headers={"X-Robots-Tag": "noindex", "Cache-Control": "no-store"})


def _ticket_html(ticket: TicketView, base: str) -> str:
    e = html.escape
    lines = "".join(f'<li class="{e(line.role)}"><b>{e(line.role)}:</b> {e(line.text)}</li>' for line in ticket.transcript)
    reply_to = e(ticket.reply_to) if ticket.reply_to else "no email given yet"
    return (
        f'<article class="ticket" id="{e(ticket.ticket_id)}"><h2>{e(ticket.ticket_id)}: {e(ticket.reason)}</h2>'
        f'<div class="meta">{e(ticket.category)} · opened {e(ticket.created_at)} · reply to {reply_to} · {e(ticket.status)}</div>'
        f'<ol class="transcript" aria-label="Conversation">{lines}</ol>'
        f'<form method="post" action="{base}/admin/tickets/{e(ticket.ticket_id)}/close"><button type="submit">Close ticket</button></form>'
        "</article>"
    )


def install(app: FastAPI, inbox: Inbox, store_name: str, token: str | None, root: str = "") -> None:
    """Add /admin to ``app`` when ``token`` is set (at least 16 characters; the settings check it)."""
    if not token:
        return
    expected = _digest(token)
    router = APIRouter(prefix="/admin", include_in_schema=False)

    def signed_in(request: Request) -> bool:
        return hmac.compare_digest(request.cookies.get(COOKIE, ""), expected)

    def sign_in_form(message: str = "", status: int = 401) -> HTMLResponse:
        error = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
        body = (
            f"<header><strong>{html.escape(store_name)}: owner page</strong></header><main><h1>Sign in</h1>{error}"
            f'<form method="post" action="{root}/admin/sign-in"><label for="token">Admin token</label><br>'
            '<input id="token" name="token" type="password" autocomplete="current-password" required> '
            '<button type="submit">Sign in</button></form></main>'
        )
        return _page("Sign in", body, status)

    @router.get("")
    def inbox_page(request: Request) -> Response:
        if not signed_in(request):
            return sign_in_form()
        tickets = inbox.tickets("open")
        listed = "".join(_ticket_html(t, root) for t in tickets) or "<p>No open hand-offs.</p>"
        body = (
            f"<header><strong>{html.escape(store_name)}: owner page</strong>"
            f'<form method="post" action="{root}/admin/sign-out"><button type="submit">Sign out</button></form></header>'
            f"<main><h1>Hand-off inbox</h1><p>{len(tickets)} open</p>{listed}</main>"
        )
        return _page("Hand-off inbox", body)

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

    @router.post("/tickets/{ticket_id}/close")
    def close(request: Request, ticket_id: str) -> Response:
        if not signed_in(request):
            return sign_in_form()
        if not inbox.close(ticket_id):
            return _page("Not found", "<main><p>No such ticket.</p></main>", 404)
        return RedirectResponse(f"{root}/admin", status_code=303)

    app.include_router(router)
