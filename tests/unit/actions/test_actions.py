"""Every custom action, run on rasa-sdk trackers against the real knowledge base."""

import asyncio
from typing import Any, Dict, List, Tuple

from rasa_sdk.executor import CollectingDispatcher

from actions.explain import ActionCompare, ActionExplain, ActionShowSource
from actions.topics import ActionAskRephrase, ActionListTopics, ActionOutOfScope
from tests.support.trackers import load_tracker, make_tracker
from explainer.answers import short_name
from explainer.kb import KnowledgeBase


def run(action, tracker) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    assert len(dispatcher.messages) == 1, dispatcher.messages
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_what_is_sets_the_concept_and_offers_follow_ups(kb: KnowledgeBase) -> None:
    messages, slots = run(ActionExplain(), make_tracker("what is a diffusion model?", "ask_definition", ["diffusion_model"]))
    assert kb.entries["diffusion_model"].explanation in messages[0]["text"]
    assert 2 <= len(messages[0]["buttons"]) <= 3
    context = {k: slots[k] for k in ("concept", "last_concepts", "last_aspect")}
    assert context == {"concept": "diffusion_model", "last_concepts": ["diffusion_model"], "last_aspect": "definition"}


def test_when_was_it_introduced_follows_up_on_the_last_concept(kb: KnowledgeBase) -> None:
    messages, slots = run(ActionExplain(), load_tracker("diffusion_then_follow_up"))
    assert str(kb.entries["diffusion_model"].year) in messages[0]["text"]
    assert slots["concept"] == "diffusion_model"


def test_how_is_it_different_compares_last_concept_with_named_one(kb: KnowledgeBase) -> None:
    messages, slots = run(ActionCompare(), load_tracker("compare_follow_up"))
    text = messages[0]["text"]
    assert short_name(kb.entries["diffusion_model"]) in text and short_name(kb.entries["gan"]) in text
    assert slots["last_concepts"] == ["diffusion_model", "gan"]


def test_follow_up_aspects_use_the_slot(kb: KnowledgeBase) -> None:
    slots = {"concept": "llm"}
    messages, _ = run(ActionExplain(), make_tracker("any examples?", "ask_examples", slots=slots))
    assert any(short_name(e) in messages[0]["text"] for e in kb.examples_of("llm"))
    messages, _ = run(ActionExplain(), make_tracker("what are its weaknesses?", "ask_limitations", slots=slots))
    assert kb.entries["llm"].limitations[0].rstrip(".") in messages[0]["text"]


def test_why_do_llms_hallucinate_explains_hallucination(kb: KnowledgeBase) -> None:
    tracker = make_tracker("why do LLMs hallucinate", "ask_limitations", ["llm", "hallucination"])
    messages, slots = run(ActionExplain(), tracker)
    assert kb.entries["hallucination"].how_it_works in messages[0]["text"]
    assert slots["concept"] == "hallucination"


def test_unknown_concept_is_said_and_near_topics_offered() -> None:
    messages, slots = run(ActionExplain(), make_tracker("what is a quantum blockchain?", "ask_definition", slots={"concept": "gan"}))
    assert "quantum blockchain" in messages[0]["text"]
    assert messages[0]["buttons"]
    assert slots == {}


def test_question_without_any_topic_asks_which() -> None:
    messages, _ = run(ActionExplain(), make_tracker("how does it work?", "ask_how_it_works"))
    assert "Which topic" in messages[0]["text"]
    assert messages[0]["buttons"]


def test_tell_me_more_and_simpler_continue_the_topic(kb: KnowledgeBase) -> None:
    slots = {"concept": "transformer", "last_aspect": "definition"}
    messages, new = run(ActionExplain(), make_tracker("tell me more", "tell_more", slots=slots))
    assert kb.entries["transformer"].how_it_works in messages[0]["text"]
    assert new["last_aspect"] == "how_it_works"
    messages, _ = run(ActionExplain(), make_tracker("explain it more simply", "explain_simpler", slots=slots))
    assert kb.entries["transformer"].simple in messages[0]["text"]


def test_genai_vs_llm_comparison(kb: KnowledgeBase) -> None:
    tracker = make_tracker("generative ai vs llm", "ask_comparison", ["generative_ai", "llm"])
    messages, _ = run(ActionCompare(), tracker)
    comparison, _ = kb.comparison("generative_ai", "llm")
    assert comparison.relation in messages[0]["text"]


def test_a_comparison_naming_one_topic_asks_for_the_other(kb: KnowledgeBase) -> None:
    messages, _ = run(ActionCompare(), make_tracker("Is ChatGPT 3 Or 4", "ask_comparison", ["gpt_3"]))
    assert messages[0]["text"] == f"Which topic should I compare {kb.entries['gpt_3'].name} with?"
    assert messages[0]["buttons"]
    # Two names of one entry are said to be one.
    messages, _ = run(ActionCompare(), make_tracker("chatgpt vs chat gpt", "ask_comparison", ["chatgpt", "chatgpt"]))
    assert messages[0]["text"].startswith(f"Both names refer to {kb.entries['chatgpt'].name}.")
    # An entity value that is no entry (an old model's, or a forged one) is no second name of the entry.
    messages, _ = run(ActionCompare(), make_tracker("gpt 3 vs foo", "ask_comparison", ["gpt_3", "no_such_entry"]))
    assert messages[0]["text"] == f"Which topic should I compare {kb.entries['gpt_3'].name} with?"


