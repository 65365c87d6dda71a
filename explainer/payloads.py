"""Which `/intent{...}` messages are our own button payloads; anything else is read as typed text."""

import json
import re
from typing import Any, Dict, Optional, Tuple

from explainer.kb import KnowledgeBase

# Intents our buttons carry (explainer/answers.py, explainer/guide_answers.py, the feedback buttons).
BUTTON_INTENTS = frozenset(
    {
        "ask_definition", "ask_how_it_works", "ask_examples", "ask_uses", "ask_limitations", "ask_history",
        "ask_comparison", "tell_more", "explain_simpler", "ask_source", "list_topics", "help", "greet",
        "start_guide", "inform", "skip_question", "why_ask", "stop_guide", "restart_guide", "affirm", "deny",
        "show_summary", "change_answer", "feedback",
    }
)
FEEDBACK_VALUES = frozenset({"yes", "no"})
_PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$", re.DOTALL)
# Chat platforms cap button data at 64 bytes (Telegram); ours are built to fit, so longer is not ours.
MAX_PAYLOAD_BYTES = 64


def parse(text: str) -> Optional[Tuple[str, Dict[str, Any]]]:
    """(intent, entities) when `text` has the payload shape, else None."""
    match = _PAYLOAD.match(text.strip())
    if not match:
        return None
    entities: Dict[str, Any] = {}
    if match.group("entities"):
        try:
            entities = json.loads(match.group("entities"))
        except ValueError:
            return None
        if not isinstance(entities, dict):
            return None
    return match.group("intent"), entities


def _valid_value(kb: KnowledgeBase, entity: str, value: Any) -> bool:
    if entity == "concept":
        values = value if isinstance(value, list) and 1 <= len(value) <= 2 else [value]
        return all(isinstance(v, str) and v in kb.entries for v in values)
    if entity == "category":
        return isinstance(value, str) and value in kb.categories
    if entity == "guide_answer":
        options = {o.id for f in (kb.guide.factors if kb.guide else ()) for o in f.options}
        return isinstance(value, str) and value in options
    if entity == "factor":
        return isinstance(value, str) and kb.guide is not None and any(f.id == value for f in kb.guide.factors)
    if entity == "helpful":
        return value in FEEDBACK_VALUES
    return False


def is_button_payload(kb: KnowledgeBase, text: str) -> bool:
    """True only for a payload one of our buttons could carry: known intent, known entity ids."""
    if len(text.strip().encode("utf-8")) > MAX_PAYLOAD_BYTES:
        return False
    parsed = parse(text)
    if parsed is None:
        return False
    intent, entities = parsed
    return intent in BUTTON_INTENTS and all(_valid_value(kb, k, v) for k, v in entities.items())


def as_user_text(kb: KnowledgeBase, text: str) -> str:
    """The message Rasa should see: our payloads unchanged, any other leading '/' removed so NLU reads it."""
    if not text.lstrip().startswith("/") or is_button_payload(kb, text):
        return text
    return text.lstrip().lstrip("/").lstrip() or "?"
