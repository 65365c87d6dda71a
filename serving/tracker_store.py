"""A tracker store that survives an unreachable database: says so, keeps conversations in memory, writes them back.

Stock Rasa wraps the store in FailSafeTrackerStore: when the database is down a known user silently gets a
fresh conversation and new events go to an in-memory store that is never read again. This wrapper keeps the
conversations it served, serves them from memory while the store is down, and writes every kept event once the
store answers again. endpoints.yml: `type: serving.tracker_store.KeptTrackerStore`, `backend: SQL` (or redis,
mongod, ...) and the backend's usual fields. An SQL backend reuses each conversation's last saved tracker while
the database holds nothing newer (serving/sql_reuse.py); `reuse_trackers: false` turns that off.
"""

import logging
import time
from collections import OrderedDict
from typing import Any, Dict, Iterable, List, Optional, Set, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore, create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from serving.sql_reuse import ReusingSQLTrackerStore

logger = logging.getLogger(__name__)

# While the store is down, try it again at most this often so that every message does not wait on it.
RETRY_SECONDS = 5.0
_PROBE_SENDER = "__tracker_store_health__"
_instances: List["KeptTrackerStore"] = []


def monitored_stores() -> List["KeptTrackerStore"]:
    """The KeptTrackerStores created in this process (the health endpoint reports them)."""
    return list(_instances)


def _reason(error: BaseException) -> str:
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


