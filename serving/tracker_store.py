"""A tracker store that survives an unreachable database: says so, keeps conversations in memory, writes them back.

Stock Rasa wraps the store in FailSafeTrackerStore: when the database is down a known user silently gets a
fresh conversation and new events go to an in-memory store that is never read again. This wrapper keeps the
conversations it served, serves them from memory while the store is down, and writes every kept event once the
store answers again. endpoints.yml: `type: serving.tracker_store.KeptTrackerStore`, `backend: SQL` (or redis,
mongod, ...) and the backend's usual fields. An SQL backend reuses each conversation's last saved tracker while
the database holds nothing newer (serving/sql_reuse.py); `reuse_trackers: false` turns that off.

A database that answers but refuses one conversation's data (an id its driver cannot encode, say) stops only that
conversation (ConversationRefused: the user is told, the log says why); it is not mistaken for an outage, so the
other conversations are still saved. During an outage at most `kept_conversations` (1,000) conversations are kept
in memory; beyond them new conversations are refused with a sentence (StoreFull) rather than dropped silently.
"""

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Iterable, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore, create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from serving.sql_reuse import ReusingSQLTrackerStore, is_outage
from serving.sql_timeouts import connect_args
from explainer.errors import ConversationRefused, StoreFull, StoreRefused
from serving.store_health import StoreHealth, monitored_stores, reason  # noqa: F401  (monitored_stores: old name)

logger = logging.getLogger(__name__)

_PROBE_SENDER = "__tracker_store_health__"


def _log_refusal(sender_id: Text, error: BaseException) -> None:
    if not isinstance(error, ConversationRefused):  # ReusingSQLTrackerStore has logged it with the driver's reason
        logger.error("The tracker store refused conversation %r: %s. Only this conversation is stopped.",
                     sender_id, reason(error))


@dataclass
class _Kept:
    """A conversation whose latest events are not in the store yet. `appended_from`: for a conversation begun
    while the store was down with no history in memory, the first of its events not yet appended to the
    stored ones (they are appended, not written in place of the stored history); None for the others."""

    tracker: Optional[DialogueStateTracker]
    appended_from: Optional[int] = None


