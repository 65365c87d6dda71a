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


def normalised(line: str) -> str:
    line = re.sub(r"\[([^\]]+)\]\{[^}]*\}", r"\1", line)
    return re.sub(r"[^a-z0-9]+", " ", line.lower()).strip()


def examples(path: Path) -> set:
    return {normalised(l.strip()[2:]) for l in path.read_text(encoding="utf-8").splitlines() if l.strip().startswith("- ")}


def test_heldout_set_is_not_training_data() -> None:
    training = set().union(*(examples(p) for p in (ROOT / "data" / "nlu").glob("*.yml")))
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
