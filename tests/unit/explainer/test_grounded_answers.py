"""Grounded answers: a question that names no entry is answered from the knowledge base's closest passage, named
as such with its entry and source, or honestly declined with the nearest topics (explainer/passages.py)."""

import gc
import time
from pathlib import Path

from explainer.answers import Explainer
from explainer.kb import KnowledgeBase
from explainer.loader import load_knowledge_base
from explainer.payloads import is_button_payload


def test_the_issues_example_is_answered_from_the_compute_cost_entry(kb: KnowledgeBase) -> None:
    answer = Explainer(kb).grounded("why does AI need so much electricity")
    assert answer is not None
    assert answer.text.startswith("The closest thing I have is in Compute cost: ")
    assert "electricity" in answer.text
    # The source is the article the entry cites, by title.
    assert any(kb.sources[s].title in answer.text for s in kb.entries["compute_cost"].sources)
    assert answer.buttons[0].payload == '/ask_definition{"concept":"compute_cost"}'
    assert all(is_button_payload(kb, b.payload) for b in answer.buttons)
    assert answer.answered_from() == {"kind": "passage", "entries": ["compute_cost"]}


def test_nothing_close_enough_gives_no_grounded_answer(kb: KnowledgeBase) -> None:
    bot = Explainer(kb)
    assert bot.grounded("what is a quantum blockchain?") is None
    # Words that only ask for an aspect name no topic, so they match nothing.
    assert bot.grounded("how does it work?") is None
    assert bot.grounded("") is None


def test_the_not_covered_answer_offers_the_topics_the_same_ranking_finds(kb: KnowledgeBase) -> None:
    # "energy" and "training" are in the compute-cost entry's text; "kilowatt" is nowhere, so the question is
    # below the threshold and declined, with compute cost first among the nearest topics.
    question = "how many kilowatt hours of energy does training use"
    bot = Explainer(kb)
    assert bot.grounded(question) is None
    answer = bot.unknown("kilowatt hours", question)
    assert "isn't something I cover" in answer.text
    assert answer.buttons[0].payload == '/ask_definition{"concept":"compute_cost"}'
    assert answer.answered_from() == {"kind": "not_covered", "entries": []}


def test_a_new_entry_is_found_without_code_changes(real_kb_dir: Path) -> None:
    # The glossary grows by YAML alone: a new entry's sentences are ranked as soon as the knowledge base loads.
    (real_kb_dir / "glossary_test.yml").write_text(
        """entries:
  - id: heat_sink_test
    name: Heat sink (test)
    aliases: []
    category: concept
    summary: A finned metal block that carries warmth away from a busy chip.
    explanation: Servers full of accelerators shed their warmth through finned metal blocks and fans.
    simple: It keeps chips cool.
    how_it_works: Warmth flows from the chip into the fins and the air carries it off.
    examples: []
    uses: []
    limitations: []
    related: [gpu]
    sources: [novita]
""",
        encoding="utf-8",
    )
    kb = load_knowledge_base(real_kb_dir)
    answer = Explainer(kb).grounded("what carries warmth away from a chip?")
    assert answer is not None and answer.concepts == ["heat_sink_test"]
    assert "Heat sink (test)" in answer.text


def test_a_comparison_aspect_is_a_passage_of_both_entries(kb: KnowledgeBase) -> None:
    comparison = kb.comparisons[0]
    aspect = comparison.aspects[0]
    hits = kb.passages().rank(f"{aspect.name}: {aspect.text}", 1)
    assert hits[0].passage.entries == comparison.pair and hits[0].passage.field == "comparison"
    answer = Explainer(kb).grounded(aspect.text)
    assert answer is not None and answer.concepts == list(comparison.pair)
    assert "the comparison of" in answer.text and answer.buttons[0].payload.startswith("/ask_comparison")


def test_ranking_a_long_message_takes_a_few_milliseconds(kb: KnowledgeBase) -> None:
    index = kb.passages()
    # The longest message a channel accepts (4,096 characters), of distinct words the index knows.
    words = sorted(index.idf)
    message = " ".join(words[i % len(words)] for i in range(2000))[:4096]
    index.rank(message)
    gc.collect()
    start = time.perf_counter()
    for _ in range(10):
        index.rank(message)
    per_message = (time.perf_counter() - start) / 10
    assert per_message < 0.05, f"{per_message * 1000:.1f} ms"


def test_a_follow_up_is_answered_from_the_topics_own_passage_holding_its_words(kb: KnowledgeBase) -> None:
    answer = Explainer(kb).passage_about("multimodal", "can it understand audio too")
    assert answer is not None and answer.concepts == ["multimodal"]
    assert "audio" in answer.text and "(source:" in answer.text


def test_a_follow_up_whose_words_no_passage_of_the_topic_holds_gets_none(kb: KnowledgeBase) -> None:
    bot = Explainer(kb)
    # "dangerous" is nowhere in the prompt injection entry; "audio" is, but not in the GAN entry.
    assert bot.passage_about("prompt_injection", "is it actually dangerous") is None
    assert bot.passage_about("gan", "can it understand audio too") is None
    # The topic's own names ask nothing beyond the topic.
    assert bot.passage_about("multimodal", "is it multimodal") is None
