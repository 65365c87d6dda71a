"""rasa_fixes/session_length.py: when a session is long, the next message starts one that carries the conversation on."""

import asyncio

import pytest
from rasa.core.actions.action import ActionSessionStart
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import components  # noqa: F401  (applies rasa_fixes, as loading our model does)
from rasa_fixes import session_length
from explainer.errors import SettingsError
from explainer.settings.environment import session_max_turns
from tests.support.paths import ROOT


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
    assert session_max_turns({}) == session_length.DEFAULT_MAX_TURNS == 30
    assert session_max_turns({session_length.ENV_VAR: " 200 "}) == 200
    for wrong in ("0", "-5", "fifty", "2.5"):
        with pytest.raises(SettingsError, match=f"GENAI_SESSION_MAX_TURNS is '{wrong}': set it to a whole number"):
            session_max_turns({session_length.ENV_VAR: wrong})


def test_the_insights_report_counts_a_continued_session_as_the_same_conversation():
    from insights.conversations import conversations
    from insights.store import Event as StoredEvent

    def event(i: int, kind: str, **data) -> StoredEvent:
        return StoredEvent(i, "alice", kind, 1_780_000_000.0 + i, data.get("intent"), data.get("name"), data)

    def turn(i: int, text: str) -> list:
        parse = {"intent": {"name": "ask_definition", "confidence": 0.9}, "entities": []}
        return [event(i, "user", text=text, parse_data=parse, input_channel="rest"),
                event(i + 1, "action", name="action_explain"), event(i + 2, "bot", text="...")]

    continued = {session_length.CONTINUED_KEY: True}
    events = ([event(0, "action", name="action_session_start"), event(1, "session_started")] + turn(2, "what is a GAN?")
              + [event(5, "action", name="action_session_start"), event(6, "session_started", metadata=continued)]
              + turn(7, "and a VAE?")
              + [event(10, "action", name="action_session_start"), event(11, "session_started")] + turn(12, "hi again"))
    assert [[t.text for t in c.turns] for c in conversations(events)] == [["what is a GAN?", "and a VAE?"], ["hi again"]]


def test_the_report_and_the_fix_name_the_continued_session_alike():
    from insights.conversations import CONTINUED_SESSION

    assert CONTINUED_SESSION == session_length.CONTINUED_KEY


def test_the_server_launcher_refuses_a_wrong_limit_with_a_sentence():
    import subprocess
    import sys

    root = ROOT
    result = subprocess.run(
        [sys.executable, "-m", "serving.rasa_server", "--port", "1"], cwd=root, capture_output=True, text=True,
        timeout=120, env={**__import__("os").environ, session_length.ENV_VAR: "many"},
    )
    assert result.returncode == 2
    assert "GENAI_SESSION_MAX_TURNS is 'many': set it to a whole number" in result.stderr
    assert "Traceback" not in result.stderr
