"""Text normalisation and fuzzy matching shared by the matcher and the lookups."""

import functools
import os
import re
import unicodedata
from typing import Collection, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Typo search ("did you mean", names written with typos) reads only this many characters of a message: its
# cost grows with the number of words, and a question that names a topic does so near its start. Exact
# names are still found in the whole message. 4,096 is the longest Telegram message.
MAX_FUZZY_CHARS = 4_096
# An English word this frequent in pyspellchecker's word counts (from film subtitles) is written on purpose: 7,730
# words, from "a" to "perception". Rarer ones may be typos ("lama" 1,138, "dale" 1,114); typos of names are
# nearly never counted at all ("gtp", "stabel", "difusion" have 0).
COMMON_WORD_COUNT = 5_000
# A word counted at least this often is a real English word, though not a common one ("export" 2,664, "barking"
# 1,096): a reader of free-text answers leaves it as written. Typos are nearly never counted ("pictrues",
# "imagse", "experiance" have 0); the few that are, are rare ("eduction" 50).
REAL_WORD_COUNT = 100


def fold(text: str) -> str:
    """Lowercases and strips accents and the dot in "DALL·E" so variants compare equal."""
    if text.isascii():
        # Nothing to decompose or strip: the common case, without a Python step per character.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def compact(text: str) -> str:
    """Folds and removes everything but letters and digits: "DALL-E 2" -> "dalle2"."""
    return _NON_ALNUM.sub("", fold(text))


def singular(word: str) -> str:
    """Strips a plain English plural ending; good enough for names like "GANs" or "transformers"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(text: str) -> List[str]:
    """Splits folded text into alphanumeric words."""
    return [w for w in _NON_ALNUM.split(fold(text)) if w]


# Between two words of a quoted phrase: a space, a hyphen, "--" or ", "; more is not one phrase.
_BETWEEN_WORDS = r"[^a-zA-Z0-9]{1,3}"


def span_of(phrase: str, sentence: str) -> Optional[str]:
    """The user's own words for `phrase` (its words, in order, side by side in `sentence`), as they typed them,
    or None when the words are not side by side: "small fms 15b large 50b", gathered from "the difference between
    small FMs (<15B) and large FMs(>50B)", is not something the user said, so it is not quoted back to them."""
    parts = words(phrase)
    if not parts:
        return None
    if not sentence.isascii():
        # Folding changes what the pattern below would have to match ("naïve" is "naive"): the folded words side by
        # side are enough, quoted as folded.
        said = f" {' '.join(words(sentence[:MAX_FUZZY_CHARS]))} "
        return " ".join(parts) if f" {' '.join(parts)} " in said else None
    pattern = r"(?<![a-zA-Z0-9])" + _BETWEEN_WORDS.join(map(re.escape, parts)) + r"(?![a-zA-Z0-9])"
    found = re.search(pattern, sentence[:MAX_FUZZY_CHARS], re.IGNORECASE)
    return " ".join(found.group().split()) if found else None


def key(text: str) -> str:
    """Matching key of a name: folded, plural-insensitive, without spaces or hyphens."""
    parts = words(text)
    if not parts:
        return ""
    parts[-1] = singular(parts[-1])
    return "".join(parts)


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (typos: insert, delete, substitute, swap), capped at limit+1."""
    return OSA.distance(a, b, score_cutoff=limit)


def allowed_typos(length: int) -> int:
    """How many typos a key of this length may carry and still be recognised."""
    # Short keys get none: "lyric" is one letter from "Lyria", "taken" from "token".
    if length < 6:
        return 0
    if length < 10:
        return 1
    return 2


def closest(query: str, keys: Sequence[str]) -> Optional[Tuple[int, int]]:
    """(position in keys, distance) of the first nearest key within the query's typo allowance, else None.

    The caller passes only keys that may carry typos and start with the query's letter (ConceptIndex
    buckets them once), so each look-up is one call into rapidfuzz's C loop."""
    budget = allowed_typos(len(query))
    if budget == 0 or not keys:
        return None
    found = process.extractOne(query, keys, scorer=OSA.distance, score_cutoff=budget)
    return (found[2], int(found[1])) if found else None


def surface_forms(entry_id: str, name: str, aliases: Iterable[str]) -> List[str]:
    """Every written form that names an entry: id, name, the name's parts around parentheses, aliases."""
    forms = [entry_id.replace("_", " "), name, *aliases]
    if "(" in name and ")" in name:
        forms.append(name.split("(")[0])
        forms.append(name[name.index("(") + 1 : name.rindex(")")])
    return [f for f in forms if f.strip()]


def _words_counted_at_least(least: int) -> FrozenSet[str]:
    """The lowercase English words pyspellchecker counts at least `least` times (its counts are not kept)."""
    from spellchecker import SpellChecker

    counts = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return frozenset(word for word, count in counts.items() if count >= least)


@functools.lru_cache(maxsize=1)
def common_words() -> FrozenSet[str]:
    """Correctly spelt, common English words, lowercase. Loaded on first use (0.1 s), not on import."""
    return _words_counted_at_least(COMMON_WORD_COUNT)


@functools.lru_cache(maxsize=1)
def real_words() -> FrozenSet[str]:
    """English words frequent enough in pyspellchecker's counts to be written on purpose (REAL_WORD_COUNT)."""
    return _words_counted_at_least(REAL_WORD_COUNT)


def is_another_word(written: str, name_words: Collection[str]) -> bool:
    """True when `written` is a common English word that is none of a name's words and no form of one: the
    writer meant that word, it is no typo of the name's. "best model" is not "BERT model", "my model" not "ML
    model", "conference" not "coherence"; "trained from scratch" is "train from scratch", "sentimental analysis"
    "sentiment analysis" (a shared stem), "few short learning" "few-shot learning" (a letter added to a longer word).
    A letter replaced makes another word: "recording" is not "rewording", "perception" not "perceptron"."""
    if written in name_words or written not in common_words():
        return False
    for name_word in name_words:
        shared = len(os.path.commonprefix([written, name_word]))
        if shared >= 4 and shared >= min(len(written), len(name_word)) - 2:
            return False
        if len(written) >= 5 and _one_slip(written, name_word):
            return False
    return True


def _one_slip(written: str, meant: str) -> bool:
    """A letter left out, added or swapped with its neighbour ("short" for "shot"). A letter replaced by another
    is not counted: between two real words that is nearly always another word ("recording", "rewording")."""
    if OSA.distance(written, meant) != 1:
        return False
    return len(written) != len(meant) or sorted(written) == sorted(meant)
