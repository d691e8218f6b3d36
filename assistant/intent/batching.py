"""Concurrent requests served together: the intent parser's parses from many serving threads,
decoded in shared passes (``LLMIntentParser.line``)."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any


class Batcher:
    """Runs ``run`` on the requests of concurrent threads, several at a time, in one worker
    thread. No window is waited for: an idle worker takes a request at once, and the
    requests that arrive while it decodes are taken together in its next round, up to
    ``limit``. So a lone shopper waits for nothing, and under load the parses share their
    passes. ``run`` returns one result a request; an exception in a result's place is
    raised to that request's thread."""

    #: seconds without a request after which the worker thread ends
    IDLE_S = 5.0

    def __init__(self, run, limit: int) -> None:
        self.run, self.limit = run, limit
        self._queue: list[tuple[Any, Future]] = []
        self._ready = threading.Condition()
        self._worker: threading.Thread | None = None

    def submit(self, request: Any) -> Any:
        future: Future = Future()
        with self._ready:
            self._queue.append((request, future))
            if self._worker is None:
                self._worker = threading.Thread(target=self._serve, name="intent-batch", daemon=True)
                self._worker.start()
            self._ready.notify()
        result = future.result()
        if isinstance(result, Exception):
            raise result
        return result

    def _serve(self) -> None:
        while True:
            with self._ready:
                if not self._queue:
                    self._ready.wait(self.IDLE_S)
                if not self._queue:  # idle: the thread ends (and lets go of the parser); a request starts another
                    self._worker = None
                    return
                taken, self._queue = self._queue[: self.limit], self._queue[self.limit :]
            try:
                results = self.run([request for request, _ in taken])
                if len(results) != len(taken):
                    raise RuntimeError(f"{len(results)} results for {len(taken)} requests")
            except BaseException as exc:  # the worker lives on; each waiting thread gets the error
                for _, future in taken:
                    future.set_exception(exc)
                continue
            for (_, future), result in zip(taken, results):
                future.set_result(result)
