"""A conversation session ends after a number of user messages, so turn 5,000 costs what turn 10 costs.

Why: Rasa 3.6 does work in proportion to the length of the current session on every turn. RulePolicy rebuilds
a state for every earlier turn (tracker.past_states), applied_events walks every event several times, and the
whole session is serialised and sent to the action server with every action call. Measured over REST on one
conversation (bench/long_conversation.py, without this bound): p50 18 ms per turn at turn 10, 404 ms at turn
1,000, CPU that every other conversation waits behind; with it, 15 ms at turn 10, 23 ms at 1,000 and 5,000. Every tracker store already loads only the
latest session, so bounding the session bounds all of that work at once.

What: after GENAI_SESSION_MAX_TURNS user messages in one session (default 30: within a session a turn still costs
~0.5 ms more per earlier turn, so the median turn of a 30-turn session stays well under twice that of its first
ten), the next message starts a new session as session expiry does (action_session_start), and the conversation
continues where it was: every slot is carried over (domain.yml carry_over_slots_to_new_session), an active form
stays active, and the new SessionStarted says why in its metadata (CONTINUED_KEY) so reports join the sessions
again. Earlier sessions stay stored (retrieve_full_tracker). Carried slots are one SlotSet per slot with its
latest value: stock Rasa copies every SlotSet of the session, which already carried those of the session before,
so each new session would start longer than the last.
"""

import os
from typing import Any, Dict, List, Optional

from rasa.core.actions.action import ActionSessionStart
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, Restarted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from explainer.settings.environment import DEFAULT_SESSION_MAX_TURNS as DEFAULT_MAX_TURNS
from explainer.settings.environment import SESSION_MAX_TURNS_VAR as ENV_VAR
from explainer.settings.environment import session_max_turns

# Metadata of a SessionStarted that continues the previous session because it grew long (not a new visit).
CONTINUED_KEY = "continues_long_session"

_original_expired = MessageProcessor._has_session_expired
_original_start = ActionSessionStart.run
_max_turns = DEFAULT_MAX_TURNS


def session_turns(tracker: DialogueStateTracker, limit: int) -> int:
    """User messages in the tracker's latest session, counted from the end and no further than `limit`."""
    turns = 0
    for event in reversed(tracker.events):
        if isinstance(event, (SessionStarted, Restarted)):
            break
        if isinstance(event, UserUttered):
            turns += 1
            if turns >= limit:
                break
    return turns


def is_long(tracker: DialogueStateTracker) -> bool:
    return session_turns(tracker, _max_turns) >= _max_turns


def _has_session_expired(self: MessageProcessor, tracker: DialogueStateTracker) -> bool:
    return _original_expired(self, tracker) or is_long(tracker)


def latest_slot_values(events: List[Event]) -> List[SlotSet]:
    """One SlotSet per slot: the last one, in the order the slots were last set (same values, fewer events)."""
    latest: Dict[str, SlotSet] = {}
    for event in events:
        if isinstance(event, SlotSet):
            latest.pop(event.key, None)
            latest[event.key] = event
    return list(latest.values())


async def _run_session_start(self: ActionSessionStart, output_channel: Any, nlg: Any,
                             tracker: DialogueStateTracker, domain: Any) -> List[Event]:
    events = await _original_start(self, output_channel, nlg, tracker, domain)
    started = [e for e in events if isinstance(e, SessionStarted)]
    slots = latest_slot_values(events)
    rest = [e for e in events if not isinstance(e, (SessionStarted, SlotSet))]
    continued: List[Event] = []
    if is_long(tracker):
        for event in started:
            event.metadata = {**(event.metadata or {}), CONTINUED_KEY: True}
        loop: Optional[str] = tracker.active_loop_name
        if loop:
            # Session expiry after a pause ends a form; a session that only grew long must not.
            continued.append(ActiveLoop(loop))
    # Rasa's order: SessionStarted, the carried slots, then action_listen (kept last so the next user message
    # follows a listen, as always).
    listen = [e for e in rest if isinstance(e, ActionExecuted) and e.action_name == ACTION_LISTEN_NAME]
    other = [e for e in rest if e not in listen]
    return started + slots + other + continued + listen


def apply(env: Optional[Dict[str, str]] = None) -> None:
    """Reads the limit from the environment (SettingsError if wrong) and patches session expiry and session start."""
    global _max_turns
    _max_turns = session_max_turns(dict(os.environ) if env is None else env)
    MessageProcessor._has_session_expired = _has_session_expired  # type: ignore[assignment]
    ActionSessionStart.run = _run_session_start  # type: ignore[assignment]
