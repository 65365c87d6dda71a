"""Actions that answer questions about one or two concepts from the knowledge base."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    concept_mentions, concept_spans, explainer, grounded_or, intent_of, intent_ranking, last_concept, mentioned_concepts,
    not_repeated, outside_the_guide, remember, send, which_of_the_pair,
)
from actions.feedback_offer import offer_feedback
from explainer.context import (
    asked_year, asks_origin, asks_openness, asks_what_the_bot_does, compares, other_side, reads_as_comparison,
    refers_back, resolve, says_lost, wants_simpler,
)
from explainer.questions import CONTINUING, answer_about, asked_about, aspect_asked, runner_up_aspect
from explainer.names import Action as ActionName, Intent, Response, Slot

ASPECT_OF_INTENT = {
    Intent.ASK_DEFINITION: "definition",
    Intent.ASK_HOW_IT_WORKS: "how_it_works",
    Intent.ASK_EXAMPLES: "examples",
    Intent.ASK_USES: "uses",
    Intent.ASK_LIMITATIONS: "limitations",
    Intent.ASK_HISTORY: "history",
    Intent.TELL_MORE: "more",
    Intent.EXPLAIN_SIMPLER: "simpler",
}


def runner_up(tracker: Tracker, read_as: str) -> Optional[str]:
    """The aspect the latest message came a close second to asking (questions.runner_up_aspect), when it was read as
    `read_as`."""
    return runner_up_aspect(intent_ranking(tracker), ASPECT_OF_INTENT, read_as)


class ActionExplain(Action):
    """Answers what/how/examples/uses/limitations/history/more/simpler about the concept asked."""

    def name(self) -> Text:
        return ActionName.EXPLAIN

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        bot = explainer()
        kb = bot.kb
        intent = intent_of(tracker)
        aspect = ASPECT_OF_INTENT.get(intent, "definition")
        sentence = tracker.latest_message.get("text") or ""
        named = mentioned_concepts(tracker, kb)
        if aspect == "simpler" and named and not wants_simpler(sentence):
            # "explain transformers" / "can you explain GANs" ask for the explanation, not the simple version.
            aspect = "definition"
        spans = concept_spans(tracker)
        read_as = aspect
        aspect = aspect_asked(aspect, sentence, spans, tracker.get_slot(Slot.LAST_ASPECT))
        previous = last_concept(tracker, kb)
        if not previous and not named and (
                (aspect in CONTINUING and asks_what_the_bot_does(sentence)) or says_lost(sentence)):
            # "hey so i'm kinda lost" or "tell me more" with nothing discussed yet asks what the bot does; it was
            # answered as a topic called "kinda lost" that is not covered. "hi, I'm a bit lost with all these AI
            # models" is read as any intent (limitations, even) and asks the same.
            dispatcher.utter_message(response=Response.GUIDE_INTRO if tracker.active_loop_name else Response.HELP)
            return []
        year = None if named or aspect in CONTINUING else asked_year(sentence)
        dated = bot.in_year(year) if year else None
        if dated:
            # "what changed around 2017" after ELIZA got ELIZA's date again; with nothing discussed, "not covered".
            send(dispatcher, dated)
            return remember(dated)
        subject = resolve(sentence, named, previous)
        # "tell me more" / "simpler" refer back to the last topic; with none yet, a topic they name is the question.
        if subject.unknown and (aspect not in CONTINUING or not previous):
            answer = grounded_or(
                bot, sentence, lambda: outside_the_guide(bot, tracker, bot.unknown(subject.unknown, sentence), sentence))
            send(dispatcher, answer)
            return remember(answer)
        if not subject.concepts:
            answer = bot.which_topic() if aspect in CONTINUING else grounded_or(
                bot, sentence, lambda: outside_the_guide(bot, tracker, bot.which_topic(sentence), sentence))
            send(dispatcher, answer)
            return remember(answer)
        pair = [c for c in tracker.get_slot(Slot.LAST_CONCEPTS) or [] if c in kb.entries]
        which = which_of_the_pair(tracker, bot, sentence) if subject.follow_up else None
        if which:
            # "which is cheaper in the long run" after a comparison, read as any aspect of one of the two.
            send(dispatcher, which)
            return remember(which)
        if aspect == "more" and subject.follow_up and tracker.get_slot(Slot.LAST_ASPECT) == "comparison" and len(pair) == 2:
            answer = bot.compare_more(pair[0], pair[1])
            send(dispatcher, answer)
            return remember(answer) + offer_feedback(dispatcher, tracker, answer)
        concept = asked_about(bot, subject.concepts, sentence)
        answer = answer_about(bot, concept, aspect, read_as, sentence, spans, tracker.get_slot(Slot.LAST_ASPECT),
                              runner_up(tracker, read_as))
        answer = not_repeated(tracker, bot, bot.naming_the_others(answer, subject.concepts))
        answer = outside_the_guide(bot, tracker, answer, sentence)
        send(dispatcher, answer)
        return remember(answer) + offer_feedback(dispatcher, tracker, answer)


class ActionCompare(Action):
    """Compares two concepts, or the last one discussed with the one named ("how is it different from a GAN?")."""

    def name(self) -> Text:
        return ActionName.COMPARE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        bot = explainer()
        kb = bot.kb
        mentions = concept_mentions(tracker, kb)
        named = list(dict.fromkeys(mentions))
        previous = last_concept(tracker, kb)
        if len(named) == 1 and previous and previous != named[0]:
            named = [previous, named[0]]
        if len(named) < 2:
            sentence = tracker.latest_message.get("text") or ""
            which = None if named else which_of_the_pair(tracker, bot, sentence)
            if which:
                # "which is faster" after GPT-4o vs Claude got "“faster” isn't something I cover".
                send(dispatcher, which)
                return remember(which)
            subject = resolve(sentence, named, None, beside_a_pronoun=True)
            if named:
                # Two names of one entry ("ChatGPT vs Chat GPT") are told so; one name alone is asked for its partner.
                other = other_side(sentence, concept_spans(tracker))
                if len(mentions) > 1:
                    answer = bot.compare(named[0], named[0])
                elif other:
                    # "ai vs generative ai": the other side was named, we have no entry on it; asking for it again
                    # ("Which topic should I compare Generative AI with?") dropped what the user said.
                    answer = bot.compare_with_unknown(named[0], other)
                else:
                    answer = bot.compare_with_what(named[0])
                # "llm or not??" asks whether to use one: the guide answers that, so it is offered beside the question.
                send(dispatcher, outside_the_guide(bot, tracker, answer, sentence))
                return []
            if previous and subject.unknown and not named and reads_as_comparison(sentence):
                # "is it the same as gpt" after BERT: BERT against what the user named, in their words.
                answer = bot.compare_with_unknown(previous, subject.unknown)
                send(dispatcher, answer)
                return remember(answer)
            if previous and not named and refers_back(sentence) and not compares(sentence) and \
                    not tracker.active_loop_name:
                # "is it getting better", "how do you defend against it": read as a comparison with nothing to compare,
                # they got "“getting” isn't something I cover" and lost the topic just discussed. As for any unclear
                # follow-up (ActionAskRephrase): the topic's passage holding the words asked, else which aspect.
                answer = bot.unclear_follow_up(previous, sentence)
                send(dispatcher, answer)
                return remember(answer)
            answer = grounded_or(bot, sentence, lambda: outside_the_guide(
                bot, tracker, bot.unknown(subject.unknown, sentence) if subject.unknown else bot.which_topic(sentence),
                sentence))
            send(dispatcher, answer)
            return remember(answer)
        answer = bot.compare(named[0], named[1])
        send(dispatcher, answer)
        # "is it the same model as chatgpt" after Copilot: Copilot stays the topic, so "will it replace programmers?"
        # next asks about Copilot (it got ChatGPT's limitations, the side named last).
        followed = previous if previous == named[0] and len(mentions) == 1 else None
        return remember(answer, topic=followed) + offer_feedback(dispatcher, tracker, answer)


class ActionShowSource(Action):
    """Names the article(s) behind the last answer."""

    def name(self) -> Text:
        return ActionName.SHOW_SOURCE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        bot = explainer()
        named = mentioned_concepts(tracker, bot.kb)
        if len(named) == 1 and asks_origin(tracker.latest_message.get("text") or ""):
            # "Where do hallucinations come from?" asks for the causes (a challenge's limitations) or the origin
            # (anything else's history), not for the article behind the last answer.
            aspect = "limitations" if bot.kb.entries[named[0]].category == "challenge" else "history"
            answer = bot.explain(named[0], aspect, tracker.get_slot(Slot.LAST_ASPECT))
            send(dispatcher, answer)
            return remember(answer) + offer_feedback(dispatcher, tracker, answer)
        subject = named[0] if len(named) == 1 else last_concept(tracker, bot.kb)
        if asks_openness(tracker.latest_message.get("text") or ""):
            # Whether something is open source, not where the answers come from; with no topic, which one.
            answer = bot.openness(subject) if subject else bot.which_topic()
            send(dispatcher, answer)
            return remember(answer)
        recent = [c for c in tracker.get_slot(Slot.LAST_CONCEPTS) or [] if c in bot.kb.entries]
        send(dispatcher, bot.sources(named or recent))
        return []
