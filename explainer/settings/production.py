"""The production profile's environment (`make run-production`, compose.yaml, Helm): which variables
endpoints.production.yml reads, what each holds, and every problem with them as a sentence saying what to set."""

import re
from typing import Collection, Dict, List, Mapping

# What endpoints.production.yml reads, and what each variable holds (shown when one is missing).
VARIABLES: Dict[str, str] = {
    "ACTION_SERVER_URL": "the action server's webhook, e.g. http://actions:5055/webhook",
    "DB_HOST": "the PostgreSQL host for conversations, e.g. 127.0.0.1",
    "DB_PORT": "the PostgreSQL port, e.g. 5432",
    "DB_NAME": "the PostgreSQL database (it must exist; Rasa creates the `events` table)",
    "DB_USER": "the PostgreSQL user",
    "DB_PASSWORD": "the PostgreSQL password (may be empty for trust authentication)",
    "REDIS_HOST": "the Redis host for conversation locks, e.g. 127.0.0.1",
    "REDIS_PORT": "the Redis port, e.g. 6379",
    "REDIS_DB": "the Redis database number, e.g. 1",
    "REDIS_PASSWORD": "the Redis password (may be empty when Redis has none)",
    "REDIS_KEY_PREFIX": "letters and digits put before every lock key, e.g. genai",
}
# Variables that may be set to an empty value.
MAY_BE_EMPTY = {"DB_PASSWORD", "REDIS_PASSWORD"}
NUMBERS = {"DB_PORT", "REDIS_PORT", "REDIS_DB"}


def environment_problems(env: Mapping[str, str], needed: Collection[str] = tuple(VARIABLES)) -> List[str]:
    """Every problem with the profile's environment variables, each a sentence saying what to set."""
    problems = []
    for name in needed:
        value = env.get(name)
        if value is None or (value == "" and name not in MAY_BE_EMPTY):
            problems.append(f"Set the environment variable {name} to {VARIABLES[name]}.")
        elif name in NUMBERS and not value.isdigit():
            problems.append(f"The environment variable {name} must be a whole number, not {value!r}.")
    prefix = env.get("REDIS_KEY_PREFIX")
    if "REDIS_KEY_PREFIX" in needed and prefix and not prefix.isalnum():
        # Rasa would drop a prefix with other characters and share the default "lock:" keys instead.
        problems.append(f"The environment variable REDIS_KEY_PREFIX may hold only letters and digits, not {prefix!r}.")
    url = env.get("ACTION_SERVER_URL")
    if "ACTION_SERVER_URL" in needed and url and not re.match(r"^https?://[^/]+", url):
        problems.append(f"The environment variable ACTION_SERVER_URL must be an http:// or https:// URL, not {url!r}.")
    workers = env.get("SANIC_WORKERS", "1")
    if not workers.isdigit() or int(workers) < 1:
        problems.append(f"The environment variable SANIC_WORKERS must be a whole number of at least 1, not {workers!r}.")
    return problems
