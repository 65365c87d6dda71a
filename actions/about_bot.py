"""Questions to the bot itself ("are you a bot?", "what's your knowledge cutoff?")."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import explainer, mentioned_concepts, remember, send, send_guide_offer
from actions.feedback_offer import offer_feedback
from explainer.names import Action as ActionName, Response, Slot


class ActionAboutTheBot(Action):
    """Says what the bot is; a question to it about a topic it explains also gets that topic's explanation.

    "What's your knowledge cut off date" and "do you hallucinate?" speak to the bot (the intent model keeps them
    bot_challenge) but ask about a topic too: the bot's own answer alone said nothing about knowledge cutoffs or
    hallucination. Which kinds of topic count is knowledge/categories.yml's `asked_of_the_bot`: "are you ChatGPT?"
    asks what the bot is and gets that answer only.
    """

    def name(self) -> Text:
        return ActionName.ABOUT_THE_BOT

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response=Response.BOT_CHALLENGE)
        bot = explainer()
        topic = bot.kb.asked_of_the_bot(mentioned_concepts(tracker, bot.kb))
        if not topic:
            # "is this the thing that tells you which AI to use?" asks about the bot and for the guide.
            send_guide_offer(dispatcher, tracker, bot)
            return []
        answer = bot.explain(topic, "definition", tracker.get_slot(Slot.LAST_ASPECT))
        send(dispatcher, answer)
        return remember(answer) + offer_feedback(dispatcher, tracker, answer)
