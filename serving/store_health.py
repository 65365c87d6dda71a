"""Whether a tracker store's database answers, as GET /webhooks/rest/health reports it.

The health route is unauthenticated, so a probe runs at most once per RETRY_SECONDS whatever the number of
requests, in its own thread and for at most TIMEOUT_SECONDS: a database that accepts connections and never
answers cannot hold the event loop. What failed (driver message, host) goes to the log, never to the caller.
"""

import asyncio
import logging
import threading
import time
from typing import Any, Awaitable, Callable, List, Optional

from serving.sql_timeouts import TIMEOUT_SECONDS

logger = logging.getLogger(__name__)

# While the store is down, it is tried again at most this often, so that every message does not wait on it.
RETRY_SECONDS = 5.0
_monitored: List["StoreHealth"] = []


def monitored_stores() -> List["StoreHealth"]:
    """The health of every configured tracker store created in this process."""
    return list(_monitored)


def reason(error: BaseException) -> str:
    """The error's type and first line, for the log."""
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


class StoreHealth:
    """The last known state of one store's database, and a bounded probe of it."""

    def __init__(self, description: str, probe: Callable[[], None]) -> None:
        self.description = description
        self._probe = probe  # blocking; raises unless the database answers
        self.reachable = True
        self.error: Optional[str] = None
        self.down_since: Optional[float] = None
        self._next_try = 0.0
        self._next_probe = 0.0
        self._probing = False  # a probe thread has not returned yet (stuck on a frozen database)
        # Called after a probe found the database answering (KeptTrackerStore writes what it kept meanwhile).
        self.recover: Optional[Callable[[], Awaitable[Any]]] = None

    def watch(self) -> "StoreHealth":
        """Reports this store at the health endpoint."""
        _monitored.append(self)
        return self

    def failed(self, error: BaseException) -> None:
        self._next_try = time.monotonic() + RETRY_SECONDS
        self.error = reason(error)
        if self.reachable:
            self.reachable, self.down_since = False, time.time()
            logger.error(
                "The tracker store (%s) is unreachable: %s. GET /webhooks/rest/health answers 503 until it "
                "answers again.", self.description, self.error,
            )

    def answered(self) -> None:
        if not self.reachable:
            logger.warning("The tracker store (%s) is reachable again.", self.description)
        self.reachable, self.error, self.down_since = True, None, None

    def worth_trying(self) -> bool:
        """False while the store is down and was tried less than RETRY_SECONDS ago."""
        return self.reachable or time.monotonic() >= self._next_try

    async def answers(self) -> bool:
        """Probes the database now, in a thread, waiting at most TIMEOUT_SECONDS; records the outcome."""
        if self._probing:
            self.failed(TimeoutError("the previous probe has not returned yet"))
            return False
        loop = asyncio.get_running_loop()
        done: "asyncio.Future[Optional[BaseException]]" = loop.create_future()

        def run() -> None:
            try:
                self._probe()
                outcome: Optional[BaseException] = None
            except Exception as error:  # any driver error means: the database does not answer
                outcome = error
            self._probing = False
            try:
                loop.call_soon_threadsafe(lambda: done.done() or done.set_result(outcome))
            except RuntimeError:
                # The loop closed while the probe ran (the server is stopping): nobody waits for the outcome.
                pass

        # A daemon thread: a probe stuck on a frozen database must not keep the process from exiting.
        self._probing = True
        threading.Thread(target=run, name="tracker-store-probe", daemon=True).start()
        try:
            error = await asyncio.wait_for(asyncio.shield(done), TIMEOUT_SECONDS + 0.5)
        except asyncio.TimeoutError:
            error = TimeoutError(f"no answer within {TIMEOUT_SECONDS} seconds")
        if error is not None:
            self.failed(error)
            return False
        self.answered()
        return True

    async def check(self) -> bool:
        """For the health endpoint: probes at most once per RETRY_SECONDS, else answers the last known state."""
        now = time.monotonic()
        if now >= self._next_probe:
            self._next_probe = now + RETRY_SECONDS
            if not await self.answers():
                logger.warning("Health check: the tracker store (%s) does not answer: %s", self.description, self.error)
            elif self.recover is not None:
                try:
                    await self.recover()
                except Exception as error:  # reported as the store's state, never to the caller
                    self.failed(error)
        return self.reachable
