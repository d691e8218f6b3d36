#!/usr/bin/env bash
# Replay the behaviour-check conversations on a fresh copy of the demo store, with the
# fine-tuned parser and with the rule parser; writes OUT-llm.jsonl and OUT-rules.jsonl.
#   tools/behaviour/run.sh OUT          (compare two runs with tools/behaviour/compare.py)
# SRC=DIR runs another checkout's code (e.g. a `git worktree` of the commit before a change).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: tools/behaviour/run.sh OUT}
src=${SRC:-$(pwd)}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for parser in llm rules; do
    SHOPASSIST_STORE="$scratch/$parser" SHOPASSIST_INTENT_PARSER=$parser PYTHONPATH="$src" \
        .venv/bin/shopassist replay tools/behaviour/conversations.jsonl > "$out-$parser.jsonl"
    echo "$out-$parser.jsonl: $(wc -l < "$out-$parser.jsonl") turns"
done
