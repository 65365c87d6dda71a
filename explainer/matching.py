"""Finds knowledge-base concepts in tokenised text, tolerating case, plurals, spacing and typos."""

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from explainer import text

_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")
MAX_SPAN_TOKENS = 6
MAX_FUZZY_TOKENS = 3
# Typo search results remembered per span ("how does", "what is" recur in most messages); the cap bounds memory.
FUZZY_MEMO_SIZE = 20_000


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ConceptMatch:
    concept: str
    start: int
    end: int
    text: str
    confidence: float


class ConceptIndex:
    """Matching keys of names and aliases -> entry id; typo search looks only at keys with the same first
    letter and word count ("train station" is two words, so it is no typo of "translation")."""

    def __init__(self, forms: Sequence[Tuple[str, str, int]]) -> None:
        self.forms = [tuple(form) for form in forms]
        self.keys = {form_key: concept for form_key, concept, _ in self.forms}
        self._buckets: Dict[Tuple[str, int], List[Tuple[str, str]]] = {}
        for form_key, concept, word_count in self.forms:
            self._buckets.setdefault((form_key[:1], word_count), []).append((form_key, concept))
        self._fuzzy_memo: Dict[Tuple[str, int], Tuple[str, int]] = {}

    def exact(self, span_key: str) -> str:
        return self.keys.get(span_key, "")

    def fuzzy(self, span_key: str, word_count: int) -> Tuple[str, int]:
        remembered = self._fuzzy_memo.get((span_key, word_count))
        if remembered is not None:
            return remembered
        found = text.closest(span_key, self._buckets.get((span_key[:1], word_count), [])) or ("", 0)
        if len(self._fuzzy_memo) < FUZZY_MEMO_SIZE:
            self._fuzzy_memo[(span_key, word_count)] = found
        return found

    def find(self, tokens: Sequence[Token], original: str) -> List[ConceptMatch]:
        """Longest exact spans first; then spans left over may match a name within its typo allowance."""
        words = [t for t in tokens if text.compact(t.text)]
        covered = [False] * len(words)
        matches: List[ConceptMatch] = []
        for fuzzy in (False, True):
            i = 0
            while i < len(words):
                found = None if covered[i] else self._match_at(words, covered, i, original, fuzzy)
                if found:
                    matches.append(found[0])
                    for j in range(i, i + found[1]):
                        covered[j] = True
                    i += found[1]
                else:
                    i += 1
        return sorted(matches, key=lambda m: m.start)

    def _match_at(
        self, words: Sequence[Token], covered: List[bool], i: int, original: str, fuzzy: bool
    ) -> Optional[Tuple[ConceptMatch, int]]:
        longest = min(MAX_FUZZY_TOKENS if fuzzy else MAX_SPAN_TOKENS, len(words) - i)
        for n in range(longest, 0, -1):
            if any(covered[i : i + n]):
                continue
            start, end = words[i].start, words[i + n - 1].end
            span_key = text.key(original[start:end])
            if not span_key:
                continue
            if fuzzy:
                concept, dist = self.fuzzy(span_key, len(text.words(original[start:end])))
                confidence = 1.0 - dist / (len(span_key) + 1)
            else:
                concept, confidence = self.exact(span_key), 1.0
            if concept:
                return ConceptMatch(concept, start, end, original[start:end], round(confidence, 3)), n
        return None


def simple_tokens(sentence: str) -> List[Token]:
    """Word and punctuation tokens with offsets ("GPT-4o's" -> GPT, -, 4o, ', s)."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]


def find_concepts(index: ConceptIndex, sentence: str) -> List[ConceptMatch]:
    return index.find(simple_tokens(sentence), sentence)
