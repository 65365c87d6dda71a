"""The nginx config the production profile runs behind; its environment variables are checked in
explainer/settings/production.py."""

import re
from pathlib import Path
from typing import Collection, Sequence

DEPLOY = Path(__file__).resolve().parent
NGINX_TEMPLATE = DEPLOY / "nginx.conf.template"

PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


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
