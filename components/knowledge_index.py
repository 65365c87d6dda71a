"""What the concept components share: an index of knowledge-base names built at training time, and one spaCy
pipeline per loaded model for both of them."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData

from explainer import matching, spacy_pipeline
from explainer.loader import load_knowledge_base
from explainer.matching import ConceptIndex, ConceptMatch

INDEX_FILE = "concept_index.json"
# Indexes of the models loaded last, by content: the concept matcher and the intent classifier of one model share
# one spaCy pipeline (and its memory) and read each message once. Two, so a reloaded model does not evict the
# one still answering.
_SHARED: Dict[str, ConceptIndex] = {}
_SHARED_KEPT = 2
_SHARED_LOCK = threading.Lock()


def shared_index(forms: List[Any], written: List[Any]) -> ConceptIndex:
    """The ConceptIndex of these names, built once per process."""
    digest = hashlib.sha256(json.dumps([forms, written], sort_keys=True).encode()).hexdigest()
    with _SHARED_LOCK:
        index = _SHARED.get(digest)
        if index is None:
            index = ConceptIndex(forms, written)
            _SHARED[digest] = index
            while len(_SHARED) > _SHARED_KEPT:
                del _SHARED[next(iter(_SHARED))]
        return index


class KnowledgeIndexed:
    """Builds, persists and loads a ConceptIndex from `knowledge_dir`; matches on spaCy's tokens.

    Not Rasa's SpacyNLP and SpacyTokenizer: one spaCy pipeline for the life of the process keeps every new word
    it sees (a server grew about 0.5 KB a new word), and Rasa's token list puts an offset pair per word in every
    stored message. The index swaps in a fresh pipeline when its vocabulary is full (explainer/spacy_pipeline.py)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Knowledge folder and entity name."""
        return {"knowledge_dir": "knowledge", "entity": "concept"}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Retrain when the knowledge base or the matching code changes (Rasa fingerprints neither)."""
        folder = Path(config.get("knowledge_dir", "knowledge"))
        digest = hashlib.sha256()
        for module in (matching, spacy_pipeline):
            digest.update(Path(module.__file__).read_bytes())
        for path in sorted(folder.glob("*.yml")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        index: Optional[ConceptIndex] = None,
    ) -> None:
        self._config = {**KnowledgeIndexed.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._index = index

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnowledgeIndexed:
        """Creates an untrained component."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Indexes every name and alias of the (validated) knowledge base."""
        kb = load_knowledge_base(self._config["knowledge_dir"])
        forms, written = sorted(kb.names()), kb.written_names()
        self._index = shared_index(forms, written)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / INDEX_FILE).write_text(json.dumps({"forms": forms, "written": written}), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> KnowledgeIndexed:
        """Loads the index persisted at training time."""
        with model_storage.read_from(resource) as directory:
            stored = json.loads((directory / INDEX_FILE).read_text(encoding="utf-8"))
        if not isinstance(stored, dict) or "written" not in stored:
            raise ValueError("The model's concept index was made by an older version (no written names for spaCy's "
                             "PhraseMatcher). Retrain with `make train`.")
        return cls(config, model_storage, resource, shared_index(stored["forms"], stored["written"]))

    def find(self, sentence: str) -> List[ConceptMatch]:
        if self._index is None:
            raise ValueError("The concept index is not trained: run `make train`.")
        return self._index.find_in(sentence)
