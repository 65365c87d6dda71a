"""The intent classifier on its own: concept names masked, unfamiliar text sent to the fallback, clear errors."""

import re

import pytest
import yaml

from components.intent_classifier import _trusted
from explainer.intent_model import (
    IntentModel,
    TooFewExamples,
    a_topic_question_is_not_about_the_bot,
    question_after_small_talk,
    what_the_bot_runs_on,
    bare_term_is_a_definition,
    mask,
    pool,
)
from tests.support.servers import ROOT

CONCEPTS = ["gan", "vae", "transformer", "diffusion model", "llm", "bert"]
TEMPLATES = {
    "ask_definition": ["what is a {}", "define {}", "whats {} mean", "meaning of {}", "what's a {} exactly"],
    "ask_how_it_works": ["how does a {} work", "how is {} trained", "how do {} work inside", "mechanism behind {}"],
    "ask_history": ["when was {} invented", "who came up with {}", "history of {}", "when did {} appear"],
}
CHITCHAT = {
    "greet": ["hi", "hello there", "hey", "good morning", "hiya"],
    "thanks": ["thanks", "thank you so much", "cheers", "great answer, thanks", "much appreciated"],
}


def spans_of(text: str, concepts=CONCEPTS):
    return [(m.start(), m.end(), m.group()) for c in concepts for m in re.finditer(re.escape(c), text)]


def fallback_threshold() -> float:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    return next(c["threshold"] for c in config["pipeline"] if c["name"] == "FallbackClassifier")


@pytest.fixture(scope="module")
def model() -> IntentModel:
    texts, labels = [], []
    for intent, templates in TEMPLATES.items():
        for template in templates:
            for concept in CONCEPTS:
                texts.append(template.format(concept))
                labels.append(intent)
    for intent, sentences in CHITCHAT.items():
        texts += sentences
        labels += [intent] * len(sentences)
    return IntentModel.fit(texts, [spans_of(t) for t in texts], labels)


def test_a_concept_never_seen_in_training_is_read_like_any_other(model: IntentModel) -> None:
    unseen = ["what is a zorblax", "when was quuxnet invented"]
    for text, expected in zip(unseen, ["ask_definition", "ask_history"]):
        ranking = model.rank(text, spans_of(text, ["zorblax", "quuxnet"]))
        assert ranking[0][0] == expected
        assert ranking[0][1] > fallback_threshold()
    assert model.rank("what is a zorblax", [(10, 17, "zorblax")]) == model.rank("what is a gan", [(10, 13, "gan")])


def test_text_unlike_anything_trained_on_falls_below_the_fallback_threshold(model: IntentModel) -> None:
    for gibberish in ["zxqv", "qqqq wwww", ""]:
        assert model.rank(gibberish, [])[0][1] < fallback_threshold()
    best, confidence = model.rank("hellooo", [])[0]
    assert best == "greet" and confidence > fallback_threshold()


def test_ranking_lists_every_intent_best_first(model: IntentModel) -> None:
    ranking = model.rank("how does a gan work", spans_of("how does a gan work"))
    assert [name for name, _ in ranking][0] == "ask_how_it_works"
    assert sorted(name for name, _ in ranking) == sorted([*TEMPLATES, *CHITCHAT])
    confidences = [c for _, c in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences)


def test_an_intent_with_a_single_sentence_is_named_in_the_error() -> None:
    with pytest.raises(TooFewExamples, match=r"Intent\(s\) stop_guide have a single training sentence.*data/nlu/"):
        IntentModel.fit(["hi", "hello", "stop"], [[], [], []], ["greet", "greet", "stop_guide"])


def test_masking_replaces_each_concept_span_and_lowercases() -> None:
    assert mask("GAN vs VAE?", [(0, 3, "gan"), (7, 10, "vae")]) == " xconceptx  vs  xconceptx ?"


def test_a_model_file_holding_anything_but_numbers_and_scikit_learn_is_refused() -> None:
    assert _trusted(["numpy.float64", "sklearn.svm._classes.LinearSVC"]) == ["numpy.float64", "sklearn.svm._classes.LinearSVC"]
    with pytest.raises(ValueError, match="builtins.eval.*make train"):
        _trusted(["numpy.float64", "builtins.eval"])


