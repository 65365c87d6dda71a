"""The intent model's probabilities for one message at a time, without scikit-learn's per-call overhead.

scikit-learn scores a batch: for one message its TF-IDF transform recomputed every idf weight (a sum over all
~10^5 columns) and the calibrated classifier called 5 x 28 small sigmoid calibrators one by one, each with its
input checks. That was most of the 5-6 ms the NLU took per message, which every chat turn pays. This module
reads the fitted objects once and computes the same numbers from the message's few non-zero columns; a test
checks that they equal scikit-learn's `predict_proba` on the held-out sentences.
"""

from __future__ import annotations

from typing import Any, List, Sequence, Tuple

import numpy as np
from scipy.special import expit
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer


class _Block:
    """One TF-IDF vectorizer's columns: counts, sublinear tf, idf weights, l2 norm (as TfidfVectorizer.transform)."""

    def __init__(self, vectorizer: TfidfVectorizer, offset: int) -> None:
        transformer = vectorizer._tfidf  # the fitted TfidfTransformer inside the vectorizer
        if transformer.norm not in ("l2", None):
            raise ValueError(f"unsupported TF-IDF norm {transformer.norm!r}")
        self.vectorizer = vectorizer
        self.offset = offset
        self.sublinear = bool(transformer.sublinear_tf)
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float64) if transformer.use_idf else None
        self.l2 = transformer.norm == "l2"
        self.width = len(vectorizer.vocabulary_)

    def columns(self, text: str) -> Tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of the text's non-zero features, columns shifted by this block's offset."""
        counts = CountVectorizer.transform(self.vectorizer, [text])
        indices, values = counts.indices.astype(np.int64), counts.data.astype(np.float64)
        if self.sublinear:
            values = np.log(values) + 1.0
        if self.idf is not None:
            values = values * self.idf[indices]
        if self.l2 and values.size:
            norm = np.sqrt(np.dot(values, values))
            if norm > 0:
                values = values / norm
        return indices + self.offset, values


class IntentScores:
    """`CalibratedClassifierCV(LinearSVC).predict_proba` on the hstack of two TF-IDF blocks and extra columns."""

    def __init__(self, word_ngrams: TfidfVectorizer, char_ngrams: TfidfVectorizer, classifier: Any) -> None:
        self.blocks = [_Block(word_ngrams, 0)]
        self.blocks.append(_Block(char_ngrams, self.blocks[0].width))
        self.extra_offset = self.blocks[1].offset + self.blocks[1].width
        self.classes = np.asarray(classifier.classes_)
        if len(self.classes) < 3:
            raise ValueError("two intents are scored by scikit-learn itself (its binary calibration differs)")
        self.folds: List[Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        for calibrated in classifier.calibrated_classifiers_:
            svm = getattr(calibrated, "base_estimator", None) or calibrated.estimator
            if any(type(c).__name__ != "_SigmoidCalibration" for c in calibrated.calibrators):
                raise ValueError("only a sigmoid-calibrated classifier is supported")
            positions = np.searchsorted(self.classes, svm.classes_)
            a = np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64)
            b = np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64)
            self.folds.append((svm.coef_, np.asarray(svm.intercept_, dtype=np.float64), positions, a, b))

    def probabilities(self, masked: str, extra: Sequence[float]) -> np.ndarray:
        """One probability per class (in `classes` order) for one masked text and its extra column values."""
        parts = [block.columns(masked) for block in self.blocks]
        extra = np.asarray(extra, dtype=np.float64)
        extra_columns = np.flatnonzero(extra) + self.extra_offset
        indices = np.concatenate([p[0] for p in parts] + [extra_columns])
        values = np.concatenate([p[1] for p in parts] + [extra[extra != 0]])
        total = np.zeros(len(self.classes))
        for coef, intercept, positions, a, b in self.folds:
            decision = coef[:, indices] @ values + intercept
            proba = np.zeros(len(self.classes))
            proba[positions] = expit(-(a * decision + b))
            denominator = proba.sum()
            proba = proba / denominator if denominator != 0 else np.full(len(self.classes), 1 / len(self.classes))
            proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
            total += proba
        return total / len(self.folds)
