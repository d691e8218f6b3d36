"""`bench load` against a real `serve --workers 2` on loopback: every turn answered, each
worker used, the figures filled in; and bad layouts refused."""

from __future__ import annotations

import pytest

from assistant.evals import load_bench


def test_two_workers_answer_concurrent_conversations_and_the_figures_are_reported(demo_services):
    # the rule parser (conftest) keeps this quick; the served store is the session's demo store
    result = load_bench.run_layout("2x1", conversations=6, turns=2, max_seconds=120, store=None, log=lambda m: None, settle_s=0)
    assert (result.turns, result.errors) == (12, 0)
    assert len(result.rss_mb) == 2 and all(m > 200 for m in result.rss_mb)  # two serving processes
    assert result.turns_per_s > 0 and 0 < result.p50_ms <= result.p95_ms and result.cpu_ms_per_turn > 0
    table = load_bench.markdown([result])
    assert "| 2x1 | 6 | 12 | 0 |" in table


@pytest.mark.parametrize("layout", ["2", "0x1", "2xa", "17x1"])
def test_a_layout_that_is_not_processes_x_threads_is_refused(layout):
    with pytest.raises(ValueError, match="PROCESSESxTHREADS"):
        load_bench.parse_layout(layout)
