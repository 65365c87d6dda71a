"""The second and third annotators' labels line up with the development items, and kappa is Cohen's (worked by hand)."""

import pytest

from bench.agreement import SECOND, kappa, pairs


def test_kappa_discounts_the_agreement_expected_by_chance() -> None:
    # Observed 3/4; first labels a,a,b,b and second a,b,b,b give chance (2*1 + 2*3) / 16 = 1/2; (3/4 - 1/2) / (1/2).
    assert kappa([("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]) == pytest.approx(0.5)


def test_every_second_label_belongs_to_a_development_item() -> None:
    import yaml

    labelled = yaml.safe_load(SECOND.read_text(encoding="utf-8"))
    found = pairs()
    assert set(found) == {"understanding_development", "coverage_development"}
    assert sum(len(v) for v in found.values()) == len(labelled)


def test_every_third_label_belongs_to_a_development_item() -> None:
    import yaml

    from bench.agreement import THIRD

    labelled = yaml.safe_load(THIRD.read_text(encoding="utf-8"))
    found = pairs(THIRD)
    assert set(found) == {"understanding_development", "coverage_development"}
    assert sum(len(v) for v in found.values()) == len(labelled)
