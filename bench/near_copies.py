"""Which evaluation questions have a near-copy among the training sentences once concept names are masked.

The evaluation sets forbid exact copies (tests/data/test_heldout_not_training.py): "what is a GAN" in training makes
"what is a VAE" a memory test. A near-copy is weaker but still helps the classifier more than a new phrasing would:
"When ChatGPT Invented" in training next to "When Was ChatGPT Invented?" held out. Page titles recur on sister pages,
so public questions from other threads can still be near-copies. A figure over the questions WITHOUT a near-copy
says how much of a score rests on them; new training sentences that are near-copies are left out when merged.
"""

import re
from pathlib import Path
from typing import FrozenSet, Iterable, List

from explainer.matching import ConceptIndex

MASK = "xconceptx"
# Share of masked words two sentences have in common (Jaccard) from which they count as near-copies: at 0.75
# "when chatgpt invented" and "when was chatgpt invented" are; "what is xconceptx" and "how does xconceptx work"
# are not.
NEAR = 0.75


def masked_key(index: ConceptIndex, sentence: str) -> str:
    """Concept names (knowledge-base names and aliases, as the matcher finds them) -> one token; then lowercase,
    punctuation gone, spaces collapsed."""
    for match in sorted(index.find_in(sentence), key=lambda m: m.start, reverse=True):
        sentence = sentence[: match.start] + f" {MASK} " + sentence[match.end :]
    return " ".join(re.sub(r"[^a-z0-9]+", " ", sentence.lower()).split())


def masked_words(index: ConceptIndex, sentence: str) -> FrozenSet[str]:
    return frozenset(masked_key(index, sentence).split())


class NearCopies:
    """The masked word sets of a body of training sentences, to ask whether a question nearly copies one."""

    def __init__(self, index: ConceptIndex, sentences: Iterable[str]) -> None:
        self.index = index
        self.training: List[FrozenSet[str]] = [w for w in {masked_words(index, s) for s in sentences} if w]

    def has_near_copy(self, sentence: str) -> bool:
        words = masked_words(self.index, sentence)
        return bool(words) and any(len(words & t) / len(words | t) >= NEAR for t in self.training)


def training_sentences(training: Path) -> List[str]:
    """Every intent example of the Rasa NLU files in `training`."""
    from bench.real_training_cv import nlu_examples

    return [text for path in sorted(training.glob("*.yml")) for text, _, _ in nlu_examples(path)]
