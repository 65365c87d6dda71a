"""Rasa NLU component: emits entity `concept` (a knowledge-base id) for every name or alias in a message."""

from __future__ import annotations

from typing import List

from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.knowledge_index import KnowledgeIndexed


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class ConceptMatcher(KnowledgeIndexed, GraphComponent, EntityExtractorMixin):
    """Matches knowledge-base names and aliases (case, plural, hyphen, spacing and typo tolerant)."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds one `concept` entity per recognised name, in the order they appear."""
        for message in messages:
            found = [
                {
                    "entity": self._config["entity"],
                    "value": match.concept,
                    "start": match.start,
                    "end": match.end,
                    "confidence_entity": match.confidence,
                }
                for match in self.find(message.get(TEXT) or "")
            ]
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
        return messages