@pytest.mark.slow
def test_loading_the_model_format_keeps_the_servers_info_log_lines() -> None:
    """In a fresh interpreter, as in a server: importing skops used to set the root logger to WARNING."""
    import subprocess
    import sys

    script = (
        "import logging; logging.getLogger().setLevel(logging.INFO); "
        "from components.intent_classifier import skops_io; skops_io(); "
        "print(logging.getLogger().level)"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == str(20)


def test_intents_with_the_same_next_step_count_as_one_and_clear_the_ambiguity_margin() -> None:
    # A described project split between "a guide answer" and "start the guide": both start the guide.
    ranking = [("start_guide", 0.36), ("ask_uses", 0.35), ("inform", 0.2), ("greet", 0.09)]
    assert pool(ranking, ("start_guide", "inform")) == [("start_guide", 0.56), ("ask_uses", 0.35), ("greet", 0.09)]
    # The pooled pair can overtake an intent that led alone; the better member keeps its name.
    ranking = [("ask_comparison", 0.42), ("inform", 0.3), ("start_guide", 0.2), ("greet", 0.08)]
    assert pool(ranking, ("start_guide", "inform"))[0] == ("inform", 0.5)
    # One member alone in the ranking: nothing changes.
    ranking = [("ask_uses", 0.6), ("start_guide", 0.4)]
    assert pool(ranking, ("start_guide", "inform")) == ranking


def test_a_bare_term_is_a_definition_question_whatever_the_classifier_guessed() -> None:
    guide = ("start_guide", "inform")
    ranking = [("ask_limitations", 0.5), ("ask_definition", 0.3), ("greet", 0.2)]
    # "stable diffusion" alone, or with a filler word and punctuation.
    for sentence, span in [("stable diffusion", (0, 16)), ("the elevenlabs?", (4, 14))]:
        found = bare_term_is_a_definition(ranking, sentence, [(*span, "x")], "ask_definition", guide)
        assert found[0] == ("ask_definition", 1.0) and [n for n, _ in found] == ["ask_definition", "ask_limitations", "greet"]
    # A question about the term keeps the classifier's reading.
    assert bare_term_is_a_definition(ranking, "stable diffusion flaws", [(0, 16, "x")], "ask_definition", guide) == ranking
    # Two terms ("gan vae") are no definition question; nor is a term read as a guide answer ("a chatbot").
    assert bare_term_is_a_definition(ranking, "gan vae", [(0, 3, "gan"), (4, 7, "vae")], "ask_definition", guide) == ranking
    guided = [("inform", 0.6), ("ask_definition", 0.4)]
    assert bare_term_is_a_definition(guided, "a chatbot", [(2, 9, "dialogue")], "ask_definition", guide) == guided
    # A name that is no guide answer (the caller passes no guide intents) is a definition even when the classifier
    # reads it as one: "Deepfake" alone started the guide once.
    found = bare_term_is_a_definition(guided, "Deepfake", [(0, 8, "deepfake")], "ask_definition", ())
    assert found[0] == ("ask_definition", 1.0)


def test_a_question_naming_a_topic_without_speaking_to_the_bot_is_not_about_the_bot() -> None:
    ranking = [("bot_challenge", 0.5), ("ask_how_it_works", 0.3), ("greet", 0.2)]
    # "Which model powers PrivateGPT?" asks about PrivateGPT: the next intent leads, the bot's comes last.
    sentence, span = "Which model powers privateGPT?", (19, 29, "privategpt")
    moved = a_topic_question_is_not_about_the_bot(ranking, sentence, [span], "bot_challenge")
    assert [n for n, _ in moved] == ["ask_how_it_works", "greet", "bot_challenge"]
    # Speaking to the bot, or about "this" chat, keeps the bot's reading, names or not.
    for sentence, span in [("are you ChatGPT?", (8, 15)), ("is this built on an llm", (20, 23)), ("am I talking to GPT-4", (16, 21))]:
        assert a_topic_question_is_not_about_the_bot(ranking, sentence, [(*span, "x")], "bot_challenge") == ranking
    # No topic named: nothing to answer about but the bot.
    assert a_topic_question_is_not_about_the_bot(ranking, "who made it", [], "bot_challenge") == ranking


@pytest.mark.parametrize("sentence", [
    "What version of chatgpt am I interacting with", "what nlp platform do you use?", "which LLM are you built on",
    "what model do you use", "what powers you", "are you built on gpt 4", "which ai are you using",
])
def test_asking_what_the_bot_runs_on_is_about_the_bot_whatever_it_names(sentence: str) -> None:
    ranking = [("ask_limitations", 0.6), ("ask_uses", 0.3), ("bot_challenge", 0.1)]
    assert what_the_bot_runs_on(ranking, sentence, "bot_challenge")[0] == ("bot_challenge", 1.0)


@pytest.mark.parametrize("sentence", [
    # A model asked about, or "you" as anyone: the classifier's reading stands.
    "Which model powers privateGPT?", "what model do you use for embeddings", "what do you use RAG for",
    "What model did you use for your training?", "what tokenizer do you use",
])
def test_other_questions_naming_a_model_keep_their_reading(sentence: str) -> None:
    ranking = [("ask_limitations", 0.6), ("ask_uses", 0.3), ("bot_challenge", 0.1)]
    assert what_the_bot_runs_on(ranking, sentence, "bot_challenge") == ranking


def test_a_question_after_thanks_or_hello_is_read_from_where_it_starts() -> None:
    # A blind user: "thank you. who invent transformer?" was answered "You're welcome!" and nothing else.
    sentence = "thank you. who invent transformer?"
    span = (sentence.index("transformer"), len(sentence) - 1, "transformer")
    assert question_after_small_talk([("thanks", 0.8)], sentence, [span]) == sentence.index("who")
    assert question_after_small_talk([("greet", 0.6)], "hi! what is RAG", [(11, 14, "rag")]) == 4
    # Small talk with no topic after it, a statement after it, or another intent first: left as classified.
    assert question_after_small_talk([("thanks", 0.9)], "thanks, that helped", []) is None
    assert question_after_small_talk([("thanks", 0.9)], "thanks. transformers rock", [(8, 20, "transformer")]) is None
    assert question_after_small_talk([("ask_history", 0.9)], sentence, [span]) is None


def test_a_name_after_and_or_what_about_is_a_definition_unless_a_guide_answer() -> None:
    # "and gpt-4o?" read by the classifier started the guide; the action asks the last question again of it.
    ranking = [("inform", 0.54), ("ask_definition", 0.16), ("ask_comparison", 0.11)]
    found = bare_term_is_a_definition(ranking, "and gpt-4o?", [(4, 10, "gpt_4o")], "ask_definition", ())
    assert found[0] == ("ask_definition", 1.0)
    assert bare_term_is_a_definition(ranking, "and chatbots?", [(4, 12, "dialogue")], "ask_definition", ("inform",)) == ranking
    assert bare_term_is_a_definition(ranking, "and gpt-4o makes images", [(4, 10, "gpt_4o")], "ask_definition", ()) == ranking
