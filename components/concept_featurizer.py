"""Rasa NLU component: tells the intent classifier where knowledge-base concepts are, without their names.

"how does a microwave work" and "how does a transformer work" differ only in whether the subject is
a concept we know; the word features alone cannot learn that for every concept name.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
import scipy.sparse
from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.nlu.constants import TOKENS_NAMES

from components.knowledge_index import KnowledgeIndexed

# Columns: token is part of a concept name / message names one concept / names two or more.
COLUMNS = 3


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class ConceptFeaturizer(KnowledgeIndexed, SparseFeaturizer, GraphComponent):
    """Adds sparse features marking concept mentions and how many distinct concepts a message names."""

    @classmethod
    def required_components(cls) -> List[type]:
        """Needs Rasa's tokens so its sequence features line up with the other featurizers'."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Knowledge folder and the featurizer alias Rasa requires."""
        return {**KnowledgeIndexed.get_default_config(), **SparseFeaturizer.get_default_config()}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to validate beyond the defaults."""

    def __init__(self, config: Dict[Text, Any], model_storage, resource, index=None) -> None:
        KnowledgeIndexed.__init__(self, config, model_storage, resource, index)
        SparseFeaturizer.__init__(self, "ConceptFeaturizer", {**self.get_default_config(), **config})

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes the training examples."""
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Featurizes messages in place."""
        for message in messages:
            sequence, sentence = self._features(message)
            if sequence is not None:
                self.add_features_to_message(sequence, sentence, TEXT, message)
        return messages

    def _features(self, message: Message) -> Tuple[Optional[Any], Optional[Any]]:
        tokens = message.get(TOKENS_NAMES[TEXT], [])
        if not message.get(TEXT) or not tokens:
            return None, None
        matches = self.find(message.get(TEXT))
        sequence = np.zeros([len(tokens), COLUMNS])
        sentence = np.zeros([1, COLUMNS])
        for i, token in enumerate(tokens):
            if any(token.start < m.end and token.end > m.start for m in matches):
                sequence[i][0] = 1.0
        distinct = len({m.concept for m in matches})
        sentence[0][0] = 1.0 if matches else 0.0
        sentence[0][1] = 1.0 if distinct == 1 else 0.0
        sentence[0][2] = 1.0 if distinct >= 2 else 0.0
        return scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence)
