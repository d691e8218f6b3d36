#!/usr/bin/env bash
# Set up (or update) the virtualenv in .venv: torch 2.13.0 CPU first, then the project.
# Idempotent and quick when nothing changed. Usage: ./scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "error: Python 3.11 is required (found $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
    exit 1
fi
# Debian packages: Chromium drives the real-browser test (Playwright's own browser download
# fails offline); espeak-ng is the second voice of the spoken evaluation set
if { [ ! -x /usr/bin/chromium ] || ! command -v espeak-ng >/dev/null; } && command -v apt-get >/dev/null; then
    SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
    if $SUDO true 2>/dev/null; then
        $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium espeak-ng >/dev/null
    else
        echo "note: could not install chromium and espeak-ng (needs root); the browser test will be skipped" >&2
    fi
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

stamp=".venv/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    # torch first: a plain "torch" requirement resolved later would pull CUDA wheels
    .venv/bin/python -m pip install --quiet torch==2.13.0
    .venv/bin/python -m pip install --quiet -c constraints.txt -e ".[test]"
    rm -f .venv/.installed-*
    touch "$stamp"
fi
