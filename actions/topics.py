"""Actions about the knowledge base as a whole: listing topics, and asking to rephrase."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    concept_spans, explainer, first_entity, last_concept, mentioned_concepts, outside_the_guide, remember, send,
    send_guide_offer,
)
from actions.explain import ASPECT_OF_INTENT, runner_up
from actions.feedback_offer import offer_feedback
from explainer import text
from explainer.context import (
    asks_something, asks_who_made, focus, names_only, question_topic, refers_back, resolve, unknown_topic,
)
from explainer.questions import answer_about, aspect_asked, who_made
from explainer.names import GUIDE_INTENTS, Action as ActionName, Entity, Intent, Response, Slot


class ActionListTopics(Action):
    """Lists what the bot can explain, overall or in the category asked for."""

    def name(self) -> Text:
        return ActionName.LIST_TOPICS

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        bot = explainer()
        category = first_entity(tracker, Entity.CATEGORY)
        if category not in bot.kb.categories:
            category = bot.kb.category_named(tracker.latest_message.get("text") or "")
        send(dispatcher, bot.topics(category))
        return []


# What unclear_aspect says when the likeliest reading compares two topics: not an aspect of one entry.
COMPARISON = "comparison"
# ... and when it asks for the decision guide: a choice for a project.
PROJECT = "project"

def unclear_aspect(tracker: Tracker) -> str:
    """The aspect the likeliest intent below the fallback asks for ("can it replace copilot?" -> uses), else
    the definition; COMPARISON for a comparison; PROJECT when that intent asks for the decision guide; "" when it
    answers one of the guide's questions."""
    best = tracker.get_intent_of_latest_message(skip_fallback_intent=True) or ""
    if best == Intent.START_GUIDE:
        return PROJECT  # a topic named in a question about a project ("which model powers privateGPT?")
    if best in GUIDE_INTENTS:
        return ""  # a topic named in a guide answer ("we write code all day, copilot?") is part of the project
    if best == Intent.ASK_COMPARISON:
        return COMPARISON
    aspect = ASPECT_OF_INTENT.get(best, "definition")
    return "definition" if aspect in ("more", "simpler") else aspect


# Above this similarity to a known name, an unclear topic is taken for a typo of it ("difusion"), not a new topic.
TYPO_SIMILARITY = 0.8


