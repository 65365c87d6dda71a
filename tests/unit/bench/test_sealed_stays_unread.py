"""A failed assertion prints the objects it compares: no score object may carry a sealed item's text into it."""

from bench.coverage import HalfScore, score_half
from bench.real_phrasing import SetScore
from tests.support.nlu_quality import Scores


def test_score_objects_print_no_items() -> None:
    question = "a question nobody may read"
    printed = [
        repr(SetScore("understanding_sealed", total=1, errors=[question])),
        repr(HalfScore("coverage_sealed", total=1, errors=[question])),
        repr(Scores(1, 1.0, 1.0, 1.0, 1.0, 1.0, confusions=[("a", "b", 1)], errors=[question])),
    ]
    assert not [p for p in printed if question in p], printed


def test_a_sealed_half_keeps_no_errors_at_all() -> None:
    items = [{"text": "what is a GAN?", "intent": "ask_definition", "concept": "gan"}]
    declined = lambda user, text: [{"text": "Sorry, I'm not sure what you mean."}]  # noqa: E731
    assert score_half("coverage_development", items, declined).errors, "a development miss is listed"
    sealed = score_half("coverage_sealed", items, declined)
    assert sealed.declined_covered == 1 and sealed.errors == []


def test_the_runner_up_ratio_is_chosen_on_development_halves_alone() -> None:
    from bench.runner_up import DEVELOPMENT
    assert DEVELOPMENT and not [p.name for p in DEVELOPMENT if "sealed" in p.name]
    assert {p.stem for p in DEVELOPMENT} >= {"understanding_development", "coverage_development"}
