"""What every channel does to a user's text before Rasa sees it: only our button payloads stay payloads."""

import re
from typing import Optional

from explainer.payloads import as_user_text
from explainer.settings.environment import knowledge_dir
from explainer.store import KnowledgeStore

_store: Optional[KnowledgeStore] = None
# The longest text any channel passes on (REST and socket.io bodies have the same limit): longer ones get
# too_long()'s sentence instead of an answer.
MAX_TEXT_BYTES = 64 * 1024
# C0/C1 control characters other than tab and line breaks: PostgreSQL refuses NUL, logs garble on the rest.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` storable and encodable everywhere: lone surrogates (half an emoji, which JSON can carry) become
    U+FFFD, control characters become spaces."""
    repaired = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _CONTROL.sub(" ", repaired)


def too_long(text: str) -> Optional[str]:
    """The sentence a user gets for a text over MAX_TEXT_BYTES (UTF-8), or None when it fits."""
    if len(text.encode("utf-8", "replace")) <= MAX_TEXT_BYTES:
        return None
    return f"That message is too long for me: please ask in fewer than {MAX_TEXT_BYTES // 1024} KB of text."


def user_text(text: str) -> str:
    """The text to hand to Rasa: a typed `/intent{...}` that no button of ours carries is read as words."""
    global _store
    if _store is None:
        _store = KnowledgeStore(knowledge_dir())
    return as_user_text(_store.current(), printable(text))
