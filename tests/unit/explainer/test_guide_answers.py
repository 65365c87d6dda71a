"""explainer/guide_answers.py: what the recommendation tells the user."""

import pytest

from explainer.guide_answers import GuideExplainer
from explainer.kb import KnowledgeBase

TOOLS_LINE = "Tools to try:"


@pytest.fixture(scope="module")
def helper(kb: KnowledgeBase) -> GuideExplainer:
    return GuideExplainer(kb)


def tools_named(text: str) -> str:
    line = next((l for l in text.splitlines() if TOOLS_LINE in l), "")
    return line.split(TOOLS_LINE, 1)[1] if line else ""


def test_a_music_project_is_pointed_to_music_tools_only(helper: GuideExplainer) -> None:
    # A blind user's background-music project was told to try Stable Diffusion, Midjourney, DALL-E and Sora.
    answers = {"content_type": "audio", "data_availability": "little", "privacy": "not_sensitive"}
    text = helper.result(helper.guide.score(answers)).text
    assert "Generative model" in text or "generative model" in text
    tools = tools_named(text)
    assert "Udio" in tools and "ElevenLabs" in tools
    assert not any(name in tools for name in ("Midjourney", "DALL-E", "Sora", "Stable Diffusion"))


def test_an_image_project_gets_no_audio_or_video_tools(helper: GuideExplainer) -> None:
    text = helper.result(helper.guide.score({"content_type": "images"})).text
    tools = tools_named(text)
    assert "Midjourney" in tools and "Udio" not in tools and "Sora" not in tools


def test_synthetic_records_name_no_media_tool(helper: GuideExplainer) -> None:
    # Fake customer records were sent to image, music and video generators; no tool of ours makes them.
    text = helper.result(helper.guide.score({"content_type": "synthetic_data"})).text
    assert TOOLS_LINE not in text and "Model families that fit:" in text


def test_a_text_project_keeps_the_language_models(helper: GuideExplainer) -> None:
    tools = tools_named(helper.result(helper.guide.score({"content_type": "text"})).text)
    assert "GPT-4" in tools and "Midjourney" not in tools
