"""What every channel does to a user's text before Rasa sees it: only our button payloads stay payloads."""

import os
from pathlib import Path
from typing import Optional

from explainer.payloads import as_user_text
from explainer.store import KnowledgeStore

_KNOWLEDGE_DIR = Path(os.environ.get("GENAI_KNOWLEDGE_DIR", Path(__file__).resolve().parent.parent / "knowledge"))
_store: Optional[KnowledgeStore] = None


def user_text(text: str) -> str:
    """The text to hand to Rasa: a typed `/intent{...}` that no button of ours carries is read as words."""
    global _store
    if _store is None:
        _store = KnowledgeStore(_KNOWLEDGE_DIR)
    return as_user_text(_store.current(), text)
