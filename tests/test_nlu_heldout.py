"""NLU quality on tests/nlu/heldout.yml, which is never used for training."""

import json
import re
from pathlib import Path

import pytest

from nlu_quality import score
from servers import MODEL, ROOT

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
MIN_INTENT_ACCURACY = 0.93
MIN_CONCEPT_F1 = 0.95

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]


def normalised(sentence: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", sentence.lower()).strip()


def examples(path: Path) -> set:
    from rasa.shared.nlu.training_data.loading import load_data

    return {normalised(m.get("text")) for m in load_data(str(path)).intent_examples}


def test_heldout_set_is_not_training_data() -> None:
    training = examples(ROOT / "data" / "nlu")
    assert len(training) > 500
    assert not examples(HELDOUT) & training


def test_heldout_quality() -> None:
    scores = score(MODEL, HELDOUT)
    report = ROOT / "results" / "nlu_heldout.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps(scores.__dict__, indent=2), encoding="utf-8")
    print(
        f"\nheld-out: {scores.total} utterances, intent accuracy {scores.intent_accuracy:.3f}, "
        f"macro-F1 {scores.intent_macro_f1:.3f}, concept P {scores.concept_precision:.3f} "
        f"R {scores.concept_recall:.3f} F1 {scores.concept_f1:.3f}"
    )
    assert scores.total >= 300
    assert scores.intent_accuracy >= MIN_INTENT_ACCURACY, "\n".join(scores.errors)
    assert scores.concept_f1 >= MIN_CONCEPT_F1, "\n".join(scores.errors)
