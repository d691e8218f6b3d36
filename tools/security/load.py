"""A bounded burst against a local `shopassist serve`: how many requests were answered, how
many got 429, how many failed.

    python -m tools.security.load [--url http://127.0.0.1:7860] [--requests 200] [--workers 4] [--seconds 30] [--message TEXT]

Only loopback addresses are accepted; at most 2,000 requests and 120 seconds. Each request
is a new conversation (``POST /api/chat`` without ``conversation_id``), as an abusive
client would send them. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

MAX_REQUESTS = 2_000
MAX_SECONDS = 120.0


def loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(url: str, requests: int, workers: int, seconds: float, message: str) -> dict:
    if not loopback(url):
        raise SystemExit(f"{url}: only loopback addresses (127.0.0.1, ::1, localhost) may be loaded")
    requests, seconds = min(requests, MAX_REQUESTS), min(seconds, MAX_SECONDS)
    deadline = time.monotonic() + seconds
    body = json.dumps({"message": message}).encode()

    def one(_: int) -> str:
        if time.monotonic() > deadline:
            return "not sent (time limit)"
        request = urllib.request.Request(url.rstrip("/") + "/api/chat", body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=max(deadline - time.monotonic(), 1)) as response:
                return str(response.status)
        except urllib.error.HTTPError as exc:
            return str(exc.code)
        except OSError as exc:
            return f"error: {type(exc).__name__}"

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, min(workers, 16))) as pool:
        outcomes = Counter(pool.map(one, range(requests)))
    elapsed = time.monotonic() - start
    answered = sum(n for k, n in outcomes.items() if k.isdigit() and k.startswith("2"))
    errors = sum(n for k, n in outcomes.items() if k.startswith("error") or k.startswith("5"))
    return {
        "url": url,
        "sent": sum(n for k, n in outcomes.items() if not k.startswith("not sent")),
        "answered": answered,
        "rate_limited_429": outcomes.get("429", 0),
        "errors": errors,
        "outcomes": dict(outcomes),
        "seconds": round(elapsed, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:7860", help="the app (loopback only)")
    parser.add_argument("--requests", type=int, default=200, help=f"requests to send (at most {MAX_REQUESTS})")
    parser.add_argument("--workers", type=int, default=4, help="concurrent requests (at most 16)")
    parser.add_argument("--seconds", type=float, default=30.0, help=f"stop sending after this long (at most {MAX_SECONDS:.0f})")
    parser.add_argument("--message", default="", help="the message each request sends (default: empty)")
    args = parser.parse_args()
    print(json.dumps(run(args.url, args.requests, args.workers, args.seconds, args.message)))


if __name__ == "__main__":
    main()
