"""Ranks the knowledge base's own sentences against a question that names no entry, for grounded answers.

Every entry's summary, explanation, simple, how_it_works, example_text and general_knowledge sentences, each of
its uses and limitations, and each aspect of the comparisons is a passage. A question is scored against them
with Okapi BM25 (our own, over an inverted index built once per knowledge base), so a question costs one
look-up per distinct word, not one per passage: "why does AI need so much electricity" finds the sentence of
the compute-cost entry about energy. The method and its threshold were chosen on the development half of the
coverage set (docs/benchmarks.md, bench/passage_ranking.py).
"""

import heapq
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from explainer import text
from explainer.context import QUESTION_WORDS

# BM25's usual constants: term-frequency saturation and how much a long passage is discounted.
K1 = 1.2
B = 0.75
# A question is read up to this many characters (messages are capped at 4,096 elsewhere; a question that
# is about something says so near its start), so ranking costs a bounded number of index look-ups.
MAX_QUERY_CHARS = 1_000
# ... and its first this many distinct content words (a question has a dozen or two).
MAX_QUERY_TERMS = 40
# Words this short or this common carry no topic.
STOP_WORDS = frozenset(
    "a an and are as at be been being but by can could did do does doing for from had has have how i if in "
    "into is it its just me my no not of on or our so some such than that the their them then there these "
    "they this those to too us was we were what whats when where which while who whom why will with would "
    "you your yours about also am any each more most other own same should very much many get got use used "
    "using make made need want really thing things way like know tell explain please anyone someone something "
    "does doesn dont don isn arent aren wont can cant t s ve ll re d m hi hello hey thanks ok okay".split()
) | QUESTION_WORDS  # the words that ask for an aspect ("how does it work", "examples") name no topic
# Suffixes stripped (longest first) so "trained", "training" and "trainer" meet at "train".
_SUFFIXES = ("ational", "ations", "ation", "ness", "ments", "ment", "ings", "ing", "edly", "ies", "ied", "ers",
             "er", "ed", "ly", "es", "s")
# A grounded answer needs the best passage to hold this share of the question's word weight: 1.0 is every content
# word of the question. Chosen on development questions that name no entry (bench/passage_ranking.py,
# docs/benchmarks.md) as the lowest share at which the best passage came from the labelled entry at least as
# often as from a wrong one: at 1.0 one right and one wrong of 53 questions; at 0.6 one right, four wrong.
THRESHOLD = 1.0
# And at least this many distinct content words: a one-word question holds its whole weight in any passage that
# uses the word ("i'm lost" matched "some accuracy is usually lost" in knowledge distillation). On the development
# halves, one-word questions' grounded hits came from the labelled entry 5 times in 24, and those 5 name an entry,
# which answers them before any passage is looked at.
MIN_TERMS = 2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")


def stem(word: str) -> str:
    """A crude English stem: the plural off ("AIs" -> "ai"), then one common suffix when four letters stay."""
    word = text.singular(word)
    if len(word) == 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]  # text.singular keeps three letters: "AIs" would not meet "AI"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def question_terms(question: str) -> List[str]:
    """The distinct content words a question is ranked by, within the bounds above."""
    return list(dict.fromkeys(terms(question[:MAX_QUERY_CHARS])))[:MAX_QUERY_TERMS]


def terms(sentence: str) -> List[str]:
    """The stemmed content words of a sentence, in order, repeats kept."""
    return [stem(w) for w in text.words(sentence) if w not in STOP_WORDS and len(w) > 1]


def sentences(paragraph: str) -> List[str]:
    return [s.strip() for s in _SENTENCE_END.split(paragraph or "") if s.strip()]


@dataclass(frozen=True)
class Passage:
    """One sentence (or list item, or comparison aspect) of the knowledge base and the entries it belongs to."""

    entries: Tuple[str, ...]
    field: str
    text: str
    sources: Tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """A passage and how well it matches: `score` is BM25 (which ranks), `share` the part of the question's word
    weight (idf) the passage contains, from 0 to 1, which unlike BM25 compares across questions."""

    passage: Passage
    score: float
    share: float = 0.0


