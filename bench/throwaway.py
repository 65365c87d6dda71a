"""A fresh PostgreSQL database and Redis key prefix for one run of the production profile, removed after."""

import os
import uuid
from contextlib import contextmanager
from typing import Any, Dict, Iterator, Tuple

import psycopg2
import redis

# The PostgreSQL and Redis servers to use; DB_NAME and REDIS_KEY_PREFIX are made up per run.
DEFAULTS = {"DB_HOST": "127.0.0.1", "DB_PORT": "5432", "DB_USER": "postgres", "DB_PASSWORD": "",
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "REDIS_DB": "1", "REDIS_PASSWORD": ""}


@contextmanager
def throwaway_profile(label: str) -> Iterator[Tuple[Dict[str, str], Dict[str, Any]]]:
    """Yields the profile's environment variables and psycopg2 connection settings for a new database."""
    env = {name: os.environ.get(name, default) for name, default in DEFAULTS.items()}
    suffix = uuid.uuid4().hex[:12]
    env["DB_NAME"] = f"genai_{label}_{suffix}"
    env["REDIS_KEY_PREFIX"] = f"genai{label}{suffix}"
    server = {"host": env["DB_HOST"], "port": int(env["DB_PORT"]), "user": env["DB_USER"],
              "password": env["DB_PASSWORD"]}
    _execute(server, f'CREATE DATABASE "{env["DB_NAME"]}"')
    locks = redis.Redis(host=env["REDIS_HOST"], port=int(env["REDIS_PORT"]), db=int(env["REDIS_DB"]),
                        password=env["REDIS_PASSWORD"] or None)
    try:
        yield env, dict(server, dbname=env["DB_NAME"])
    finally:
        _execute(server, f'DROP DATABASE IF EXISTS "{env["DB_NAME"]}" WITH (FORCE)')
        for key in locks.scan_iter(match=f'{env["REDIS_KEY_PREFIX"]}:*', count=1000):
            locks.delete(key)


def lock_keys(env: Dict[str, str]) -> int:
    """How many conversation locks the run's prefix still holds in Redis."""
    locks = redis.Redis(host=env["REDIS_HOST"], port=int(env["REDIS_PORT"]), db=int(env["REDIS_DB"]),
                        password=env["REDIS_PASSWORD"] or None)
    return sum(1 for _ in locks.scan_iter(match=f'{env["REDIS_KEY_PREFIX"]}:*', count=1000))


def _execute(server: Dict[str, Any], statement: str) -> None:
    connection = psycopg2.connect(dbname="postgres", **server)
    connection.autocommit = True  # CREATE/DROP DATABASE cannot run inside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()
