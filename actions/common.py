"""Helpers every action shares: reading concepts from the tracker, sending answers, remembering context."""

from typing import Any, Callable, Dict, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import knowledge
from explainer.answers import Answer, Explainer
from explainer.context import asks_for_a_choice, which_of_two
from explainer.kb import KnowledgeBase
from explainer.names import Entity, Slot


def explainer() -> Explainer:
    return Explainer(knowledge())


def concept_mentions(tracker: Tracker, kb: KnowledgeBase) -> List[str]:
    """Known concept ids of every name the latest message uses, in order: "ChatGPT vs Chat GPT" gives one id twice."""
    return [v for v in tracker.get_latest_entity_values(Entity.CONCEPT) if v in kb.entries]


def concept_spans(tracker: Tracker) -> List[Tuple[Any, Any]]:
    """(start, end) of every concept name in the latest message, as its entities give them: an entity set by a
    "/intent{...}" payload has none, and explainer.context checks them before use."""
    entities = tracker.latest_message.get("entities") or []
    return [(e.get("start"), e.get("end")) for e in entities if e.get("entity") == Entity.CONCEPT]


def mentioned_concepts(tracker: Tracker, kb: KnowledgeBase) -> List[str]:
    """Known concept ids the latest message names, in order, without repeats."""
    return list(dict.fromkeys(concept_mentions(tracker, kb)))


def last_concept(tracker: Tracker, kb: KnowledgeBase) -> Optional[str]:
    value = tracker.get_slot(Slot.CONCEPT)
    return value if value in kb.entries else None


# The bot message's metadata key naming the entries an answer comes from ({"kind", "entries"}): kept with the
# event in the tracker (the insights report reads it), returned by the REST channel (bench/coverage.py reads
# it), ignored by the chat channels, so users never see it.
ANSWERED_FROM = "answered_from"


def send(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    buttons = [{"title": b.title, "payload": b.payload} for b in answer.buttons]
    extra = {ANSWERED_FROM: answer.answered_from()} if answer.kind else {}
    dispatcher.utter_message(text=answer.text, buttons=buttons, **extra)


def previous_turn(tracker: Tracker) -> Tuple[Optional[str], List[Dict[str, Any]]]:
    """The user message before the latest one (None when the latest is the first) and the bot events that answered
    it, newest first."""
    answered: List[Dict[str, Any]] = []
    latest_seen = False
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            if latest_seen:
                return event.get("text") or "", answered
            latest_seen = True
        elif event.get("event") == "bot" and latest_seen:
            answered.append(event)
    return None, answered


def not_repeated(tracker: Tracker, bot: Explainer, answer: Answer) -> Answer:
    """`answer`, or Explainer.said_again when the last reply already said it word for word although the user asked
    something else (the same question asked again gets the same answer). So is an answer that only adds a second
    aspect (Explainer.explain_with_runner_up) to the last reply, or only repeats the first aspect of a last reply that
    had a second: shown the added part alone ("what about models made specifically for medicine" got ChatGPT's
    uses), a blind judge of the development conversations preferred being told there is nothing more."""
    asked, answered = previous_turn(tracker)
    latest = tracker.latest_message.get("text") or ""
    said = [(event.get("text") or "").strip() for event in answered]
    if asked is None or asked.strip().lower() == latest.strip().lower():
        return answer
    text = answer.text.strip()
    # Either way round: the last reply may have been the one with a second aspect added.
    if any(s and (text == s or text.startswith(s + "\n") or s.startswith(text + "\n")) for s in said):
        return bot.said_again(answer)
    return answer


def which_of_the_pair(tracker: Tracker, bot: Explainer, sentence: str) -> Optional[Answer]:
    """After a comparison, "which is faster?" asks which of the two entries compared wins at something: the answer
    about them (explainer.answers.which_of); None for any other message or context."""
    asked = which_of_two(sentence)
    pair = [c for c in tracker.get_slot(Slot.LAST_CONCEPTS) or [] if c in bot.kb.entries]
    if not asked or len(pair) != 2 or tracker.get_slot(Slot.LAST_ASPECT) != "comparison" or tracker.active_loop_name:
        return None
    return bot.which_of(pair[0], pair[1], asked)


def grounded_or(bot: Explainer, question: str, otherwise: Callable[[], Answer]) -> Answer:
    """For a concept question that names no entry: the knowledge base's closest passage when it matches well
    enough (explainer/passages.py), else `otherwise()` (the not-covered answer or "which topic?"). It is built
    only when needed: with a guide offer it reads the whole message against the guide's vocabulary. A request for
    a recommendation ("hello, which one is best for me?") is the guide's to answer: a passage that shares its
    words ("one of the things LLMs do best") answers nothing it asked."""
    if asks_for_a_choice(question):
        return otherwise()
    return bot.grounded(question) or otherwise()


def outside_the_guide(bot: Explainer, tracker: Tracker, answer: Answer, sentence: str, always: bool = False) -> Answer:
    """`answer` with the guide's button when `sentence` asks for a choice (or `always`), unless the guide is
    already running: a second way into it would start it over."""
    return answer if tracker.active_loop_name else bot.offering_the_guide(answer, sentence, always)


def send_guide_offer(dispatcher: CollectingDispatcher, tracker: Tracker, bot: Explainer) -> None:
    """The guide's button on its own, after another answer, when the message asks for a choice and no guide runs."""
    offer = None if tracker.active_loop_name else bot.guide_offer(tracker.latest_message.get("text") or "")
    if offer:
        send(dispatcher, offer)


def remember(answer: Answer, topic: Optional[str] = None) -> List[Dict[str, Any]]:
    """Slots that let the next question say "it" or "tell me more". "It" is `topic` when given, else the answer's
    first concept, or the side named last of a comparison."""
    if not answer.concepts:
        return []
    compared = answer.aspect in ("comparison", "comparison_more")
    events = [SlotSet(Slot.CONCEPT, topic or (answer.concepts[-1] if compared else answer.concepts[0]))]
    events.append(SlotSet(Slot.LAST_CONCEPTS, list(answer.concepts)))
    if answer.aspect:
        events.append(SlotSet(Slot.LAST_ASPECT, answer.aspect))
    return events


def intent_of(tracker: Tracker) -> str:
    """The intent of the latest message as classified, nlu_fallback included ("" if it has none)."""
    return tracker.get_intent_of_latest_message(skip_fallback_intent=False) or ""


def intent_ranking(tracker: Tracker) -> List[Tuple[str, float]]:
    """(intent, confidence) of the latest message, best first, as the NLU ranked them; entries that are not a name
    and a number (a message injected with its own parse data) are left out."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    return [(r["name"], float(r["confidence"])) for r in ranking if isinstance(r, dict)
            and isinstance(r.get("name"), str) and isinstance(r.get("confidence"), (int, float))]


def first_entity(tracker: Tracker, entity: str) -> Optional[str]:
    """The value of the first `entity` in the latest message, or None."""
    return next(tracker.get_latest_entity_values(entity), None)
