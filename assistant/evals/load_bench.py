"""`shopassist bench load`: many shoppers at once through ``POST /api/chat``, on loopback.

For each layout (``1x1``: one ``serve`` process, as the app runs by default; ``2x1``: two
worker processes on one port, ...) the bench starts a real ``shopassist serve`` on a free
127.0.0.1 port, waits for ``/health`` (the start-up time), warms it with one conversation
per process, then drives ``conversations`` concurrent conversations of up to ``turns``
turns each (``LOAD_SCRIPT``, each continued with its conversation id) and reports turns/s, p50/p95 latency of a turn, errors (any answer that is
not 200, or no answer within the time limit) and the resident memory of every serving
process after the run. Bounded: only loopback, at most ``max_seconds`` of load a layout.
The servers run without the client rate limit (the bench is one client address).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from retrieval.bench.stats import percentile

#: four-turn conversations over the demo store, as shoppers hold them: a search, refinements,
#: questions about what was shown, policies and orders (conversation i takes script i mod 6)
LOAD_SCRIPT: tuple[tuple[str, ...], ...] = (
    ("waterproof running shoes under $80", "in black", "cheaper", "tell me about the first one"),
    ("wireless headphones with noise cancelling", "under 150 instead", "compare the first two", "which has the longest battery?"),
    ("a warm jacket for hiking, size M", "any brand is fine", "is the second one waterproof?", "what is your return policy?"),
    ("what is your return policy?", "how long does shipping take?", "do you ship abroad?", "thanks"),
    ("where is my order NW-100044? my email is theo.tanaka@example.com", "when will it arrive?", "show me backpacks", "in stock only"),
    ("hi", "show me backpacks in stock", "sort by price", "the cheapest one, is it waterproof?"),
)


@dataclass
class LoadResult:
    layout: str  # processes x torch threads
    conversations: int
    turns: int
    errors: int
    seconds: float
    start_s: float
    turns_per_s: float
    p50_ms: float
    p95_ms: float
    rss_mb: list[float] = field(default_factory=list)  # each serving process, right after the load
    rest_mb: list[float] = field(default_factory=list)  # and after ``settle_s`` idle (the trimmer has run)
    cpu_ms_per_turn: float = 0.0  # CPU time of the serving processes (all threads) per answered turn
    note: str = ""


def parse_layout(text: str) -> tuple[int, int]:
    """ "2x1" -> (2 processes, 1 torch thread each)."""
    procs, sep, threads = text.lower().partition("x")
    if not sep or not procs.isdigit() or not threads.isdigit() or not 1 <= int(procs) <= 16 or not 1 <= int(threads) <= 16:
        raise ValueError(f"layout {text!r}: write PROCESSESxTHREADS, e.g. 1x1 or 2x1")
    return int(procs), int(threads)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A ``shopassist serve`` on loopback with ``workers`` processes and ``threads`` torch threads each."""

    def __init__(self, workers: int, threads: int, store: Path | None, env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
        if store is not None:
            command += ["--store", str(store)]
        environment = {**os.environ, **(env or {}), "SHOPASSIST_TORCH_THREADS": str(threads), "SHOPASSIST_RATE_LIMIT_CLIENT": ""}
        self.log = tempfile.NamedTemporaryFile(prefix="shopassist-load-", suffix=".log", delete=False)
        self.started = time.monotonic()
        self.proc = subprocess.Popen(command, env=environment, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 300) -> float:
        """Seconds from launch until ``/health`` answers."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited: {Path(self.log.name).read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(self.base + "/health", timeout=2).status_code == 200:
                    return time.monotonic() - self.started
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"serve did not answer /health within {timeout:.0f} s")

    def _serving(self) -> list[psutil.Process]:
        """The processes that answer: the workers (which hold the models), else the process itself."""
        parent = psutil.Process(self.proc.pid)
        return [c for c in parent.children(recursive=True) if c.memory_info().rss > 200 * 2**20] or [parent]

    def rss_mb(self) -> list[float]:
        """Resident memory of each serving process."""
        return [round(p.memory_info().rss / 2**20) for p in self._serving()]

    def cpu_s(self) -> float:
        """CPU seconds (user + system, every thread) the serving processes have used so far."""
        return sum(sum(p.cpu_times()[:2]) for p in self._serving())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        os.unlink(self.log.name)


async def _conversation(client: httpx.AsyncClient, script: tuple[str, ...], turns: int, deadline: float, out: dict) -> None:
    conversation = None
    for message in script[:turns]:
        if time.monotonic() > deadline:
            return
        body = {"message": message} | ({"conversation_id": conversation} if conversation else {})
        start = time.perf_counter()
        try:
            response = await client.post("/api/chat", json=body)
        except httpx.HTTPError:
            out["errors"] += 1
            return
        out["latencies"].append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            out["errors"] += 1
            return
        conversation = response.json()["conversation_id"]


async def _drive(base: str, conversations: int, turns: int, max_seconds: float) -> dict:
    out: dict = {"latencies": [], "errors": 0}
    # a connection per request, as a reverse proxy opens them to its upstreams: with kept-alive
    # connections the workers of one port would keep whatever connections they accepted first
    limits = httpx.Limits(max_connections=conversations, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, timeout=max_seconds, limits=limits) as client:
        deadline = time.monotonic() + max_seconds
        start = time.perf_counter()
        scripts = [LOAD_SCRIPT[i % len(LOAD_SCRIPT)] for i in range(conversations)]
        await asyncio.gather(*(_conversation(client, s, turns, deadline, out) for s in scripts))
        out["seconds"] = time.perf_counter() - start
    return out


def run_layout(
    layout: str,
    conversations: int,
    turns: int,
    max_seconds: float,
    store: Path | None,
    log: Callable[[str], None] = print,
    settle_s: float = 35.0,
) -> LoadResult:
    workers, threads = parse_layout(layout)
    server = Server(workers, threads, store)
    try:
        start_s = server.wait_ready()
        log(f"{layout}: serving after {start_s:.1f} s; warming up")
        asyncio.run(_drive(server.base, 2 * workers, 2, max_seconds))  # every worker has answered once
        log(f"{layout}: {conversations} concurrent conversations of up to {turns} turns")
        cpu_before = server.cpu_s()
        out = asyncio.run(_drive(server.base, conversations, turns, max_seconds))
        cpu = server.cpu_s() - cpu_before
        rss = server.rss_mb()
        time.sleep(settle_s)
        rest = server.rss_mb()
    finally:
        server.stop()
    done = len(out["latencies"])
    return LoadResult(
        layout=layout,
        conversations=conversations,
        turns=done,
        errors=out["errors"],
        seconds=round(out["seconds"], 2),
        start_s=round(start_s, 1),
        turns_per_s=round(done / out["seconds"], 2) if out["seconds"] else 0.0,
        p50_ms=round(percentile(out["latencies"], 50), 1) if done else 0.0,
        p95_ms=round(percentile(out["latencies"], 95), 1) if done else 0.0,
        rss_mb=rss,
        rest_mb=rest,
        cpu_ms_per_turn=round(1000 * cpu / done, 1) if done else 0.0,
    )


def markdown(results: list[LoadResult]) -> str:
    lines = [
        "| layout (processes x threads) | conversations | turns | errors | turns/s | p50 ms | p95 ms | CPU ms/turn | start s | memory per process after the load, MB | at rest, MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        memory, rest = (", ".join(f"{m:.0f}" for m in values) for values in (r.rss_mb, r.rest_mb))
        lines.append(
            f"| {r.layout} | {r.conversations} | {r.turns} | {r.errors} | {r.turns_per_s:.1f} | {r.p50_ms:.0f} | {r.p95_ms:.0f} | {r.cpu_ms_per_turn:.0f} | {r.start_s:.1f} | {memory} | {rest} |"
        )
    return "\n".join(lines) + "\n"
