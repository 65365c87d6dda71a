"""Honest routing (issue 14, item 4): a question about a topic the knowledge base lacks gets the not-covered answer
with the nearest topics, never the guide, "why do you ask" or an answer about the bot.

Each development real-phrasing question labelled with an explainer intent and "not covered" is parsed by the
trained model and answered by the action its intent's rule runs (data/rules.yml, data/guide_rules.yml), with no
conversation before it. Sealed halves are not read here.
"""

import asyncio
import warnings
from typing import Any, Dict, List

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.explain import ActionCompare, ActionExplain, ActionShowSource
from actions.guide import ActionExplainFactor
from actions.topics import ActionAskRephrase, ActionListTopics, ActionOutOfScope
from bench.real_phrasing import NOT_COVERED, SETS, expected_concepts, load_items
from tests.support.servers import MODEL

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]
# The action each intent's rule runs outside the guide. Intents missing here (start_guide, inform, greet, ...)
# answer something other than a topic: for a question about a topic that is a wrong route.
ACTION_OF_INTENT = {
    **{intent: ActionExplain for intent in (
        "ask_definition", "ask_how_it_works", "ask_examples", "ask_uses", "ask_limitations", "ask_history",
        "tell_more", "explain_simpler")},
    "ask_comparison": ActionCompare,
    "ask_source": ActionShowSource,
    "why_ask": ActionExplainFactor,
    "out_of_scope": ActionOutOfScope,
    "nlu_fallback": ActionAskRephrase,
    "list_topics": ActionListTopics,
}
NOT_COVERED_ANSWER = "isn't something I cover"
# Development questions the product still answers otherwise, and why (tests/evaluation/real_phrasing/README.md).
# They are reported as a warning on every run, never skipped silently; remove one once it passes.
KNOWN_MISSES = {
    # (The two context-length questions listed here before are covered now: the glossary's context window entry.)
    "What does learn a model mean here? Something different than the commonly used phrase train a model?":
        "its topic ('learn a model') is made of words that ask rather than name, so it is asked to be rephrased",
    # understanding_development_second (2026-12-05), as first scored:
    "Ollama versus llama.cpp, which is faster?":
        "both are names of the Local LLM entry; the answer says so and asks for another topic to compare",
    "I'm still curious whether clip text encoder has generation ability.":
        "the uncovered topic sits inside a statement; no topic can be isolated to quote, so 'which topic?' is asked",
    "Let's say I have 30 minutes of interview in which two people talk: would it be possible to have marked in the "
    "transcribed text when the speaker changes?":
        "the topic (speaker diarization) is described, never named, so 'which topic?' is asked",
    "Are you sure that no computer has yet passed the Turing Test?":
        "the topic sits in a long sentence with no question frame around it; 'which topic?' is asked",
    # understanding_development_fourth (2026-12-05, late evening), as first scored:
    "If labels are groundtruth for supervised tasks, should reward functions be 'groundtruth' for rl tasks?":
        "the topic (reward functions) is set against another inside a conditional; 'which topic?' is asked",
    "I need to know how to calculate the Within-Cluster-Sum of Squared Errors (WSS) for different values of k, do we "
    "have any samples for this to use it for Elbow method.":
        "the topic is named inside a long how-to request; 'which topic?' is asked",
    "random forest >neural networks>xgboost>gbdt?":
        "one of the four things ranked (neural networks) is an entry, and it is explained",
    "Why don't you use YOLO but use Faster R-CNN for animal detection task.":
        "'R-CNN' is read as CNN, an entry, and the bot asks what to compare it with",
    "Is it possible though to only give recommendations based on what the current user liked, without taking into "
    "consideration what other users liked/disliked?":
        "the topic (collaborative filtering) is described, never named, so 'which topic?' is asked",
}


def topic_questions() -> List[Dict[str, Any]]:
    """Development questions about an AI topic the knowledge base lacks."""
    return [
        item
        for path in sorted(SETS.glob("*_development*.yml"))
        for item in load_items(path)
        # expected_concepts: a term that has gained an entry since labelling (RAG, context window) is covered now.
        if item["concept"] == NOT_COVERED and item["intent"].startswith("ask_") and not expected_concepts(item)
    ]


def answer(agent, sentence: str) -> str:
    parsed = asyncio.run(agent.parse_message(sentence))
    action = ACTION_OF_INTENT.get(parsed["intent"]["name"])
    if action is None:
        return f"(intent {parsed['intent']['name']}: no topic answer)"
    tracker = Tracker("not-covered", {}, parsed, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(action().run(dispatcher, tracker, {}))
    return "\n".join(m.get("text") or m.get("response") or "" for m in dispatcher.messages)


def test_there_are_topic_questions_to_check() -> None:
    # Most development topics without an entry got one from the glossary (RAG, context window, quantization...);
    # what is left must still be checked.
    assert len(topic_questions()) >= 2


def test_every_uncovered_topic_question_is_answered_as_not_covered() -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))
    wrong, known = [], []
    for item in topic_questions():
        text = answer(agent, item["text"])
        if NOT_COVERED_ANSWER not in text:
            line = f"{item['text']!r} ({item['term']}): {text[:120]!r}"
            (known if item["text"] in KNOWN_MISSES else wrong).append(line)
    if known:
        warnings.warn(UserWarning("Known not-covered misses (see KNOWN_MISSES):\n" + "\n".join(known)))
    assert not wrong, "Answered as if covered, or routed elsewhere:\n" + "\n".join(wrong)
