"""Compare two `shopassist replay` outputs turn by turn, timings aside.

    python tools/behaviour/compare.py BEFORE.jsonl AFTER.jsonl

Ticket and return ids are random per run, so they are replaced by their order of
appearance before comparing. Exits 1 and prints the first differences when any
intent, slot, product, alternative, source, hand-off or text differs.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_IDS = re.compile(r"\b(?:RMA|HT)-[0-9A-F]{8}\b")


def _normalise(lines: list[dict]) -> list[dict]:
    seen: dict[str, str] = {}

    def stable(match: re.Match) -> str:
        return seen.setdefault(match.group(0), f"<id{len(seen) + 1}>")

    out = []
    for record in lines:
        record = {k: v for k, v in record.items() if k != "timings_ms"}
        out.append(json.loads(_IDS.sub(stable, json.dumps(record, sort_keys=True))))
    return out


def load(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    before, after = (_normalise(load(p)) for p in argv)
    differences = 0
    if len(before) != len(after):
        print(f"turn count differs: {len(before)} vs {len(after)}")
        differences += 1
    for a, b in zip(before, after):
        if a != b:
            differences += 1
            if differences <= 10:
                keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
                print(f"{a.get('conversation')} turn {a.get('turn')}: {', '.join(keys)} differ")
                for key in keys[:3]:
                    print(f"  before {key}: {json.dumps(a.get(key))[:300]}")
                    print(f"  after  {key}: {json.dumps(b.get(key))[:300]}")
    print(f"{len(before)} turns compared; {differences} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
