"""domain.yml and the knowledge base agree, so a factor or concept is never silently dropped."""


import yaml

from explainer.kb import KnowledgeBase
from tests.support.paths import ROOT


def domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_every_guide_factor_has_its_slot_question_action_and_form_entry(kb: KnowledgeBase) -> None:
    d = domain()
    factors = kb.guide.factor_ids()
    assert d["forms"]["decision_guide_form"]["required_slots"] == factors
    for factor in factors:
        assert factor in d["slots"], f"domain.yml: slot '{factor}' is missing"
        assert f"action_ask_{factor}" in d["actions"], f"domain.yml: action 'action_ask_{factor}' is missing"


def test_recommendation_values_are_the_guide_outcomes(kb: KnowledgeBase) -> None:
    assert sorted(domain()["slots"]["recommendation"]["values"]) == sorted(kb.guide.outcomes)


def test_button_payloads_in_responses_reach_rasa_as_our_payloads(kb: KnowledgeBase) -> None:
    """What Rasa sends for each response button (after filling slots) is a payload our channels accept,
    and filling it logs no error."""
    from rasa.core.nlg.interpolator import interpolate_text
    from structlog.testing import capture_logs

    from explainer.payloads import is_button_payload, parse

    d = domain()
    buttons = [(n, b) for n, vs in d["responses"].items() for v in vs for b in v.get("buttons", [])]
    assert buttons
    for name, button in buttons:
        with capture_logs() as logs:
            sent = interpolate_text(button["payload"], {})
        assert not [log for log in logs if log["log_level"] == "error"], (name, button["payload"])
        assert is_button_payload(kb, sent), (name, sent)
        assert parse(sent)[0] in d["intents"], (name, sent)
