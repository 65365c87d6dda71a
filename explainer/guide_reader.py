"""Reads a free-text reply as one factor's option, the way a person would (issue 14, item 1).

The vocabulary is data: each option's id, label and synonyms in knowledge/decision_guide.yml, plus three
optional rules a deployer can edit there:
- an option's `combines` ("mixed" when a reply names text and a medium: "captions + matching images");
- a factor's `steps_option` (a reply listing several steps: "write caption, then make picture, then resize");
- a factor's `few` (a small count: "maybe 30 macros" is little data; "$50 a month" a limited budget), with
  optional further bands in `more` ("$2k a month" a moderate budget, "tens of thousands per quarter" a large one).
Beyond exact phrases it reads plurals, typos ("imagse"), and negations: "no personal data" is not "personal
data", and "nothing creative" is not "creative". Two options equally likely are returned as a pair, so the guide
can ask a yes/no confirmation instead of the whole question.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Set, Tuple

from rapidfuzz.distance import OSA

from explainer import text

if TYPE_CHECKING:  # pragma: no cover
    from explainer.guide import Factor

# Words that negate what follows them in the same clause ("no personal data", "can't pay for cloud"); "t" is
# the tail of "don't", "can't" once apostrophes are split off.
NEGATIONS = frozenset("no not nothing zero never without nah nope none nobody noone neither nor t dont cant isnt arent wont doesnt".split())
# A negation reaches this many words ahead: "no customer data involved", not a whole sentence.
NEGATION_REACH = 3
# Clause breaks: a negation or a step does not cross them.
_CLAUSE = re.compile(r"[,.;:!?()\[\]\n—–]+|\s[-+&]\s|\bbut\b|\bthough\b|\bhowever\b", re.IGNORECASE)
_THEN = re.compile(r"\bthen\b|->|→", re.IGNORECASE)
# A reply listing this many clauses describes a sequence of steps.
STEP_CLAUSES = 3
# Counts written as digits ("~400", "8k", "2 million") or words.
_NUMBER = re.compile(r"(\d[\d,.]*)\s*(k|m|thousand|million|billion|hundred|lakh|crore)?\b\s*(years?|hours?|months?|weeks?|days?)?",
                     re.IGNORECASE)
_TIME_UNITS = "years?|hours?|months?|weeks?|days?|minutes?"
_MAGNITUDES = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000, "billion": 10**9, "hundred": 100,
               "lakh": 100_000, "crore": 10_000_000}  # lakh and crore: how Indian English counts
_WORD_COUNTS = {"couple hundred": 200, "few hundred": 300, "hundreds": 200, "thousands": 2_000, "couple thousand": 2_000,
                "few thousand": 3_000, "tens of thousands": 30_000, "hundreds of thousands": 300_000,
                "millions": 2_000_000, "billions": 2 * 10**9, "tons": 10_000,
                "petabytes": 10**9, "terabytes": 10**8, "gigabytes": 10**6}
# A count of machines is no amount of data or money ("a couple of 8-GPU nodes"), and a negated one says what is
# not there ("a few thousand a month, not tens of thousands").
_NOT_COUNTED = re.compile(r"\s*-?\s*(?:gpus?|nodes?|cards?|machines?|servers?|cpus?|cores?)\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|no|never|without|nor)\s+(?:\w+\s+){0,1}$", re.IGNORECASE)
# How far back a negation is looked for: two words. A bounded window keeps a 64 KB message of numbers linear.
_NEGATION_WINDOW = 24


def _negated_before(sentence: str, start: int) -> bool:
    return bool(_NEGATED.search(sentence[max(0, start - _NEGATION_WINDOW):start]))


# Words that state an amount: a thing counted is a thing the user has ("a few thousand support emails").
COUNT_WORDS = frozenset("few couple hundred thousand million lot ton plenty dozen".split())
# Words that say a count is all there is: "only 150 recordings" is little data, "300 sprites" is media.
ONLY = re.compile(r"\b(?:only|just|merely|barely)\b", re.IGNORECASE)
# Typos are corrected only in words at least this long, to a vocabulary word of about the same length: "creat"
# is no typo of "creative", and short words are too close to real ones to guess ("point" is one edit from "print").
TYPO_MIN_LENGTH = 6


@dataclass(frozen=True)
class Reading:
    """What a reply says about one factor: an option, or two it could equally be, or nothing."""

    option: Optional[str] = None
    candidates: Tuple[str, ...] = ()

    @property
    def unsure(self) -> bool:
        return self.option is None and len(self.candidates) == 2


def clauses(sentence: str) -> List[List[str]]:
    """The reply's clauses as singular words: "no personal data, just brand stuff" -> two clauses."""
    parts = [[text.singular(w) for w in text.words(part)] for part in _CLAUSE.split(sentence or "")]
    return [p for p in parts if p]


