"""The customer-service and out-of-scope sets (``assistant/evals/heldout*``): well formed, apart
from each other, and the held-out one's errors never written out."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from assistant.evals.cli import eval_app
from assistant.evals.service import HELDOUT, SETS, load_out_of_scope, load_service
from assistant.types import INTENTS


@pytest.mark.parametrize("which", SETS)
def test_each_set_is_well_formed(which):
    service, out = load_service(which), load_out_of_scope(which)
    assert len(service) >= 300 and len(out) >= 240
    assert len({r.id for r in service} | {r.id for r in out}) == len(service) + len(out)
    assert all(r.intents and set(r.intents) <= set(INTENTS) and "out_of_scope" not in r.intents for r in service)
    assert all(r.order_id is None or r.order_id in r.text for r in service)


def test_the_held_out_set_shares_no_message_with_the_one_read():
    def texts(which: str) -> set[str]:
        return {" ".join(r.text.lower().split()) for r in [*load_service(which), *load_out_of_scope(which)]}

    read = [which for which in SETS if which != HELDOUT]
    assert HELDOUT in SETS and read
    assert not any(texts(HELDOUT) & texts(which) for which in read)


def test_the_held_out_sets_errors_are_not_written(tmp_path):
    result = CliRunner().invoke(eval_app, ["service", "--errors", str(tmp_path / "errors.jsonl")])
    assert result.exit_code != 0 and "held out" in result.output
    assert not (tmp_path / "errors.jsonl").exists()


def test_an_errors_file_in_a_folder_not_yet_made_is_written(tmp_path):
    import json

    from assistant.evals.cli import write_errors

    path = tmp_path / "not" / "yet" / "errors.jsonl"
    write_errors(path, iter([{"id": "a", "text": "café"}, {"id": "b"}]))
    assert [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] == [{"id": "a", "text": "café"}, {"id": "b"}]
