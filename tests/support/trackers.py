"""rasa-sdk trackers for the action tests: one built from a message, or one saved as JSON in tests/trackers."""

import json
from typing import Any, Dict, List, Optional, Sequence

from rasa_sdk import Tracker

from tests.support.paths import TRACKERS


def concept_entities(*concepts: str) -> List[Dict[str, Any]]:
    return [{"entity": "concept", "value": c, "extractor": "ConceptMatcher"} for c in concepts]


def make_tracker(
    text: str,
    intent: str,
    concepts: Sequence[str] = (),
    slots: Optional[Dict[str, Any]] = None,
) -> Tracker:
    """A tracker whose latest message is `text`, classified as `intent`, naming `concepts`."""
    return Tracker(
        sender_id="test-user",
        slots=dict(slots or {}),
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            # Rasa's parse data ranks the intents too; rasa-sdk's get_intent_of_latest_message reads the ranking.
            "intent_ranking": [{"name": intent, "confidence": 0.99}],
            "entities": concept_entities(*concepts),
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def load_tracker(name: str) -> Tracker:
    """A tracker saved as JSON in tests/trackers (the shape Rasa sends to the action server)."""
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    return Tracker.from_dict(state)
