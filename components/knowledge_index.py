"""What the concept components share: an index of knowledge-base names built at training time."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData

from explainer.loader import load_knowledge_base
from explainer.matching import ConceptIndex, ConceptMatch

INDEX_FILE = "concept_index.json"


class KnowledgeIndexed:
    """Builds, persists and loads a ConceptIndex from `knowledge_dir`; matches on word and punctuation tokens.

    Not spaCy's tokenizer: its vocabulary keeps every new word it sees for the life of the process, so a
    server's memory grew with every typo and random string users sent (about 0.5 KB a new word)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Knowledge folder and entity name."""
        return {"knowledge_dir": "knowledge", "entity": "concept"}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Retrain when the knowledge base changes, although it is not part of the training data."""
        folder = Path(config.get("knowledge_dir", "knowledge"))
        digest = hashlib.sha256()
        for path in sorted(folder.glob("*.yml")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        forms: Optional[List[List[Any]]] = None,
    ) -> None:
        self._config = {**KnowledgeIndexed.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._index = ConceptIndex(forms or [])

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
        self._index = ConceptIndex(kb.names())
        with self._model_storage.write_to(self._resource) as directory:
            (directory / INDEX_FILE).write_text(json.dumps(sorted(self._index.forms)), encoding="utf-8")
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
            forms = json.loads((directory / INDEX_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, forms)

    def find(self, sentence: str) -> List[ConceptMatch]:
        return self._index.find_in(sentence)