# "for my youtube videos", "for our shop": where the output goes.
_OWNERS = frozenset("my our his her their your the".split())
_AND = frozenset("and plus also".split())
# "captions describing pictures", "summaries of podcasts", "subtitles for videos": what the output is about.
_ABOUT = frozenset("of about describing describe describes explaining".split())
# "a couple of short clips", "lots of photos": an amount or a kind of what is made, not what it is about.
_AMOUNTS = frozenset("couple lot ton bunch series set pair few plenty number kind sort type range variety mix handful "
                     "dozen hundred thousand load pile style".split())


def outputs_only(parts: List[List[str]], vocabulary: Set[str] = frozenset()) -> List[List[str]]:
    """Each clause without the words that name an input: "turn my slides into videos" makes videos, "clips from
    my scripts" clips. Before "into" and after "from" is what the user starts from, not what is made. After "for
    my/our/the", once a word of the factor's `vocabulary` came before it, is where it goes: "background music for my
    youtube videos" is music ("a model for generating music" names nothing before "for" and keeps it all). After
    "of", "about" or "describing", once such a word came before it, is what the output is about: "short descriptions
    of each photo" and "words describing pictures" are text (on the development sets' answers, content type read
    right five more times, none fewer; "for" and "on" without an owner word broke as many as they fixed)."""
    kept = []
    for words in parts:
        if "into" in words:
            words = words[len(words) - words[::-1].index("into"):]
        if "from" in words:
            words = words[:words.index("from")]
        cut = next((i for i in range(len(words) - 1) if (words[i] == "for" and words[i + 1] in _OWNERS)
                    or (words[i] in _ABOUT and vocabulary & set(words[:i]) and words[i - 1] not in _AMOUNTS)), None)
        if cut is not None and vocabulary & set(words[:cut]):
            # Up to the next "and": "summaries for our newsletter and header images" makes images too.
            end = next((i for i in range(cut, len(words)) if words[i] in _AND), len(words))
            words = words[:cut] + words[end:]
        kept.append(words)
    return kept


def phrases_of(factor: "Factor") -> Dict[str, List[Tuple[str, ...]]]:
    """Option id -> its phrases as singular word tuples (id, label, synonyms)."""
    found = {}
    for option in factor.options:
        seen: List[Tuple[str, ...]] = []
        for phrase in option.phrases():
            words = tuple(text.singular(w) for w in text.words(phrase))
            if words and words not in seen:
                seen.append(words)
        found[option.id] = seen
    return found


def corrected(words: List[str], vocabulary: Set[str], known: Set[str] = frozenset()) -> List[str]:
    """Words with typos replaced by the vocabulary word one edit away ("pictrues" -> "picture").

    Words in `known` (the guide's own texts) are real words, never typos: "content" is not "consent". Nor is the
    past form of a vocabulary word ("guided meditations" are no "guides"), nor any English word written often
    enough to be meant: a helpdesk "export" is no "expert", dogs "barking" are no "banking".
    """
    fixed = []
    for word in words:
        if (len(word) >= TYPO_MIN_LENGTH and word not in vocabulary and word not in known and not word.isdigit()
                and not _past_form(word, vocabulary) and word not in text.real_words()):
            close = [v for v in vocabulary if abs(len(v) - len(word)) <= 1 and v[0] == word[0]
                     and OSA.distance(word, v, score_cutoff=1) <= 1]
            if len(close) == 1:
                word = close[0]
        fixed.append(word)
    return fixed


def _past_form(word: str, vocabulary: Set[str]) -> bool:
    return word.endswith("ed") and (word[:-1] in vocabulary or word[:-2] in vocabulary)


