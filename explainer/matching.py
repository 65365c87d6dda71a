"""Finds knowledge-base concepts in text: spaCy tokenizes, its PhraseMatcher finds names exactly (case, plural,
hyphen and spacing variants), and a typo search over the same words finds names written with typos."""

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple

from spacy.attrs import IDX, ORTH

from explainer import text
from explainer.spacy_pipeline import MAX_STRINGS, BoundedPipeline

if TYPE_CHECKING:
    from explainer.kb import KnowledgeBase

# The alphanumeric runs of a spaCy token are its words: "GPT-4o" stays one token for spaCy but is the words
# "gpt" and "4o", as "gpt 4o" is; punctuation tokens hold none.
_RUN = re.compile(r"[^\W_]+")
MAX_FUZZY_TOKENS = 3
# A name with a word written apart is looked up exactly over this many message words: "sent to open ai" is four
# words for the three of the privacy alias "sent to OpenAI". Exact look-ups only beyond MAX_FUZZY_TOKENS.
MAX_APART_TOKENS = 5
# A name of more words than this is matched as written and with all its words joined, not in every mix of the
# two (2 ** (words - 1) patterns).
MAX_JOINED_WORDS = 6
# Names reported per message at most, the first ones: no question names more, and a 64 KB message of names
# (4,346 of them) made an object and an entity per name, enough allocation to set off a full garbage
# collection of the server's heap (0.2 s) and store thousands of entities with the event.
MAX_MATCHES = 100
# An ambiguous alias (KnowledgeBase.alias_guards) is read over this many words each side: "limited to 500k
# tokens", "the maximum accepted token is 2048".
NEAR_WORDS = 3
# A number near an ambiguous alias: "2048", "500k", "1.5m" ("1.5m" is the words "1" and "5m").
_NUMBER = re.compile(r"\d+[kmb]?")
# A name ending in a version, and a second version after "or"/"vs": "ChatGPT 3 or 4", "GPT-3 vs 4". The second
# names the same family's other version, which is its own entry when the family prefix plus it is a name.
_ENDS_IN_VERSION = re.compile(r"^(?P<family>.*?\D)[\s-]*\d[\w.]*$")
_ANOTHER_VERSION = re.compile(r"\s*(?:or|vs\.?|versus|and|/|,|&)\s*(?P<version>\d[\w.]*?)(?=[.,;:?!]?(?:\s|$))"
                              # "3 or 4 months ago", "2 or 3 people": a count, not a version
                              r"(?![.,;:?!]?\s+(?:months?|years?|weeks?|days?|hours?|minutes?|seconds?|times|people|"
                              r"users|persons|tokens?|words|pages|steps|epochs|[kmg]b|%))",
                              re.IGNORECASE)
# A word, then "and"/"or"/"vs", then a name of several words: "generative and discriminative models",
# "encoder-only or decoder-only models". The word shares the name's last words, and names an entry with them.
_SHARED_HEAD_BEFORE = re.compile(r"(?P<word>[^\W_][\w-]*)\s+(?:and|or|vs\.?|versus|&|/)\s*$", re.IGNORECASE)
# A greeting and a name, then a comma: "Hey ChatGPT, what if you became human". The name is who the user speaks
# to (people address any chatbot by the one they know), not a topic asked about.
_GREETING_BEFORE = re.compile(r"^\W*(?:hey|hi|hello|hiya|yo|good (?:morning|afternoon|evening))\W+$",
                              re.IGNORECASE)
_COMMA_AFTER = re.compile(r"\s*[,!:]")
# Typo search results remembered per span ("how does", "what is" recur in most messages); the cap bounds memory.
FUZZY_MEMO_SIZE = 20_000


@dataclass(frozen=True)
class ConceptMatch:
    concept: str
    start: int
    end: int
    text: str
    confidence: float


