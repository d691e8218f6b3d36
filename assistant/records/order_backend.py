"""The shop's own order system as an ``OrderSource``: asked over HTTP for one order.

``GET {url}?order_id=...&email=...`` with the profile's auth header; ``200`` and one order
in the schema of docs/stores.md, or ``404`` for none. Whatever the backend answers, the
order is shown only when its own id and email match what the shopper gave. Timeouts,
connection errors, other statuses and malformed bodies raise ``OrderSourceUnavailable``,
which the assistant answers politely.
"""

from __future__ import annotations

import logging
import os

import httpx
from pydantic import ValidationError

from assistant.errors import OrderSourceUnavailable
from assistant.records.orders import Order, matches
from assistant.records.profile import OrdersBackend

log = logging.getLogger(__name__)

#: the largest answer read from the backend (one order)
MAX_BODY_BYTES = 1_000_000


class HttpOrderSource:
    """Looks orders up in the shop's backend; one short-lived request per lookup."""

    def __init__(self, backend: OrdersBackend, *, transport: httpx.BaseTransport | None = None) -> None:
        self.backend = backend
        headers = {"Accept": "application/json"}
        if backend.auth_header:
            value = os.environ.get(backend.auth_env, "") if backend.auth_env else ""
            if backend.auth_env and not value:
                log.warning(
                    "orders_backend.auth_env names %s, which is not set: lookups go without %s", backend.auth_env, backend.auth_header
                )
            if value:
                headers[backend.auth_header] = value
        self.client = httpx.Client(timeout=backend.timeout_seconds, headers=headers, transport=transport, follow_redirects=False)

    def lookup(self, order_id: str, email: str) -> Order | None:
        try:
            response = self.client.get(self.backend.url, params={"order_id": order_id.strip(), "email": email.strip()})
        except httpx.HTTPError as exc:
            log.warning("order backend %s: %s", self.backend.url, exc)
            raise OrderSourceUnavailable(f"the order system did not answer ({type(exc).__name__})") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            log.warning("order backend %s answered %s", self.backend.url, response.status_code)
            raise OrderSourceUnavailable(f"the order system answered {response.status_code}")
        if len(response.content) > MAX_BODY_BYTES:
            raise OrderSourceUnavailable("the order system's answer is too large")
        try:
            order = Order.model_validate_json(response.content)
        except ValidationError as exc:
            log.warning("order backend %s sent an order that does not validate: %s", self.backend.url, exc)
            raise OrderSourceUnavailable("the order system's answer is not an order") from exc
        return order if matches(order, order_id, email) else None

    def close(self) -> None:
        self.client.close()
