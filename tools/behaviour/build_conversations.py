"""Write the behaviour-check conversations (run once, before the layout change of issue 14).

    python tools/behaviour/build_conversations.py CAPTURED.jsonl [MORE.jsonl ...] > tools/behaviour/conversations.jsonl

- every message of the intent development and test sets as its own conversation; a
  message written for a context (products on screen, an order id asked for) is preceded by
  a turn that creates that context;
- every scripted dialogue the tests send through the turn handler, as captured from a test
  run (lines {"conv": id, "text": message});
- the replay test's conversations.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETUP = {
    "none": [],
    "shown_headphones": ["noise cancelling headphones"],
    "shown_shoes": ["running shoes under $150"],
    "pending_order": ["where is order NW-100002?"],
}
REPLAY_TEST = [
    {
        "id": "replay-c1",
        "turns": [
            {"text": "wireless headphones under $100"},
            {"text": "cheaper"},
            {"text": "the second one"},
            {"text": "compare the first two"},
        ],
    },
    {
        "id": "replay-c2",
        "turns": [
            {"text": "black running shoes under $100"},
            {"text": "any brand is fine"},
            {"text": "what is your return policy?"},
            {"text": "where is order NW-100002? my email is mateo.nguyen@example.com"},
        ],
    },
    {"id": "replay-c3", "turns": [{"text": "hi"}, {"text": "lawn mowers"}, {"text": "I want to talk to a human"}]},
]


def main(captured: list[str]) -> None:
    out = []
    for name in ("dev", "test"):
        for line in (ROOT / "assistant" / "intent" / "data" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            ex = json.loads(line)
            turns = [{"text": t} for t in SETUP[ex["context"]]] + [{"text": ex["text"]}]
            out.append({"id": f"{name}-{ex['id']}", "turns": turns})
    for path in captured:
        dialogues: dict[str, list[dict]] = {}
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            dialogues.setdefault(row["conv"], []).append({"text": row["text"]})
        out.extend({"id": f"tests-{Path(path).stem}-{i}", "turns": turns} for i, turns in enumerate(dialogues.values(), 1))
    out.extend(REPLAY_TEST)
    for conversation in out:
        sys.stdout.write(json.dumps(conversation, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