class KeptTrackerStore(TrackerStore):
    """Wraps the configured store; serves and keeps conversations in memory while that store is unreachable."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        backend: Text = "SQL",
        remembered_conversations: int = 100,
        reuse_trackers: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, None)
        self._backend = EndpointConfig(url=host, type=backend, **kwargs)
        self._event_broker = event_broker
        self._inner: Optional[TrackerStore] = None
        self._limit = int(remembered_conversations)
        self._reuse = str(reuse_trackers).lower() not in ("false", "0", "no")
        # Latest tracker per conversation this process served (bounded), to continue them while the store is down.
        self._recent: "OrderedDict[str, DialogueStateTracker]" = OrderedDict()
        self._unsaved: Dict[str, DialogueStateTracker] = {}
        # Conversations begun while the store was down with no history in memory: appended, not overwritten.
        self._fresh: Set[str] = set()
        self.reachable = True
        self.error: Optional[str] = None
        self.down_since: Optional[float] = None
        self._next_try = 0.0
        self._connect()
        _instances.append(self)

    @property
    def description(self) -> str:
        """Which store this is, without the password."""
        kwargs = self._backend.kwargs
        if str(self._backend.type).lower() == "sql":
            where = f"{kwargs.get('dialect', 'sqlite')} database '{kwargs.get('db', 'rasa.db')}'"
            if self._backend.url:
                where += f" at {self._backend.url}:{kwargs.get('port') or 'default port'}"
            return where
        return f"{self._backend.type} store at {self._backend.url or 'its default address'}"

    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Optional[Domain]) -> None:
        self._domain = domain or Domain.empty()
        if self._inner is not None:
            self._inner.domain = self._domain
            if isinstance(self._inner, ReusingSQLTrackerStore):
                self._inner.forget()

    def _probe_sql(self) -> None:
        """Raises unless the SQL server answers (SQLTrackerStore itself would retry forever at start-up)."""
        kwargs = self._backend.kwargs
        url = SQLTrackerStore.get_db_url(
            kwargs.get("dialect", "sqlite"), self._backend.url, kwargs.get("port"),
            kwargs.get("login_db") or kwargs.get("db", "rasa.db"),
            kwargs.get("username"), kwargs.get("password"), None, kwargs.get("query"),
        )
        engine = sa.create_engine(url)
        try:
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        finally:
            engine.dispose()

    def _connect(self) -> bool:
        """Creates the backend store if it answers; otherwise records why not."""
        try:
            if str(self._backend.type).lower() == "sql":
                self._probe_sql()
            if str(self._backend.type).lower() == "sql" and self._reuse:
                self._inner = ReusingSQLTrackerStore(
                    domain=self.domain, host=self._backend.url, event_broker=self._event_broker,
                    reused_conversations=self._limit, **self._backend.kwargs,
                )
            else:
                self._inner = create_tracker_store(self._backend, self.domain, self._event_broker)
        except Exception as error:  # any driver error means: not reachable now
            self._mark_unreachable(error)
            return False
        return True

    def _mark_unreachable(self, error: BaseException) -> None:
        self._next_try = time.monotonic() + RETRY_SECONDS
        if self.reachable:
            self.reachable, self.down_since = False, time.time()
            logger.error(
                "The tracker store (%s) is unreachable: %s. Conversations continue from memory and their events "
                "are kept until the store answers again; GET /webhooks/rest/health reports the state.",
                self.description, _reason(error),
            )
        self.error = _reason(error)

    def _mark_reachable(self) -> None:
        if not self.reachable:
            logger.warning("The tracker store (%s) is reachable again.", self.description)
        self.reachable, self.error, self.down_since = True, None, None

    def _worth_trying(self) -> bool:
        return self.reachable or time.monotonic() >= self._next_try

    async def _ensure(self) -> TrackerStore:
        """The backend store with every kept conversation written to it; raises while it is unreachable."""
        if self._inner is None and not self._connect():
            raise ConnectionError(self.error or "tracker store unreachable")
        assert self._inner is not None
        for sender in list(self._unsaved):
            await self._write(self._inner, self._unsaved[sender])
            del self._unsaved[sender]
        return self._inner

    async def _write(self, inner: TrackerStore, tracker: DialogueStateTracker) -> None:
        sender = tracker.sender_id
        if sender in self._fresh:
            stored = await inner.retrieve(sender)
            if stored is not None:
                for event in tracker.events:
                    stored.update(event)
                tracker = stored
        await inner.save(tracker)
        self._fresh.discard(sender)
        if len(self._unsaved) <= 1:
            logger.info("Wrote the kept events of conversation %s to the tracker store.", sender)

    def _remember(self, tracker: DialogueStateTracker) -> None:
        self._recent[tracker.sender_id] = tracker
        self._recent.move_to_end(tracker.sender_id)
        while len(self._recent) > self._limit:
            self._recent.popitem(last=False)

    async def check(self) -> Dict[str, Any]:
        """Tries the store now (writing kept events if it answers) and reports its state."""
        try:
            inner = await self._ensure()
            await inner.retrieve(_PROBE_SENDER)
            self._mark_reachable()
        except Exception as error:
            self._mark_unreachable(error)
        return self.state()

    def state(self) -> Dict[str, Any]:
        """What the health endpoint shows for this store."""
        report: Dict[str, Any] = {
            "store": self.description,
            "reachable": self.reachable,
            "conversations_kept_in_memory": len(self._unsaved),
        }
        if not self.reachable:
            report["error"] = self.error
            report["unreachable_since"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.down_since or 0))
        return report

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Writes to the store; while it is unreachable, keeps the tracker to write later."""
        self._remember(tracker)
        if self._worth_trying():
            try:
                inner = await self._ensure()
                await inner.save(tracker)
                self._mark_reachable()
                return
            except Exception as error:
                self._mark_unreachable(error)
        self._unsaved[tracker.sender_id] = tracker

    async def _from_memory(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        known = self._unsaved.get(sender_id) or self._recent.get(sender_id)
        if known is None:
            self._fresh.add(sender_id)
            logger.warning(
                "Conversation %s starts afresh: the tracker store is unreachable and its history is not in memory. "
                "Its new events will be appended to the stored ones later.", sender_id,
            )
        return known

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The stored conversation, or the one kept in memory while the store is unreachable."""
        if self._worth_trying():
            try:
                inner = await self._ensure()
                tracker = await inner.retrieve(sender_id)
                self._mark_reachable()
                return tracker
            except Exception as error:
                self._mark_unreachable(error)
        return await self._from_memory(sender_id)

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        """Every session of the conversation, or the one kept in memory while the store is unreachable."""
        if self._worth_trying():
            try:
                inner = await self._ensure()
                tracker = await inner.retrieve_full_tracker(conversation_id)
                self._mark_reachable()
                return tracker
            except Exception as error:
                self._mark_unreachable(error)
        return await self._from_memory(conversation_id)

    async def keys(self) -> Iterable[Text]:
        """Conversation ids of the store, plus those kept in memory."""
        kept = set(self._unsaved)
        try:
            inner = await self._ensure()
            return set(await inner.keys()) | kept
        except Exception as error:
            self._mark_unreachable(error)
            return kept | set(self._recent)
