"""explainer/text.py: the user's own words for a topic, found back in what they typed."""

import pytest

from explainer.text import span_of


@pytest.mark.parametrize(
    "phrase, sentence, said",
    [
        ("quantum blockchain", "what is a quantum blockchain?", "quantum blockchain"),
        ("pretrained convolutional weights", "what is Pretrained Convolutional Weights?and how", "Pretrained Convolutional Weights"),
        ("gpt 5 turbo", "what is GPT-5  turbo?", "GPT-5 turbo"),
        # Accents folded away: the folded words side by side are quoted.
        ("naive bayes", "what is naïve Bayes?", "naive bayes"),
        # Words gathered from across a sentence are not something the user said.
        ("small fms 15b large 50b", "the difference between small FMs (<15B) and large FMs(>50B)?", None),
        ("translate german english fine", "it can translate German to English just fine.", None),
        # A word inside a longer word is not the word.
        ("rag", "what is a ragdoll?", None),
        ("", "anything", None),
    ],
)
def test_span_of(phrase: str, sentence: str, said: str) -> None:
    assert span_of(phrase, sentence) == said
