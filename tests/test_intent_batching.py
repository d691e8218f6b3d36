"""The batcher behind concurrent intent parses (``intent.batching.Batcher``): requests that
arrive while one round is decoded are taken together in the next; each thread gets its own
result or error; an idle worker thread ends and lets go of the parser. A plain function
stands in for the decoder (the decoding itself: tests/test_intent_llm.py)."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.intent.batching import Batcher


def test_requests_that_queue_during_a_round_are_taken_together_and_each_gets_its_own_result():
    rounds: list[list[int]] = []
    gate = threading.Event()

    def run(requests: list[int]) -> list[int]:
        rounds.append(list(requests))
        gate.wait(10)  # the first round holds the worker while the others queue
        return [r * 10 for r in requests]

    batcher = Batcher(run, limit=8)
    got: dict[int, int] = {}
    threads = [threading.Thread(target=lambda i=i: got.__setitem__(i, batcher.submit(i))) for i in range(6)]
    threads[0].start()
    while not rounds:
        time.sleep(0.005)
    for thread in threads[1:]:
        thread.start()
    while len(batcher._queue) < 5:
        time.sleep(0.005)
    gate.set()
    for thread in threads:
        thread.join(10)
    assert got == {i: i * 10 for i in range(6)}
    assert rounds[0] == [0] and sorted(rounds[1]) == [1, 2, 3, 4, 5]


def test_a_round_takes_at_most_the_limit():
    rounds: list[int] = []
    gate = threading.Event()

    def run(requests: list[int]) -> list[int]:
        rounds.append(len(requests))
        gate.wait(10)
        return requests

    batcher = Batcher(run, limit=3)
    threads = [threading.Thread(target=batcher.submit, args=(i,)) for i in range(7)]
    for thread in threads:
        thread.start()
    while sum(rounds) + len(batcher._queue) < 7:
        time.sleep(0.005)
    gate.set()
    for thread in threads:
        thread.join(10)
    assert max(rounds) <= 3 and sum(rounds) == 7


def test_an_error_reaches_the_threads_of_its_round_and_the_worker_goes_on():
    def run(requests: list[str]) -> list[object]:
        if "boom" in requests:
            raise ValueError("decoder failed")
        return [ValueError(f"bad {r}") if r.startswith("bad") else r.upper() for r in requests]

    batcher = Batcher(run, limit=8)
    with pytest.raises(ValueError, match="decoder failed"):
        batcher.submit("boom")
    with pytest.raises(ValueError, match="bad line"):  # an exception in a result's place
        batcher.submit("bad line")
    assert batcher.submit("fine") == "FINE"


def test_a_wrong_number_of_results_is_an_error_not_a_hang():
    batcher = Batcher(lambda requests: [], limit=8)
    with pytest.raises(RuntimeError, match="0 results for 1 requests"):
        batcher.submit("x")


def test_an_idle_worker_ends_and_a_new_request_starts_another(monkeypatch):
    monkeypatch.setattr(Batcher, "IDLE_S", 0.05)
    batcher = Batcher(lambda requests: requests, limit=8)
    assert batcher.submit(1) == 1
    first = batcher._worker
    assert first is not None
    first.join(5)
    assert not first.is_alive() and batcher._worker is None
    assert batcher.submit(2) == 2
