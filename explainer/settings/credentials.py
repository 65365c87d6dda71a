"""Reads a channel's settings from its credentials section; secrets must come from environment variables."""

import re
from typing import Any, Mapping, Optional

from explainer.errors import SettingsError


def secret(credentials: Mapping[str, Any], key: str, variable: str, what: str) -> str:
    """The non-empty secret under `key`, which the credentials file fills from the environment `variable`."""
    value = credentials.get(key)
    text = "" if value is None else str(value).strip()
    if not text:
        raise SettingsError(
            f"The {what} is missing: set the environment variable {variable} "
            f"(the credentials file reads `{key}: ${{{variable}}}`)."
        )
    if "${" in text:
        raise SettingsError(f"The {what} was not filled in: set the environment variable {variable}.")
    return text


def optional(credentials: Mapping[str, Any], key: str, default: Optional[str] = None) -> Optional[str]:
    """A non-secret setting, stripped, or `default` when absent or empty."""
    value = credentials.get(key)
    text = "" if value is None else str(value).strip()
    return text or default


def matching(value: str, pattern: str, message: str) -> str:
    """`value` if it matches `pattern` completely, else a SettingsError with `message`."""
    if not re.fullmatch(pattern, value):
        raise SettingsError(message)
    return value
