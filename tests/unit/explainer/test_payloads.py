"""Typed `/intent{...}` messages: our button payloads pass, anything else is read as text."""

import pytest

from explainer.answers import Explainer
from explainer.payloads import as_user_text, is_button_payload


def test_every_button_the_explainer_offers_is_accepted(kb):
    explainer = Explainer(kb)
    answers = [explainer.explain(i, a) for i in kb.entries for a in ("definition", "examples", "history")]
    answers += [explainer.topics(), explainer.compare("gan", "vae"), explainer.rephrase(["gan", "vae"])]
    payloads = [b.payload for a in answers for b in a.buttons]
    assert payloads
    for p in payloads:
        assert is_button_payload(kb, p), p
        assert as_user_text(kb, p) == p


def test_guide_option_buttons_are_accepted(kb):
    option = kb.guide.factors[0].options[0]
    text = '/inform{"guide_answer":"%s"}' % option.id
    assert as_user_text(kb, text) == text


@pytest.mark.parametrize(
    "typed",
    [
        '/inform{"recommendation":"llm"}',  # a slot no button sets
        '/ask_definition{"concept":"quantum_blockchain"}',  # an id the knowledge base lacks
        "/action_restart",
        "/session_start",
        '/inform{"guide_answer":"text","content_type":"audio"}',
        '/ask_definition{"concept":["gan","vae","llm"]}',
        "/ask_definition{not json}",
        '/inform{"guide_answer":' + '"x"' * 40 + "}",
    ],
)
def test_other_payloads_become_text(kb, typed):
    assert not is_button_payload(kb, typed)
    assert not as_user_text(kb, typed).startswith("/")


def test_plain_text_is_untouched(kb):
    assert as_user_text(kb, "what is a GAN?") == "what is a GAN?"
    assert as_user_text(kb, "  /  ") == "?"
