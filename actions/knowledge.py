"""The action server's one knowledge store: validated at start-up, reloaded when a YAML file changes."""

import logging
import os
import sys
from pathlib import Path

from explainer.errors import KnowledgeBaseError
from explainer.store import KnowledgeStore

logger = logging.getLogger(__name__)

KNOWLEDGE_DIR = Path(os.environ.get("GENAI_KNOWLEDGE_DIR", Path(__file__).resolve().parent.parent / "knowledge"))

try:
    STORE = KnowledgeStore(KNOWLEDGE_DIR)
except KnowledgeBaseError as err:
    # Refuse to serve half a knowledge base: say what to fix and stop the action server.
    print(f"The action server cannot start: {KNOWLEDGE_DIR} is invalid.\n{err.report()}", file=sys.stderr)
    sys.exit(1)
