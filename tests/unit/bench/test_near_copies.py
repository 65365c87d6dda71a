"""bench/near_copies.py: a question that nearly copies a training sentence once concept names are masked."""

from bench.near_copies import NearCopies, masked_key
from explainer.loader import load_knowledge_base
from explainer.matching import ConceptIndex
from tests.support.paths import ROOT


def index() -> ConceptIndex:
    kb = load_knowledge_base(ROOT / "knowledge")
    return ConceptIndex.of(kb)


def test_a_question_a_word_away_from_a_training_sentence_is_a_near_copy() -> None:
    near = NearCopies(index(), ["When ChatGPT Invented", "how does a GAN work"])
    assert near.has_near_copy("When was ChatGPT invented?")
    assert near.has_near_copy("how does a diffusion model work")  # the names are masked alike


def test_a_different_question_about_the_same_concept_is_not() -> None:
    near = NearCopies(index(), ["When ChatGPT Invented", "how does a GAN work"])
    assert not near.has_near_copy("Why does ChatGPT make things up?")
    assert not near.has_near_copy("what is a GAN")
    assert not near.has_near_copy("")


def test_masking_turns_every_name_into_one_token() -> None:
    assert masked_key(index(), "GAN vs VAE?") == "xconceptx vs xconceptx"
