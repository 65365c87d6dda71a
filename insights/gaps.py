"""Groups the messages the assistant could not answer by similarity, each with its closest concept."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

from explainer import text
from explainer.kb import KnowledgeBase
from explainer.matching import ConceptIndex, find_concepts

# Two messages are one gap when they share this share of their content words (Jaccard).
SIMILARITY = 0.5
# A name this similar (difflib ratio) to a word of the message is a look-alike ("lamma" -> LLaMA).
LOOKALIKE = 0.8
STOP_WORDS = frozenset(
    "a an and are as at be by can could do does did for from how i in is it its me my of on or please "
    "so tell that the their them there these this to was what whats when where which who why will with "
    "would you your about explain know give show some any much many make use used get new like good best "
    "want need way thing should".split()
)


@dataclass
class Gap:
    """Similar unanswered messages: a representative, how many, examples, why, and the closest concept."""

    text: str
    count: int
    examples: List[str] = field(default_factory=list)
    reasons: Dict[str, int] = field(default_factory=dict)
    closest: Optional[str] = None


# Words are compared by their first letters so "computing" and "computers" count as one (crude stemming).
STEM_LENGTH = 6
# Below this BM25 score of its best passage a message is about nothing the knowledge base covers (a passage sharing
# only a word as common as "model" scores 2.3, one sharing "electricity" 4.6).
MIN_SCORE = 3.0


def content_words(sentence: str) -> Set[str]:
    """Folded, stemmed words without stop words: what a message is about."""
    return {text.singular(w)[:STEM_LENGTH] for w in text.words(sentence) if w not in STOP_WORDS and len(w) > 1}


def similarity(a: Set[str], b: Set[str]) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.0
    return len(a & b) / len(a | b)


def group(messages: Sequence[Tuple[str, str]], threshold: float = SIMILARITY) -> List[Gap]:
    """(text, reason) pairs -> gaps, largest first; a message joins the first gap it is similar enough to."""
    wordings: Dict[Tuple[str, str], str] = {}
    for message, reason in messages:
        wordings.setdefault((" ".join(text.words(message)), reason), message)
    counts = Counter((wordings[(" ".join(text.words(m)), r)], r) for m, r in messages)
    groups: List[Tuple[Set[str], Gap]] = []
    # Most frequent wording first, so it becomes the representative of its gap.
    for (message, reason), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0])):
        words = content_words(message)
        target = next((g for w, g in groups if similarity(words, w) >= threshold), None)
        if target is None:
            target = Gap(text=message, count=0)
            groups.append((words, target))
        target.count += count
        target.reasons[reason] = target.reasons.get(reason, 0) + count
        if message not in target.examples:
            target.examples.append(message)
    return sorted((g for _, g in groups), key=lambda g: (-g.count, g.text))


class ClosestConcept:
    """The knowledge-base entry a message is closest to: named (typos allowed), else the entry of its best-ranked
    passage (the ranking grounded answers use, explainer/passages.py), else a look-alike name."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.index = ConceptIndex.of(kb)

    def __call__(self, message: str) -> Optional[str]:
        named = find_concepts(self.index, message)
        if named:
            return named[0].concept
        ranked = self.kb.passages().entries(message, 1)
        if ranked and ranked[0][1] >= MIN_SCORE:
            return ranked[0][0]
        alike = self.kb.suggest(message, limit=1, cutoff=LOOKALIKE)
        return alike[0] if alike else None

    def of_gap(self, gap: Gap) -> Optional[str]:
        """The concept most of the gap's messages are closest to."""
        votes = Counter(c for c in (self(m) for m in gap.examples) if c)
        return votes.most_common(1)[0][0] if votes else None
