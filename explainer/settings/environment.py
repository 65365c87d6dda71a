"""The servers' settings from the environment, checked before start-up; plain Python, no Rasa import."""

import os
from pathlib import Path
from typing import Any, List, Mapping, Optional

from explainer.errors import SettingsError
from explainer.settings.origins import optional_origins

# Values people copy from docs and examples: a token equal to one of these protects nothing.
DEFAULT_TOKENS = frozenset(
    {"rasa", "token", "secret", "changeme", "change-me", "password", "test", "default", "thisismysecret",
     "mysecret", "rasaxtoken", "admin", "12345678", "1234567890"}
)
MIN_TOKEN_CHARS = 16
# Channel bodies are small; 1 MiB refuses floods early (Sanic's default is 100 MB). Model uploads need more.
DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024
API_MAX_REQUEST_BYTES = 512 * 1024 * 1024
TRUE = {"1", "true", "yes", "on"}


def api_enabled(env: Mapping[str, str]) -> bool:
    return env.get("RASA_ENABLE_API", "").strip().lower() in TRUE


def check_token(token: str) -> None:
    """Raises unless `token` is long and not a well-known default."""
    if not token.strip():
        raise SettingsError("RASA_ENABLE_API is on but RASA_API_TOKEN is not set: set it to a random secret of at least 16 characters (e.g. `openssl rand -hex 24`).")
    if token.strip().lower() in DEFAULT_TOKENS:
        raise SettingsError("RASA_API_TOKEN is a well-known default value: set it to a random secret of at least 16 characters.")
    if len(token.strip()) < MIN_TOKEN_CHARS:
        raise SettingsError(f"RASA_API_TOKEN has {len(token.strip())} characters: use a random secret of at least {MIN_TOKEN_CHARS}.")


# Options of `rasa run` (argparse destinations) that turn on or protect the HTTP API, with their flags.
API_OPTIONS = {
    "enable_api": "--enable-api",
    "auth_token": "--auth-token",
    "jwt_secret": "--jwt-secret",
    "jwt_private_key": "--jwt-private-key",
}


def check_command_line(options: Mapping[str, Any]) -> None:
    """Raises if the user's `rasa run` options (as Rasa parsed them) touch the HTTP API: only the environment
    may turn it on, so that the token is always checked."""
    given = [flag for name, flag in API_OPTIONS.items() if options.get(name) not in (None, False)]
    if given:
        raise SettingsError(
            f"Turn the HTTP API on with RASA_ENABLE_API=1 and RASA_API_TOKEN, not with {', '.join(given)} "
            "(or an abbreviation) on the command line, so that the token is checked."
        )


def check_api_options(options: Mapping[str, Any], env: Mapping[str, str]) -> None:
    """Raises unless the final `rasa run` options set the HTTP API exactly as the environment asks."""
    enabled = api_enabled(env)
    token = env.get("RASA_API_TOKEN", "").strip() if enabled else None
    jwt = options.get("jwt_secret") or options.get("jwt_private_key")
    if bool(options.get("enable_api")) != enabled or options.get("auth_token") != token or jwt:
        raise SettingsError(
            "The command-line arguments change how the HTTP API is set: remove them and use RASA_ENABLE_API=1 "
            "and RASA_API_TOKEN instead."
        )


def cors_origins(env: Mapping[str, str]) -> List[str]:
    """GENAI_CORS_ORIGINS: comma-separated origins allowed to call the server from a browser; none by default."""
    return optional_origins(env, "GENAI_CORS_ORIGINS")


def rasa_run_args(env: Mapping[str, str]) -> List[str]:
    """Arguments to add to `rasa run` for the API switch and CORS; raises SettingsError on an unsafe setting."""
    args: List[str] = []
    if api_enabled(env):
        token = env.get("RASA_API_TOKEN", "")
        check_token(token)
        args += ["--enable-api", "--auth-token", token.strip()]
    origins = cors_origins(env)
    if origins:
        args += ["--cors", *origins]
    return args


SESSION_MAX_TURNS_VAR = "GENAI_SESSION_MAX_TURNS"
DEFAULT_SESSION_MAX_TURNS = 30


def session_max_turns(env: Mapping[str, str]) -> int:
    """GENAI_SESSION_MAX_TURNS: user messages after which a conversation goes on in a new session (rasa_fixes/session_length.py)."""
    raw = env.get(SESSION_MAX_TURNS_VAR, "").strip()
    if not raw:
        return DEFAULT_SESSION_MAX_TURNS
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise SettingsError(
            f"{SESSION_MAX_TURNS_VAR} is '{raw}': set it to a whole number of user messages of at least 1 after which a "
            f"conversation continues in a new session (default {DEFAULT_SESSION_MAX_TURNS}), or unset it."
        )
    return value


def request_limit(env: Mapping[str, str]) -> str:
    """SANIC_REQUEST_MAX_SIZE for the server: kept if set, else small unless the API (model upload) is on."""
    return env.get("SANIC_REQUEST_MAX_SIZE") or str(API_MAX_REQUEST_BYTES if api_enabled(env) else DEFAULT_MAX_REQUEST_BYTES)


KNOWLEDGE_DIR_VAR = "GENAI_KNOWLEDGE_DIR"
# The repository's knowledge/ folder, two levels above this file.
DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"


def knowledge_dir(env: Optional[Mapping[str, str]] = None) -> Path:
    """GENAI_KNOWLEDGE_DIR (the process environment unless `env` is given), else the repository's knowledge/.

    The one place every process (Rasa server, action server, channels) finds the knowledge base."""
    value = (os.environ if env is None else env).get(KNOWLEDGE_DIR_VAR, "").strip()
    return Path(value) if value else DEFAULT_KNOWLEDGE_DIR



REST_MAX_BODY_VAR = "GENAI_REST_MAX_BODY_BYTES"


def rest_max_body_bytes(configured: Any, env: Mapping[str, str]) -> int:
    """The REST channel's body limit: GENAI_REST_MAX_BODY_BYTES, else credentials.yml `rest: max_body_bytes`
    (`configured`). A value that is not a whole number of at least 1 is refused with a sentence, not a traceback."""
    raw = env.get(REST_MAX_BODY_VAR, "").strip()
    where = REST_MAX_BODY_VAR if raw else "credentials.yml `rest: max_body_bytes`"
    value = raw if raw else configured
    try:
        limit = int(str(value).strip())
    except ValueError:
        limit = 0
    if limit < 1:
        raise SettingsError(
            f"{where} is {value!r}: set it to a whole number of bytes of at least 1 (the largest REST request body "
            "accepted; credentials.yml uses 65536)."
        )
    return limit
