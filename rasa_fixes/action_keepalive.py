"""Reuse one HTTP connection pool per endpoint instead of a new client session per action call.

Rasa 3.6 opens a new aiohttp session, and so a new TCP connection, for every call to the action
server. One session per endpoint and event loop keeps connections alive between calls. Idle
connections are dropped after 2 s, before the action server's (Sanic's) 5 s keep-alive timeout closes
them, so a call never lands on a connection the server is closing.
"""

import asyncio
from typing import Any, Dict

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

KEEPALIVE_SECONDS = 2.0


class _Borrowed:
    """`async with` over a shared session that leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_exc: Any) -> None:
        return None


def _session(self: EndpointConfig) -> Any:
    loop = asyncio.get_running_loop()
    sessions: Dict[Any, aiohttp.ClientSession] = self.__dict__.setdefault("_sessions_by_loop", {})
    session = sessions.get(loop)
    if session is None or session.closed:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
        )
        sessions[loop] = session
    return _Borrowed(session)


def apply() -> None:
    """Makes `EndpointConfig.request` borrow the shared session of its endpoint."""
    EndpointConfig.session = _session  # type: ignore[assignment]
