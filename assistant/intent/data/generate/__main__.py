"""``python -m assistant.intent.data.generate [N] [OUT.jsonl]``: write ``generate(N)`` (4000
examples by default) to OUT.jsonl (``intent_train.jsonl`` by default), one JSON object a line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.intent.data.generate.mix import generate


def main() -> None:  # pragma: no cover
    if any(arg in ("-h", "--help") for arg in sys.argv[1:]):
        print((__doc__ or "").strip())
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("intent_train.jsonl")
    rows = generate(n)
    out.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} examples -> {out}")


if __name__ == "__main__":  # pragma: no cover
    main()
