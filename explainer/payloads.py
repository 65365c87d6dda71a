"""Button payloads, Rasa's `/intent{entities}` messages: built here, and told apart from typed text here.

A payload our buttons carry is passed to Rasa as it is; any other `/...` a user types is read as words.
"""

import json
import re
from typing import Any, Dict, Optional, Sequence, Tuple

from explainer.kb import KnowledgeBase
from explainer.names import Entity, Intent

# Chat platforms cap button data at 64 bytes (Telegram's callback_data, channels/buttons.py): every payload we
# build must fit, and a longer one is not ours.
MAX_PAYLOAD_BYTES = 64
# Intents our buttons carry (explainer/answers.py, explainer/guide_answers.py, the feedback buttons).
BUTTON_INTENTS = frozenset(
    {
        Intent.ASK_DEFINITION, Intent.ASK_HOW_IT_WORKS, Intent.ASK_EXAMPLES, Intent.ASK_USES, Intent.ASK_LIMITATIONS,
        Intent.ASK_HISTORY, Intent.ASK_COMPARISON, Intent.TELL_MORE, Intent.EXPLAIN_SIMPLER, Intent.ASK_SOURCE,
        Intent.LIST_TOPICS, Intent.HELP, Intent.GREET, Intent.START_GUIDE, Intent.INFORM, Intent.SKIP_QUESTION,
        Intent.WHY_ASK, Intent.STOP_GUIDE, Intent.RESTART_GUIDE, Intent.AFFIRM, Intent.DENY, Intent.SHOW_SUMMARY,
        Intent.CHANGE_ANSWER, Intent.FEEDBACK,
    }
)
FEEDBACK_VALUES = frozenset({"yes", "no"})
_PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$", re.DOTALL)


def payload(intent: str, concepts: Sequence[str] = (), **entities: str) -> str:
    """A button payload in Rasa's `/intent{entities}` form, compact to fit chat platforms' limits."""
    data = dict(entities)
    if concepts:
        data[Entity.CONCEPT] = concepts[0] if len(concepts) == 1 else list(concepts)
    return f"/{intent}{json.dumps(data, separators=(',', ':'))}" if data else f"/{intent}"


def fits(text: str) -> bool:
    """Whether `text` fits in a button's data on every chat platform (MAX_PAYLOAD_BYTES of UTF-8)."""
    return len(text.encode("utf-8")) <= MAX_PAYLOAD_BYTES


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
    if entity == Entity.CONCEPT:
        values = value if isinstance(value, list) and 1 <= len(value) <= 2 else [value]
        return all(isinstance(v, str) and v in kb.entries for v in values)
    if entity == Entity.CATEGORY:
        return isinstance(value, str) and value in kb.categories
    if entity == Entity.GUIDE_ANSWER:
        options = {o.id for f in (kb.guide.factors if kb.guide else ()) for o in f.options}
        return isinstance(value, str) and value in options
    if entity == "factor":
        return isinstance(value, str) and kb.guide is not None and any(f.id == value for f in kb.guide.factors)
    if entity == Entity.HELPFUL:
        return value in FEEDBACK_VALUES
    return False


def is_button_payload(kb: KnowledgeBase, text: str) -> bool:
    """True only for a payload one of our buttons could carry: known intent, known entity ids."""
    if not fits(text.strip()):
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
