"""What the concept components share: an index of knowledge-base names built at training time, and one spaCy
pipeline per loaded model for both of them."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData

from explainer import guide, kb, matching, spacy_pipeline
from explainer.loader import load_knowledge_base
from explainer.matching import ConceptIndex, ConceptMatch

INDEX_FILE = "concept_index.json"
# Indexes of the models loaded last, by content: the concept matcher and the intent classifier of one model share
# one spaCy pipeline (and its memory) and read each message once. Two, so a reloaded model does not evict the
# one still answering.
_SHARED: Dict[str, ConceptIndex] = {}
_SHARED_KEPT = 2
_SHARED_LOCK = threading.Lock()


def shared_index(forms: List[Any], written: List[Any], guards: Dict[str, List[str]]) -> ConceptIndex:
    """The ConceptIndex of these names, built once per process."""
    digest = hashlib.sha256(json.dumps([forms, written, guards], sort_keys=True).encode()).hexdigest()
    with _SHARED_LOCK:
        index = _SHARED.get(digest)
        if index is None:
            index = ConceptIndex(forms, written, guards)
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
        # This module and what builds the stored index too: a model trained before a change to them would load an
        # index without what the change stores.
        for module in (matching, spacy_pipeline, kb, guide):
            digest.update(Path(module.__file__).read_bytes())
        digest.update(Path(__file__).read_bytes())
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
        # Keys of the decision guide's option words (DecisionGuide.phrase_keys), which may answer its questions alone.
        self.guide_phrases: FrozenSet[str] = frozenset()

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
        knowledge = load_knowledge_base(self._config["knowledge_dir"])
        forms, written, guards = sorted(knowledge.names()), knowledge.written_names(), knowledge.alias_guards()
        self._index = shared_index(forms, written, guards)
        self.guide_phrases = frozenset(knowledge.guide.phrase_keys() if knowledge.guide else ())
        stored = {"forms": forms, "written": written, "guards": guards, "guide_phrases": sorted(self.guide_phrases)}
        with self._model_storage.write_to(self._resource) as directory:
            (directory / INDEX_FILE).write_text(json.dumps(stored), encoding="utf-8")
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
        if not isinstance(stored, dict) or not {"written", "guards", "guide_phrases"} <= set(stored):
            raise ValueError("The model's concept index was made by an older version (no written names for spaCy's "
                             "PhraseMatcher, no guards of ambiguous aliases or no guide phrases). Retrain with "
                             "`make train`.")
        loaded = cls(config, model_storage, resource, shared_index(stored["forms"], stored["written"], stored["guards"]))
        loaded.guide_phrases = frozenset(stored["guide_phrases"])
        return loaded

    def find(self, sentence: str) -> List[ConceptMatch]:
        if self._index is None:
            raise ValueError("The concept index is not trained: run `make train`.")
        return self._index.find_in(sentence)
