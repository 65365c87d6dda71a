"""The action server's one knowledge store, loaded on first use and reloaded when a YAML file changes.

Importing this module reads nothing: `python -m serving.actions` loads the store before it serves (and stops with
a sentence if the knowledge base is invalid); tests and tools load it when they first ask.
"""

from typing import Optional

from explainer.kb import KnowledgeBase
from explainer.settings.environment import knowledge_dir
from explainer.store import KnowledgeStore

_store: Optional[KnowledgeStore] = None


def store() -> KnowledgeStore:
    """The store of GENAI_KNOWLEDGE_DIR, loaded on the first call (KnowledgeBaseError if it is invalid)."""
    global _store
    if _store is None:
        _store = KnowledgeStore(knowledge_dir())
    return _store


def knowledge() -> KnowledgeBase:
    """The current knowledge base (reloaded if a file changed; the last good one if the edit is invalid)."""
    return store().current()
