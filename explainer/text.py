"""Text normalisation and fuzzy matching shared by the matcher and the lookups."""

import re
import unicodedata
from typing import Iterable, List, Optional, Tuple

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercases and strips accents and the dot in "DALL·E" so variants compare equal."""
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
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: Optional[List[int]] = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if (
                prev2 is not None
                and i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                cur[j] = min(cur[j], prev2[j - 2] + 1)
            best = min(best, cur[j])
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def allowed_typos(length: int) -> int:
    """How many typos a key of this length may carry and still be recognised."""
    # Short keys get none: "lyric" is one letter from "Lyria", "taken" from "token".
    if length < 6:
        return 0
    if length < 10:
        return 1
    return 2


def closest(query: str, candidates: Iterable[Tuple[str, str]]) -> Optional[Tuple[str, int]]:
    """Best (value, distance) among (key, value) candidates within the typo allowance, else None."""
    best: Optional[Tuple[str, int]] = None
    budget = allowed_typos(len(query))
    if budget == 0:
        return None
    for cand_key, value in candidates:
        if cand_key[:1] != query[:1] or allowed_typos(len(cand_key)) == 0:
            continue
        dist = edit_distance(query, cand_key, budget)
        if dist <= budget and (best is None or dist < best[1]):
            best = (value, dist)
    return best


def surface_forms(entry_id: str, name: str, aliases: Iterable[str]) -> List[str]:
    """Every written form that names an entry: id, name, the name's parts around parentheses, aliases."""
    forms = [entry_id.replace("_", " "), name, *aliases]
    if "(" in name and ")" in name:
        forms.append(name.split("(")[0])
        forms.append(name[name.index("(") + 1 : name.rindex(")")])
    return [f for f in forms if f.strip()]
