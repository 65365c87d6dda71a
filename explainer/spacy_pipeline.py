"""spaCy's English tokenizer and a PhraseMatcher of concept names, with its vocabulary bounded.

spaCy keeps every string it has seen in its vocabulary (and every chunk of text in its tokenizer's cache) for the
life of the pipeline: a server fed new words grew by about 0.5 KB a word, without end. Here the pipeline in use is
replaced by a fresh one once messages have added MAX_STRINGS strings to its store. The fresh one is built before it is needed
(building takes about a second of CPU), so no message waits for it, and a message still being read keeps the
pipeline it started with: the swap is one reference assignment under a lock.
"""

import re
import threading
import time
from typing import Callable, Iterable, List, Tuple

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

# Strings that messages may add to a pipeline's store before it is swapped: about 0.5 KB each (measured with spaCy 3.4.4), so a
# pipeline holds at most about 25 MB of words users sent, plus one message's worth (a 64 KB message of new
# words adds about 16,000 strings).
MAX_STRINGS = 50_000

_PUNCTUATION = r"[^\w\s]+"

# Given a pipeline's tokenizer, the (label, words) patterns its PhraseMatcher is to find. A callable rather than
# a list because the words of a name are what this same tokenizer makes of it.
Patterns = Callable[[Callable[[str], Doc]], Iterable[Tuple[str, List[List[str]]]]]


class NamePipeline:
    """One spacy.blank("en") tokenizer and a PhraseMatcher of `patterns` on the same vocabulary.

    Patterns are (label, variants): the matcher finds any variant, a list of words, in a Doc of words (ORTH)."""

    def __init__(self, patterns: Patterns) -> None:
        self.nlp = spacy.blank("en")
        self.vocab = self.nlp.vocab
        # No lexical attributes (shape, is_stop, like_num... 23 Python functions a new word): nothing here reads
        # them, and computing them was 60% of the CPU of a 64 KB message of new words (0.17 of 0.28 s).
        self.vocab.lex_attr_getters = {}
        # Every run of punctuation is a token of its own, found by one character class (a run, not a mark: spaCy
        # takes affixes off one at a time, copying the rest, and 64 KB of "?!-" would cost seconds). English's affix rules are
        # alternations of 12,000 to 15,000 characters tried at every token end: 0.2 s of CPU for a 64 KB message
        # of new words, and the concept matcher splits tokens at punctuation anyway ("GPT-4o" -> gpt, 4o). The
        # English exceptions ("don't", "e.g.") stay.
        tokenizer = self.nlp.tokenizer
        tokenizer.prefix_search = re.compile(rf"^{_PUNCTUATION}").search
        tokenizer.suffix_search = re.compile(rf"{_PUNCTUATION}$").search
        tokenizer.infix_finditer = re.compile(_PUNCTUATION).finditer
        tokenizer.url_match = None
        self.matcher = PhraseMatcher(self.vocab)
        # Added a name at a time: a Doc reserves room for many tokens, and holding every pattern's Doc until the
        # end took four times the matcher's own memory.
        for label, variants in patterns(self.tokenize):
            self.matcher.add(label, [Doc(self.vocab, words=words) for words in variants])
        # What the pipeline holds before any message: the cap counts only what messages add, so a knowledge base
        # with more names never leaves a fresh pipeline "full" (it would be swapped on every message).
        self.own_strings = self.strings

    def tokenize(self, text: str) -> Doc:
        """spaCy's tokens of `text` (the tokenizer alone: a blank pipeline has no other step)."""
        return self.nlp.make_doc(text)

    def match(self, words: List[str]) -> List[Tuple[str, int, int]]:
        """(label, first word, end word) of every pattern found in `words`, overlapping ones included."""
        if not words:
            return []
        doc = Doc(self.vocab, words=words)
        strings = self.vocab.strings
        return [(strings[label], start, end) for label, start, end in self.matcher(doc)]

    @property
    def strings(self) -> int:
        return len(self.vocab.strings)

    @property
    def added_strings(self) -> int:
        """Strings that messages added to the store since the pipeline was built."""
        return self.strings - self.own_strings


class BoundedPipeline:
    """The NamePipeline to use now; swaps in a spare one built earlier once messages added `max_strings` to the current one."""

    def __init__(self, patterns: Patterns, max_strings: int = MAX_STRINGS) -> None:
        self._patterns = patterns
        self.max_strings = max_strings
        self._lock = threading.Lock()
        self._active = NamePipeline(self._patterns)
        self._spare = NamePipeline(self._patterns)
        self.swaps = 0

    def current(self) -> NamePipeline:
        """The pipeline for the next message; swapped first if the current one is full."""
        active = self._active
        if active.added_strings >= self.max_strings:
            self._swap(active)
        return self._active

    def _swap(self, full: NamePipeline) -> None:
        with self._lock:
            # Another thread swapped already, or the spare is still being built: go on with the current one
            # (a little over the cap) rather than make this message wait.
            if self._active is not full or self._spare is None:
                return
            self._active, self._spare = self._spare, None
            self.swaps += 1
        threading.Thread(target=self._build_spare, name="spacy-spare-pipeline", daemon=True).start()

    def _build_spare(self) -> None:
        spare = NamePipeline(self._patterns)
        with self._lock:
            self._spare = spare

    def wait_for_spare(self, timeout: float = 30.0) -> bool:
        """True once a spare pipeline is ready (tests use it to swap deterministically)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._spare is not None:
                    return True
            time.sleep(0.01)
        return False
