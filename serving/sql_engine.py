"""The engine settings of our SQL tracker stores: Rasa's own, a connection pool for SQLite files, connect timeouts.

Rasa builds the tracker store named in endpoints.yml before it loads the model, so before `components` installs
the fixes to Rasa internals (rasa_fixes/): our stores (serving/sql_reuse.py) build their engine with these settings
themselves instead of relying on the order in which Rasa imports things.
"""

from typing import Any, Dict

import rasa.core.tracker_store
from sqlalchemy.pool import QueuePool

from serving.sql_timeouts import connect_args


def is_sqlite_file(url: Any) -> bool:
    text = str(url)
    return text.startswith("sqlite") and ":memory:" not in text and text != "sqlite://"


def with_sqlite_pool(url: Any, kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """`kwargs` plus a pool of two connections for an SQLite file (SQLAlchemy 1.4 gives a file database none, so
    every read or write opened a new connection: a tenth of the server's CPU per message)."""
    if is_sqlite_file(url):
        kwargs.update(poolclass=QueuePool, pool_size=2)
        kwargs["connect_args"] = {**kwargs.get("connect_args", {}), "check_same_thread": False}
    return kwargs


def with_timeouts(url: Any, kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """`kwargs` plus connect arguments that give up after serving/sql_timeouts.py's 2 seconds."""
    kwargs["connect_args"] = {**connect_args(url), **kwargs.get("connect_args", {})}
    return kwargs


def engine_kwargs(url: Any) -> Dict[str, Any]:
    """Rasa's engine settings for `url` (whether or not rasa_fixes already added ours: adding twice changes nothing)
    with the SQLite pool and the connect timeouts."""
    kwargs = dict(rasa.core.tracker_store.create_engine_kwargs(url))
    return with_timeouts(url, with_sqlite_pool(url, kwargs))
