"""Deployer settings read from `feedback:` in knowledge/settings.yml, and their schema checks."""

from dataclasses import dataclass
from typing import Any, Callable, Dict

from explainer.validate_guide import LINE

# Without a settings file the assistant asks after every third explainer answer.
DEFAULT_ASK_EVERY = 3
FEEDBACK_FIELDS = {"ask_every"}


@dataclass(frozen=True)
class FeedbackSettings:
    """How often "Was this helpful?" follows an explainer answer; 0 never asks."""

    ask_every: int = DEFAULT_ASK_EVERY


def check_feedback(label: str, value: Any, add: Callable[[str], None]) -> None:
    """Reports every problem of the `feedback:` section through `add(sentence)`."""
    if not isinstance(value, dict):
        add(f"{label}: 'feedback' must be a mapping, e.g. 'feedback: {{ask_every: 3}}'.")
        return
    at = f" (line {value[LINE]})" if value.get(LINE) else ""
    for name in value:
        if name != LINE and name not in FEEDBACK_FIELDS:
            add(f"{label}: feedback{at}: unknown field '{name}' (expected one of {sorted(FEEDBACK_FIELDS)}).")
    every = value.get("ask_every", DEFAULT_ASK_EVERY)
    if not isinstance(every, int) or isinstance(every, bool) or every < 0:
        add(
            f"{label}: feedback{at}: field 'ask_every' must be a whole number of answers, 0 or more "
            f"(0 turns the question off), found {every!r}."
        )


def build_feedback(value: Dict[str, Any]) -> FeedbackSettings:
    return FeedbackSettings(ask_every=value.get("ask_every", DEFAULT_ASK_EVERY))
