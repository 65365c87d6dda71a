""""Was this helpful?": the rating recorded per rated concept (the offer is actions/feedback_offer.py)."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import first_entity, knowledge, mentioned_concepts, send
from actions.explain import ActionExplain
from explainer import feedback
from explainer.names import Action as ActionName, Entity, Slot

# Slots (domain.yml): the conversation's feedback bookkeeping, and the rating recorded for the report.
STATE_SLOT = Slot.FEEDBACK_STATE
GIVEN_SLOT = Slot.FEEDBACK_GIVEN
PENDING_SLOT = Slot.FEEDBACK_PENDING


class ActionRecordFeedback(Action):
    """Records yes/no for the answer the buttons were offered under (else the latest answer) and thanks."""

    def name(self) -> Text:
        return ActionName.RECORD_FEEDBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        entity = first_entity(tracker, Entity.HELPFUL)
        helpful = feedback.value_of(entity, tracker.latest_message.get("text") or "")
        state = feedback.new_state(tracker.get_slot(STATE_SLOT))
        target = state["pending"]
        if not target and state["answers"] and tracker.get_slot(Slot.LAST_CONCEPTS):
            target = feedback.rated(tracker.get_slot(Slot.LAST_CONCEPTS), tracker.get_slot(Slot.LAST_ASPECT), state["answers"])
        if not target:
            if not tracker.active_loop_name and mentioned_concepts(tracker, knowledge()):
                # Nothing answered yet to rate, but the message names a topic ("rambling off topic"): read it as a
                # question about that topic rather than thank for nothing. Not inside the guide, whose rule puts
                # its question right after this action. Answered here, not by a follow-up action: no rule predicts
                # what comes after one, and Rasa's fallback would then revert the turn with the topic remembered.
                return [*await ActionExplain().run(dispatcher, tracker, domain), SlotSet(PENDING_SLOT, False)]
            dispatcher.utter_message(text=feedback.NOTHING_TO_RATE)
            return [SlotSet(PENDING_SLOT, False)]
        send(dispatcher, feedback.thanks(helpful, target["concepts"]))
        state["pending"] = None
        return [SlotSet(GIVEN_SLOT, {**target, "helpful": helpful}), SlotSet(STATE_SLOT, state), SlotSet(PENDING_SLOT, False)]
