"""What stands between the internet and the web app: body size limits, clear 4xx answers
for bad input (never echoing it back), and the security headers every response carries.

Pure ASGI middleware and exception handlers; ``web.create_app`` installs them.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.exceptions import HTTPException as StarletteHTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: most validation problems listed in one 422 answer
MAX_PROBLEMS = 5


def too_large(limit: int) -> StarletteHTTPException:
    """A request body over the limit (raised while it streams in, so it is never held whole)."""
    return StarletteHTTPException(status_code=413, detail=f"The request body is too large; the limit is {limit:,} bytes.")


class BodyLimit:
    """Refuses a body over ``limit(path)`` bytes with 413: at once when Content-Length says
    so, otherwise as soon as the streamed bytes pass the limit."""

    def __init__(self, app: ASGIApp, limit: Callable[[str], int]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _json(send, 413, too_large(limit).detail)
            return
        received = 0
        started = False

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracked)
        except StarletteHTTPException as exc:  # a 413 that no inner handler turned into a response
            if exc.status_code != 413 or started:
                raise
            await _json(send, 413, exc.detail)


class ClientRateLimit:
    """At most ``limits`` (``SHOPASSIST_RATE_LIMIT_CLIENT``) POST requests per client address
    to the API and the chat; past it 429 with Retry-After, before the request reaches the
    turn handler (so it writes no log row and opens no ticket). Behind a reverse proxy the
    address is the one uvicorn takes from X-Forwarded-For of a trusted proxy."""

    def __init__(self, app: ASGIApp, limits: str) -> None:
        self.app = app
        self.items: list[RateLimitItem] = parse_many(limits) if limits else []
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def retry_after(self, client: str) -> int:
        """Counts one request of ``client``; the seconds it must wait when over the limit (0: go on)."""
        wait = 0.0
        for item in self.items:
            if not self.limiter.test(item, "client", client):
                wait = max(wait, self.limiter.get_window_stats(item, "client", client).reset_time - time.time())
        if wait <= 0:
            for item in self.items:
                self.limiter.hit(item, "client", client)
        return math.ceil(wait) if wait > 0 else 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") == "POST" and self.items:
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = self.retry_after(client)
            if wait:
                await _json(send, 429, too_many(wait), [(b"retry-after", str(wait).encode())])
                return
        await self.app(scope, receive, send)


def too_many(seconds: int) -> str:
    return f"Too many requests; please wait {seconds} seconds and try again."


class SecurityHeaders:
    """Headers on every response: no MIME sniffing, no full URLs leaked to other sites, and
    the chat framed only by this site and the shop's configured origins."""

    def __init__(self, app: ASGIApp, frame_ancestors: list[str]) -> None:
        self.app = app
        self.headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"content-security-policy", " ".join(["frame-ancestors 'self'", *frame_ancestors]).encode("latin-1")),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *((n, v) for n, v in self.headers if n not in names)]
            await send(message)

        await self.app(scope, receive, with_headers)


#: a file name with a content hash, as the chat's build names its scripts and styles ("index-DphvyggB.js")
HASHED = re.compile(r"-[A-Za-z0-9_-]{8}\.(?:js|css|woff2?)$")


class CacheHashedAssets:
    """A year's cache, never revalidated, for the chat's files whose names carry a hash of
    their content (a new version has new names): a widget opened again, on this page or
    another of the shop, fetches none of them."""

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (path.startswith(self.prefixes) and HASHED.search(path)):
            await self.app(scope, receive, send)
            return

        async def cached(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                kept = [(n, v) for n, v in message.get("headers", []) if n.lower() != b"cache-control"]
                message["headers"] = [*kept, (b"cache-control", b"public, max-age=31536000, immutable")]
            await send(message)

        await self.app(scope, receive, cached)


async def _json(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    response = JSONResponse({"detail": detail}, status_code=status)
    await send({"type": "http.response.start", "status": status, "headers": [*response.raw_headers, *(headers or [])]})
    await send({"type": "http.response.body", "body": response.body})


def problems(exc: RequestValidationError) -> list[dict[str, str]]:
    """What was wrong with a request, field by field, without the input itself."""
    listed = []
    for error in exc.errors()[:MAX_PROBLEMS]:
        field = ".".join(str(part) for part in error.get("loc", ()) if part != "body") or "body"
        listed.append({"field": field[:80], "problem": str(error.get("msg", "invalid value")).removeprefix("Value error, ")[:200]})
    return listed


def install(app: FastAPI) -> None:
    """Clear 422 answers that never echo what was sent (FastAPI's default returns the input)."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": problems(exc)}, status_code=422)
