"""The decision-guide form: reading answers, asking questions, recommending (thin adapters over the core)."""

from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.common import (
    explainer, first_entity, grounded_or, intent_of, knowledge, last_concept, mentioned_concepts, outside_the_guide,
    previous_turn, remember, send,
)
from explainer.answers import offers_the_guide
from explainer.context import asks_why_about_topic, asks_why_of_the_topic_discussed, topic_words, unknown_topic
from explainer.guide import CONTROL_WORDS, SOCIAL_WORDS, UNKNOWN, opens_as_request, reads_as_request
from explainer.guide_reader import yes_or_no
from explainer.guide_answers import GuideExplainer, answers_from
from explainer.kb import KnowledgeBase
from explainer.questions import asked_about
from explainer.names import Action as ActionName, Entity, Form, Intent, Rasa, Response, Slot

FORM = Form.DECISION_GUIDE
# {"factor": id, "count": n, "confirm": [option, other]}: answers to the open question the guide could not read, so
# it never asks a third time, and the option a yes/no confirmation awaits ("Sounds like “Audio” — right?").
MISSES = Slot.GUIDE_MISSES
# After this many unreadable answers in a row, the factor is noted as "not sure" and the guide moves on.
MAX_MISSES = 2
# Messages that steer the guide itself: never read as answers.
CONTROLS = {
    Intent.WHY_ASK, Intent.STOP_GUIDE, Intent.RESTART_GUIDE, Intent.SHOW_SUMMARY, Intent.CHANGE_ANSWER, Intent.GOODBYE,
    Intent.FEEDBACK,
}
# Other questions go to the rules (explain, help, ...) and the form resumes, unless they name an option
# of the question asked and no concept: "noisy and mostly unlabeled" is an answer whatever its intent.
# Messages that leave the open question whatever they say: small talk and questions about the bot or the list of
# topics. With any other intent (a misread answer gets all kinds: "complex" as a definition question, "qwzx" as
# out of scope, "the wilder the better" as no intent at all), a statement is an answer attempt, a question a
# digression.
# Each has its words in SOCIAL_WORDS (explainer/guide.py).
SOCIAL = {Intent.GREET, Intent.THANKS, Intent.HELP, Intent.BOT_CHALLENGE, Intent.LIST_TOPICS, Intent.ASK_SOURCE}
DIGRESSIONS = {
    Intent.ASK_DEFINITION, Intent.ASK_HOW_IT_WORKS, Intent.ASK_EXAMPLES, Intent.ASK_USES, Intent.ASK_LIMITATIONS,
    Intent.ASK_HISTORY, Intent.ASK_COMPARISON, Intent.TELL_MORE, Intent.EXPLAIN_SIMPLER, Intent.ASK_SOURCE,
    Intent.LIST_TOPICS, Intent.HELP, Intent.BOT_CHALLENGE, Intent.GREET, Intent.THANKS,
}


def guide() -> GuideExplainer:
    return GuideExplainer(knowledge())


def current_answers(tracker: Tracker, helper: GuideExplainer) -> Dict[str, Optional[str]]:
    return answers_from(tracker.slots, helper.guide)


def leaves_the_question(intent: str, sentence: str, names_concept: bool) -> bool:
    """Whether an unreadable message is a digression the rules answer rather than a failed answer.

    Not a fallback, nor a concept question that names no concept: a hedged answer ends with "?" too ("so kind
    of?"). Small talk only when a question, or short and with a word of that small talk (SOCIAL_WORDS): twelve
    words about quiz questions are no request for the list of topics, nor "poco dinero bro" a greeting.
    """
    if (intent.startswith("ask_") or intent == Rasa.NLU_FALLBACK) and not names_concept and reads_as_request(sentence) \
            and unknown_topic(sentence):
        # "what is a vector database?": a topic the knowledge base lacks; the rules say it is not covered (after a
        # fallback too: "what is beam search?" reads half as a definition question, half as out of scope).
        return True
    if intent == Rasa.NLU_FALLBACK or (intent.startswith("ask_") and not names_concept):
        # "Please rephrase" or "which topic do you mean?" help no more than the guide's own "didn't catch that".
        return False
    if intent in SOCIAL:
        # "poco dinero bro" is no greeting, nor "whats the cheapest??" a request for the list of topics.
        return bool(SOCIAL_WORDS[intent].search(sentence)) and (
            reads_as_request(sentence) or len(sentence.split()) <= 6)
    return reads_as_request(sentence)


