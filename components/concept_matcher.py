"""Rasa NLU component: emits entity `concept` (a knowledge-base id) for every name or alias in a message."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import spacy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from explainer.loader import load_knowledge_base
from explainer.matching import ConceptIndex, Token

INDEX_FILE = "concept_index.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class ConceptMatcher(GraphComponent, EntityExtractorMixin):
    """Builds a name/alias index from `knowledge/` at training time and matches it with spaCy tokens."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Knowledge folder, entity name and spaCy language of the blank tokenizer."""
        return {"knowledge_dir": "knowledge", "entity": "concept", "language": "en"}

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
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._index = ConceptIndex(forms or [])
        self._nlp = spacy.blank(self._config["language"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ConceptMatcher:
        """Creates an untrained matcher."""
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
    ) -> ConceptMatcher:
        """Loads the index persisted at training time."""
        with model_storage.read_from(resource) as directory:
            forms = json.loads((directory / INDEX_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, forms)

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds one `concept` entity per recognised name, in the order they appear."""
        for message in messages:
            sentence = message.get(TEXT) or ""
            tokens = [Token(t.text, t.idx, t.idx + len(t.text)) for t in self._nlp.make_doc(sentence)]
            found = [
                {
                    "entity": self._config["entity"],
                    "value": match.concept,
                    "start": match.start,
                    "end": match.end,
                    "confidence_entity": match.confidence,
                }
                for match in self._index.find(tokens, sentence)
            ]
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
        return messages
