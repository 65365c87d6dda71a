"""The production profile's settings: which environment variables it needs, and the nginx config it runs behind."""

import re
from pathlib import Path
from typing import Collection, Dict, List, Mapping, Sequence

DEPLOY = Path(__file__).resolve().parent
NGINX_TEMPLATE = DEPLOY / "nginx.conf.template"

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
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


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


def render_nginx(
    listen: str,
    rasa_servers: Sequence[str],
    actions_listen: str,
    action_servers: Sequence[str],
    run_dir: Path,
    drained: Collection[str] = (),
    template: Path = NGINX_TEMPLATE,
) -> str:
    """The nginx config for these addresses; servers in `drained` get no new requests (`down`)."""
    if not rasa_servers or not action_servers:
        raise ValueError("nginx needs at least one Rasa server and one action server")
    values = {
        "run_dir": str(run_dir),
        "listen": listen,
        "actions_listen": actions_listen,
        "rasa_servers": _servers(rasa_servers, drained),
        "action_servers": _servers(action_servers, drained),
    }
    text = template.read_text(encoding="utf-8")
    unknown = set(PLACEHOLDER.findall(text)) - set(values)
    if unknown:
        raise ValueError(f"{template}: unknown placeholder(s) {', '.join(sorted(unknown))}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def _servers(addresses: Sequence[str], drained: Collection[str]) -> str:
    return "\n".join(f"    server {address}{' down' if address in drained else ''};" for address in addresses)