def matches(phrases: Dict[str, List[Tuple[str, ...]]], parts: List[List[str]],
            ignored: Sequence[Tuple[str, ...]] = ()) -> List[Tuple[int, int, int, str]]:
    """(clause, start, end, option) of each option phrase found, longest first, none overlapping, none negated.

    `ignored` phrases answer nothing: "yes" alone, and "image model" in "LLM or image model?" (its "image" too).
    """
    found = []
    for option, option_phrases in [("", list(ignored)), *phrases.items()]:
        for phrase in option_phrases:
            if option and phrase in ignored:
                continue
            n = len(phrase)
            for c, words in enumerate(parts):
                for i in range(len(words) - n + 1):
                    if tuple(words[i : i + n]) == phrase:
                        found.append((c, i, i + n, option))
    kept: List[Tuple[int, int, int, str]] = []
    taken: Set[Tuple[int, int]] = set()
    for c, start, end, option in sorted(found, key=lambda m: (-(m[2] - m[1]), m[0], m[1])):
        span = {(c, i) for i in range(start, end)}
        if span & taken:
            continue
        taken |= span
        if parts[c][start] not in NEGATIONS and NEGATIONS & set(parts[c][max(0, start - NEGATION_REACH) : start]):
            continue  # "no personal data": the phrase is denied, and "no" answers on its own
        kept.append((c, start, end, option))
    return [m for m in kept if m[3]]


def known_words(*texts: str) -> Set[str]:
    """The singular words of `texts`: real words, so never read as typos."""
    return {text.singular(w) for t in texts for w in text.words(t)}


def states_amount(words: Sequence[str]) -> bool:
    return any(w in COUNT_WORDS or w[0].isdigit() for w in words)


def largest_count(sentence: str) -> Optional[int]:
    """The largest quantity the reply states ("~400 posts and 8k photos" -> 8000), or None."""
    sentence = sentence or ""
    counts = []
    for found in _NUMBER.finditer(sentence):
        digits, magnitude, unit = found.groups()
        if unit or _NOT_COUNTED.match(sentence, found.end()) or _negated_before(sentence, found.start()):
            continue  # "20 years of articles" counts years, not articles; "8-GPU nodes" machines; "not 500" nothing
        try:
            value = float(digits.replace(",", ""))
        except ValueError:
            continue
        counts.append(int(value * _MAGNITUDES.get((magnitude or "").lower(), 1)))
    # "hundreds of hours of narrated lessons" counts hours, not lessons, as "20 years of articles" does.
    for words, n in _WORD_COUNTS.items():
        for found in re.finditer(rf"\b{words}\b(?!\s+of\s+(?:{_TIME_UNITS})\b)", sentence, re.IGNORECASE):
            if not _negated_before(sentence, found.start()):
                counts.append(n)
    return max(counts) if counts else None


def decide(factor: "Factor", scores: Dict[str, int]) -> Reading:
    """The option the scores point to: a combination both of whose parts are named, else the one top score.

    An option named beside options it `outranks` wins over them: "synthetic X-ray images" are synthetic data,
    "my sketches and some storyboards, not many" is little data.
    """
    scores = dict(scores)
    for option in factor.options:
        if scores.get(option.id, 0) > 0:
            for other in option.outranks:
                scores.pop(other, None)
    for option in factor.options:
        if option.combines and all(any(scores.get(o, 0) > 0 for o in group) for group in option.combines):
            return Reading(option.id)
    best = max(scores.values(), default=0)
    if best <= 0:
        return Reading()
    top = tuple(o.id for o in factor.options if scores.get(o.id, 0) == best)
    return Reading(top[0]) if len(top) == 1 else Reading(None, top)


def read(factor: "Factor", sentence: str, known: Set[str] = frozenset()) -> Reading:
    """What a reply to `factor`'s question says (see the module's docstring); `known`: words that are no typos."""
    phrases = phrases_of(factor)
    vocabulary = {w for option_phrases in phrases.values() for p in option_phrases for w in p}
    parts = clauses(sentence)
    parts = [corrected(words, vocabulary, known) for words in (outputs_only(parts, vocabulary) if factor.produced else parts)]
    scores: Dict[str, int] = {}
    previous = None
    for clause, start, end, option in sorted(matches(phrases, parts)):
        # Adjacent words of one option are one mention: "video clips" counts as much as "python scripts".
        if previous != (clause, start, option):
            scores[option] = scores.get(option, 0) + 1
        previous = (clause, end, option)
    if factor.steps_option and factor.step_verbs:
        # Steps are clauses that each do something: "figure out who's speaking, pick their voice, read it with
        # feeling" is three, each worth a point against the one the single kind of task they name gets; a list of
        # nouns is varieties, no steps ("lighting, crowds, weather"); one clause is one task ("read the contract and
        # tell us the key terms"); a negated clause does nothing ("not just fix my commas"). "then" is a step too.
        verbs = set(factor.step_verbs)
        steps = sum(1 for words in parts if verbs & set(words) and not NEGATIONS & set(words))
        bonus = (steps if steps >= 2 else 0) + (2 if _THEN.search(sentence or "") else 0)
        if bonus:
            scores[factor.steps_option] = scores.get(factor.steps_option, 0) + bonus
    elif factor.steps_option and (len(parts) >= STEP_CLAUSES or _THEN.search(sentence or "")):
        # "then" outweighs one word of a single kind of task ("write caption, then make picture"); a list of three
        # clauses only equals it ("story, characters, moving scenes, very creative" may be either: confirm).
        scores[factor.steps_option] = scores.get(factor.steps_option, 0) + (2 if _THEN.search(sentence or "") else 1)
    if factor.few and (not scores or ONLY.search(sentence or "")):
        # A count alone says little data or budget; beside a named option it only says how much of it, unless the
        # reply says it is all there is ("only ~150 crash recordings", "just 60 sprites").
        units = factor.few.get("units") or ()
        count = largest_count(sentence)
        has_unit = not units or any(u in sentence.lower() for u in units)
        if count is not None and has_unit:
            # The first band the count is under; the last of `more` may have no bound ("tens of thousands").
            bands = [factor.few] + list(factor.few.get("more") or [])
            band = next((b for b in bands if "below" not in b or count < b["below"]), None)
            if band is not None and (band is factor.few or not ONLY.search(sentence or "")):
                scores[band["option"]] = scores.get(band["option"], 0) + 1
    return decide(factor, scores)


