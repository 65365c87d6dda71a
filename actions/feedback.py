""""Was this helpful?": offered after some explainer answers, and recorded per rated concept."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import knowledge, send
from explainer import feedback
from explainer.answers import Answer

# Slots (domain.yml): the conversation's feedback bookkeeping, and the rating recorded for the report.
STATE_SLOT = "feedback_state"
GIVEN_SLOT = "feedback_given"
# Featurized, so rules can read a typed yes/no as the answer to the question just asked.
PENDING_SLOT = "feedback_pending"


def offer_feedback(dispatcher: CollectingDispatcher, tracker: Tracker, answer: Answer) -> List[Dict[Text, Any]]:
    """After an explainer answer: count it, and ask "Was this helpful?" when the settings say it is due."""
    if not answer.concepts or tracker.active_loop_name:
        # Inside the decision guide the next guide question follows at once; a rating prompt would split them.
        return []
    before = tracker.get_slot(STATE_SLOT)
    after = feedback.after_answer(knowledge().feedback, before, answer)
    asked = feedback.asks(before, after)
    if asked:
        buttons = [{"title": b.title, "payload": b.payload} for b in feedback.feedback_buttons()]
        dispatcher.utter_message(text=feedback.QUESTION, buttons=buttons)
    return [SlotSet(STATE_SLOT, after), SlotSet(PENDING_SLOT, asked)]


class ActionRecordFeedback(Action):
    """Records yes/no for the answer the buttons were offered under (else the latest answer) and thanks."""

    def name(self) -> Text:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        entity = next(
            (e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == "helpful"),
            None,
        )
        helpful = feedback.value_of(entity, tracker.latest_message.get("text") or "")
        state = feedback.new_state(tracker.get_slot(STATE_SLOT))
        target = state["pending"]
        if not target and state["answers"] and tracker.get_slot("last_concepts"):
            target = feedback.rated(tracker.get_slot("last_concepts"), tracker.get_slot("last_aspect"), state["answers"])
        if not target:
            dispatcher.utter_message(text=feedback.NOTHING_TO_RATE)
            return [SlotSet(PENDING_SLOT, False)]
        send(dispatcher, feedback.thanks(helpful, target["concepts"]))
        state["pending"] = None
        return [SlotSet(GIVEN_SLOT, {**target, "helpful": helpful}), SlotSet(STATE_SLOT, state), SlotSet(PENDING_SLOT, False)]