def kb_passages(kb) -> List[Passage]:  # kb: explainer.kb.KnowledgeBase (imported lazily: kb.py imports this)
    """Every passage of the knowledge base, entries first (in file order), then comparisons."""
    found: List[Passage] = []
    for entry in kb.entries.values():
        def add(field: str, items: Iterable[str]) -> None:
            for item in items:
                if item and item.strip():
                    found.append(Passage((entry.id,), field, item.strip(), tuple(entry.sources)))

        for field in ("summary", "explanation", "simple", "how_it_works", "example_text"):
            add(field, sentences(getattr(entry, field) or ""))
        add("uses", entry.uses)
        add("limitations", entry.limitations)
        # General knowledge comes from the public pages the entry cites, like the rest of it.
        add("general_knowledge", entry.general_knowledge)
    for comparison in kb.comparisons:
        pair = tuple(c for c in comparison.pair if c in kb.entries)
        found.append(Passage(pair, "comparison", comparison.relation, tuple(comparison.sources)))
        for aspect in comparison.aspects:
            found.append(Passage(pair, "comparison", f"{aspect.name}: {aspect.text}", tuple(comparison.sources)))
    return found


class PassageIndex:
    """BM25 over the passages, with an inverted index: word -> [(passage number, count)]."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = list(passages)
        self.postings: Dict[str, List[Tuple[int, int]]] = defaultdict(list)
        lengths = []
        self.terms_of: List[frozenset] = []
        # Each entry's passages, for a follow-up about the topic under discussion (`within`).
        self.of_entry: Dict[str, List[int]] = defaultdict(list)
        for number, passage in enumerate(self.passages):
            counts = Counter(terms(passage.text))
            self.terms_of.append(frozenset(counts))
            for entry_id in passage.entries:
                self.of_entry[entry_id].append(number)
            lengths.append(sum(counts.values()))
            for term, count in counts.items():
                self.postings[term].append((number, count))
        total = len(self.passages) or 1
        average = (sum(lengths) / total) or 1.0
        # Per-passage length normalisation, computed once.
        self.norm = [K1 * (1 - B + B * n / average) for n in lengths]
        self.idf = {t: math.log(1 + (total - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}
        # A word no passage uses weighs as much as the rarest one: a question about "quantum blockchain"
        # matched on "blockchain" alone would otherwise look fully matched.
        self.unknown_idf = max(self.idf.values(), default=1.0)

    def share(self, asked: Sequence[str], passage: int) -> float:
        """The part of the question's word weight (idf) the passage contains, from 0 to 1."""
        total = sum(self.idf.get(t, self.unknown_idf) for t in asked)
        found = sum(self.idf[t] for t in asked if t in self.idf and t in self.terms_of[passage])
        return found / total if total else 0.0

    def scores(self, question: str) -> Dict[int, float]:
        """BM25 score of every passage sharing a word with the question (each distinct word counted once)."""
        found: Dict[int, float] = defaultdict(float)
        for term in question_terms(question):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for number, count in self.postings[term]:
                found[number] += idf * count * (K1 + 1) / (count + self.norm[number])
        return found

    def rank(self, question: str, limit: int = 3) -> List[Hit]:
        """The best passages, best first; ties go to the earlier passage."""
        scored = heapq.nsmallest(limit, self.scores(question).items(), key=lambda kv: (-kv[1], kv[0]))
        asked = question_terms(question)
        return [Hit(self.passages[n], round(s, 4), round(self.share(asked, n), 4)) for n, s in scored]

    def entries(self, question: str, limit: int = 3) -> List[Tuple[str, float]]:
        """Entry ids by their best passage's score, best first: the nearest topics to a question."""
        best: Dict[str, float] = {}
        for number, score in sorted(self.scores(question).items(), key=lambda kv: (-kv[1], kv[0])):
            for entry_id in self.passages[number].entries:
                if entry_id not in best:
                    best[entry_id] = score
            if len(best) >= limit:
                break
        return sorted(best.items(), key=lambda kv: -kv[1])[:limit]

    def within(self, entry_id: str, asked: Sequence[str]) -> Optional[Hit]:
        """Of `entry_id`'s passages, the one holding the largest part of the word weight of `asked` (stemmed
        content words), the earlier one on a tie; None when none holds any."""
        best: Optional[Tuple[float, int]] = None
        for number in self.of_entry.get(entry_id, ()):
            share = self.share(asked, number)
            if share > 0 and (best is None or share > best[0]):
                best = (share, number)
        return Hit(self.passages[best[1]], 0.0, round(best[0], 4)) if best else None

    def grounded(self, question: str, threshold: float = THRESHOLD) -> Optional[Hit]:
        """The best passage when it matches at least `threshold` of the question's word weight, else None."""
        if len(question_terms(question)) < MIN_TERMS:
            return None
        hits = self.rank(question, 1)
        return hits[0] if hits and hits[0].share >= threshold else None