class ConceptIndex:
    """Matching keys of names and aliases -> entry id, and the written names the PhraseMatcher looks for; typo
    search looks only at keys with the same first letter and word count ("train station" is two words, so it
    is no typo of "translation").

    `forms` are (key, entry id, word count) as KnowledgeBase.names() gives them; `written` are (name as written,
    key), every surface form of KnowledgeBase.written_names(); `guards` are KnowledgeBase.alias_guards(): keys of
    ambiguous aliases -> the words that, near one, mean it names something else."""

    def __init__(
        self,
        forms: Sequence[Tuple[str, str, int]],
        written: Sequence[Tuple[str, str]],
        guards: Optional[Mapping[str, Sequence[str]]] = None,
        max_strings: int = MAX_STRINGS,
    ) -> None:
        self.forms = [tuple(form) for form in forms]
        self.guards = {form_key: frozenset(words) for form_key, words in (guards or {}).items()}
        self.keys = {form_key: concept for form_key, concept, _ in self.forms}
        self.written = sorted({(name, form_key) for name, form_key in written if form_key in self.keys})
        # Keys too short to carry a typo are left out once here rather than skipped at every look-up.
        self._buckets: Dict[Tuple[str, int], Tuple[List[str], List[str]]] = {}
        for form_key, concept, word_count in self.forms:
            if text.allowed_typos(len(form_key)):
                keys, concepts = self._buckets.setdefault((form_key[:1], word_count), ([], []))
                keys.append(form_key)
                concepts.append(concept)
        # The words of each key's written forms: a typo search hit is checked word by word against them.
        self._name_words: Dict[str, FrozenSet[str]] = {}
        for name, form_key in self.written:
            self._name_words[form_key] = self._name_words.get(form_key, frozenset()) | frozenset(text.words(name))
        self._fuzzy_memo: Dict[Tuple[str, int], Tuple[str, int, str]] = {}
        text.common_words()  # loaded with the index, so that no conversation waits for it
        self.pipeline = BoundedPipeline(self._patterns, max_strings)
        # The last sentence and what was found in it: the concept matcher and the intent classifier both ask
        # about every message, and a message tokenized once is enough.
        self._last: Tuple[Optional[str], Tuple[ConceptMatch, ...]] = (None, ())

    @classmethod
    def of(cls, kb: "KnowledgeBase", max_strings: int = MAX_STRINGS) -> "ConceptIndex":
        """The index of a loaded knowledge base's names, aliases and alias guards."""
        return cls(kb.names(), kb.written_names(), kb.alias_guards(), max_strings)

    def _patterns(self, tokenize: Callable[[str], "object"]) -> Iterable[Tuple[str, List[List[str]]]]:
        """Each written name as this tokenizer splits it, and with neighbouring words joined ("dall e", "dalle"),
        every word singular as message words are: a message may write a name's words apart or together.
        A word written apart elsewhere ("chat gpt") is left to the typo search, which sees it at distance 0:
        every split of every name would be 25,000 patterns, 30 MB and 1.5 s of CPU per pipeline."""
        for name, form_key in self.written:
            words = [word for _, _, word in _words_of(tokenize(name))]
            if not words:
                continue
            pieces = [w.compact for w in words]
            variants = []
            if len(pieces) > MAX_JOINED_WORDS:
                joinings: Iterable[Tuple[bool, ...]] = [(False,) * (len(pieces) - 1), (True,) * (len(pieces) - 1)]
            else:
                joinings = itertools.product((False, True), repeat=len(pieces) - 1)
            for joins in joinings:
                groups = [pieces[0]]
                for piece, joined in zip(pieces[1:], joins):
                    if joined:
                        groups[-1] += piece
                    else:
                        groups.append(piece)
                variants.append([text.singular(g) for g in groups])
            yield form_key, variants

    def exact(self, span_key: str) -> str:
        return self.keys.get(span_key, "")

    def fuzzy(self, span_key: str, word_count: int) -> Tuple[str, int, str]:
        """(entry id, distance, the key it is near) of the nearest name within the typo allowance, else ("", 0, "")."""
        remembered = self._fuzzy_memo.get((span_key, word_count))
        if remembered is not None:
            return remembered
        keys, concepts = self._buckets.get((span_key[:1], word_count), ((), ()))
        nearest = text.closest(span_key, keys)
        found = (concepts[nearest[0]], nearest[1], keys[nearest[0]]) if nearest else ("", 0, "")
        if len(self._fuzzy_memo) < FUZZY_MEMO_SIZE:
            self._fuzzy_memo[(span_key, word_count)] = found
        return found

    def find_in(self, sentence: str) -> List[ConceptMatch]:
        """The concepts named in `sentence`, in order, at most MAX_MATCHES."""
        last_sentence, last_found = self._last
        if sentence == last_sentence:
            return list(last_found)
        found = self._find(sentence)
        self._last = (sentence, tuple(found))
        return found

    def _find(self, original: str) -> List[ConceptMatch]:
        """Longest exact spans first (the PhraseMatcher's matches, leftmost-longest, not overlapping); then spans
        left over may match a name within its typo allowance.

        Each distinct token is split into words once per message, not once for every span it is part of; typo
        search reads the first MAX_FUZZY_CHARS characters only. Offsets are kept in lists of ints, not an object
        per token: objects that live through a 64 KB message made Python's garbage collector sweep the whole
        heap, which cost more than the matching."""
        pipeline = self.pipeline.current()
        starts: List[int] = []
        ends: List[int] = []
        words: List[_Word] = []
        for start, end, word in _words_of(pipeline.tokenize(original)):
            starts.append(start)
            ends.append(end)
            words.append(word)
        covered = [False] * len(words)
        matches: List[ConceptMatch] = []
        found = pipeline.match([w.singular for w in words])
        found.sort(key=lambda m: (m[1], -m[2]))
        reached = 0
        for label, first, last in found:
            if len(matches) >= MAX_MATCHES:
                break
            concept = self.keys.get(label)
            if first < reached or not concept:
                continue
            if self._guarded(label, words, first, last):
                # Covered all the same, so that the typo search does not find the same word again.
                covered[first:last] = [True] * (last - first)
                reached = last
                continue
            start, end = starts[first], ends[last - 1]
            matches.append(ConceptMatch(concept, start, end, original[start:end], 1.0))
            covered[first:last] = [True] * (last - first)
            reached = last
        i = 0
        while i < len(words) and starts[i] < text.MAX_FUZZY_CHARS and len(matches) < 2 * MAX_MATCHES:
            at = None if covered[i] else self._fuzzy_at(words, starts, ends, covered, i, original)
            if at:
                matches.append(at[0])
                covered[i : i + at[1]] = [True] * at[1]
                i += at[1]
            else:
                i += 1
        found = sorted(matches, key=lambda m: m.start)[:MAX_MATCHES]
        if found and _GREETING_BEFORE.match(original[: found[0].start]) and _COMMA_AFTER.match(original, found[0].end):
            found = found[1:]
        return self._with_shared_heads(original, self._with_elided_versions(original, found))

    def _with_shared_heads(self, original: str, matches: List[ConceptMatch]) -> List[ConceptMatch]:
        """`matches` with "generative" of "generative and discriminative models" found as generative models: the
        two names share their last word, written once. Asked that, the bot found one side and asked for the other."""
        added: List[ConceptMatch] = []
        for i, match in enumerate(matches):
            head = match.text.split(maxsplit=1)
            if len(head) < 2:
                continue
            before = _SHARED_HEAD_BEFORE.search(original, max(0, match.start - 60), match.start)
            if not before or (i and matches[i - 1].end > before.start("word")):
                continue  # no word before, or the word is part of a name found already ("GAN and diffusion models")
            concept = self.keys.get(text.key(f"{before.group('word')} {head[1]}"), "")
            if concept and concept != match.concept:
                start, end = before.span("word")
                added.append(ConceptMatch(concept, start, end, original[start:end], match.confidence))
        return _merged(matches, added)

    def _with_elided_versions(self, original: str, matches: List[ConceptMatch]) -> List[ConceptMatch]:
        """`matches` with the second version of "ChatGPT 3 or 4" found as GPT-4: people write the family name once.
        Asked "is ChatGPT 3 or 4", the bot found GPT-3 alone and asked which topic to compare it with."""
        added: List[ConceptMatch] = []
        for i, match in enumerate(matches):
            family = _ENDS_IN_VERSION.match(match.text)
            after = _ANOTHER_VERSION.match(original, match.end) if family else None
            if not after:
                continue
            start, end = after.span("version")
            if i + 1 < len(matches) and matches[i + 1].start < end:
                continue  # the version is part of a name found already ("GPT-3 or GPT-4o")
            concept = self.keys.get(text.key(f"{family.group('family')} {after.group('version')}"), "")
            if concept and concept != match.concept:
                added.append(ConceptMatch(concept, start, end, original[start:end], match.confidence))
        return _merged(matches, added)

    def _fuzzy_at(
        self,
        words: Sequence["_Word"],
        starts: Sequence[int],
        ends: Sequence[int],
        covered: List[bool],
        i: int,
        original: str,
    ) -> Optional[Tuple[ConceptMatch, int]]:
        for n in range(min(MAX_APART_TOKENS, len(words) - i), 0, -1):
            if any(covered[i : i + n]):
                continue
            span = words[i : i + n]
            span_key = "".join(w.compact for w in span[:-1]) + span[-1].tail_key
            # A name with a word written apart where the name has none ("chat gpt", "mid journey", "go to open ai").
            concept = self.keys.get(span_key) if n > 1 else None
            if concept and self._guarded(span_key, words, i, i + n):
                concept = None
            if concept:
                start, end = starts[i], ends[i + n - 1]
                return ConceptMatch(concept, start, end, original[start:end], 1.0), n
            if n > MAX_FUZZY_TOKENS or not text.allowed_typos(len(span_key)):
                continue
            word_count = sum(w.count for w in span)
            concept, dist, near = self.fuzzy(span_key, word_count)
            if not concept and word_count == 2:
                # A one-word name written apart with a typo ("deep fale", "chat gtp"): the joined words are one
                # typo from the name's key. Two words and one typo at most: "train station" is two typos from
                # "translation", and three words joined are nearly always other words.
                concept, dist, near = self.fuzzy(span_key, 1)
                if dist > 1:
                    concept, dist = "", 0
            start, end = starts[i], ends[i + n - 1]
            if concept and dist and self._swaps_a_word(original[start:end], near):
                concept = ""
            if concept and self._guarded(near, words, i, i + n):
                concept = ""
            if concept:
                confidence = 1.0 - dist / (len(span_key) + 1)
                return ConceptMatch(concept, start, end, original[start:end], round(confidence, 3)), n
        return None

    def _guarded(self, form_key: str, words: Sequence["_Word"], first: int, last: int) -> bool:
        """True when the name `form_key`, at words[first:last], is an ambiguous alias with one of its guard words
        or a number within NEAR_WORDS words."""
        guard = self.guards.get(form_key)
        if not guard:
            return False
        near = list(words[max(0, first - NEAR_WORDS) : first]) + list(words[last : last + NEAR_WORDS])
        return any(w.singular in guard or _NUMBER.fullmatch(w.compact) for w in near)

    def _swaps_a_word(self, written: str, near: str) -> bool:
        """True when a typo search hit puts a common English word where the name has another: "the best model"
        is no typo of "BERT model", nor "at a conference" of "coherence". Such hits answered questions about
        the wrong entry; a typo makes a non-word ("trasnformer", "chat gtp") or slips inside a longer word."""
        name_words = self._name_words.get(near)
        return bool(name_words) and any(text.is_another_word(w, name_words) for w in text.words(written))


