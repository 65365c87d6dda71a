"""The real knowledge base: valid, covering the required topics, every entry cited and answerable."""

import re

from explainer.kb import KnowledgeBase

REQUIRED_IDS = """generative_ai llm gan vae diffusion_model transformer nerf rnn cnn neural_network tokenization
nlp foundation_model multimodal self_attention hallucination bias compute_cost ethics privacy coherence eliza
ai_winter bert gpt_1 gpt_3 gpt_4 chatgpt gemini dall_e midjourney stable_diffusion sora udio jukebox runway
topaz_video_ai github_copilot codewhisperer elevenlabs lyria adobe_firefly audiopalm vall_e privategpt rasa
marian_nmt tower text_generation translation summarization question_answering dialogue image_generation
video_generation audio_generation data_synthesis code_generation""".split()


def test_required_ids_exist(kb: KnowledgeBase) -> None:
    missing = [i for i in REQUIRED_IDS if i not in kb.entries]
    assert not missing


def test_bard_is_gemini(kb: KnowledgeBase) -> None:
    assert kb.find("Bard") == "gemini"


def test_article_dates(kb: KnowledgeBase) -> None:
    # Dates the articles state; a wrong year in the YAML is a wrong answer.
    expected = {"gan": 2014, "vae": 2014, "diffusion_model": 2015, "transformer": 2017, "nerf": 2020, "eliza": 1966,
                "ai_winter": 1974}
    assert {k: kb.entries[k].year for k in expected} == expected


def test_every_entry_cites_a_known_source_with_url(kb: KnowledgeBase) -> None:
    for entry in kb.entries.values():
        assert entry.sources, entry.id
        for source in kb.source_list(entry.sources):
            assert re.match(r"https://", source.url)


def test_generative_ai_vs_llm_comparison_has_the_articles_aspects(kb: KnowledgeBase) -> None:
    comparison, _ = kb.comparison("llm", "generative_ai")
    names = {a.name.lower() for a in comparison.aspects}
    assert {"capabilities", "architecture", "training data", "limitations"} <= names
    assert "subset" in comparison.relation.lower()


def test_summaries_are_one_line(kb: KnowledgeBase) -> None:
    long = [e.id for e in kb.entries.values() if len(e.summary.split()) > 35 or "\n" in e.summary.strip()]
    assert not long
