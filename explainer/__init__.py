"""GenAI Explainer core: load, validate and query the YAML knowledge base. No Rasa imports."""

from explainer.errors import KnowledgeBaseError
from explainer.kb import Comparison, Entry, KnowledgeBase
from explainer.loader import load_knowledge_base

__all__ = [
    "Comparison",
    "Entry",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "load_knowledge_base",
]
