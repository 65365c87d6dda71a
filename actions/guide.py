"""The decision-guide form: reading answers, asking questions, recommending (thin adapters over the core)."""

from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.common import explainer, knowledge, mentioned_concepts, remember, send
from explainer.context import asks_why_about_topic, topic_words
from explainer.guide import CONTROL_WORDS, UNKNOWN, reads_as_request
from explainer.guide_answers import GuideExplainer, answers_from

FORM = "decision_guide_form"
# {"factor": id, "count": n}: answers to the open question the guide could not read, so it never asks a third time.
MISSES = "guide_misses"
# After this many unreadable answers in a row, the factor is noted as "not sure" and the guide moves on.
MAX_MISSES = 2
# Messages that steer the guide itself: never read as answers.
CONTROLS = {"why_ask", "stop_guide", "restart_guide", "show_summary", "change_answer", "goodbye", "feedback"}
# Other questions go to the rules (explain, help, ...) and the form resumes, unless they name an option
# of the question asked and no concept: "noisy and mostly unlabeled" is an answer whatever its intent.
# Messages that leave the open question whatever they say: small talk and questions about the bot or the list of
# topics. With any other intent (a misread answer gets all kinds: "complex" as a definition question, "qwzx" as
# out of scope, "the wilder the better" as no intent at all), a statement is an answer attempt, a question a
# digression.
SOCIAL = {"greet", "thanks", "help", "bot_challenge", "list_topics", "ask_source"}
DIGRESSIONS = {
    "ask_definition", "ask_how_it_works", "ask_examples", "ask_uses", "ask_limitations", "ask_history",
    "ask_comparison", "tell_more", "explain_simpler", "ask_source", "list_topics", "help", "bot_challenge",
    "greet", "thanks",
}


def guide() -> GuideExplainer:
    return GuideExplainer(knowledge())


def current_answers(tracker: Tracker, helper: GuideExplainer) -> Dict[str, Optional[str]]:
    return answers_from(tracker.slots, helper.guide)


def leaves_the_question(intent: str, sentence: str, names_concept: bool) -> bool:
    """Whether an unreadable message is a digression the rules answer rather than a failed answer.

    Not a fallback, nor a concept question that names no concept: a hedged answer ends with "?" too ("so kind
    of?"). Small talk only when short or a question: twelve words about quiz questions
    are no request for the list of topics, whatever the classifier says.
    """
    if intent == "nlu_fallback" or (intent.startswith("ask_") and not names_concept):
        # "Please rephrase" or "which topic do you mean?" help no more than the guide's own "didn't catch that".
        return False
    if intent in SOCIAL:
        return reads_as_request(sentence) or len(sentence.split()) <= 6
    return reads_as_request(sentence)


def misses_of(tracker: Tracker, factor_id: str) -> int:
    """How many answers to `factor_id`'s open question in a row could not be read."""
    misses = tracker.get_slot(MISSES)
    if isinstance(misses, dict) and misses.get("factor") == factor_id and isinstance(misses.get("count"), int):
        return misses["count"]
    return 0


def intent_of(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


class ValidateDecisionGuideForm(FormValidationAction):
    """Reads answers from buttons and free text, fills what the user already said, skips decided questions."""

    def name(self) -> Text:
        return "validate_decision_guide_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        events = self._extract(dispatcher, tracker, helper)
        tracker.add_slots(events)
        next_factor = helper.guide.next_factor(current_answers(tracker, helper))
        return events + [SlotSet("requested_slot", next_factor)]

    def _extract(self, dispatcher: CollectingDispatcher, tracker: Tracker, helper: GuideExplainer) -> List[Dict]:
        sentence = tracker.latest_message.get("text") or ""
        intent = intent_of(tracker)
        requested = tracker.get_slot("requested_slot")
        answers = current_answers(tracker, helper)
        if tracker.get_slot("guide_stop_pending"):
            if intent == "affirm":
                return []  # the stop rule takes it from here
            dispatcher.utter_message(text="OK, let's continue.")
            return [SlotSet("guide_stop_pending", False)] + self._extract_answer(
                dispatcher, tracker, helper, requested, answers, sentence, intent, quiet=True
            )
        if requested is None:
            # Starting: keep what the first message already said ("images for ads").
            return [SlotSet(f, o) for f, o in helper.guide.prefill(sentence).items() if not answers.get(f)]
        return self._extract_answer(dispatcher, tracker, helper, requested, answers, sentence, intent)

    def _extract_answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        helper: GuideExplainer,
        requested: Optional[str],
        answers: Dict[str, Optional[str]],
        sentence: str,
        intent: str,
        quiet: bool = False,
    ) -> List[Dict]:
        if not requested:
            return []
        factor = helper.guide.factor(requested)
        chosen = [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == "guide_answer"]
        if chosen and factor.option(str(chosen[0])):
            return [SlotSet(requested, chosen[0]), SlotSet(MISSES, None)]
        if intent == "skip_question":
            return [SlotSet(requested, UNKNOWN), SlotSet(MISSES, None)]
        if intent in CONTROL_WORDS and not CONTROL_WORDS[intent].search(sentence):
            intent = "inform"  # no word of that control: a misread answer, read as one
        if intent in CONTROLS:
            return []
        names_concept = any(e.get("entity") == "concept" for e in tracker.latest_message.get("entities", []))
        if intent in DIGRESSIONS and names_concept and reads_as_request(sentence):
            return []  # "what is a diffusion model?": the rules answer it; a statement naming one is an answer
        option = helper.guide.parse(requested, sentence)
        if option:
            extra = {f: o for f, o in helper.guide.prefill(sentence).items() if f != requested and not answers.get(f)}
            return [SlotSet(requested, option), SlotSet(MISSES, None)] + [SlotSet(f, o) for f, o in extra.items()]
        if quiet or leaves_the_question(intent, sentence, names_concept):
            return []  # a digression: the rules answer it and the form asks its question again
        misses = misses_of(tracker, requested) + 1
        if misses >= MAX_MISSES:
            # A third identical question would leave the user stuck: note "not sure", say so, go on.
            send(dispatcher, helper.noted_unknown(requested))
            return [SlotSet(requested, UNKNOWN), SlotSet(MISSES, None), SlotSet("guide_stop_pending", False)]
        send(dispatcher, helper.not_understood(requested))
        return [SlotSet(MISSES, {"factor": requested, "count": misses}), SlotSet("guide_stop_pending", False)]