def said_again(tracker: Tracker, sentence: str) -> bool:
    """Whether the user's message before this one said the same. A digression the rules answered is no answer the
    user would send twice: said again, it is an answer the guide could not read, and counts as one, so a misread
    answer cannot bring the same question back for ever."""
    def normal(text: object) -> str:
        return " ".join(str(text or "").split()).casefold()

    said = normal(sentence)
    users = (normal(e.get("text")) for e in reversed(tracker.events) if isinstance(e, dict) and e.get("event") == "user")
    latest, before = next(users, None), next(users, None)
    return bool(said) and latest == said and before == said


def misses_of(tracker: Tracker, factor_id: str) -> int:
    """How many answers to `factor_id`'s open question in a row could not be read."""
    misses = tracker.get_slot(MISSES)
    if isinstance(misses, dict) and misses.get("factor") == factor_id and isinstance(misses.get("count"), int):
        return misses["count"]
    return 0


def pending_confirmation(tracker: Tracker, factor_id: str) -> List[str]:
    """The [option, other] a yes/no confirmation of `factor_id` awaits, else []."""
    misses = tracker.get_slot(MISSES)
    if isinstance(misses, dict) and misses.get("factor") == factor_id and isinstance(misses.get("confirm"), list):
        return misses["confirm"]
    return []


def offered_to(tracker: Tracker) -> str:
    """The message the bot offered the guide in reply to, when the latest message is that offer's button; else "".

    "I run a tiny audiobook project ... can AI narrate public domain books?" gets "Which topic do you mean?" with the
    guide's button; started from the button, the guide keeps what that message said (audio) instead of asking it.
    """
    text, answered = previous_turn(tracker)
    offered = any(offers_the_guide(e["data"].get("buttons") if isinstance(e.get("data"), dict) else None)
                  for e in answered)
    return text if text is not None and offered and not text.startswith("/") else ""


def noted(dispatcher: CollectingDispatcher, helper: GuideExplainer, answers: Dict[str, str]) -> List[Dict]:
    """Fills `answers` taken from a message and says so ("Noted from your message: ...")."""
    message = helper.noted(answers)
    if message:
        send(dispatcher, message)
    return [SlotSet(f, o) for f, o in answers.items()]


