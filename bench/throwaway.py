"""A fresh PostgreSQL database and Redis key prefix for one run of the production profile, removed after."""

import uuid
from contextlib import contextmanager
from typing import Any, Dict, Iterator, Protocol, Tuple

import redis


class Postgres(Protocol):
    """The PostgreSQL server to use (tests/support/services.py gives the running one or a throwaway one)."""

    host: str
    port: int
    user: str
    password: str

    def connection(self, dbname: str = "postgres") -> Dict[str, Any]: ...

    def execute(self, statement: str) -> None: ...


class Redis(Protocol):
    """The Redis server to use (tests/support/services.py gives the running one or a throwaway one)."""

    host: str
    port: int
    db: int
    password: str

    def client(self) -> redis.Redis: ...


@contextmanager
def throwaway_profile(label: str, postgres: Postgres,
                      locks: Redis) -> Iterator[Tuple[Dict[str, str], Dict[str, Any]]]:
    """Yields the profile's environment variables and psycopg2 connection settings for a new database on
    `postgres`, with a new lock key prefix on `locks`; both are removed afterwards."""
    suffix = uuid.uuid4().hex[:12]
    env = {"DB_HOST": postgres.host, "DB_PORT": str(postgres.port), "DB_USER": postgres.user,
           "DB_PASSWORD": postgres.password, "DB_NAME": f"genai_{label}_{suffix}",
           "REDIS_HOST": locks.host, "REDIS_PORT": str(locks.port), "REDIS_DB": str(locks.db),
           "REDIS_PASSWORD": locks.password, "REDIS_KEY_PREFIX": f"genai{label}{suffix}"}
    postgres.execute(f'CREATE DATABASE "{env["DB_NAME"]}"')
    try:
        yield env, postgres.connection(env["DB_NAME"])
    finally:
        postgres.execute(f'DROP DATABASE IF EXISTS "{env["DB_NAME"]}" WITH (FORCE)')
        client = locks.client()
        for key in client.scan_iter(match=f'{env["REDIS_KEY_PREFIX"]}:*', count=1000):
            client.delete(key)


def lock_keys(env: Dict[str, str]) -> int:
    """How many conversation locks the run's prefix still holds in Redis."""
    locks = redis.Redis(host=env["REDIS_HOST"], port=int(env["REDIS_PORT"]), db=int(env["REDIS_DB"]),
                        password=env["REDIS_PASSWORD"] or None)
    return sum(1 for _ in locks.scan_iter(match=f'{env["REDIS_KEY_PREFIX"]}:*', count=1000))
