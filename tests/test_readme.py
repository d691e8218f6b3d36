"""The README stays true: the catalog schema table, the two opening commands, and CI
running the README's test command."""

from __future__ import annotations

import os
import re
from pathlib import Path

from retrieval.catalog import CANONICAL_FIELDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SETUP_AND_SERVE = "./scripts/setup.sh && .venv/bin/shopassist serve"
SETUP_AND_TEST = "./scripts/setup.sh && .venv/bin/python -m pytest"


def code_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.S | re.M)]


def schema_table() -> dict[str, tuple[str, str]]:
    """field -> (type, required) from the table under '## Catalog ingestion'."""
    section = README.split("## Catalog ingestion", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+?) \| (yes|no) \|", section, flags=re.M)
    return {name: (kind, required) for name, kind, required in rows}


def test_schema_table_lists_exactly_the_canonical_fields():
    table = schema_table()
    assert list(table) == list(CANONICAL_FIELDS)
    for name, (kind, required, _) in CANONICAL_FIELDS.items():
        assert table[name] == (kind, "yes" if required else "no"), name


def test_readme_opens_with_the_two_commands():
    intro = README.split("\n## ", 1)[0]
    assert code_blocks(intro) == [SETUP_AND_SERVE, SETUP_AND_TEST]
    assert os.access(ROOT / "scripts" / "setup.sh", os.X_OK)


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert SETUP_AND_TEST in commands
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
