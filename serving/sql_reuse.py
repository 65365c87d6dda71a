"""An SQL tracker store that reuses the trackers it saved instead of rebuilding them from the database every turn.

Stock SQLTrackerStore reads every event of the session, decodes it and replays it into a new tracker on every
message, and counts the stored events again before each save: a third of the Rasa server's CPU per message.
This store keeps the tracker it last saved for each conversation (bounded, least recently used first out) and
hands it back while the database shows no newer event for that conversation: one indexed `max(id)` query instead
of the whole session. Any other writer (another Rasa server on the same database) makes `max(id)` differ, and
the tracker is read from the database as before, so several servers sharing PostgreSQL stay correct.

Used directly (the production profile), it reports its database at GET /webhooks/rest/health, and tells a database
that is down (the error goes to Rasa's fallback) from one that refuses this conversation's data (the user is told:
ConversationRefused). The engine's connections give up after 2 seconds (serving/sql_timeouts.py).
"""

import json
import logging
from itertools import islice
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Iterable, Optional, Text, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from serving.sql_engine import engine_kwargs, is_sqlite_file
from explainer.errors import ConversationRefused, StoreRefused
from serving.store_health import StoreHealth, reason

logger = logging.getLogger(__name__)
T = TypeVar("T")


def is_outage(error: BaseException) -> bool:
    """True for errors that say the database cannot be reached or used now, whatever the conversation."""
    if isinstance(error, (OSError, sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError,
                          sa.exc.TimeoutError)):
        return True
    return isinstance(error, sa.exc.DBAPIError) and bool(error.connection_invalidated)


@dataclass
class _Saved:
    """A tracker as this store last saved it: how many of its events are stored, and the newest stored event id."""

    tracker: DialogueStateTracker
    stored: int
    last_id: Optional[int]


class ReusingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that reuses each conversation's last saved tracker while the database holds nothing newer."""

    def __init__(
        self, *args: Any, reused_conversations: int = 100, report_health: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "postgresql" or is_sqlite_file(self.engine.url):
            # Built again with our settings (pool, timeouts): Rasa builds this store before it loads the model, so
            # before rasa_fixes are applied, and rebuilds the engine for `login_db` without any settings. (Not an
            # in-memory database: its tables would go with the first engine.)
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, **engine_kwargs(url))
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.health = StoreHealth(repr(self.engine.url), self._probe)
        self._standalone = bool(report_health)
        if report_health:  # not when KeptTrackerStore wraps it: that one reports and paces retries
            self.health.watch()
        self._limit = int(reused_conversations)
        self._saved: "OrderedDict[str, _Saved]" = OrderedDict()
        # Built once: building an ORM query costs more than running it on an indexed column.
        events = self.SQLEvent.__table__
        self._last_id_query = sa.select(sa.func.max(events.c.id)).where(events.c.sender_id == sa.bindparam("sender"))
        self._insert = events.insert()

    def _probe(self) -> None:
        with self.session_scope() as session:
            session.execute(sa.text("SELECT 1"))

    async def refuses(self, error: BaseException) -> bool:
        """True if `error` is about the data of one conversation: not an outage, and the database answers."""
        return isinstance(error, ConversationRefused) or (not is_outage(error) and await self.health.answers())

    async def _guarded(self, sender_id: Text, operation: Callable[[], Awaitable[T]]) -> T:
        """Runs `operation`; an error of this conversation's data becomes ConversationRefused, an outage is
        recorded for the health endpoint and raised as it is."""
        if self._standalone and not self.health.worth_trying():
            # Down a moment ago: fail at once (Rasa falls back) rather than hold every message for the timeout.
            raise ConnectionError(f"the tracker store did not answer: {self.health.error}")
        try:
            result = await operation()
        except StoreRefused:
            raise
        except Exception as error:
            if await self.refuses(error):
                logger.error("The tracker store refused conversation %r: %s. Only this conversation is stopped.",
                             sender_id, reason(error))
                raise ConversationRefused() from error
            self.health.failed(error)
            raise
        self.health.answered()
        return result

    def latest(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The tracker this store last saved or read for the conversation, if it still keeps it."""
        saved = self._saved.get(sender_id)
        return saved.tracker if saved is not None else None

    def forget(self) -> None:
        """Drops every kept tracker (the domain changed, so trackers must be rebuilt with its slots)."""
        self._saved.clear()

    def _last_id(self, session: Any, sender_id: Text) -> Optional[int]:
        return session.execute(self._last_id_query, {"sender": sender_id}).scalar()

    def _keep(self, tracker: DialogueStateTracker, last_id: Optional[int], unchecked_from: int = 1) -> None:
        # A new session in the tracker: the database now returns only that session, so rebuild next time. Events
        # before `unchecked_from` were checked when the tracker was last kept.
        if any(isinstance(event, SessionStarted) for event in islice(tracker.events, max(unchecked_from, 1), None)):
            self._saved.pop(tracker.sender_id, None)
            return
        self._saved[tracker.sender_id] = _Saved(tracker, len(tracker.events), last_id)
        self._saved.move_to_end(tracker.sender_id)
        while len(self._saved) > self._limit:
            self._saved.popitem(last=False)

    def _reusable(self, session: Any, sender_id: Text) -> Optional[_Saved]:
        """The kept tracker if it holds exactly what the database holds for the conversation."""
        saved = self._saved.get(sender_id)
        if saved is None:
            return None
        if len(saved.tracker.events) != saved.stored or self._last_id(session, sender_id) != saved.last_id:
            # Changed after its last save (an unsaved turn) or written by someone else: read it again.
            del self._saved[sender_id]
            return None
        return saved

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The latest session of the conversation: the kept tracker if still current, else read and kept."""
        return await self._guarded(sender_id, lambda: self._retrieve_latest(sender_id))

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        """Every session of the conversation, read from the database."""
        read_all = super().retrieve_full_tracker
        return await self._guarded(conversation_id, lambda: read_all(conversation_id))

    async def keys(self) -> Iterable[Text]:
        """Every conversation id in the database."""
        return await self._guarded("(all conversations)", super().keys)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Writes the events the database lacks; for a kept tracker, those after its stored count."""
        await self._guarded(tracker.sender_id, lambda: self._save(tracker))

    async def _retrieve_latest(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        if self.event_broker is not None:
            return await super().retrieve(sender_id)
        with self.session_scope() as session:
            saved = self._reusable(session, sender_id)
            if saved is not None:
                self._saved.move_to_end(sender_id)
                return saved.tracker
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
            if not self.domain or not rows:
                return None
            tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row.data) for row in rows], self.domain.slots)
            self._keep(tracker, max(row.id for row in rows))
            return tracker

    async def _save(self, tracker: DialogueStateTracker) -> None:
        saved = self._saved.get(tracker.sender_id)
        if self.event_broker is not None or saved is None or saved.tracker is not tracker:
            await super().save(tracker)
            if self.event_broker is None:
                with self.session_scope() as session:
                    self._keep(tracker, self._last_id(session, tracker.sender_id))
            return
        with self.session_scope() as session:
            # Another server wrote to this conversation since this one read it (no shared lock store): stock Rasa
            # would count the stored rows and drop this turn; its events are written after the others' instead.
            stale = self._last_id(session, tracker.sender_id) != saved.last_id
            rows = [self._row(tracker.sender_id, event) for event in islice(tracker.events, saved.stored, None)]
            last_id = saved.last_id
            if rows:
                session.execute(self._insert, rows)
                last_id = self._last_id(session, tracker.sender_id)
                session.commit()
        if stale:
            logger.warning(
                "Conversation %s was written by another server while this one handled it; configure a shared lock "
                "store (Redis) when several servers share the tracker store.", tracker.sender_id,
            )
            del self._saved[tracker.sender_id]
            return
        self._keep(tracker, last_id, unchecked_from=saved.stored)

    @staticmethod
    def _row(sender_id: Text, event: Any) -> Dict[str, Any]:
        """The stored form of one event, as SQLTrackerStore.save writes it."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
