"""Keeps the knowledge base current: reloads it when a file changes, keeps the last good one if the edit is bad."""

import logging
from pathlib import Path
from typing import Tuple, Union

from explainer.errors import KnowledgeBaseError
from explainer.kb import KnowledgeBase
from explainer.loader import load_knowledge_base

logger = logging.getLogger(__name__)


class KnowledgeStore:
    """Loads once (raising if invalid), then reloads on change so edited answers apply without restart."""

    def __init__(self, directory: Union[str, Path]) -> None:
        self.directory = Path(directory)
        self._stamp = self._read_stamp()
        self._kb = self._load()

    def _load(self) -> KnowledgeBase:
        kb = load_knowledge_base(self.directory)
        # Built here, not by the first question after a (re)load, which would wait for it.
        kb.passages()
        return kb

    def _read_stamp(self) -> Tuple:
        files = sorted(self.directory.glob("*.yml"))
        return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)

    def current(self) -> KnowledgeBase:
        stamp = self._read_stamp()
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                self._kb = self._load()
                logger.info("Reloaded the knowledge base from %s.", self.directory)
            except KnowledgeBaseError as err:
                logger.error("Kept the previous knowledge base: the edited one is invalid.\n%s", err.report())
        return self._kb
