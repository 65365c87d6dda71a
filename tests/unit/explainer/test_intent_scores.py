"""One-message scoring gives scikit-learn's own probabilities: the speed-up changes no intent and no confidence."""

import numpy as np
import pytest

from explainer.intent_model import IntentModel, mask
from tests.support.servers import MODEL
from tests.unit.components.test_intent_model import CHITCHAT, CONCEPTS, spans_of

ODD = ["", "   ", "zxqv", "GAN vs VAE vs LLM?", "what is a gan " * 300, "émoji 🤖 and ümlauts", "a\u0000b", "1234"]


def ranked_like_scikit_learn(model: IntentModel, texts) -> None:
    spans = [spans_of(t) for t in texts]
    expected = model.batch_probabilities(texts, spans)
    for text, found, row in zip(texts, spans, expected):
        ranking = dict(model.rank(text, found))
        familiarity = model._familiarity(mask(text, found))
        got = np.array([ranking[str(c)] for c in model.classifier.classes_])
        np.testing.assert_allclose(got, row * familiarity, rtol=0, atol=1e-12, err_msg=text[:60])


def test_the_fitted_fixture_model_scores_as_scikit_learn_does() -> None:
    from tests.unit.components.test_intent_model import TEMPLATES

    texts = [t.format(c) for templates in TEMPLATES.values() for t in templates for c in CONCEPTS]
    labels = [i for i, templates in TEMPLATES.items() for t in templates for _ in CONCEPTS]
    for intent, sentences in CHITCHAT.items():
        texts += sentences
        labels += [intent] * len(sentences)
    model = IntentModel.fit(texts, [spans_of(t) for t in texts], labels)
    ranked_like_scikit_learn(model, texts + ["how was a transformer invented", "hello, what is bert?"] + ODD)


def test_a_model_of_two_intents_is_scored_by_scikit_learn_itself() -> None:
    texts = ["hi", "hello", "hey there", "good morning", "thanks", "thank you", "cheers", "much appreciated"]
    model = IntentModel.fit(texts, [[] for _ in texts], ["greet"] * 4 + ["thanks"] * 4)
    assert model.rank("hello there", [])[0][0] == "greet" and model._scores is False
    ranked_like_scikit_learn(model, texts + ODD)


@pytest.mark.model
@pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)")
def test_the_trained_model_scores_the_held_out_sentences_as_scikit_learn_does() -> None:
    import tarfile
    import tempfile
    from pathlib import Path

    import skops.io as sio
    import yaml

    from components.intent_classifier import MODEL_FILE, _trusted
    from tests.support.paths import ROOT

    with tempfile.TemporaryDirectory() as tmp, tarfile.open(MODEL) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith(MODEL_FILE))
        archive.extract(member, tmp, filter="data") if hasattr(tarfile, "data_filter") else archive.extract(member, tmp)
        path = Path(tmp) / member.name
        model = IntentModel(**sio.load(path, trusted=_trusted(sio.get_untrusted_types(file=path))))
    texts = []
    for held_out in sorted((ROOT / "tests" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(held_out.read_text(encoding="utf-8"))["nlu"]:
            texts += [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")][:15]
    ranked_like_scikit_learn(model, texts + ODD)
