"""Finds knowledge-base concepts in tokenised text, tolerating case, plurals, spacing and typos."""

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from explainer import text

_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")
MAX_SPAN_TOKENS = 6
MAX_FUZZY_TOKENS = 3
# Names reported per message at most, the first ones: no question names more, and a 64 KB message of names
# (4,346 of them) made an object and an entity per name, enough allocation to set off a full garbage
# collection of the server's heap (0.2 s) and store thousands of entities with the event.
MAX_MATCHES = 100
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
        # Every beginning of a key: a span whose first words already begin no key cannot grow into one, so
        # the exact search stops there instead of trying all MAX_SPAN_TOKENS lengths at every word.
        self._prefixes = {form_key[:n] for form_key in self.keys for n in range(1, len(form_key) + 1)}
        # Keys too short to carry a typo are left out once here rather than skipped at every look-up.
        self._buckets: Dict[Tuple[str, int], Tuple[List[str], List[str]]] = {}
        for form_key, concept, word_count in self.forms:
            if text.allowed_typos(len(form_key)):
                keys, concepts = self._buckets.setdefault((form_key[:1], word_count), ([], []))
                keys.append(form_key)
                concepts.append(concept)
        self._fuzzy_memo: Dict[Tuple[str, int], Tuple[str, int]] = {}

    def exact(self, span_key: str) -> str:
        return self.keys.get(span_key, "")

    def fuzzy(self, span_key: str, word_count: int) -> Tuple[str, int]:
        remembered = self._fuzzy_memo.get((span_key, word_count))
        if remembered is not None:
            return remembered
        keys, concepts = self._buckets.get((span_key[:1], word_count), ((), ()))
        nearest = text.closest(span_key, keys)
        found = (concepts[nearest[0]], nearest[1]) if nearest else ("", 0)
        if len(self._fuzzy_memo) < FUZZY_MEMO_SIZE:
            self._fuzzy_memo[(span_key, word_count)] = found
        return found

    def find(self, tokens: Sequence[Token], original: str) -> List[ConceptMatch]:
        return self._find(((t.start, t.end, t.text) for t in tokens), original)

    def find_in(self, sentence: str) -> List[ConceptMatch]:
        """find(simple_tokens(sentence), sentence) without building a Token object per token."""
        return self._find(((m.start(), m.end(), m.group()) for m in _TOKEN.finditer(sentence)), original=sentence)

    def _find(self, tokens: Iterable[Tuple[int, int, str]], original: str) -> List[ConceptMatch]:
        """Longest exact spans first; then spans left over may match a name within its typo allowance.

        A span's words are its tokens' words, so each distinct token is folded once per message, not once
        for every span it is part of; typo search reads the first MAX_FUZZY_CHARS characters only. Offsets
        are kept in lists of ints, not an object per token: objects that live through a 64 KB message
        made Python's garbage collector sweep the whole heap, which cost more than the matching."""
        seen: Dict[str, Optional[_Word]] = {}
        starts: List[int] = []
        ends: List[int] = []
        words: List[_Word] = []
        for start, end, token in tokens:
            if token not in seen:
                parts = text.words(token)
                seen[token] = _Word(parts) if parts else None
            word = seen[token]
            if word is not None:
                starts.append(start)
                ends.append(end)
                words.append(word)
        covered = [False] * len(words)
        matches: List[ConceptMatch] = []
        keys, prefixes = self.keys, self._prefixes
        i = 0
        while i < len(words) and len(matches) < MAX_MATCHES:
            # The longest exact span from word i; it cannot grow once its words begin no key.
            best, prefix = 0, ""
            for n in range(1, min(MAX_SPAN_TOKENS, len(words) - i) + 1):
                word = words[i + n - 1]
                concept = keys.get(prefix + word.tail_key)
                if concept:
                    best, found = n, concept
                prefix += word.compact
                if prefix not in prefixes:
                    break
            if best:
                start, end = starts[i], ends[i + best - 1]
                matches.append(ConceptMatch(found, start, end, original[start:end], 1.0))
                covered[i : i + best] = [True] * best
                i += best
            else:
                i += 1
        i = 0
        while i < len(words) and starts[i] < text.MAX_FUZZY_CHARS and len(matches) < 2 * MAX_MATCHES:
            at = None if covered[i] else self._fuzzy_at(words, starts, ends, covered, i, original)
            if at:
                matches.append(at[0])
                covered[i : i + at[1]] = [True] * at[1]
                i += at[1]
            else:
                i += 1
        return sorted(matches, key=lambda m: m.start)[:MAX_MATCHES]

    def _fuzzy_at(
        self,
        words: Sequence["_Word"],
        starts: Sequence[int],
        ends: Sequence[int],
        covered: List[bool],
        i: int,
        original: str,
    ) -> Optional[Tuple[ConceptMatch, int]]:
        longest = min(MAX_FUZZY_TOKENS, len(words) - i)
        for n in range(longest, 0, -1):
            if any(covered[i : i + n]):
                continue
            span = words[i : i + n]
            span_key = "".join(w.compact for w in span[:-1]) + span[-1].tail_key
            if not text.allowed_typos(len(span_key)):
                continue
            concept, dist = self.fuzzy(span_key, sum(w.count for w in span))
            if concept:
                start, end = starts[i], ends[i + n - 1]
                confidence = 1.0 - dist / (len(span_key) + 1)
                return ConceptMatch(concept, start, end, original[start:end], round(confidence, 3)), n
        return None


class _Word:
    """A token's words (at least one): how many, joined, and joined with the last one singular (the key of
    a span that ends with this token)."""

    __slots__ = ("count", "compact", "tail_key")

    def __init__(self, parts: List[str]) -> None:
        self.count = len(parts)
        self.compact = "".join(parts)
        self.tail_key = "".join(parts[:-1]) + text.singular(parts[-1])


def simple_tokens(sentence: str) -> List[Token]:
    """Word and punctuation tokens with offsets ("GPT-4o's" -> GPT, -, 4o, ', s)."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]


def find_concepts(index: ConceptIndex, sentence: str) -> List[ConceptMatch]:
    return index.find_in(sentence)
