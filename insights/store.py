"""Reads the events of Rasa's SQL tracker store (SQLite file or PostgreSQL) configured in endpoints.yml."""

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

import sqlalchemy as sa
import yaml

from explainer.errors import GenAIError

# Overrides endpoints.yml: any SQLAlchemy URL, e.g. postgresql://postgres@127.0.0.1:5432/rasa.
URL_VARIABLE = "TRACKER_STORE_URL"
_ENV_REFERENCE = re.compile(r"\$\{([^}]+)\}")


class ReportError(GenAIError):
    """A problem the owner can fix (missing file, bad setting, unreachable database); the message says how."""


@dataclass(frozen=True)
class Event:
    """One row of the `events` table, with its JSON `data` parsed."""

    id: int
    sender_id: str
    type_name: str
    timestamp: float
    intent_name: Optional[str]
    action_name: Optional[str]
    data: Dict[str, Any]


def _expand(value: Any, where: str) -> Any:
    """Replaces ${VAR} like Rasa does when it reads endpoints.yml; an unset variable is an error."""
    if not isinstance(value, str):
        return value

    def lookup(match: "re.Match[str]") -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ReportError(f"{where} refers to the environment variable {name}, which is not set.")
        return os.environ[name]

    return _ENV_REFERENCE.sub(lookup, value)


def url_from_endpoints(path: Union[str, Path]) -> str:
    """The SQLAlchemy URL of the tracker store that endpoints.yml configures for `rasa run`."""
    path = Path(path)
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ReportError(f"{path}: file not found. Pass --endpoints or set {URL_VARIABLE}.") from None
    except yaml.YAMLError as err:
        raise ReportError(f"{path}: not valid YAML ({err}).") from None
    store = config.get("tracker_store") if isinstance(config, dict) else None
    if not isinstance(store, dict):
        raise ReportError(
            f"{path}: no 'tracker_store' section, so conversations are kept in memory only and cannot be "
            f"reported on. Configure an SQL tracker store (see README) or set {URL_VARIABLE}."
        )
    kind = str(store.get("type", "")).lower()
    if kind == "serving.tracker_store.kepttrackerstore":
        # Our wrapper (serving/tracker_store.py) keeps its backend's settings beside `backend:`.
        kind = str(store.get("backend", "")).lower()
    if kind not in ("sql", "rasa.core.tracker_store.sqltrackerstore"):
        raise ReportError(
            f"{path}: tracker_store type '{store.get('type')}' is not an SQL tracker store; the report reads "
            f"SQLite or PostgreSQL. Set {URL_VARIABLE} to the SQL database that holds the conversations."
        )
    where = f"{path}: tracker_store"
    fields = {k: _expand(v, f"{where}: field '{k}'") for k, v in store.items()}
    dialect = str(fields.get("dialect") or "sqlite")
    host = fields.get("url")
    if host and "://" in str(host):
        return str(host)
    database = str(fields.get("db") or "rasa.db")
    if dialect.startswith("sqlite"):
        if database != ":memory:" and not Path(database).is_absolute():
            database = str((path.parent / database).resolve())
        return str(sa.engine.URL.create(dialect, database=database))
    port = fields.get("port")
    return str(
        sa.engine.URL.create(
            dialect,
            username=fields.get("username"),
            password=fields.get("password"),
            host=str(host) if host else None,
            port=int(port) if port not in (None, "") else None,
            database=database,
            query=fields.get("query") or {},
        ).render_as_string(hide_password=False)
    )


def resolve_url(endpoints: Union[str, Path], url: Optional[str] = None) -> str:
    """--db-url, else $TRACKER_STORE_URL, else the tracker store of endpoints.yml."""
    return url or os.environ.get(URL_VARIABLE) or url_from_endpoints(endpoints)


def _shown(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is reported as given
        return url


def read_events(url: str) -> List[Event]:
    """Every event of every conversation, in the order Rasa stored them."""
    try:
        parsed = sa.engine.make_url(url)
    except Exception:  # noqa: BLE001 - SQLAlchemy raises several types for a malformed URL
        raise ReportError(f"'{url}' is not a database URL (expected e.g. sqlite:///tracker.db).") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not Path(parsed.database).is_file():
            raise ReportError(
                f"No tracker database at {parsed.database}: no conversation has been stored yet. Chat with "
                f"the assistant first (make run), or point --db-url / {URL_VARIABLE} at the right database."
            )
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                raise ReportError(f"{_shown(url)} has no 'events' table: it is not a Rasa SQL tracker store.")
            rows = connection.execute(
                sa.text(
                    "SELECT id, sender_id, type_name, timestamp, intent_name, action_name, data "
                    "FROM events ORDER BY id"
                )
            ).fetchall()
    except sa.exc.OperationalError as err:
        raise ReportError(f"Cannot read the tracker store at {_shown(url)}: {err.orig}".strip()) from None
    finally:
        engine.dispose()
    return [_event(row) for row in rows]


def _event(row: Any) -> Event:
    try:
        data = json.loads(row.data) if row.data else {}
    except ValueError:
        data = {}
    return Event(
        id=row.id,
        sender_id=row.sender_id,
        type_name=row.type_name,
        timestamp=float(row.timestamp or data.get("timestamp") or 0.0),
        intent_name=row.intent_name,
        action_name=row.action_name,
        data=data if isinstance(data, dict) else {},
    )