class ValidateDecisionGuideForm(FormValidationAction):
    """Reads answers from buttons and free text, fills what the user already said, skips decided questions."""

    def name(self) -> Text:
        return ActionName.VALIDATE_GUIDE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        events = self._extract(dispatcher, tracker, helper)
        tracker.add_slots(events)
        next_factor = helper.guide.next_factor(current_answers(tracker, helper))
        return events + [SlotSet(Rasa.REQUESTED_SLOT, next_factor)]

    def _extract(self, dispatcher: CollectingDispatcher, tracker: Tracker, helper: GuideExplainer) -> List[Dict]:
        sentence = tracker.latest_message.get("text") or ""
        intent = intent_of(tracker)
        requested = tracker.get_slot(Rasa.REQUESTED_SLOT)
        answers = current_answers(tracker, helper)
        if tracker.get_slot(Slot.GUIDE_STOP_PENDING):
            if intent == Intent.AFFIRM:
                return []  # the stop rule takes it from here
            dispatcher.utter_message(text="OK, let's continue.")
            return [SlotSet(Slot.GUIDE_STOP_PENDING, False)] + self._extract_answer(
                dispatcher, tracker, helper, requested, answers, sentence, intent, quiet=True
            )
        if requested is None:
            # Starting: keep what the first message already said ("images for ads"), and say so. Started from the
            # button that offered the guide, the first message is the one the offer answered.
            opening = offered_to(tracker) if sentence.startswith("/") else sentence
            said = helper.guide.prefill(opening)
            return noted(dispatcher, helper, {f: o for f, o in said.items() if not answers.get(f)})
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
        chosen = first_entity(tracker, Entity.GUIDE_ANSWER)
        if chosen and factor.option(str(chosen)):
            return [SlotSet(requested, chosen), SlotSet(MISSES, None)]
        misread = intent in CONTROL_WORDS and not sentence.lstrip().startswith("/") and not CONTROL_WORDS[intent].search(sentence)
        if misread:
            # No word of that control: a misread answer, read as one, even as a question ("we dont have data??" read
            # as a what-if got "which answer should I change?" for ever; "lofi beats" read as a skip was noted as "not
            # sure"). A button's payload ("/why_ask") is what it says.
            intent = Intent.INFORM
        if intent == Intent.SKIP_QUESTION:
            return [SlotSet(requested, UNKNOWN), SlotSet(MISSES, None)]
        confirming = pending_confirmation(tracker, requested)
        if confirming:
            said = yes_or_no(sentence)
            if said is True and factor.option(confirming[0]):
                return [SlotSet(requested, confirming[0]), SlotSet(MISSES, None)]
            if said is False and len(confirming) > 1 and factor.option(confirming[1]):
                # Not the first of two: then perhaps the other one.
                send(dispatcher, helper.confirm(requested, confirming[1]))
                return [SlotSet(MISSES, {"factor": requested, "count": misses_of(tracker, requested),
                                         "confirm": confirming[1:]})]
            if said is False:
                # Neither: that answer could not be read after all; the whole question again, or "not sure".
                return self._missed(dispatcher, helper, requested, misses_of(tracker, requested) + 1, [], quiet=True)
            # Anything else is read afresh, as a new answer.
        if intent in CONTROLS:
            return []
        names_concept = any(e.get("entity") == Entity.CONCEPT for e in tracker.latest_message.get("entities", []))
        reading = helper.guide.reading(requested, sentence)
        repeated = said_again(tracker, sentence)
        if intent in DIGRESSIONS and names_concept and reads_as_request(sentence) and (
                opens_as_request(sentence) or not (reading.option or repeated)):
            # "what is a diffusion model?": the rules answer it; a statement naming one is an answer. A hedged
            # answer that only ends with "?" ("accessibility, closest is maybe summaries?") is an answer when it
            # reads as one, and when sent again; answered as a question about summaries each time, it brought the
            # same question back for ever.
            return []
        if not reading.option and (quiet or (not misread and not repeated
                                             and leaves_the_question(intent, sentence, names_concept))):
            return []  # a digression: the rules answer it and the form asks its question again
        # Every factor the message states is kept ("no ML people, and budget is tight"), and said so.
        extra = {f: o for f, o in helper.guide.prefill(sentence, first=requested).items()
                 if f != requested and not answers.get(f)}
        if reading.option:
            return [SlotSet(requested, reading.option), SlotSet(MISSES, None)] + noted(dispatcher, helper, extra)
        events = noted(dispatcher, helper, extra)
        misses = misses_of(tracker, requested)
        if not misses and repeated:
            # The same message a second time: the first was taken for a question and answered, yet it was an
            # answer the guide could not read, so it counts; asked a third time, the question would leave the user stuck.
            misses = 1
        if reading.unsure:
            # Two options fit equally ("spend a little but not crazy"): a yes/no beats the whole question again.
            send(dispatcher, helper.confirm(requested, reading.candidates[0]))
            return events + [SlotSet(MISSES, {"factor": requested, "count": misses, "confirm": list(reading.candidates)})]
        return self._missed(dispatcher, helper, requested, misses + 1, events)

    @staticmethod
    def _missed(dispatcher: CollectingDispatcher, helper: GuideExplainer, requested: str, misses: int, events: List[Dict],
                quiet: bool = False) -> List[Dict]:
        """An answer to `requested` that could not be read: ask once more, or note "not sure" and move on."""
        if misses >= MAX_MISSES:
            # A third identical question would leave the user stuck: note "not sure", say so, go on.
            send(dispatcher, helper.noted_unknown(requested))
            return events + [SlotSet(requested, UNKNOWN), SlotSet(MISSES, None), SlotSet(Slot.GUIDE_STOP_PENDING, False)]
        if not quiet:
            send(dispatcher, helper.not_understood(requested))
        return events + [SlotSet(MISSES, {"factor": requested, "count": misses}), SlotSet(Slot.GUIDE_STOP_PENDING, False)]


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
        if pending_confirmation(tracker, self.factor_id):
            return []  # "Sounds like “Audio” — right?" is the question this turn
        send(dispatcher, helper.question(self.factor_id, current_answers(tracker, helper)))
        return []


def _ask_action(factor_id: str) -> type:
    return type(
        f"ActionAsk_{factor_id}",
        (ActionAskFactor,),
        {
            "factor_id": factor_id,
            "name": lambda self: f"{ActionName.ASK_FACTOR_PREFIX}{self.factor_id}",
            "__module__": __name__,
        },
    )


def make_ask_actions(kb: KnowledgeBase) -> List[type]:
    """The question actions of the decision guide, one per factor of knowledge/decision_guide.yml, in its order.

    For a factor with id F it makes the class `ActionAsk_F` (a subclass of ActionAskFactor, in this module) whose
    name() is `action_ask_F`, the action Rasa's form runs to ask slot F. A factor added in YAML gets its action
    here, with no Python edit; a knowledge base without a guide makes none.
    """
    return [_ask_action(factor_id) for factor_id in kb.guide.factor_ids()] if kb.guide else []


# Made when this module is imported, because rasa-sdk registers the Action subclasses that exist after importing
# the `actions` package; this is the first use of the knowledge store (KnowledgeBaseError if it is invalid).
ASK_ACTIONS = make_ask_actions(knowledge())


