"""Text normalisation and fuzzy matching shared by the matcher and the lookups."""

import re
import unicodedata
from typing import Iterable, List, Optional, Sequence, Tuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Typo search ("did you mean", names written with typos) reads only this many characters of a message: its
# cost grows with the number of words, and a question that names a topic does so near its start. Exact
# names are still found in the whole message. 4,096 is the longest Telegram message.
MAX_FUZZY_CHARS = 4_096


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
