"""Widget session ids the server issues and later recognises: random, and signed so that a page reload, a
restart or another server of the same deployment accepts them while made-up ids are refused. Plain Python."""

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path
from typing import Any, Mapping

from explainer.errors import SettingsError

SECRET_VARIABLE = "WEBCHAT_SESSION_SECRET"
# Without the variable the key is generated once and kept here (in the server's working directory, beside
# tracker.db): the local profile works with no setup and issued ids survive restarts.
SECRET_FILE = ".webchat-session-secret"
MIN_SECRET_CHARS = 32
# 128 random bits, a dot, then the first 128 bits of HMAC-SHA256(key, random part): guessing either is hopeless.
_SESSION_ID = re.compile(r"[0-9a-f]{32}\.[0-9a-f]{32}")


class SessionSecretError(SettingsError):
    """The signing key cannot be read or made; the message says what to set."""


def session_secret(env: Mapping[str, str], directory: Path) -> bytes:
    """The key that signs session ids: WEBCHAT_SESSION_SECRET, else the key file in `directory`, made if absent."""
    configured = env.get(SECRET_VARIABLE, "").strip()
    if configured:
        if len(configured) < MIN_SECRET_CHARS:
            raise SessionSecretError(
                f"{SECRET_VARIABLE} is {len(configured)} characters long; use at least {MIN_SECRET_CHARS} random "
                "characters (for example the output of `python -c 'import secrets; print(secrets.token_hex(32))'`)."
            )
        return configured.encode("utf-8")
    path = directory / SECRET_FILE
    try:
        return _read_or_create(path)
    except OSError as error:
        raise SessionSecretError(
            f"Could not read or create the widget session key file {path} ({error.strerror or error}); "
            f"set the environment variable {SECRET_VARIABLE} to at least {MIN_SECRET_CHARS} random characters instead."
        ) from None


def _read_or_create(path: Path) -> bytes:
    if not path.exists():
        # Written under a temporary name, then linked into place: several workers starting at once all end
        # up with the one key that won, never with a half-written file.
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as file:
                file.write(secrets.token_hex(32) + "\n")
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            temporary.unlink()
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_SECRET_CHARS:
        raise OSError(f"the file holds {len(key)} characters, fewer than {MIN_SECRET_CHARS}; delete it to make a new one")
    return key.encode("ascii")


def _signature(key: bytes, random_part: str) -> str:
    return hmac.new(key, random_part.encode("ascii"), hashlib.sha256).hexdigest()[:32]


def issue(key: bytes) -> str:
    """A new session id signed with `key`."""
    random_part = secrets.token_hex(16)
    return f"{random_part}.{_signature(key, random_part)}"


def is_issued(session_id: Any, key: bytes) -> bool:
    """Whether `session_id` is one that `key` signed (a server of this deployment issued it)."""
    if not isinstance(session_id, str) or not _SESSION_ID.fullmatch(session_id):
        return False
    random_part, signature = session_id.split(".")
    return hmac.compare_digest(signature, _signature(key, random_part))
