"""Where the action server listens and which web pages may call it (ACTION_SERVER_HOST, ACTION_PORT,
ACTION_SERVER_CORS). Loopback is the default: only the container image sets an all-interfaces host."""

from dataclasses import dataclass
from typing import List, Mapping

from explainer.errors import SettingsError
from explainer.settings.origins import optional_origins

HOST_VAR = "ACTION_SERVER_HOST"
PORT_VAR = "ACTION_PORT"
CORS_VAR = "ACTION_SERVER_CORS"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5055


@dataclass(frozen=True)
class ActionServerAddress:
    host: str
    port: int
    cors_origins: List[str]


def _port(value: str) -> int:
    text = value.strip()
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise SettingsError(f"{PORT_VAR} is {value!r}: set it to a port number between 1 and 65535, e.g. {DEFAULT_PORT}.")
    return int(text)


def action_server_address(env: Mapping[str, str]) -> ActionServerAddress:
    """The action server's host, port and CORS origins from the environment, each checked."""
    host = env.get(HOST_VAR, DEFAULT_HOST).strip()
    if not host or any(c.isspace() for c in host):
        raise SettingsError(f"{HOST_VAR} is {env.get(HOST_VAR)!r}: set it to an address such as 127.0.0.1 or 0.0.0.0.")
    port = _port(env.get(PORT_VAR, str(DEFAULT_PORT)))
    # Checked like the widget's origins, so a path or a missing scheme is a sentence at start-up instead of a CORS
    # header no browser ever matches.
    return ActionServerAddress(host, port, optional_origins(env, CORS_VAR))
