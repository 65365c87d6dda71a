"""Answers as the widget and the terminal show them: parts between lines, Markdown that never runs user text."""

import re

from channels.answer_parts import MAX_PART_CHARS, split_answer, wrap_for_terminal
from channels.webchat_format import escape_markdown, to_markdown, webchat_messages
from explainer.answers import Explainer
from explainer.kb import KnowledgeBase


def test_a_long_comparison_is_cut_between_its_lines_into_readable_parts(kb: KnowledgeBase) -> None:
    text = Explainer(kb).compare("generative_ai", "llm").text
    assert len(text) > MAX_PART_CHARS
    parts = split_answer(text)
    assert len(parts) > 1
    assert all(len(part) <= MAX_PART_CHARS for part in parts)
    assert "\n".join(parts) == text.strip()  # nothing lost, no line cut in two


def test_a_single_overlong_line_is_cut_after_a_sentence() -> None:
    sentence = "This sentence is about forty characters. "
    parts = split_answer(sentence * 40, limit=200)
    assert all(len(p) <= 200 and p.endswith(".") for p in parts)
    assert " ".join(parts).split() == (sentence * 40).split()


def test_short_answers_stay_one_message() -> None:
    assert split_answer("Put simply: a model that makes new things.") == ["Put simply: a model that makes new things."]


def test_bullets_become_a_markdown_list_with_bold_labels() -> None:
    markdown = to_markdown("GAN vs VAE\n• Output: sharp images\n• Training: unstable")
    assert markdown == "GAN vs VAE\n\n- **Output:** sharp images\n- **Training:** unstable"


def test_text_a_user_typed_cannot_become_html_links_images_or_emphasis() -> None:
    typed = '“<img src=x onerror=alert(1)> [click](javascript:alert(1)) ![i](http://t.example/p.png) **b**” isn\'t something I cover'
    escaped = escape_markdown(typed)
    assert re.search(r"(?<!\\)[<>\[\]*!]", escaped) is None, "a Markdown/HTML character is left unescaped"
    assert escaped.replace("\\", "") == typed


def test_web_addresses_stay_linkable() -> None:
    line = "“LLM vs Generative AI” (novita.ai): https://blogs.novita.ai/llm_vs_generative-ai/"
    assert "https://blogs.novita.ai/llm_vs_generative-ai/" in escape_markdown(line)


def test_a_line_that_looks_like_a_list_or_heading_stays_text() -> None:
    assert escape_markdown("1. step") == "1\\. step"
    assert escape_markdown("- item") == "\\- item"
    assert escape_markdown("# title") == "\\# title"


def test_every_part_of_a_long_answer_is_sent(kb: KnowledgeBase) -> None:
    text = Explainer(kb).topics().text
    messages = webchat_messages(text, limit=300)
    assert len(messages) > 1
    for category in kb.categories.values():
        assert any(category.plural in message for message in messages)


def test_terminal_lines_are_wrapped_between_words_with_bullets_indented() -> None:
    wrapped = wrap_for_terminal("• Architecture: " + "word " * 30, width=40)
    lines = wrapped.splitlines()
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines)
    assert all(line.startswith("  ") for line in lines[1:])
