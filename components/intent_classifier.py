"""Rasa NLU component: intents from explainer.intent_model, with knowledge-base names masked."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.knowledge_index import KnowledgeIndexed
from explainer import intent_model
from explainer.text import key
from explainer.intent_model import IntentModel

MODEL_FILE = "intent_model.skops"
# The intent is read from this many first characters of a message. Its character n-grams cost CPU in
# proportion to the text, on Rasa's event loop where every conversation waits; what a message asks is said
# near its start. The ConceptMatcher still reports the concepts of the whole message.
MAX_CLASSIFIED_CHARS = 4_096


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ConceptMaskedIntentClassifier(KnowledgeIndexed, IntentClassifier, GraphComponent):
    """Sets `intent` and `intent_ranking`; needs no featurizer before it (it featurizes the text itself)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Knowledge folder, SVM regularisation and how many intents the ranking lists."""
        return {**KnowledgeIndexed.get_default_config(), "C": 0.5, "ranking_length": LABEL_RANKING_LENGTH}

    @staticmethod
    def required_packages() -> List[Text]:
        """scikit-learn, which Rasa already installs."""
        return ["sklearn", "skops"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Retrain when the knowledge base or the classifier's own code changes (Rasa fingerprints neither)."""
        digest = hashlib.sha256((super().fingerprint_addon(config) or "").encode())
        digest.update(Path(intent_model.__file__).read_bytes())
        return digest.hexdigest()

    def __init__(self, config, model_storage, resource, index=None, model: Optional[IntentModel] = None) -> None:
        super().__init__({**self.get_default_config(), **config}, model_storage, resource, index)
        self._model = model

    def train(self, training_data: TrainingData) -> Resource:
        """Indexes the knowledge base, then fits the classifier on every intent example."""
        sio = skops_io()
        super().train(training_data)
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        texts = [e.get(TEXT) for e in examples]
        self._model = IntentModel.fit(
            texts, [self._spans(t, len(t)) for t in texts], [e.get(INTENT) for e in examples], C=self._config["C"]
        )
        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(self._model.parts(), directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ConceptMaskedIntentClassifier:
        """Loads the concept index and the classifier persisted at training time."""
        sio = skops_io()
        indexed = super().load(config, model_storage, resource, execution_context, **kwargs)
        with model_storage.read_from(resource) as directory:
            path = directory / MODEL_FILE
            # Only scikit-learn and numpy types are accepted: a model file cannot run code when loaded.
            parts = sio.load(path, trusted=_trusted(sio.get_untrusted_types(file=path)))
        indexed._model = IntentModel(**parts)
        indexed._model.prepare()
        return indexed

    def process(self, messages: List[Message]) -> List[Message]:
        """Sets the best intent and the ranking of the first `ranking_length` intents."""
        for message in messages:
            whole = message.get(TEXT) or ""
            text = whole[:MAX_CLASSIFIED_CHARS]
            spans = self._spans(whole, len(text))
            # A bare name that is also a guide answer ("chatbots") is left to the classifier; any other is a definition.
            guide_answer = any(key(text[start:end]) in self.guide_phrases for start, end, _ in spans)
            ranked = self._model.read(text, spans, guide_answer)
            ranking = [{"name": n, "confidence": c} for n, c in ranked]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[: self._config["ranking_length"]], add_to_output=True)
        return messages

    def _spans(self, whole: str, read: int):
        """The concepts named in the first `read` characters. Looked up in the whole message: the ConceptMatcher
        has just matched that very text in the shared index, which remembers its last sentence, so this costs
        nothing; the cut text would be tokenized and matched a second time (a fifth of a 64 KB message's CPU)."""
        return [(m.start, m.end, m.concept) for m in self.find(whole) if m.end <= read]


def skops_io():
    """skops.io, imported without losing the server's log level.

    Importing it walks every scikit-learn module, one of which imports numpy.distutils, which sets the root
    logger to WARNING: Rasa's INFO lines, "Rasa server is up and running." among them, would stop."""
    root = logging.getLogger()
    level = root.level
    import skops.io

    root.setLevel(level)
    return skops.io


def _trusted(types: List[str]) -> List[str]:
    """skops lists numpy scalar types as untrusted although they hold only numbers; nothing else is allowed."""
    allowed = [t for t in types if t.startswith(("numpy.", "sklearn.", "scipy.sparse."))]
    refused = sorted(set(types) - set(allowed))
    if refused:
        raise ValueError(f"The intent model file holds types it should not: {', '.join(refused)}. Retrain with `make train`.")
    return allowed
