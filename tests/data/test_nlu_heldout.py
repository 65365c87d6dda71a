"""NLU quality on held-out sets under tests/nlu/, which are never used for training.

Each set was written by someone who saw neither the training data nor the other sets (sentences that
happened to equal training sentences were then removed from them), in this order: development_1 (once
heldout.yml), development_2 (heldout_fresh), development_3 (heldout_blind), development_4 (heldout_fourth) and
development_5 (heldout_fifth). All five have since served as development sets: their errors showed which kinds
of phrasing the training data lacked, so their scores are somewhat optimistic. Scores before their errors were
read: development_4 0.893 (DIET; 0.875 before five labels were corrected to the product's conventions),
development_5 0.883 (this classifier; DIET 0.863).

sealed.yml (once heldout_sixth) was written blind after the training data of 2026-12-01 was final and scored
once, with the model that data trained: intent accuracy 0.977, concept F1 0.992. Its errors have not been read:
it is the one set that says how the assistant reads phrasing nobody tuned it on.
"""

import json
import re
from pathlib import Path

import pytest

from tests.support.nlu_quality import score
from tests.support.servers import MODEL, ROOT

HELDOUT_SETS = sorted((ROOT / "tests" / "nlu").glob("*.yml"))
MIN_INTENT_ACCURACY = 0.95
MIN_CONCEPT_F1 = 0.97
# Each set on its own. Lowest sets on 2026-12-04: intent 0.966 (development_4 and _5), concept F1 0.966
# (development_4).
MIN_SET_CONCEPT_F1 = 0.96

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]


def normalised(sentence: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", sentence.lower()).strip()


def examples(path: Path) -> set:
    from rasa.shared.nlu.training_data.loading import load_data

    return {normalised(m.get("text")) for m in load_data(str(path)).intent_examples}


@pytest.mark.parametrize("heldout", HELDOUT_SETS, ids=lambda p: p.stem)
def test_heldout_set_is_not_training_data(heldout: Path) -> None:
    training = examples(ROOT / "data" / "nlu")
    assert len(training) > 500
    assert not examples(heldout) & training


def test_heldout_quality() -> None:
    """Each held-out set is gated on its own, then all together: a pooled gate alone would let one set (the
    sealed one, the only set nobody tuned on) fall to about 0.84 unnoticed. Figures are written to results/."""
    results = ROOT / "results"
    results.mkdir(exist_ok=True)
    lines, development_errors, below = [], [], []
    for name, files in [(p.stem, [p]) for p in HELDOUT_SETS] + [("heldout_all", HELDOUT_SETS)]:
        scores = score(MODEL, files)
        if name.startswith("development"):
            development_errors += scores.errors
        if scores.intent_accuracy < MIN_INTENT_ACCURACY or scores.concept_f1 < MIN_SET_CONCEPT_F1:
            below.append(name)
        figures = dict(scores.__dict__)
        if not name.startswith("development"):
            figures.pop("errors"), figures.pop("confusions")  # a sealed set's items stay unread, in files too
        (results / f"nlu_{name}.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
        lines.append(
            f"{name}: {scores.total} utterances, intent accuracy {scores.intent_accuracy:.3f}, "
            f"macro-F1 {scores.intent_macro_f1:.3f}, concept P {scores.concept_precision:.3f} "
            f"R {scores.concept_recall:.3f} F1 {scores.concept_f1:.3f}"
        )
    print("\n" + "\n".join(lines))
    assert scores.total >= 300
    assert not below, f"below the floors (intent {MIN_INTENT_ACCURACY}, concept F1 {MIN_SET_CONCEPT_F1}): {below}\n" + "\n".join(lines + development_errors)
    # Only development sets' errors are shown: the sealed set's items stay unread.
    assert scores.intent_accuracy >= MIN_INTENT_ACCURACY, "\n".join(lines + development_errors)
    assert scores.concept_f1 >= MIN_CONCEPT_F1, "\n".join(lines + development_errors)
