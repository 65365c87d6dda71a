"""When to ask "Was this helpful?", and what a typed rating means (plain logic for actions/feedback.py)."""

from typing import Any, Dict, List, Optional, Sequence

from explainer import text
from explainer.answers import Answer, Button
from explainer.names import Intent
from explainer.payloads import payload
from explainer.settings.feedback import FeedbackSettings

QUESTION = "Was this helpful?"
YES, NO = "yes", "no"
# Words that turn typed feedback ("not helpful", "that didn't help") into a "no".
NEGATIVE_WORDS = {"not", "no", "nope", "didn", "didnt", "doesn", "doesnt", "isn", "isnt", "wasn", "wasnt",
                  "unhelpful", "useless", "wrong", "bad", "confusing", "unclear", "never"}


def feedback_buttons() -> List[Button]:
    """The two buttons; their payloads are the ones explainer/payloads.py accepts as ours."""
    return [Button("Yes", payload(Intent.FEEDBACK, helpful=YES)), Button("No", payload(Intent.FEEDBACK, helpful=NO))]


def new_state(state: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The feedback bookkeeping of a conversation: answers given, when we last asked, what, what is pending."""
    state = dict(state or {})
    return {
        "answers": int(state.get("answers") or 0),
        "asked_at": int(state.get("asked_at") or 0),
        "asked": list(state.get("asked") or []),
        "pending": state.get("pending"),
    }


def after_answer(settings: FeedbackSettings, state: Optional[Dict[str, Any]], answer: Answer) -> Dict[str, Any]:
    """The state after an explainer answer; `pending` is set when this answer gets the question."""
    state = new_state(state)
    if not answer.concepts:
        return state
    state["answers"] += 1
    due = settings.ask_every > 0 and state["answers"] - state["asked_at"] >= settings.ask_every
    if due and not any(c in state["asked"] for c in answer.concepts):
        state["asked_at"] = state["answers"]
        state["asked"] += [c for c in answer.concepts if c not in state["asked"]]
        state["pending"] = rated(answer.concepts, answer.aspect, state["answers"])
    return state


def asks(before: Optional[Dict[str, Any]], after: Dict[str, Any]) -> bool:
    """True when `after_answer` decided to ask about the answer just given."""
    return after["asked_at"] != new_state(before)["asked_at"]


def rated(concepts: Sequence[str], aspect: Optional[str], number: int) -> Dict[str, Any]:
    """What a rating applies to: the answer's concepts and aspect, and its number in the conversation."""
    return {"concepts": list(concepts), "aspect": aspect, "answer": number}


def value_of(entity_value: Any, typed: str) -> str:
    """yes or no: the button's value, else read from typed words ("not helpful" is a no)."""
    if entity_value in (YES, NO):
        return entity_value
    return NO if NEGATIVE_WORDS & set(text.words(typed.replace("'", ""))) else YES


def thanks(helpful: str, concepts: Sequence[str]) -> Answer:
    """The reply to a rating; a "no" offers the simpler explanation of a single concept."""
    if helpful == YES:
        return Answer("Thanks for the feedback! Ask me anything else about generative AI.")
    buttons = [Button("Explain it more simply", payload(Intent.EXPLAIN_SIMPLER, concepts[:1]))] if len(concepts) == 1 else []
    return Answer(
        "Thanks for telling me. I've noted it so this answer can be improved. "
        "You can ask me to explain it more simply, or ask in other words.",
        buttons,
    )


NOTHING_TO_RATE = "Thanks! Ask me about a concept, and tell me afterwards whether the answer helped."
