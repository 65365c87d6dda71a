"""Intent classifier: TF-IDF word and character n-grams, concept names masked, a calibrated linear SVM.

On our held-out sets this beat Rasa's DIET on the same data (docs/benchmarks.md) and trains in seconds.
Plain scikit-learn, no Rasa: components/intent_classifier.py adapts it to a Rasa pipeline.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import scipy.sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from explainer.context import names_after_a_follow_up, names_only
from explainer.errors import GenAIError
from explainer.intent_scores import IntentScores
from explainer.names import GUIDE_INTENTS, Intent

# Stands in for every knowledge-base name, so "how does a X work" reads the same whatever X is: a concept
# added to knowledge/ is understood without new training sentences.
CONCEPT_TOKEN = " xconceptx "
# Below this share of known character trigrams, confidence shrinks in proportion: "zxqv" shares none with
# anything we trained on, so it is sent to the fallback (please rephrase) instead of guessed.
KNOWN_TRIGRAMS_FOR_FULL_CONFIDENCE = 0.5
MAX_CALIBRATION_FOLDS = 5

Span = Tuple[int, int, str]


class TooFewExamples(GenAIError, ValueError):
    """An intent has too few training sentences to be learned."""


@dataclass
class IntentModel:
    """Fit on (text, concept spans) pairs and intent labels; rank intents for a new text."""

    word_ngrams: TfidfVectorizer
    char_ngrams: TfidfVectorizer
    classifier: Any
    # The same probabilities for one message, computed without scikit-learn's per-call overhead (intent_scores.py);
    # laid out from the fitted objects at the first message. False: the model's shape is one it does not handle (two
    # intents), so scikit-learn scores each message.
    _scores: Any = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def fit(cls, texts: Sequence[str], spans: Sequence[Sequence[Span]], labels: Sequence[str], C: float = 0.5) -> IntentModel:
        """Trains on every sentence; each intent needs at least two (calibration holds some out)."""
        counts = Counter(labels)
        if len(counts) < 2:
            raise TooFewExamples(f"The intent classifier needs at least two intents in the NLU data; found {len(counts)}.")
        scarce = sorted(intent for intent, n in counts.items() if n < 2)
        if scarce:
            raise TooFewExamples(
                f"Intent(s) {', '.join(scarce)} have a single training sentence; give each at least two in data/nlu/."
            )
        model = cls(
            TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
            CalibratedClassifierCV(LinearSVC(C=C, random_state=0), cv=min(MAX_CALIBRATION_FOLDS, min(counts.values()))),
        )
        features = model._features([mask(t, s) for t, s in zip(texts, spans)], spans, fitting=True)
        # An array, not a list: scikit-learn 1.1 counts the examples per class with `y == class`.
        model.classifier.fit(features, np.array(labels))
        return model

    def rank(self, text: str, spans: Sequence[Span]) -> List[Tuple[str, float]]:
        """Every intent with its confidence, best first."""
        masked = mask(text, spans)
        if self._scores is None:
            self.prepare()
        if self._scores:
            probabilities = self._scores.probabilities(masked, _concept_flags(spans))
        else:
            probabilities = self.batch_probabilities([text], [spans])[0]
        probabilities = probabilities * self._familiarity(masked)
        order = np.argsort(-probabilities, kind="stable")
        return [(str(self.classifier.classes_[i]), float(probabilities[i])) for i in order]

    def read(self, text: str, spans: Sequence[Span], guide_answer: bool = False) -> List[Tuple[str, float]]:
        """The ranking the assistant acts on: intents that lead to the guide pooled, a bare term a definition unless
        it is also a `guide_answer` read so, a question after small talk the question's."""
        ranking = pool(self.rank(text, spans), GUIDE_INTENTS)
        start = question_after_small_talk(ranking, text, spans)
        if start is not None:
            # "thank you. who invent transformer?" was answered "You're welcome!" alone.
            ranking = pool(self.rank(text[start:], [(a - start, b - start, c) for a, b, c in spans if a >= start]),
                           GUIDE_INTENTS)
        ranking = a_topic_question_is_not_about_the_bot(ranking, text, spans, Intent.BOT_CHALLENGE)
        ranking = what_the_bot_runs_on(ranking, text, Intent.BOT_CHALLENGE)
        return bare_term_is_a_definition(ranking, text, spans, Intent.ASK_DEFINITION, GUIDE_INTENTS if guide_answer else ())

    def prepare(self) -> None:
        """Lays out the fitted numbers for one-message scoring now, so the first message does not wait for it."""
        try:
            self._scores = IntentScores(self.word_ngrams, self.char_ngrams, self.classifier)
        except ValueError:
            self._scores = False

    def batch_probabilities(self, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> np.ndarray:
        """scikit-learn's own probabilities for many texts (before familiarity): what `rank` must equal."""
        return self.classifier.predict_proba(self._features([mask(t, s) for t, s in zip(texts, spans)], spans))

    def _features(self, masked: List[str], spans: Sequence[Sequence[Span]], fitting: bool = False):
        """One row per text, the same columns in training and prediction."""
        words, chars = (
            (self.word_ngrams.fit_transform, self.char_ngrams.fit_transform)
            if fitting
            else (self.word_ngrams.transform, self.char_ngrams.transform)
        )
        return scipy.sparse.hstack([words(masked), chars(masked), _concept_counts(spans)]).tocsr()

    def _familiarity(self, masked: str) -> float:
        trigrams = [g for g in self.char_ngrams.build_analyzer()(masked) if len(g) == 3]
        if not trigrams:
            return 0.0
        known = sum(g in self.char_ngrams.vocabulary_ for g in trigrams) / len(trigrams)
        return min(1.0, known / KNOWN_TRIGRAMS_FOR_FULL_CONFIDENCE)

    def parts(self) -> Dict[str, Any]:
        """The fitted scikit-learn objects, for persisting."""
        return {"word_ngrams": self.word_ngrams, "char_ngrams": self.char_ngrams, "classifier": self.classifier}


def pool(ranking: Sequence[Tuple[str, float]], together: Sequence[str]) -> List[Tuple[str, float]]:
    """The ranking with the intents of `together` counted as one: their confidences summed on the best of them,
    the others left out, best first again.

    For intents that lead to the same next step a close call between them is no ambiguity: a project described
    in an opening ("we're an HR team with a 300-page handbook, can a chatbot answer from it?") reads half as a
    guide answer, half as a request for the guide, and both start the guide. Left apart, the two halves fell
    within the fallback's ambiguity margin and the user was asked to rephrase.
    """
    members = [(name, confidence) for name, confidence in ranking if name in together]
    if len(members) < 2:
        return list(ranking)
    best = members[0][0]
    pooled = [(best, sum(c for _, c in members))] + [(n, c) for n, c in ranking if n not in together]
    return sorted(pooled, key=lambda item: -item[1])


SMALL_TALK = (Intent.THANKS, Intent.GREET, Intent.GOODBYE)
# A short first sentence of small talk: "thank you.", "hi!", "ok thanks,".
_SMALL_TALK_LEAD = re.compile(r"^\W*(?:\w+\W+){0,3}?\w+\s*[.!,;:]+\s+")
_ASKS = re.compile(r"\?|^\W*(?:what|whats|how|why|when|who|where|which|is|are|can|could|does|do|did|explain|tell)\b",
                   re.IGNORECASE)


def question_after_small_talk(ranking: Sequence[Tuple[str, float]], sentence: str, spans: Sequence[Span]) -> Optional[int]:
    """Where the question starts in small talk followed by a question about a named topic ("thank you. who invent
    transformer?", "hi! what is RAG"), when small talk leads the ranking; None otherwise."""
    if not ranking or ranking[0][0] not in SMALL_TALK or not spans:
        return None
    lead = _SMALL_TALK_LEAD.match(sentence)
    if not lead or not any(start >= lead.end() for start, _, _ in spans):
        return None
    return lead.end() if _ASKS.search(sentence[lead.end():]) else None


def bare_term_is_a_definition(ranking: Sequence[Tuple[str, float]], sentence: str, spans: Sequence[Span],
                              definition: str, guide: Sequence[str]) -> List[Tuple[str, float]]:
    """The ranking with `definition` first, certain, when the message is one knowledge-base name and nothing else
    ("stable diffusion", "elevenlabs?"): people type a bare term into a search box to ask what it is. The
    classifier sees only the masked token then, and its guess moved with every round of training sentences
    (the fallback, the limitations, then the guide). Not when it reads as a guide answer (the caller passes the
    guide's intents in `guide` when the name is also a guide option's word): "a chatbot" may answer a question of
    the guide."""
    if not ranking or ranking[0][0] in guide or len({concept for _, _, concept in spans}) != 1:
        return list(ranking)
    names = [(start, end) for start, end, _ in spans]
    if not (names_only(sentence, names) or names_after_a_follow_up(sentence, names)):
        # "and midjourney?" asks again of another topic (the action picks the aspect asked last); read by the
        # classifier it started the guide.
        return list(ranking)
    return [(definition, 1.0)] + [(name, confidence) for name, confidence in ranking if name != definition]


# Words by which a message speaks to or about the assistant itself: "are you ChatGPT", "is this built on an LLM",
# "am I talking to GPT-4".
_ADDRESSES_THE_BOT = re.compile(
    r"\b(?:you|your|yours|yourself|u|ur|ya|this|here|talking to|speaking to|chatting with|my ai)\b", re.IGNORECASE
)


def a_topic_question_is_not_about_the_bot(ranking: Sequence[Tuple[str, float]], sentence: str,
                                          spans: Sequence[Span], about_the_bot: str) -> List[Tuple[str, float]]:
    """The ranking with `about_the_bot` moved last when the message names a knowledge-base topic and does not
    speak to the assistant: "which model powers PrivateGPT?" asks about PrivateGPT, "are you ChatGPT?" about the
    bot (issue 15, item 3). Read as a question about the bot, such a message got our own "I'm a bot" answer,
    which says nothing about the topic. The next intent leads; below the fallback's threshold the topic is still
    answered (an unclear question with one clear topic is answered about it)."""
    if not ranking or ranking[0][0] != about_the_bot or not spans or _ADDRESSES_THE_BOT.search(sentence):
        return list(ranking)
    return [item for item in ranking if item[0] != about_the_bot] + [ranking[0]]


# Chat shorthand read as the words it stands for, in training and at run time alike: "wanna make lofi beats w ai"
# is "want to make lofi beats with ai", which the training sentences of the guide say in full.
_SHORTHAND = {"wanna": "want to", "gonna": "going to", "gotta": "got to", "u": "you", "ur": "your", "pls": "please",
              "plz": "please", "abt": "about", "w": "with", "w/": "with", "bc": "because", "cuz": "because",
              "rn": "right now", "tho": "though", "thru": "through"}
_SHORTHAND_WORD = re.compile(r"(?<![\w/])(" + "|".join(map(re.escape, sorted(_SHORTHAND, key=len, reverse=True))) + r")(?![\w/])")


def mask(text: str, spans: Sequence[Span]) -> str:
    """Lowercased text with each concept span replaced by CONCEPT_TOKEN and chat shorthand spelled out."""
    for start, end, _ in sorted(spans, reverse=True):
        text = text[:start] + CONCEPT_TOKEN + text[end:]
    return _SHORTHAND_WORD.sub(lambda m: _SHORTHAND[m.group(1)], text.lower())


def _concept_flags(found: Sequence[Span]) -> List[float]:
    """Names any concept / exactly one / two or more: "X vs Y" is a comparison, "X" alone is not."""
    distinct = len({concept for _, _, concept in found})
    return [float(distinct > 0), float(distinct == 1), float(distinct >= 2)]


def _concept_counts(spans: Sequence[Sequence[Span]]) -> scipy.sparse.csr_matrix:
    """_concept_flags of each text, one row per text."""
    rows = [_concept_flags(found) for found in spans]
    return scipy.sparse.csr_matrix(np.array(rows, dtype=float).reshape(len(rows), 3))


# What the assistant itself is or runs on, asked with a topic's name in it: "what version of chatgpt am I
# interacting with", "what nlp platform do you use?", "which LLM are you built on". The name pulled the classifier
# to the topic: the first got ChatGPT's limitations, the second what NLP is used for.
_THE_BOTS_MAKE = r"(?:model|llm|ai|version|platform|framework|engine|backend|back end|tech|technology|stack|nlp|library)s?"
_ASKS_WHAT_THE_BOT_RUNS_ON = re.compile(
    r"\b(?:am i|are we)\s+(?:talking|speaking|chatting|interacting|conversing)\s+(?:to|with)\b"
    rf"|\b(?:what|which)\s+(?:\S+\s+){{0,2}}?{_THE_BOTS_MAKE}\s+(?:do|did|does)\s+(?:you|u)\s+(?:use|run|rely)\b(?!.*\bfor\b)"
    rf"|\b(?:what|which)\s+(?:\S+\s+){{0,2}}?{_THE_BOTS_MAKE}\s+(?:are|r)\s+(?:you|u)\s+(?:using|running|built|based|made|powered|trained)\b"
    r"|\b(?:what|which|who)\b[^?.!]{0,40}\b(?:powers|runs|drives|is behind|are behind)\s+(?:you|u)\b"
    r"|\b(?:are|r)\s+(?:you|u)\s+(?:built|based|running|made|powered)\s+(?:on|with|by|using)\b",
    re.IGNORECASE,
)


def what_the_bot_runs_on(ranking: Sequence[Tuple[str, float]], sentence: str, about_the_bot: str) -> List[Tuple[str, float]]:
    """The ranking with `about_the_bot` first, certain, when the message asks what the assistant is or runs on
    (issue 15, item 3: "are you ChatGPT?" is about the bot). The answer about the bot still explains a topic it
    names when the topic is of a kind asked of the bot (a knowledge cutoff), as for any question to the bot."""
    if not ranking or not _ASKS_WHAT_THE_BOT_RUNS_ON.search(sentence):
        return list(ranking)
    return [(about_the_bot, 1.0)] + [item for item in ranking if item[0] != about_the_bot]
