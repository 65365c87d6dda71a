"""No error of one conversation ends the server; every SQL tracker store connection gives up after 2 seconds.

Rasa's SQLTrackerStore.session_scope turns every ValueError raised while a session is open into
print_error_and_exit (it expected only its "PostgreSQL schema not found" check to raise one). But the drivers
raise ValueError for data they cannot send: SQLite for a sender id with a lone surrogate ("\\ud800",
UnicodeEncodeError), psycopg2 for one with a NUL byte. One such conversation id stopped the whole Rasa server
(measured: the process exited after the first event). Now only the schema check is treated as a configuration
error, raised as SchemaMissing (the store is unusable, not the process); any other error reaches the caller.

Rasa's FailSafeTrackerStore catches every error of the store: a conversation whose retrieval failed silently
started afresh, and a failed save went to an in-memory store that is never read. Our stores raise StoreRefused
(explainer/errors.py) when the user must be told; those now pass through to the channel.

The engines of Rasa's SQL tracker store get the connect timeouts of serving/sql_timeouts.py.
"""

import contextlib
from typing import Any, Dict, Generator

import rasa.core.tracker_store
from rasa.core.tracker_store import POSTGRESQL_SCHEMA, FailSafeTrackerStore, SQLTrackerStore

from serving.sql_engine import with_timeouts
from explainer.errors import GenAIError, StoreRefused


class SchemaMissing(GenAIError, ConnectionError):
    """The PostgreSQL schema named by POSTGRESQL_SCHEMA does not exist: no conversation can be stored."""


@contextlib.contextmanager
def _session_scope(self: SQLTrackerStore) -> Generator[Any, None, None]:
    session = self.sessionmaker()
    try:
        try:
            rasa.core.tracker_store.ensure_schema_exists(session)
        except ValueError as error:
            raise SchemaMissing(
                f"The PostgreSQL schema '{error}' was not found in the database: create it or unset the "
                f"{POSTGRESQL_SCHEMA} environment variable to use the default schema."
            ) from None
        yield session
    finally:
        session.close()


def _passing_refusals(stock: Any) -> Any:
    def on_error(self: FailSafeTrackerStore, error: Exception) -> None:
        if isinstance(error, StoreRefused):
            raise error
        stock(self, error)

    on_error._passes_refusals = True  # type: ignore[attr-defined]
    return on_error


def _with_timeouts(stock: Any) -> Any:
    def engine_kwargs(url: Any) -> Dict[str, Any]:
        return with_timeouts(url, stock(url))

    engine_kwargs._with_timeouts = True  # type: ignore[attr-defined]
    return engine_kwargs


def apply() -> None:
    """Installs the session scope, the pass-through of StoreRefused and the connect timeouts (idempotent)."""
    SQLTrackerStore.session_scope = _session_scope
    for name in ("on_tracker_store_error", "on_tracker_store_retrieve_error"):
        stock = getattr(FailSafeTrackerStore, name)
        if not getattr(stock, "_passes_refusals", False):
            setattr(FailSafeTrackerStore, name, _passing_refusals(stock))
    if not getattr(rasa.core.tracker_store.create_engine_kwargs, "_with_timeouts", False):
        rasa.core.tracker_store.create_engine_kwargs = _with_timeouts(rasa.core.tracker_store.create_engine_kwargs)