def test_whether_to_use_one_kind_of_model_is_offered_the_guide(kb: KnowledgeBase) -> None:
    # "llm or not??" reads as a comparison naming one topic; the choice it asks about is what the guide answers.
    messages, _ = run(ActionCompare(), make_tracker("llm or not??", "ask_comparison", ["llm"]))
    assert messages[0]["text"].startswith(f"Which topic should I compare {kb.entries['llm'].name} with?")
    assert messages[0]["buttons"][-1]["payload"] == "/start_guide"


def test_source_of_the_last_answer(kb: KnowledgeBase) -> None:
    tracker = make_tracker("where is this from?", "ask_source", slots={"last_concepts": ["gan", "vae"]})
    messages, _ = run(ActionShowSource(), tracker)
    for source in kb.source_list(kb.entries["gan"].sources + kb.entries["vae"].sources):
        assert source.url in messages[0]["text"]


def test_list_topics_by_category(kb: KnowledgeBase) -> None:
    messages, _ = run(ActionListTopics(), make_tracker("which tools do you know about?", "list_topics"))
    for entry in kb.in_category("tool"):
        assert entry.name in messages[0]["text"]


def test_rephrase_offers_likely_topics(kb: KnowledgeBase) -> None:
    messages, _ = run(ActionAskRephrase(), make_tracker("difusion thingy??", "nlu_fallback"))
    assert "rephrase" in messages[0]["text"]
    assert any("diffusion_model" in b["payload"] for b in messages[0]["buttons"])


def test_out_of_scope_names_the_topic_or_says_what_the_bot_covers() -> None:
    messages, _ = run(ActionOutOfScope(), make_tracker("what is photosynthesis?", "out_of_scope"))
    assert "photosynthesis" in messages[0]["text"] and messages[0]["buttons"]
    messages, _ = run(ActionOutOfScope(), make_tracker("order me a pizza", "out_of_scope"))
    assert messages[0]["response"] == "utter_out_of_scope"


def test_tell_me_more_after_a_comparison_continues_it(kb: KnowledgeBase) -> None:
    slots = {"concept": "llm", "last_concepts": ["generative_ai", "llm"], "last_aspect": "comparison"}
    messages, _ = run(ActionExplain(), make_tracker("tell me more", "tell_more", slots=slots))
    comparison, _ = kb.comparison("generative_ai", "llm")
    assert comparison.aspects[-1].text in messages[0]["text"]


def bare_term(text: str, concept: str, start: int, end: int):
    tracker = make_tracker(text, "nlu_fallback")
    tracker.latest_message["entities"] = [{"entity": "concept", "value": concept, "start": start, "end": end}]
    return tracker


def test_a_bare_term_gets_the_definition(kb: KnowledgeBase) -> None:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAskRephrase().run(dispatcher, bare_term("stable diffusion?", "stable_diffusion", 0, 16), {}))
    assert kb.entries["stable_diffusion"].explanation in dispatcher.messages[0]["text"]
    assert {"event": "slot", "name": "concept", "value": "stable_diffusion"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


def test_a_term_inside_an_unclear_sentence_still_asks_to_rephrase() -> None:
    tracker = bare_term("stable diffusion purple banana", "stable_diffusion", 0, 16)
    messages, _ = run(ActionAskRephrase(), tracker)
    assert "rephrase" in messages[0]["text"]


def test_an_unclear_question_read_half_as_a_project_gets_the_topic_and_the_guide(kb: KnowledgeBase) -> None:
    # Below the fallback, its likeliest intent the guide's: the topic is known, so not "please rephrase".
    tracker = bare_term("Which model powers privateGPT?", "privategpt", 19, 29)
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                                {"name": "start_guide", "confidence": 0.12}]
    messages, _ = run(ActionAskRephrase(), tracker)
    assert kb.entries["privategpt"].explanation in messages[0]["text"] and "rephrase" not in messages[0]["text"]
    assert messages[0]["buttons"][-1]["payload"] == "/start_guide"


def test_explain_x_gets_the_explanation_and_simpler_cues_the_simple_version(kb: KnowledgeBase) -> None:
    entry = kb.entries["transformer"]
    for text in ("explain transformers", "explain transformers please", "can you explain transformers"):
        messages, _ = run(ActionExplain(), make_tracker(text, "explain_simpler", ["transformer"]))
        assert entry.explanation in messages[0]["text"], text
    messages, _ = run(ActionExplain(), make_tracker("explain transformers like I'm five", "explain_simpler", ["transformer"]))
    assert entry.simple in messages[0]["text"]


def test_where_does_a_problem_come_from_gets_its_causes_not_the_source(kb: KnowledgeBase) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("where do hallucinations come from", "ask_source", ["hallucination"])
    asyncio.run(ActionShowSource().run(dispatcher, tracker, {}))
    text = dispatcher.messages[0]["text"]
    assert kb.entries["hallucination"].explanation[:80] in text and "http" not in text
    messages, _ = run(ActionShowSource(), make_tracker("where is that from?", "ask_source", [], {"last_concepts": ["gan"]}))
    assert "http" in messages[0]["text"], "the source of the answer, with its address"