class _Word:
    """An alphanumeric run's words (at least one): how many, joined, joined with the last one singular (the key
    of a span that ends with this run), and all of them joined then made singular (what the PhraseMatcher
    compares, the same for the run in a message and in a name)."""

    __slots__ = ("count", "compact", "tail_key", "singular")

    def __init__(self, parts: List[str]) -> None:
        self.count = len(parts)
        self.compact = "".join(parts)
        self.tail_key = "".join(parts[:-1]) + text.singular(parts[-1])
        # One word (nearly every token): its tail key is already the whole run made singular.
        self.singular = self.tail_key if self.count == 1 else text.singular(self.compact)


def _words_of(doc) -> Iterable[Tuple[int, int, "_Word"]]:
    """(start, end, words) of every alphanumeric run of spaCy's tokens. Tokens are read as (string id, offset)
    pairs from one array, not as a Token object each, and each distinct token is split into runs once."""
    strings = doc.vocab.strings
    seen: Dict[int, List[Tuple[int, int, _Word]]] = {}
    for orth, offset in doc.to_array([ORTH, IDX]).tolist():
        runs = seen.get(orth)
        if runs is None:
            token = strings[orth]
            if token.isascii() and token.isalnum():
                # Nearly every token: one run, one word, the token lowercased (what the general path yields,
                # without a regex pass and a split per token; a 64 KB message has thousands of new tokens).
                runs = [(0, len(token), _Word([token.lower()]))]
            else:
                runs = []
                for m in _RUN.finditer(token):
                    parts = text.words(m.group())
                    if parts:
                        runs.append((m.start(), m.end(), _Word(parts)))
            seen[orth] = runs
        for start, end, word in runs:
            yield offset + start, offset + end, word


def find_concepts(index: ConceptIndex, sentence: str) -> List[ConceptMatch]:
    return index.find_in(sentence)


def _merged(matches: List[ConceptMatch], added: List[ConceptMatch]) -> List[ConceptMatch]:
    """`matches` with the `added` ones in message order, at most MAX_MATCHES."""
    return sorted(matches + added, key=lambda m: m.start)[:MAX_MATCHES] if added else matches
