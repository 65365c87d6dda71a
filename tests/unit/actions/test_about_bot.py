"""A question to the bot: what it is, and the topic's explanation when the question also asks about a topic."""

import asyncio
from typing import Any, Dict, List, Tuple

from rasa_sdk.executor import CollectingDispatcher

from actions.about_bot import ActionAboutTheBot
from explainer.kb import KnowledgeBase
from tests.support.trackers import make_tracker


def run(tracker) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAboutTheBot().run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def test_are_you_a_bot_gets_the_bots_answer_only() -> None:
    messages, events = run(make_tracker("are you a bot?", "bot_challenge"))
    assert [m.get("response") for m in messages] == ["utter_bot_challenge"] and events == []


def test_are_you_chatgpt_is_about_the_bot_not_about_chatgpt() -> None:
    messages, _ = run(make_tracker("are you ChatGPT?", "bot_challenge", ["chatgpt"]))
    assert [m.get("response") for m in messages] == ["utter_bot_challenge"]


def test_your_knowledge_cutoff_also_explains_knowledge_cutoffs(kb: KnowledgeBase) -> None:
    messages, events = run(make_tracker("What's your knowledge cut off date", "bot_challenge", ["knowledge_cutoff"]))
    assert messages[0].get("response") == "utter_bot_challenge"
    assert kb.entries["knowledge_cutoff"].name.lower() in messages[1]["text"].lower()
    assert {"event": "slot", "name": "concept", "value": "knowledge_cutoff"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events]


def test_do_you_hallucinate_explains_hallucination_after_a_model_name(kb: KnowledgeBase) -> None:
    messages, _ = run(make_tracker("do you hallucinate like ChatGPT?", "bot_challenge", ["hallucination", "chatgpt"]))
    assert len(messages) == 2 and kb.entries["hallucination"].name.lower() in messages[1]["text"].lower()
