"""Connection settings that bound how long one database call can hold the Rasa server's event loop.

Rasa's SQL tracker store calls the database synchronously on the event loop, so a database that accepts
connections and never answers stopped every conversation, and without a connect timeout psycopg2 waits
for ever. Two seconds is long enough for a loaded database on a LAN and short enough that users of other
conversations only notice a pause.
"""

from typing import Any, Dict

TIMEOUT_SECONDS = 2


def connect_args(url: Any) -> Dict[str, Any]:
    """DBAPI connect arguments for `url` (an SQLAlchemy URL or string) that give up after TIMEOUT_SECONDS."""
    text = str(url)
    if text.startswith("postgresql"):
        # connect_timeout bounds connecting; tcp_user_timeout drops a connection whose sent data is not
        # acknowledged (a blackholed host) instead of waiting for the kernel's 15-minute retransmissions.
        return {"connect_timeout": TIMEOUT_SECONDS, "tcp_user_timeout": TIMEOUT_SECONDS * 1000}
    if text.startswith("sqlite"):
        return {"timeout": TIMEOUT_SECONDS}  # waiting for another writer's lock
    return {}
