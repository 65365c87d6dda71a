"""Splits tracker events into conversations (Rasa sessions) and reads each user turn and guide run."""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional

from insights.store import Event

# rasa_fixes.session_length.CONTINUED_KEY (not imported: that module imports Rasa, the report does not).
CONTINUED_SESSION = "continues_long_session"
# actions/common.py ANSWERED_FROM (not imported: the report does not load the action server's modules).
ANSWERED_FROM = "answered_from"

EXPLAIN_ACTIONS = {"action_explain", "action_compare"}
FALLBACK_ACTIONS = {"action_default_fallback", "action_ask_rephrase"}
GUIDE_FORM = "decision_guide_form"


@dataclass
class Turn:
    """A user message and what the assistant did with it."""

    text: str
    intent: Optional[str]
    confidence: float
    timestamp: float
    actions: List[str] = field(default_factory=list)
    concepts: List[str] = field(default_factory=list)
    # Answered with the knowledge base's closest passage: the question has no entry of its own.
    grounded: bool = False

    @property
    def is_button(self) -> bool:
        """A button press (`/intent{...}`) rather than typed text."""
        return self.text.startswith("/")

    @property
    def fallback(self) -> bool:
        return self.intent == "nlu_fallback" or bool(FALLBACK_ACTIONS & set(self.actions))

    @property
    def out_of_scope(self) -> bool:
        return self.intent == "out_of_scope"

    @property
    def unanswered_question(self) -> bool:
        """An explainer question the knowledge base had no answer for (unknown topic, no topic named)."""
        return bool(EXPLAIN_ACTIONS & set(self.actions)) and not self.concepts


@dataclass
class GuideRun:
    """One pass through the decision guide: the last question asked, and how it ended."""

    last_question: Optional[str] = None
    end: str = "abandoned"  # completed, stopped, restarted or abandoned (the user left)
    outcome: Optional[str] = None


@dataclass
class Conversation:
    sender_id: str
    channel: str = "unknown"
    turns: List[Turn] = field(default_factory=list)
    bot_messages: int = 0
    guide_runs: List[GuideRun] = field(default_factory=list)
    # Ratings by answer number: a later click on the same answer replaces the earlier one.
    ratings: Dict[Any, Dict[str, Any]] = field(default_factory=dict)

    @property
    def started(self) -> float:
        return self.turns[0].timestamp if self.turns else 0.0

    @property
    def day(self) -> str:
        return day_of(self.started)


def day_of(timestamp: float) -> str:
    """The UTC calendar day of a timestamp, as YYYY-MM-DD."""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")


class _Reader:
    """Walks one sender's events in order and builds its conversations."""

    def __init__(self, sender_id: str) -> None:
        self.sender_id = sender_id
        self.done: List[Conversation] = []
        self.current = Conversation(sender_id)
        self.run: Optional[GuideRun] = None
        self.guide_active = False
        self.requested: Optional[str] = None
        self.last_action = ""

    def new_session(self) -> None:
        self._close_run("abandoned")
        self.done.append(self.current)
        self.current = Conversation(self.sender_id)
        self.guide_active = False

    def _open_run(self) -> None:
        self.run = GuideRun()
        self.requested = None
        self.current.guide_runs.append(self.run)

    def _close_run(self, end: str) -> None:
        if self.run is not None and self.run.end == "abandoned":
            self.run.end = end
            self.run.last_question = self.requested
        self.run = None

    def feed(self, event: Event) -> None:
        kind, data = event.type_name, event.data
        if kind == "session_started":
            # A session that only continues a long one (rasa_fixes/session_length.py) is the same conversation.
            if self.current.turns and not (data.get("metadata") or {}).get(CONTINUED_SESSION):
                self.new_session()
        elif kind == "user":
            self._user(event)
        elif kind == "bot":
            self.current.bot_messages += 1
            self._bot(data.get("metadata") or {})
        elif kind == "action":
            self._action(event.action_name or data.get("name") or "")
        elif kind == "active_loop":
            self._loop(data.get("name"))
        elif kind == "slot":
            self._slot(data.get("name"), data.get("value"))

    def _user(self, event: Event) -> None:
        parse = event.data.get("parse_data") or {}
        intent = parse.get("intent") or {}
        if not self.current.turns:
            self.current.channel = event.data.get("input_channel") or "unknown"
        self.current.turns.append(
            Turn(
                text=event.data.get("text") or "",
                intent=intent.get("name") or event.intent_name,
                confidence=float(intent.get("confidence") or 0.0),
                timestamp=event.timestamp,
            )
        )

    def _bot(self, metadata: Dict[str, Any]) -> None:
        # actions/common.py ANSWERED_FROM: which entries an answer came from, and whether from a passage.
        answered_from = metadata.get(ANSWERED_FROM) if isinstance(metadata, dict) else None
        if isinstance(answered_from, dict) and answered_from.get("kind") == "passage" and self.current.turns:
            self.current.turns[-1].grounded = True

    def _action(self, name: str) -> None:
        self.last_action = name
        if self.current.turns and name != "action_listen":
            self.current.turns[-1].actions.append(name)
        if name == "action_restart_guide":
            self._close_run("restarted")
            self._open_run()
        elif name == "action_stop_guide":
            self._close_run("stopped")
        elif name == "action_recommend" and self.run is None and self.current.guide_runs:
            # The form deactivated itself with every question answered; the recommendation completes it.
            last = self.current.guide_runs[-1]
            if last.end == "finished":
                last.end = "completed"
                self.run = last

    def _loop(self, name: Optional[str]) -> None:
        if name == GUIDE_FORM and not self.guide_active:
            self.guide_active = True
            if self.run is None:
                self._open_run()
        elif name is None and self.guide_active:
            self.guide_active = False
            # Completed if action_recommend follows, else the user left the guide (goodbye, stop).
            self._close_run("finished")

    def _slot(self, name: Optional[str], value: Any) -> None:
        if name == "requested_slot" and value:
            self.requested = value
        elif name == "last_concepts" and self.last_action in EXPLAIN_ACTIONS and self.current.turns:
            self.current.turns[-1].concepts = [c for c in value or [] if isinstance(c, str)]
        elif name == "recommendation" and self.last_action == "action_recommend" and self.run is not None:
            self.run.outcome = value
            self.run = None
        elif name == "feedback_given" and isinstance(value, dict):
            self.current.ratings[value.get("answer")] = value

    def finish(self) -> List[Conversation]:
        self._close_run("abandoned")
        self.done.append(self.current)
        for conversation in self.done:
            for run in conversation.guide_runs:
                # Left the form (goodbye) without a recommendation following.
                if run.end == "finished":
                    run.end = "stopped"
        return [c for c in self.done if c.turns]


def conversations(events: Iterable[Event]) -> List[Conversation]:
    """Conversations with at least one user message, one per Rasa session, oldest first."""
    readers: Dict[str, _Reader] = {}
    for event in events:
        readers.setdefault(event.sender_id, _Reader(event.sender_id)).feed(event)
    found = [c for reader in readers.values() for c in reader.finish()]
    return sorted(found, key=lambda c: c.started)
