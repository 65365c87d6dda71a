"""How much training sentences that people asked in public help on questions the classifier has not seen, by
cross-validation over those sentences themselves: a sample of several hundred real questions, where the
development halves of tests/evaluation/real_phrasing/ hold 172 and move by one item per 0.006.

The real sentences are the examples of data/nlu that carry a `source` URL. They are split into folds by thread
(bench/threads.py: a GitHub issue's comments are one thread); for each fold the classifier
(explainer/intent_model.py, the fallback's thresholds from config.yml applied) is trained on every other training
sentence, with or without the real sentences of the other folds, and scored on the fold left out, on the
development halves of the real-phrasing sets and on the development held-out sets of tests/nlu. Sealed sets are
not read.

`python -m bench.real_training_cv [C ...]` (default: the C of config.yml). Plain scikit-learn, no Rasa model: about
a minute per C on this machine.
"""

import argparse
import random
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

from bench.threads import thread_key
from explainer.intent_model import IntentModel
from explainer.loader import load_knowledge_base
from explainer.matching import ConceptIndex
from explainer.names import Rasa

ROOT = Path(__file__).resolve().parent.parent
FOLDS = 2
SEED = 7

Example = Tuple[str, str]


def nlu_examples(path: Path) -> List[Tuple[str, str, str]]:
    """(text, intent, source URL or "") of every intent example in a Rasa NLU file."""
    from rasa.shared.nlu.training_data.loading import load_data

    found = []
    for message in load_data(str(path)).intent_examples:
        metadata = message.get("metadata") or {}
        source = (metadata.get("example") or {}).get("source") or ""
        found.append((message.get("text"), message.get("intent"), str(source)))
    return found


def pipeline_settings() -> Tuple[float, float, float]:
    """From config.yml: the classifier's C, and the FallbackClassifier's threshold and ambiguity threshold."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    classifier = next(c for c in pipeline if c["name"].endswith("ConceptMaskedIntentClassifier"))
    fallback = next(c for c in pipeline if c["name"] == "FallbackClassifier")
    return float(classifier.get("C", 0.5)), float(fallback["threshold"]), float(fallback["ambiguity_threshold"])


class Scorer:
    def __init__(self, threshold: float, ambiguity: float) -> None:
        kb = load_knowledge_base(ROOT / "knowledge")
        self.index = ConceptIndex.of(kb)
        self.threshold, self.ambiguity = threshold, ambiguity
        self._spans: Dict[str, list] = {}

    def spans(self, sentence: str) -> list:
        if sentence not in self._spans:
            self._spans[sentence] = [(m.start, m.end, m.concept) for m in self.index.find_in(sentence)]
        return self._spans[sentence]

    def fit(self, examples: Sequence[Example], c: float) -> IntentModel:
        return IntentModel.fit([t for t, _ in examples], [self.spans(t) for t, _ in examples], [i for _, i in examples], C=c)

    def intent(self, model: IntentModel, sentence: str) -> str:
        ranking = model.read(sentence, self.spans(sentence))
        best = ranking[0][1]
        if best < self.threshold or (len(ranking) > 1 and best - ranking[1][1] < self.ambiguity):
            return Rasa.NLU_FALLBACK
        return ranking[0][0]

    def accuracy(self, model: IntentModel, items: Sequence[Example]) -> float:
        return sum(self.intent(model, t) == i for t, i in items) / len(items) if items else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("c", nargs="*", type=float, help="SVM C values to compare (default: config.yml's)")
    args = parser.parse_args()
    training = [e for path in sorted((ROOT / "data" / "nlu").glob("*.yml")) for e in nlu_examples(path)]
    written = [(t, i) for t, i, source in training if not source]
    real = [(t, i, thread_key(source)) for t, i, source in training if source]
    threads = sorted({k for _, _, k in real})
    random.Random(SEED).shuffle(threads)
    fold_of = {k: n % FOLDS for n, k in enumerate(threads)}
    development = [(x["text"], x["intent"]) for half in ("understanding_development", "coverage_development")
                   for x in yaml.safe_load((ROOT / "tests/evaluation/real_phrasing" / f"{half}.yml").read_text())]
    heldout = [(t, i) for path in sorted((ROOT / "tests" / "nlu").glob("development_*.yml"))
               for t, i, _ in nlu_examples(path)]
    configured_c, threshold, ambiguity = pipeline_settings()
    scorer = Scorer(threshold, ambiguity)
    print(f"{len(written)} written sentences, {len(real)} real ones from {len(threads)} threads in {FOLDS} folds; "
          f"scored on the fold left out, {len(development)} real-phrasing development questions, "
          f"{len(heldout)} held-out development utterances")
    for c in args.c or [configured_c]:
        for with_real in (False, True):
            totals = [0.0, 0.0, 0.0]
            for fold in range(FOLDS):
                others = [(t, i) for t, i, k in real if fold_of[k] != fold] if with_real else []
                model = scorer.fit(written + others, c)
                left_out = [(t, i) for t, i, k in real if fold_of[k] == fold]
                for n, items in enumerate((left_out, development, heldout)):
                    totals[n] += scorer.accuracy(model, items) / FOLDS
            label = "written + other folds' real" if with_real else "written only"
            print(f"C={c:g}, {label}: fold left out {totals[0]:.3f}, real-phrasing development {totals[1]:.3f}, "
                  f"held-out development {totals[2]:.3f}", flush=True)


if __name__ == "__main__":
    main()
