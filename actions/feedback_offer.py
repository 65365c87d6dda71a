""""Was this helpful?": offered after some explainer answers. Its own module because the explainer actions
use it and the action that records the rating uses them (ActionExplain answers a topic named before any answer)."""

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import knowledge
from explainer import feedback
from explainer.answers import Answer
from explainer.names import Slot


def offer_feedback(dispatcher: CollectingDispatcher, tracker: Tracker, answer: Answer) -> List[Dict[Text, Any]]:
    """After an explainer answer: count it, and ask "Was this helpful?" when the settings say it is due."""
    if not answer.concepts or tracker.active_loop_name:
        # Inside the decision guide the next guide question follows at once; a rating prompt would split them.
        return []
    before = tracker.get_slot(Slot.FEEDBACK_STATE)
    after = feedback.after_answer(knowledge().feedback, before, answer)
    asked = feedback.asks(before, after)
    if asked:
        buttons = [{"title": b.title, "payload": b.payload} for b in feedback.feedback_buttons()]
        dispatcher.utter_message(text=feedback.QUESTION, buttons=buttons)
    return [SlotSet(Slot.FEEDBACK_STATE, after), SlotSet(Slot.FEEDBACK_PENDING, asked)]