class ActionRecommend(Action):
    """Scores the answers and recommends llm, generative_model or hybrid with the reasons."""

    def name(self) -> Text:
        return ActionName.RECOMMEND

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        result = helper.guide.score(current_answers(tracker, helper))
        send(dispatcher, helper.result(result))
        return [SlotSet(Slot.RECOMMENDATION, result.outcome.id)]


class ActionChangeAnswer(Action):
    """"What if we had little data?": changes one stored answer and scores again without the form."""

    def name(self) -> Text:
        return ActionName.CHANGE_ANSWER

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        sentence = tracker.latest_message.get("text") or ""
        change = helper.guide.change(sentence)
        answers = current_answers(tracker, helper)
        if not tracker.active_loop_name and not any(answers.values()) and not tracker.get_slot(Slot.RECOMMENDATION):
            # No guide has run, so there is no answer to change: "what about running a model locally instead" asks
            # about a topic. It got "Which answer should I change?".
            bot = explainer()
            named = mentioned_concepts(tracker, bot.kb)
            if named or not change:
                answer = bot.explain(asked_about(bot, named, sentence), "definition") if named else grounded_or(
                    bot, sentence, lambda: outside_the_guide(bot, tracker, bot.which_topic(sentence), sentence))
                send(dispatcher, answer)
                return remember(answer)
        if not change:
            send(dispatcher, helper.change_not_understood())
            return []
        factor_id, option_id = change
        answers[factor_id] = option_id
        result = helper.guide.score(answers)
        send(dispatcher, helper.result(result, helper.changed_sentence(factor_id, option_id)))
        return [SlotSet(factor_id, option_id), SlotSet(Slot.RECOMMENDATION, result.outcome.id)]


class ActionShowSummary(Action):
    """Lists the answers given so far and the recommendation."""

    def name(self) -> Text:
        return ActionName.SHOW_SUMMARY

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        send(dispatcher, helper.summary(current_answers(tracker, helper), tracker.get_slot(Slot.RECOMMENDATION)))
        return []


class ActionExplainFactor(Action):
    """"Why do you ask?": explains the factor of the current question."""

    def name(self) -> Text:
        return ActionName.EXPLAIN_FACTOR

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        factor_id = tracker.get_slot(Rasa.REQUESTED_SLOT)
        if factor_id in helper.guide.factor_ids():
            send(dispatcher, helper.why(factor_id))
            return []
        # No guide question is open, so "why RAG?" or "why use GANs?" asks about a topic, not "why do you ask".
        bot = explainer()
        sentence = tracker.latest_message.get("text") or ""
        named = mentioned_concepts(tracker, bot.kb)
        previous = last_concept(tracker, bot.kb)
        if not named and previous and asks_why_of_the_topic_discussed(sentence):
            # "why is it needed?" or "why?" after RLHF asks about RLHF; it got the guide's introduction. A
            # challenge's "why" is its cause, anything else's what it is for.
            aspect = "limitations" if bot.kb.entries[previous].category == "challenge" else "uses"
            answer = bot.explain(previous, aspect, tracker.get_slot(Slot.LAST_ASPECT))
            send(dispatcher, answer)
            return remember(answer)
        if asks_why_about_topic(sentence):
            answer = bot.explain(named[0], "uses", tracker.get_slot(Slot.LAST_ASPECT)) if named else None
            if answer:
                send(dispatcher, answer)
                return remember(answer)
            topic = topic_words(sentence)
            if topic:
                send(dispatcher, bot.unknown(topic))
                return []
        dispatcher.utter_message(response=Response.GUIDE_INTRO)
        return []


class ActionConfirmStopGuide(Action):
    """"Stop": asks to confirm before leaving the guide."""

    def name(self) -> Text:
        return ActionName.CONFIRM_STOP_GUIDE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response=Response.ASK_STOP_GUIDE)
        return [SlotSet(Slot.GUIDE_STOP_PENDING, True)]


class ActionStopGuide(Action):
    """Leaves the guide; the answers stay for "summary" or a later restart."""

    def name(self) -> Text:
        return ActionName.STOP_GUIDE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response=Response.GUIDE_STOPPED)
        return [ActiveLoop(None), SlotSet(Rasa.REQUESTED_SLOT, None), SlotSet(Slot.GUIDE_STOP_PENDING, False)]


class ActionRestartGuide(Action):
    """"Start over": clears the answers so the form asks from the first question."""

    def name(self) -> Text:
        return ActionName.RESTART_GUIDE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helper = guide()
        dispatcher.utter_message(text="Starting the guide over.")
        events = [SlotSet(f, None) for f in helper.guide.factor_ids()]
        return events + [
            SlotSet(Slot.RECOMMENDATION, None), SlotSet(Slot.GUIDE_STOP_PENDING, False), SlotSet(MISSES, None),
            SlotSet(Rasa.REQUESTED_SLOT, None),
        ]
