"""`shopassist` and `python -m assistant`: the serving commands plus the eval, bench and train groups."""

from __future__ import annotations

from assistant.channels.cli import app
from assistant.evals.cli import register

register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
