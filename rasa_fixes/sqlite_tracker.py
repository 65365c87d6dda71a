"""Keep the SQLite tracker store from blocking the server on disk flushes.

With SQLite's defaults every commit waits for fsync, and Rasa waits on the event loop, so every
conversation stalls behind it. Write-ahead logging with synchronous=NORMAL keeps every committed turn
across a crash of the server (only an OS crash or power loss can drop the last turns) and lets several
Sanic workers read while one writes. SQLAlchemy opens a new SQLite connection per session; closing
the last one to a WAL database runs a checkpoint with its own flush, so one connection per database
file stays open for the life of the process.

SQLAlchemy 1.4 gives a file database no connection pool, so every tracker read or write opened a new
connection and ran the settings above again (a tenth of the server's CPU per message); the tracker store's
engine now keeps its SQLite connections in a pool. Rasa uses them from the event loop's thread only.
"""

import sqlite3
from typing import Any, Dict

import rasa.core.tracker_store
from sqlalchemy import event
from sqlalchemy.engine import Engine

from serving.sql_engine import with_sqlite_pool
from serving.sql_timeouts import TIMEOUT_SECONDS

_kept_open: Dict[str, sqlite3.Connection] = {}


def _database_file(connection: sqlite3.Connection) -> str:
    rows = connection.execute("PRAGMA database_list").fetchall()
    return next((row[2] for row in rows if row[1] == "main"), "")


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Waiting for another writer holds the event loop: give up after serving/sql_timeouts.py's 2 seconds.
    dbapi_connection.execute(f"PRAGMA busy_timeout={TIMEOUT_SECONDS * 1000}")
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
    path = _database_file(dbapi_connection)
    if path and path not in _kept_open:
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        keeper = sqlite3.connect(path, check_same_thread=False)
        # A connection joins the write-ahead log only once it has read from the database.
        keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()
        _kept_open[path] = keeper


_stock_engine_kwargs = rasa.core.tracker_store.create_engine_kwargs


def _engine_kwargs(url: Any) -> Dict[str, Any]:
    """Stock engine settings, plus a connection pool for SQLite files."""
    return with_sqlite_pool(url, _stock_engine_kwargs(url))


def apply() -> None:
    """Tunes every SQLite connection SQLAlchemy opens in this process, and pools the tracker store's."""
    if not event.contains(Engine, "connect", _tune_sqlite):
        event.listen(Engine, "connect", _tune_sqlite)
    rasa.core.tracker_store.create_engine_kwargs = _engine_kwargs
