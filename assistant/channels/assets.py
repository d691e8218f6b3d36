"""The chat's build files (Gradio's front end) at their smallest: Brotli at its highest quality.

Gradio compresses each file as it is sent, at Brotli quality 4, a level quick enough for
every request. The files never change (their names carry a hash of their content), so this
app compresses each one once at quality 11 (about 14% fewer bytes for the files the chat
opens with), keeps the result on disk under the cache folder (a restart reuses it) and in
memory, and serves it from then on. The first request for a file is answered by Gradio as
before while the file is compressed in a background thread; so the first shopper after an
install gets Gradio's bytes and every later one the smaller ones.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
from starlette.types import ASGIApp, Receive, Scope, Send

#: the highest quality: slow to compress (about a second for the chat's opening files) and
#: just as quick to decompress, which is why it is done once per file and kept
QUALITY = 11
#: the files compressed this way: scripts and style sheets (fonts and images come compressed)
TYPES = {".js": b"text/javascript; charset=utf-8", ".css": b"text/css; charset=utf-8"}
NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}")
#: what is kept in memory at most (the chat's opening files take about 240 KB); past it a
#: file is read from the disk cache each time
MEMORY_BYTES = 16 * 2**20


class CompressedAssets:
    """ASGI middleware: ``GET {prefix}<name>`` of a script or style sheet in ``directory``, from
    a browser that accepts Brotli, answered with the file compressed at ``QUALITY``; every
    other request, the names in ``skip`` and a file not yet compressed go on to ``app``."""

    def __init__(self, app: ASGIApp, prefix: str, directory: Path, cache: Path, skip: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.prefix = prefix
        self.directory = directory
        self.cache = cache
        self.skip = skip
        self._memory: dict[str, bytes] = {}
        self._held = 0
        self._started: set[str] = set()  # compressed, or being compressed: once per file and process
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="brotli-assets", initializer=_lowest_priority)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = self._asset(scope)
        body = self.compressed(name) if name is not None else None
        if name is None or body is None:
            await self.app(scope, receive, send)
            return
        headers = [
            (b"content-type", TYPES[Path(name).suffix]),
            (b"content-encoding", b"br"),
            (b"content-length", str(len(body)).encode()),
            (b"vary", b"Accept-Encoding"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})

    def _asset(self, scope: Scope) -> str | None:
        """The file name a request asks for, where this middleware may answer it."""
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            return None
        path: str = scope.get("path", "")
        if not path.startswith(self.prefix):
            return None
        name = path[len(self.prefix) :]
        if name in self.skip or not NAME.fullmatch(name) or Path(name).suffix not in TYPES:
            return None
        accepted = dict(scope.get("headers", [])).get(b"accept-encoding", b"")
        if b"br" not in [part.split(b";")[0].strip() for part in accepted.split(b",")]:
            return None
        return name

    def compressed(self, name: str) -> bytes | None:
        """The file compressed at ``QUALITY``: from memory, else the disk cache; else ``None``
        (no such file, or not compressed yet: that is started in the background)."""
        body = self._memory.get(name)
        if body is not None:
            return body
        try:
            body = (self.cache / f"{name}.br").read_bytes()
        except OSError:
            if (self.directory / name).is_file():
                self._start(name)
            return None
        self._keep(name, body)
        return body

    def _keep(self, name: str, body: bytes) -> None:
        with self._lock:
            if name not in self._memory and self._held + len(body) <= MEMORY_BYTES:
                self._memory[name] = body
                self._held += len(body)

    def _start(self, name: str) -> None:
        with self._lock:
            if name in self._started:  # never twice: a file that could not be kept stays Gradio's
                return
            self._started.add(name)
        self._pool.submit(self._compress, name)

    def _compress(self, name: str) -> None:
        try:
            body = brotli.compress((self.directory / name).read_bytes(), quality=QUALITY, mode=brotli.MODE_TEXT)
        except OSError:
            return  # unreadable: Gradio goes on answering this file
        self._keep(name, body)
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.cache, prefix=".part-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(body)
                os.replace(temporary, self.cache / f"{name}.br")  # whole or absent, for other processes too
            finally:
                Path(temporary).unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written: kept in memory only, compressed again by the next start

    def wait(self) -> None:
        """Until every compression started so far has finished (tests)."""
        self._pool.submit(lambda: None).result()


def _lowest_priority() -> None:
    """The compressing thread yields the CPU to everything else of the process (Linux: a
    thread has its own niceness); Brotli releases the GIL while it works."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):  # not Linux, or not allowed: compressed at normal priority
        pass