def read_all(factors: Sequence["Factor"], sentence: str, ignored: Sequence[str] = (),
             known: Set[str] = frozenset(), asked: Optional[str] = None) -> Dict[str, str]:
    """Every factor a statement answers ("two of us, no ML background, budget is tight").

    Each word answers one factor at most: the longest phrase claims it, then the earlier factor ("images" is
    content, not data), except that a phrase two factors list counts for both beside a quantity ("a few thousand
    support emails" is text to produce and text to build on). Generic replies ("yes", "lots") are `ignored`: they say nothing unasked.
    A factor with `unasked_cues`, other than the one `asked`, is read only in a clause holding one of them: "turn my
    lecture slides into videos" says what to make, "we have 400 slides" what there is to build on.
    """
    ignored_phrases = [tuple(text.singular(w) for w in text.words(a)) for a in ignored]
    parts = clauses(sentence)
    per_factor = []
    for rank, factor in enumerate(factors):
        phrases = phrases_of(factor)
        vocabulary = {w for option_phrases in phrases.values() for p in option_phrases for w in p}
        fixed = [corrected(words, vocabulary, known) for words in (outputs_only(parts, vocabulary) if factor.produced else parts)]
        cues = set(factor.unasked_cues) if factor.unasked_cues and factor.id != asked else None
        cued = [bool(cues & set(words)) for words in parts] if cues else []
        for c, start, end, option in matches(phrases, fixed, ignored_phrases):
            if cues is not None and not cued[c]:
                continue
            per_factor.append((-(end - start), rank, c, start, end, factor, option))
    claimed: Dict[Tuple[int, int], Tuple[int, int, int]] = {}
    scores: Dict[str, Dict[str, int]] = {}
    for _, rank, c, start, end, factor, option in sorted(per_factor, key=lambda m: m[:5]):
        span = [(c, i) for i in range(start, end)]
        owners = {claimed[s] for s in span if s in claimed}
        if owners and (owners != {(c, start, end)} or not states_amount(parts[c])):
            continue  # part of another factor's phrase; the same phrase counts twice only beside a quantity
        for s in span:
            claimed[s] = (c, start, end)
        scores.setdefault(factor.id, {})
        scores[factor.id][option] = scores[factor.id].get(option, 0) + 1
    answers = {}
    for factor in factors:
        if factor.id in scores:
            reading = decide(factor, scores[factor.id])
            if reading.option:
                answers[factor.id] = reading.option
    return answers


# Replies to "Sounds like X — right?": the first word decides, in a short reply ("yes", "yep that's it", "nope").
_YES = frozenset("yes yeah yep yup ya yea right correct exactly sure true ok okay indeed absolutely".split())
_NO = frozenset("no nope nah not wrong incorrect".split())
_SHORT_REPLY = 6


def yes_or_no(sentence: str) -> Optional[bool]:
    """True for a short yes, False for a short no, None for anything else (a new answer, a question)."""
    words = text.words(sentence)
    if not words or len(words) > _SHORT_REPLY or sentence.rstrip().endswith("?"):
        return None
    if words[0] in _YES:
        return True
    if words[0] in _NO:
        return False
    return None