class ActionAskRephrase(Action):
    """Low NLU confidence: ask to rephrase, offering the likeliest topics as buttons."""

    def name(self) -> Text:
        return ActionName.ASK_REPHRASE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        bot = explainer()
        candidates = mentioned_concepts(tracker, bot.kb)
        sentence = tracker.latest_message.get("text") or ""
        previous = last_concept(tracker, bot.kb)
        if len(candidates) <= 1 and asks_who_made(sentence) and not tracker.active_loop_name and (
                candidates or (previous and refers_back(sentence))):
            # "and claude, who makes that one", "who makes it": the makers of the topic named or just discussed.
            answer = who_made(bot, candidates[0] if candidates else previous)
            send(dispatcher, answer)
            return remember(answer)
        if not candidates and previous and refers_back(sentence) and not tracker.active_loop_name:
            # "can that be fixed": unclear words about the topic just discussed. Read as a topic of their own, they
            # got "“fixed” isn't something I cover"; the topic is kept, and the user asked what about it. A passage of
            # the topic that holds the words asked answers it ("can it understand audio too" after Multimodal).
            answer = bot.unclear_follow_up(previous, sentence)
            send(dispatcher, answer)
            return remember(answer)
        if len(candidates) == 1 and names_only(sentence, concept_spans(tracker)):
            # A bare term ("stable diffusion") is how people ask what something is in a search box.
            answer = bot.explain(candidates[0], "definition", tracker.get_slot(Slot.LAST_ASPECT))
            send(dispatcher, answer)
            return remember(answer) + offer_feedback(dispatcher, tracker, answer)
        aspect = unclear_aspect(tracker)
        if candidates and aspect and asks_something(sentence) and not tracker.active_loop_name:
            # The wording is unclear but the topic is not ("can it replace github copilot?", "where is privacy
            # and confidential information exchanged?"): answer about it, with the likeliest aspect, rather than
            # ask to rephrase a question whose topic we know. The answer's buttons lead to its other aspects.
            # Only for a question or a request to explain ("explain transformers please", read half as a definition
            # and half as "simpler"); "stable diffusion purple banana" is asked to be rephrased. Inside the guide
            # an unclear message is more likely a guide answer, so the rephrase prompt stays there. Of two topics,
            # the likeliest reading decides: a comparison compares them ("why use cnn instead of rnn?"), any
            # other aspect is about the one asked about, as for a clear question ("how long does elevenlabs take
            # to fine-tune?" is about ElevenLabs).
            if len(candidates) > 1 and aspect == COMPARISON:
                answer = bot.compare(candidates[0], candidates[1])
            else:
                concept = focus(candidates, bot.kb.focus_ranks(candidates))
                last_aspect = tracker.get_slot(Slot.LAST_ASPECT)
                if aspect in (COMPARISON, PROJECT):
                    # One topic read as a comparison ("can it replace github copilot?") has nothing to compare, and
                    # a topic read as part of a project ("which model powers privateGPT?") is said what it is.
                    answer = bot.explain(concept, "definition", last_aspect)
                else:
                    # Read as a clear question of that aspect is: its form ("is mistral open?", "is it free?", "can
                    # it ...?") decides as it does there, and a close second aspect is added. "is mistral open"
                    # fell below the fallback threshold and got Mistral's limitations.
                    spans = concept_spans(tracker)
                    answer = answer_about(
                        bot, concept, aspect_asked(aspect, sentence, spans, last_aspect), aspect, sentence, spans,
                        last_aspect, runner_up(tracker, aspect))
            # Read half as a project's description, the question is offered the guide as well.
            answer = outside_the_guide(bot, tracker, answer, sentence, always=aspect == PROJECT)
            send(dispatcher, answer)
            return remember(answer) + offer_feedback(dispatcher, tracker, answer)
        if not candidates:
            candidates = bot.kb.suggest(sentence)
            topic = question_topic(sentence)
            if topic and refers_back(sentence) and set(text.words(topic)) <= text.common_words():
                # "is it slow" with no topic discussed: "slow" is no topic to quote back as one we lack.
                topic = None
            if topic and not bot.kb.suggest(topic, cutoff=TYPO_SIMILARITY):
                # A question about something that is no typo of a name we know ("is there any way to set the
                # context window?") is answered honestly: not covered, with the nearest topics, not "rephrase".
                send(dispatcher, outside_the_guide(bot, tracker, bot.unknown(topic), sentence))
                return []
        # "hi im a film student, final project, what AI do i need": unclear, but the guide answers it.
        send(dispatcher, outside_the_guide(bot, tracker, bot.rephrase(candidates), sentence))
        return []


class ActionOutOfScope(Action):
    """Outside generative AI: name the topic asked about when there is one, and say what the bot covers."""

    def name(self) -> Text:
        return ActionName.OUT_OF_SCOPE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        sentence = tracker.latest_message.get("text") or ""
        bot = explainer()
        subject = resolve(sentence, mentioned_concepts(tracker, bot.kb), last_concept(tracker, bot.kb))
        if subject.concepts and asks_who_made(sentence):
            # "who makes it" after an answer about Claude was read as out of scope; it asks for Claude's makers.
            answer = who_made(bot, focus(subject.concepts, bot.kb.focus_ranks(subject.concepts)))
            send(dispatcher, answer)
            return remember(answer)
        grounded = bot.grounded(sentence)
        if grounded:
            # Read as out of scope, yet the knowledge base's own text covers it well ("why does AI need so
            # much electricity").
            send(dispatcher, grounded)
            return remember(grounded)
        topic = unknown_topic(sentence)
        if topic:
            send(dispatcher, outside_the_guide(bot, tracker, bot.unknown(topic, sentence), sentence))
        else:
            dispatcher.utter_message(response=Response.OUT_OF_SCOPE)
            # "pixel art sprites for my game?": outside the glossary, but the guide answers it.
            send_guide_offer(dispatcher, tracker, bot)
        return []
