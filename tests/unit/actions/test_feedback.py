"""'Was this helpful?': when it is asked, and how a rating is recorded for the rated concept."""

import asyncio
from typing import Any, Dict, List, Tuple

from rasa_sdk.executor import CollectingDispatcher

from actions.explain import ActionCompare, ActionExplain
from actions.feedback import ActionRecordFeedback
from tests.support.trackers import make_tracker
from explainer import feedback
from explainer.answers import Answer
from explainer.payloads import is_button_payload
from explainer.settings.feedback import FeedbackSettings


def answer(*concepts: str, aspect: str = "definition") -> Answer:
    return Answer("text", [], list(concepts), aspect)


def asked_after(settings: FeedbackSettings, answers: List[Answer]) -> List[bool]:
    state, asked = None, []
    for a in answers:
        after = feedback.after_answer(settings, state, a)
        asked.append(feedback.asks(state, after))
        state = after
    return asked


def test_asked_after_every_nth_answer() -> None:
    answers = [answer(c) for c in ("gan", "vae", "llm", "transformer", "diffusion_model", "bert")]
    assert asked_after(FeedbackSettings(ask_every=3), answers) == [False, False, True, False, False, True]
    assert asked_after(FeedbackSettings(ask_every=1), answers) == [True] * 6


def test_zero_never_asks() -> None:
    assert not any(asked_after(FeedbackSettings(ask_every=0), [answer("gan"), answer("vae")]))


def test_never_twice_for_the_same_concept_in_a_conversation() -> None:
    answers = [answer("gan"), answer("gan", aspect="history"), answer("gan", "vae", aspect="comparison"), answer("vae")]
    assert asked_after(FeedbackSettings(ask_every=1), answers) == [True, False, False, True]


def test_answers_without_a_concept_are_not_counted() -> None:
    answers = [Answer("Which topic do you mean?"), answer("gan")]
    assert asked_after(FeedbackSettings(ask_every=2), answers) == [False, False]


def test_the_buttons_are_our_own_payloads_within_64_bytes(kb) -> None:
    payloads = [b.payload for b in feedback.feedback_buttons()]
    assert payloads == ['/feedback{"helpful":"yes"}', '/feedback{"helpful":"no"}']
    assert all(is_button_payload(kb, p) and len(p.encode()) <= 64 for p in payloads)


def test_typed_ratings_are_read_as_yes_or_no() -> None:
    assert feedback.value_of(None, "that answer wasn't helpful") == "no"
    assert feedback.value_of(None, "your answer didn't help") == "no"
    assert feedback.value_of(None, "yes the answer helped") == "yes"
    assert feedback.value_of("no", "whatever the text") == "no"


def run(action, tracker) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def due_state(kb) -> Dict[str, Any]:
    """Bookkeeping one answer short of the next question, under the shipped setting."""
    every = kb.feedback.ask_every
    return {"answers": every - 1, "asked_at": 0, "asked": [], "pending": None}


def test_explain_action_asks_when_due_and_remembers_the_rated_concept(kb) -> None:
    tracker = make_tracker("what is a GAN?", "ask_definition", ["gan"], slots={"feedback_state": due_state(kb)})
    messages, slots = run(ActionExplain(), tracker)
    assert len(messages) == 2
    assert messages[1]["text"] == feedback.QUESTION
    assert [b["payload"] for b in messages[1]["buttons"]] == [b.payload for b in feedback.feedback_buttons()]
    assert slots["feedback_state"]["pending"] == {"concepts": ["gan"], "aspect": "definition", "answer": kb.feedback.ask_every}
    assert slots["feedback_pending"] is True


def test_an_answer_without_the_question_closes_a_pending_one(kb) -> None:
    # GAN was asked about already, so this answer gets no question, however often the setting asks.
    state = {"answers": 5, "asked_at": 0, "asked": ["gan"], "pending": None}
    tracker = make_tracker("what is a GAN?", "ask_definition", ["gan"], slots={"feedback_state": state, "feedback_pending": True})
    messages, slots = run(ActionExplain(), tracker)
    assert len(messages) == 1 and slots["feedback_pending"] is False


def test_compare_action_rates_both_concepts(kb) -> None:
    tracker = make_tracker("gan vs vae", "ask_comparison", ["gan", "vae"], slots={"feedback_state": due_state(kb)})
    messages, slots = run(ActionCompare(), tracker)
    assert messages[-1]["text"] == feedback.QUESTION
    assert slots["feedback_state"]["pending"]["concepts"] == ["gan", "vae"]


def test_not_asked_inside_the_decision_guide(kb) -> None:
    tracker = make_tracker("what is a GAN?", "ask_definition", ["gan"], slots={"feedback_state": due_state(kb)})
    tracker.active_loop = {"name": "decision_guide_form"}
    messages, slots = run(ActionExplain(), tracker)
    assert len(messages) == 1 and "feedback_state" not in slots


def test_a_button_rating_is_recorded_for_the_answer_it_was_offered_under() -> None:
    pending = {"concepts": ["gan"], "aspect": "definition", "answer": 3}
    state = {"answers": 4, "asked_at": 3, "asked": ["gan"], "pending": pending}
    tracker = make_tracker('/feedback{"helpful":"no"}', "feedback", slots={"feedback_state": state, "last_concepts": ["vae"]})
    tracker.latest_message["entities"] = [{"entity": "helpful", "value": "no"}]
    messages, slots = run(ActionRecordFeedback(), tracker)
    assert slots["feedback_given"] == {**pending, "helpful": "no"}
    assert slots["feedback_state"]["pending"] is None and slots["feedback_pending"] is False
    assert [b["payload"] for b in messages[0]["buttons"]] == ['/explain_simpler{"concept":"gan"}']


def test_a_typed_rating_without_open_buttons_rates_the_latest_answer() -> None:
    state = {"answers": 2, "asked_at": 0, "asked": [], "pending": None}
    slots_before = {"feedback_state": state, "last_concepts": ["llm"], "last_aspect": "examples"}
    messages, slots = run(ActionRecordFeedback(), make_tracker("that answer was not helpful", "feedback", slots=slots_before))
    assert slots["feedback_given"] == {"concepts": ["llm"], "aspect": "examples", "answer": 2, "helpful": "no"}


def test_a_rating_before_any_answer_records_nothing_and_says_so() -> None:
    messages, slots = run(ActionRecordFeedback(), make_tracker("not helpful", "feedback"))
    assert slots == {"feedback_pending": False} and messages[0]["text"] == feedback.NOTHING_TO_RATE


def test_a_feedback_reading_that_names_a_topic_before_any_answer_is_answered_as_a_question() -> None:
    """"rambling off topic" reads like feedback but names coherence: with nothing to rate, the topic is explained."""
    tracker = make_tracker("rambling off topic", "feedback", ["coherence"])
    messages, slots = run(ActionRecordFeedback(), tracker)
    assert messages[0]["text"].startswith("Coherence: ")
    # Remembered for "tell me more", and no rating waits for an answer.
    assert slots["concept"] == "coherence" and slots["feedback_pending"] is False
