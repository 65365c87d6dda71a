"""A bounded memory of recently handled deliveries, so a platform's retry or replay is not answered twice."""

import time
from collections import OrderedDict
from typing import Callable, Iterable


class RecentKeys:
    """Remembers keys for `ttl` seconds, at most `max_size` of them (the oldest are forgotten first)."""

    def __init__(self, max_size: int = 10_000, ttl: float = 3600.0, clock: Callable[[], float] = time.monotonic) -> None:
        if max_size < 1 or ttl <= 0:
            raise ValueError("max_size and ttl must be positive")
        self.max_size = max_size
        self.ttl = ttl
        self._clock = clock
        self._seen: "OrderedDict[str, float]" = OrderedDict()

    def __len__(self) -> int:
        self._expire()
        return len(self._seen)

    def __contains__(self, key: object) -> bool:
        self._expire()
        return key in self._seen

    def first_time(self, keys: Iterable[str]) -> bool:
        """True (and remembers every key) unless one of `keys` was seen within the TTL."""
        keys = [k for k in keys if k]
        self._expire()
        if any(k in self._seen for k in keys):
            return False
        now = self._clock()
        for key in keys:
            self._seen[key] = now
        while len(self._seen) > self.max_size:
            self._seen.popitem(last=False)
        return True

    def _expire(self) -> None:
        cutoff = self._clock() - self.ttl
        while self._seen:
            key, seen_at = next(iter(self._seen.items()))
            if seen_at > cutoff:
                break
            del self._seen[key]
