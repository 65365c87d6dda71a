"""rasa_fixes/session_length.py: when a session is long, the next message starts one that carries the conversation on."""

import asyncio

import pytest
from rasa.core.actions.action import ActionSessionStart
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import components  # noqa: F401  (applies rasa_fixes, as loading our model does)
from rasa_fixes import session_length


def _tracker(turns: int, loop: str = "") -> DialogueStateTracker:
    tracker = DialogueStateTracker("alice", [])
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    for turn in range(turns):
        tracker.update(UserUttered(f"message {turn}"))
        tracker.update(SlotSet("concept", f"concept-{turn}"))
        tracker.update(SlotSet("last_aspect", "definition"))
        tracker.update(ActionExecuted("action_explain"))
        tracker.update(ActionExecuted("action_listen"))
    if loop:
        tracker.update(ActiveLoop(loop))
    return tracker


def test_a_new_session_carries_each_slot_once_with_its_latest_value():
    domain = Domain.from_dict({"session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True}})
    session_length.apply({session_length.ENV_VAR: "3"})
    try:
        events = asyncio.run(ActionSessionStart().run(None, None, _tracker(3, "decision_guide_form"), domain))
    finally:
        session_length.apply()
    assert isinstance(events[0], SessionStarted) and events[0].metadata.get(session_length.CONTINUED_KEY)
    assert [(e.key, e.value) for e in events if isinstance(e, SlotSet)] == [("concept", "concept-2"), ("last_aspect", "definition")]
    assert [e.name for e in events if isinstance(e, ActiveLoop)] == ["decision_guide_form"]
    assert isinstance(events[-1], ActionExecuted) and events[-1].action_name == "action_listen"


def test_a_short_session_is_not_ended_and_a_wrong_limit_says_what_to_set():
    assert session_length.session_turns(_tracker(2), 50) == 2
    assert session_length.max_turns_from({}) == session_length.DEFAULT_MAX_TURNS
    assert session_length.max_turns_from({session_length.ENV_VAR: " 200 "}) == 200
    for wrong in ("0", "-5", "fifty", "2.5"):
        with pytest.raises(ValueError, match=f"GENAI_SESSION_MAX_TURNS is '{wrong}': set it to a whole number"):
            session_length.max_turns_from({session_length.ENV_VAR: wrong})