class ActionAskFactor(Action, metaclass=ABCMeta):
    """Asks one factor's question with its options as buttons and the progress."""

    factor_id = ""

    @abstractmethod
    def name(self) -> Text:
        """action_ask_<factor>, as Rasa's form looks it up."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        send(dispatcher, helper.question(self.factor_id, current_answers(tracker, helper)))
        return []


def _ask_action(factor_id: str) -> type:
    return type(
        f"ActionAsk_{factor_id}",
        (ActionAskFactor,),
        {"factor_id": factor_id, "name": lambda self: f"action_ask_{self.factor_id}", "__module__": __name__},
    )


# One ask action per factor of the guide, so a factor added in YAML gets its question action too.
ASK_ACTIONS = [_ask_action(factor_id) for factor_id in knowledge().guide.factor_ids()] if knowledge().guide else []


class ActionRecommend(Action):
    """Scores the answers and recommends llm, generative_model or hybrid with the reasons."""

    def name(self) -> Text:
        return "action_recommend"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        result = helper.guide.score(current_answers(tracker, helper))
        send(dispatcher, helper.result(result))
        return [SlotSet("recommendation", result.outcome.id)]


class ActionChangeAnswer(Action):
    """"What if we had little data?": changes one stored answer and scores again without the form."""

    def name(self) -> Text:
        return "action_change_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        change = helper.guide.change(tracker.latest_message.get("text") or "")
        answers = current_answers(tracker, helper)
        if not change:
            send(dispatcher, helper.change_not_understood())
            return []
        factor_id, option_id = change
        answers[factor_id] = option_id
        result = helper.guide.score(answers)
        send(dispatcher, helper.result(result, helper.changed_sentence(factor_id, option_id)))
        return [SlotSet(factor_id, option_id), SlotSet("recommendation", result.outcome.id)]


class ActionShowSummary(Action):
    """Lists the answers given so far and the recommendation."""

    def name(self) -> Text:
        return "action_show_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        send(dispatcher, helper.summary(current_answers(tracker, helper), tracker.get_slot("recommendation")))
        return []


class ActionExplainFactor(Action):
    """"Why do you ask?": explains the factor of the current question."""

    def name(self) -> Text:
        return "action_explain_factor"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        factor_id = tracker.get_slot("requested_slot")
        if factor_id in helper.guide.factor_ids():
            send(dispatcher, helper.why(factor_id))
            return []
        # No guide question is open, so "why RAG?" or "why use GANs?" asks about a topic, not "why do you ask".
        bot = explainer()
        sentence = tracker.latest_message.get("text") or ""
        named = mentioned_concepts(tracker, bot.kb)
        if asks_why_about_topic(sentence):
            answer = bot.explain(named[0], "uses", tracker.get_slot("last_aspect")) if named else None
            if answer:
                send(dispatcher, answer)
                return remember(answer)
            topic = topic_words(sentence)
            if topic:
                send(dispatcher, bot.unknown(topic))
                return []
        dispatcher.utter_message(response="utter_guide_intro")
        return []


class ActionConfirmStopGuide(Action):
    """"Stop": asks to confirm before leaving the guide."""

    def name(self) -> Text:
        return "action_confirm_stop_guide"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_ask_stop_guide")
        return [SlotSet("guide_stop_pending", True)]


class ActionStopGuide(Action):
    """Leaves the guide; the answers stay for "summary" or a later restart."""

    def name(self) -> Text:
        return "action_stop_guide"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_guide_stopped")
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("guide_stop_pending", False)]


class ActionRestartGuide(Action):
    """"Start over": clears the answers so the form asks from the first question."""

    def name(self) -> Text:
        return "action_restart_guide"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        dispatcher.utter_message(text="Starting the guide over.")
        events = [SlotSet(f, None) for f in helper.guide.factor_ids()]
        return events + [
            SlotSet("recommendation", None), SlotSet("guide_stop_pending", False), SlotSet(MISSES, None),
            SlotSet("requested_slot", None),
        ]
