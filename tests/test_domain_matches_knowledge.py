"""domain.yml and the knowledge base agree, so a factor or concept is never silently dropped."""

from pathlib import Path

import yaml

from explainer.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent


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


def test_button_payloads_in_responses_name_known_intents_and_concepts(kb: KnowledgeBase) -> None:
    import json

    d = domain()
    for name, variants in d["responses"].items():
        for variant in variants:
            for button in variant.get("buttons", []):
                intent, _, entities = button["payload"][1:].partition("{")
                assert intent in d["intents"], (name, button)
                if entities:
                    concepts = json.loads("{" + entities).get("concept", [])
                    for concept in [concepts] if isinstance(concepts, str) else concepts:
                        assert concept in kb.entries, (name, concept)
