"""Order lookups that slow down when they keep failing: an ``OrderSource`` wrapper.

Knowing one customer's email and guessing order ids (or knowing an id and guessing
emails) is how orders leak. Every failed lookup counts against its email and against its
order id; past ``SHOPASSIST_RATE_LIMIT_LOOKUP`` (a staircase: a few a minute, more an
hour, a cap a day) lookups of that email or id are refused with the seconds to wait, even
the right pair, until its window moves on. Successful lookups do not count.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from assistant.errors import LookupLimited
from assistant.records.orders import Order, OrderSource, normalise_order_id


class LimitedOrderSource:
    """An ``OrderSource`` that raises ``LookupLimited`` for an email or order id that failed too often."""

    def __init__(self, source: OrderSource, failures: str) -> None:
        self.source = source
        self.items: list[RateLimitItem] = parse_many(failures)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def _keys(self, order_id: str, email: str) -> tuple[tuple[str, str], ...]:
        return (("email", email.strip().lower()), ("order", normalise_order_id(order_id)))

    def retry_after(self, order_id: str, email: str) -> int:
        """Seconds until a lookup of this pair is allowed again (0: now)."""
        wait = 0.0
        for key in self._keys(order_id, email):
            for item in self.items:
                if not self.limiter.test(item, *key):
                    wait = max(wait, self.limiter.get_window_stats(item, *key).reset_time - time.time())
        return math.ceil(wait) if wait > 0 else 0

    def lookup(self, order_id: str, email: str) -> Order | None:
        wait = self.retry_after(order_id, email)
        if wait:
            raise LookupLimited(wait)
        order = self.source.lookup(order_id, email)
        if order is None:
            for key in self._keys(order_id, email):
                for item in self.items:
                    self.limiter.hit(item, *key)
        return order
