"""The scenario runner plays a user: it answers what is asked and takes the guide when the bot offers it."""

from typing import Any, Dict, List

from bench.guide_scenarios import run_scenario, summary

SCENARIO = {"id": "t-1", "expected": "llm", "opening": "chatbot for our help desk, what should we use?",
            "answers": {"Content type": {"say": "text answers", "intended": "Text"}}}
QUESTION = {"text": "Question 1 of 8 — Content type: What should the model mainly produce?"}
RESULT = {"text": "Recommendation: A pre-trained LLM.\nWhy: ..."}
OUTCOMES = {"A pre-trained LLM": "llm"}


def scripted(first: List[Dict[str, Any]]):
    """A bot that answers the opening with `first`, the guide's button with the question, any answer with a result."""
    sent: List[str] = []

    def say(_: str, text: str) -> List[Dict[str, Any]]:
        sent.append(text)
        if len(sent) == 1:
            return first
        return [QUESTION] if text == "/start_guide" else [RESULT]
    return say, sent


def test_an_offered_guide_is_taken_and_counted_apart() -> None:
    offer = [{"text": "Which topic do you mean?", "buttons": [{"title": "Which fits my project?", "payload": "/start_guide"}]}]
    say, sent = scripted(offer)
    run = run_scenario(say, SCENARIO, OUTCOMES)
    assert sent == [SCENARIO["opening"], "/start_guide", "text answers"]
    assert run.reached and run.offer_followed and run.asked == ["Content type"]
    assert summary("x", [run]).endswith("guide offers taken 1 (1 reached)")


def test_no_offer_no_guide() -> None:
    say, sent = scripted([{"text": "Which topic do you mean?", "buttons": [{"title": "What is RAG?", "payload": "/ask_definition"}]}])
    run = run_scenario(say, SCENARIO, OUTCOMES)
    assert sent == [SCENARIO["opening"]] and run.outcome is None and not run.offer_followed


def test_a_started_guide_is_not_started_again() -> None:
    say, sent = scripted([QUESTION | {"buttons": [{"title": "Which fits my project?", "payload": "/start_guide"}]}])
    run = run_scenario(say, SCENARIO, OUTCOMES)
    assert sent == [SCENARIO["opening"], "text answers"] and run.reached and not run.offer_followed