class KeptTrackerStore(TrackerStore):
    """Wraps the configured store; serves and keeps conversations in memory while that store is unreachable."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        backend: Text = "SQL",
        remembered_conversations: int = 100,
        kept_conversations: int = 1000,
        reuse_trackers: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, None)
        self._config = EndpointConfig(url=host, type=backend, **kwargs)
        self._event_broker = event_broker
        self._inner: Optional[TrackerStore] = None
        self._limit = int(remembered_conversations)
        self._kept_limit = int(kept_conversations)
        self._reuse = str(reuse_trackers).lower() not in ("false", "0", "no")
        # Latest tracker per conversation this process served (bounded), to continue them while the store is
        # down; an SQL backend that reuses trackers keeps them already (ReusingSQLTrackerStore.latest).
        self._recent: "OrderedDict[str, DialogueStateTracker]" = OrderedDict()
        self._unsaved: "OrderedDict[str, _Kept]" = OrderedDict()
        # Such a conversation written back while Rasa still holds its tracker (the store came back mid-turn): that
        # tracker and how many of its events were appended, so that its next save appends only the rest.
        self._appended: "OrderedDict[str, Tuple[DialogueStateTracker, int]]" = OrderedDict()
        self.health = StoreHealth(self.description, self._probe).watch()
        self.health.recover = self._write_kept
        self._connect()

    @property
    def description(self) -> str:
        """Which store this is, without the password (for the log)."""
        kwargs = self._config.kwargs
        if self._is_sql:
            where = f"{kwargs.get('dialect', 'sqlite')} database '{kwargs.get('db', 'rasa.db')}'"
            if self._config.url:
                where += f" at {self._config.url}:{kwargs.get('port') or 'default port'}"
            return where
        return f"{self._config.type} store at {self._config.url or 'its default address'}"

    @property
    def _is_sql(self) -> bool:
        return str(self._config.type).lower() == "sql"

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
        kwargs = self._config.kwargs
        url = SQLTrackerStore.get_db_url(
            kwargs.get("dialect", "sqlite"), self._config.url, kwargs.get("port"),
            kwargs.get("login_db") or kwargs.get("db", "rasa.db"),
            kwargs.get("username"), kwargs.get("password"), None, kwargs.get("query"),
        )
        engine = sa.create_engine(url, connect_args=connect_args(url))
        try:
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        finally:
            engine.dispose()

    def _probe(self) -> None:
        """Blocking; raises unless the backend answers (run in a thread by StoreHealth)."""
        inner = self._inner
        if isinstance(inner, SQLTrackerStore):
            with inner.session_scope() as session:
                session.execute(sa.text("SELECT 1"))
        elif self._is_sql:
            self._probe_sql()
        elif inner is not None:
            asyncio.run(inner.retrieve(_PROBE_SENDER))
        else:
            raise ConnectionError(self.health.error or "the tracker store was never reached")

    def _connect(self) -> bool:
        """Creates the backend store if it answers; otherwise records why not."""
        try:
            if self._is_sql:
                self._probe_sql()
            if self._is_sql and self._reuse:
                self._inner = ReusingSQLTrackerStore(
                    domain=self.domain, host=self._config.url, event_broker=self._event_broker,
                    reused_conversations=self._limit, report_health=False, **self._config.kwargs,
                )
            else:
                self._inner = create_tracker_store(self._config, self.domain, self._event_broker)
        except Exception as error:  # any driver error means: not reachable now
            self.health.failed(error)
            return False
        return True

    async def _refuses(self, error: BaseException) -> bool:
        """True if the error is about one conversation's data: the database is not down and still answers."""
        if isinstance(error, ConversationRefused):
            return True
        if isinstance(error, StoreRefused) or is_outage(error):
            return False
        return await self.health.answers()

    async def _backend(self, current: Optional[Text] = None) -> Optional[TrackerStore]:
        """The backend with every kept conversation written to it, or None while it is unreachable (then it is
        tried again after RETRY_SECONDS). A kept conversation the database refuses is dropped and logged; if it
        is `current`'s, ConversationRefused is raised."""
        if not self.health.worth_trying():
            return None
        if self._inner is None and not self._connect():
            return None
        wrote = False
        for sender in list(self._unsaved):
            try:
                await self._write(self._inner, self._unsaved[sender])
            except Exception as error:
                if not await self._refuses(error):
                    self.health.failed(error)
                    return None
                del self._unsaved[sender]
                _log_refusal(sender, error)
                if sender == current:
                    raise ConversationRefused() from error
                continue
            del self._unsaved[sender]
            wrote = True
        if wrote:
            self.health.answered()
        return self._inner

    async def _write(self, inner: TrackerStore, kept: _Kept) -> None:
        tracker = kept.tracker
        if tracker is None:
            return
        if kept.appended_from is not None:
            stored = await inner.retrieve(tracker.sender_id)
            if stored is not None:
                for event in list(tracker.events)[kept.appended_from:]:
                    stored.update(event)
                self._appended[tracker.sender_id] = (tracker, len(tracker.events))
                while len(self._appended) > self._kept_limit:
                    self._appended.popitem(last=False)
                tracker = stored
        await inner.save(tracker)
        if len(self._unsaved) > 1 or kept.appended_from is not None:
            logger.info("Wrote the kept events of conversation %r to the tracker store.", tracker.sender_id)

    def _known(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        if isinstance(self._inner, ReusingSQLTrackerStore):
            return self._inner.latest(sender_id)
        return self._recent.get(sender_id)

    def _remember(self, tracker: DialogueStateTracker) -> None:
        if isinstance(self._inner, ReusingSQLTrackerStore):
            return
        self._recent[tracker.sender_id] = tracker
        self._recent.move_to_end(tracker.sender_id)
        while len(self._recent) > self._limit:
            self._recent.popitem(last=False)

    def _admit(self, sender_id: Text) -> None:
        """Raises StoreFull if one more conversation would pass the limit of those kept in memory."""
        if sender_id not in self._unsaved and len(self._unsaved) >= self._kept_limit:
            logger.error(
                "The tracker store (%s) is unreachable and %d conversations are kept in memory, the limit "
                "(kept_conversations): conversation %r is refused until the store answers.",
                self.description, len(self._unsaved), sender_id,
            )
            raise StoreFull()

    async def _write_kept(self) -> None:
        """Writes the kept conversations if the store answers (the health endpoint calls this after a probe)."""
        if self._unsaved:
            await self._backend()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Writes to the store; while it is unreachable, keeps the tracker to write later."""
        sender = tracker.sender_id
        self._remember(tracker)
        if sender not in self._unsaved and len(self._unsaved) >= self._kept_limit:
            await self._backend()  # the store may be back: writing the kept ones frees room
        self._admit(sender)
        kept = self._unsaved.get(sender)
        if kept is None:
            appended = self._appended.pop(sender, None)
            kept = self._unsaved[sender] = _Kept(tracker, appended[1] if appended and appended[0] is tracker else None)
        kept.tracker = tracker
        await self._backend(current=sender)

    async def _read(
        self, sender_id: Text, read: Callable[[TrackerStore], Awaitable[Optional[DialogueStateTracker]]]
    ) -> Optional[DialogueStateTracker]:
        """`read` from the store; while it is unreachable, the conversation kept in memory."""
        inner = await self._backend(current=sender_id)
        if inner is not None:
            try:
                tracker = await read(inner)
            except Exception as error:
                if await self._refuses(error):
                    _log_refusal(sender_id, error)
                    raise ConversationRefused() from error
                self.health.failed(error)
            else:
                self.health.answered()
                return tracker
        return self._from_memory(sender_id)

    def _from_memory(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        kept = self._unsaved.get(sender_id)
        if kept is not None:
            return kept.tracker
        known = self._known(sender_id)
        if known is not None:
            return known
        self._admit(sender_id)
        self._unsaved[sender_id] = _Kept(None, appended_from=0)
        logger.warning(
            "Conversation %r starts afresh: the tracker store is unreachable and its history is not in memory. "
            "Its new events will be appended to the stored ones later.", sender_id,
        )
        return None

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The stored conversation, or the one kept in memory while the store is unreachable."""
        return await self._read(sender_id, lambda inner: inner.retrieve(sender_id))

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        """Every session of the conversation, or the one kept in memory while the store is unreachable."""
        return await self._read(conversation_id, lambda inner: inner.retrieve_full_tracker(conversation_id))

    async def keys(self) -> Iterable[Text]:
        """Conversation ids of the store, plus those kept in memory."""
        kept = {sender for sender, k in self._unsaved.items() if k.tracker is not None}
        inner = await self._backend()
        if inner is not None:
            try:
                return set(await inner.keys()) | kept
            except Exception as error:
                self.health.failed(error)
        known = self._inner._saved if isinstance(self._inner, ReusingSQLTrackerStore) else self._recent
        return kept | set(known)
