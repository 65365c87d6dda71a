"""Which web pages may open a socket.io connection: origins read from WEBCHAT_ALLOWED_ORIGINS."""

import re
from typing import List, Mapping

from explainer.errors import SettingsError

ORIGINS_VARIABLE = "WEBCHAT_ALLOWED_ORIGINS"
# The page `make run` serves (scripts/serve-web, WEB_PORT 8080) under both names of the local machine.
DEFAULT_ORIGINS = ("http://localhost:8080", "http://127.0.0.1:8080")
ANY_ORIGIN = "*"
_ORIGIN = re.compile(r"^https?://[a-z0-9.\-\[\]:]+$")


def parse_origins(value: str, variable: str = ORIGINS_VARIABLE) -> List[str]:
    """The origins in a comma- or space-separated list, normalised the way browsers send them."""
    items = [item.strip() for item in re.split(r"[,\s]+", value) if item.strip()]
    if not items:
        raise SettingsError(
            f"{variable} is set but empty: list the origins of the pages that embed the widget, "
            "comma-separated, e.g. https://www.example.com,https://example.com."
        )
    if ANY_ORIGIN in items:
        if len(items) > 1:
            raise SettingsError(f"{variable} mixes '*' with origins: write either '*' (any page) or a list of origins.")
        return [ANY_ORIGIN]
    origins = []
    for item in items:
        origin = item.lower().rstrip("/")
        if not _ORIGIN.match(origin):
            raise SettingsError(
                f"{variable} has {item!r}, which is not an origin: write the scheme and host (and port) "
                "without a path, e.g. https://www.example.com or http://localhost:8080."
            )
        origins.append(origin)
    return list(dict.fromkeys(origins))


def optional_origins(environ: Mapping[str, str], variable: str) -> List[str]:
    """The origins `variable` lists, or none when it is unset or blank (no browser page may call the server)."""
    value = environ.get(variable, "")
    return parse_origins(value, variable) if value.strip() else []


def allowed_origins(environ: Mapping[str, str]) -> List[str]:
    """The configured origins, or the local page of `make run` when the variable is not set."""
    value = environ.get(ORIGINS_VARIABLE)
    if value is None:
        return list(DEFAULT_ORIGINS)
    return parse_origins(value)
