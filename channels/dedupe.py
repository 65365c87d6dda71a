"""A bounded memory of recently handled deliveries, so a platform's retry or replay is not answered twice.

Behind a load balancer a retry may reach another server: with the production profile's Redis configured the
deliveries are also kept there, shared by all servers.
"""

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Iterable, List, Mapping, Optional

from explainer.errors import SettingsError

logger = logging.getLogger(__name__)

# Slack wants an answer within three seconds; a slow Redis must not use them up.
REDIS_TIMEOUT_SECONDS = 1.0


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


@dataclass(frozen=True)
class RedisSettings:
    host: str
    port: int
    db: int
    password: Optional[str]
    key_prefix: str


def redis_settings(env: Mapping[str, str]) -> Optional[RedisSettings]:
    """The production profile's Redis (REDIS_* variables, as for the lock store), or None when REDIS_HOST is unset."""
    host = env.get("REDIS_HOST", "").strip()
    if not host:
        return None
    numbers = {}
    for name, default in (("REDIS_PORT", "6379"), ("REDIS_DB", "0")):
        text = env.get(name, "").strip() or default
        if not text.isdigit():
            raise SettingsError(f"The environment variable {name} must be a whole number, not {text!r}.")
        numbers[name] = int(text)
    return RedisSettings(
        host, numbers["REDIS_PORT"], numbers["REDIS_DB"], env.get("REDIS_PASSWORD") or None,
        env.get("REDIS_KEY_PREFIX", "").strip(),
    )


class Deliveries:
    """Which deliveries a channel has handled: in Redis when configured, so every server behind the load balancer
    shares them; always also in this process, which is all there is without Redis or while Redis fails."""

    def __init__(self, channel: str, memory: RecentKeys, redis: Optional[RedisSettings] = None) -> None:
        self.channel = channel
        self.memory = memory
        self.redis = redis
        self._client: Any = None
        self._redis_failing = False

    @classmethod
    def from_environment(cls, channel: str, max_size: int, ttl: float, env: Mapping[str, str]) -> "Deliveries":
        return cls(channel, RecentKeys(max_size=max_size, ttl=ttl), redis_settings(env))

    async def first_time(self, keys: Iterable[str]) -> bool:
        """True (and remembers every key) unless one of `keys` was handled within the TTL, here or elsewhere."""
        keys = [k for k in keys if k]
        if not self.memory.first_time(keys):
            return False
        if self.redis is None or not keys:
            return True
        try:
            shared = await asyncio.wait_for(self._set_new(keys), REDIS_TIMEOUT_SECONDS)
        except Exception as error:  # noqa: BLE001 - any Redis failure (refused, timeout, auth) falls back alike
            if not self._redis_failing:
                logger.warning(
                    "Redis at %s:%s did not answer (%s): %s deliveries are remembered by this server only until it "
                    "does, so a retry that reaches another server may be answered twice.",
                    self.redis.host, self.redis.port, str(error) or error.__class__.__name__, self.channel,
                )
            self._redis_failing = True
            return True
        if self._redis_failing:
            logger.info("Redis answers again: %s deliveries are shared by all servers again.", self.channel)
            self._redis_failing = False
        return shared

    async def _set_new(self, keys: List[str]) -> bool:
        """SET key 1 NX EX ttl for each key: only one server can create a key, so only one answers a delivery."""
        if self._client is None:
            # Imported and created on first use, inside the event loop of the worker that serves the request.
            from redis.asyncio import Redis

            assert self.redis is not None
            self._client = Redis(
                host=self.redis.host, port=self.redis.port, db=self.redis.db, password=self.redis.password,
                socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
        prefix = f"{self.redis.key_prefix}:" if self.redis and self.redis.key_prefix else ""
        async with self._client.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.set(f"{prefix}dedupe:{self.channel}:{key}", "1", nx=True, ex=max(1, int(self.memory.ttl)))
            created = await pipe.execute()
        return all(created)
