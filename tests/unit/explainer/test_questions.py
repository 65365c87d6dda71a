"""The core's reading of a question's form (explainer/questions.py), without Rasa: the actions' tests
(tests/unit/actions/test_follow_ups_and_two_part_questions.py) check the same through trackers."""

import pytest

from explainer.answers import Explainer
from explainer.kb import KnowledgeBase
from explainer.questions import answer_about, asked_about, aspect_asked, who_made


@pytest.fixture(scope="module")
def bot(kb: KnowledgeBase) -> Explainer:
    return Explainer(kb)


def test_who_made_and_and_x_change_the_aspect_the_intent_gave() -> None:
    assert aspect_asked("history", "who invented the transformer?", [(16, 27)], None) == "made_by"
    assert aspect_asked("definition", "and midjourney?", [(4, 14)], "limitations") == "limitations"
    assert aspect_asked("definition", "and midjourney?", [(4, 14)], "examples_all") == "examples"
    # After a comparison, or for a message that says more than a name, the intent's aspect stays.
    assert aspect_asked("definition", "and midjourney?", [(4, 14)], "comparison") == "definition"
    assert aspect_asked("definition", "and midjourney makes images", [(4, 14)], "limitations") == "definition"
    # "tell me more" continues whatever it says.
    assert aspect_asked("more", "tell me more about who made it", [], None) == "more"


def test_the_form_of_the_question_picks_the_answer(bot: Explainer, kb: KnowledgeBase) -> None:
    def text(concept: str, aspect: str, sentence: str, name: str) -> str:
        start = sentence.lower().index(name)
        return answer_about(bot, concept, aspect, aspect, sentence, [(start, start + len(name))], None).text

    assert text("llama", "examples", "is llama open source", "llama").startswith("The closest thing I have is in Open-weight model")
    assert text("gpt_4", "limitations", "is gpt-4 free?", "gpt-4").startswith("My sources don't give prices or licence terms for GPT-4.")
    assert text("claude", "uses", "can claude write code?", "claude") == "Yes: Claude is used for writing and explaining code."
    both = text("transformer", "definition", "what is a transformer and how does it work", "transformer")
    assert kb.entries["transformer"].explanation in both and kb.entries["transformer"].how_it_works in both
    # A plain question gets the aspect asked.
    assert text("gan", "uses", "what are gans used for", "gans").startswith("GAN is used for")


def test_who_made_names_makers_or_says_what_a_thing_nobody_made_is(bot: Explainer, kb: KnowledgeBase) -> None:
    assert "Attention Is All You Need" in who_made(bot, "transformer").text
    # Ethics is a challenge: "who owns it" read as out of scope got "don't say who made Ethics".
    assert who_made(bot, "ethics").text.startswith(f"{kb.entries['ethics'].name}: ")


def test_a_price_question_gets_the_entrys_own_sentence_on_it(kb) -> None:
    from explainer.answers import Explainer
    from explainer.questions import answer_about
    bot = Explainer(kb)
    # "is llama free" read as limitations got them, though Llama's text speaks of its licence.
    text = answer_about(bot, "llama", "limitations", "limitations", "is llama free", [(3, 8)], None).text
    assert "licen" in text and not text.startswith("Limitations of")
    # Prices named as data ("weather or prices") state no price: that sentence is no answer.
    text = answer_about(bot, "function_calling", "uses", "uses", "is function calling free", [(3, 19)], None).text
    assert "weather or prices" not in text


def test_a_price_question_is_about_the_named_entry_that_states_one(bot: Explainer) -> None:
    # "commercial use" names the ethics entry, which outranks a product; Firefly records its plans.
    assert asked_about(bot, ["adobe_firefly", "ethics"], "Can I use Adobe Firefly for commercial use?") == "adobe_firefly"
    # No price asked, or none recorded by the others: the usual focus (a challenge first).
    assert asked_about(bot, ["chatgpt", "hallucination"], "Can ChatGPT lie?") == "hallucination"
    assert asked_about(bot, ["image_generation", "ethics"], "can I sell generated images for commercial use?") == "ethics"
    # An entry about costs named beside one that states a price answers a question about costs.
    assert asked_about(bot, ["compute_cost", "gpu"], "how much it costs to train this model, on what GPU?") == "compute_cost"


def test_is_chatgpt_free_gets_its_free_tier_from_general_knowledge(kb) -> None:
    from explainer.answers import Explainer
    from explainer.questions import answer_about
    # It got "My sources don't give prices or licence terms for ChatGPT".
    text = answer_about(Explainer(kb), "chatgpt", "limitations", "limitations", "is it free", [], None).text
    assert text.startswith("From general knowledge (not the articles): ChatGPT can be used for free")


ASPECTS = {"ask_uses": "uses", "ask_limitations": "limitations", "ask_how_it_works": "how_it_works",
           "tell_more": "more"}


@pytest.mark.parametrize("ranking, read_as, expected", [
    ([("ask_uses", 0.4), ("ask_limitations", 0.3)], "uses", "limitations"),
    ([("ask_uses", 0.4), ("ask_limitations", 0.19)], "uses", None),
    # The fallback only marks a low first score: the two intents after it are compared.
    ([("nlu_fallback", 0.3), ("ask_uses", 0.25), ("ask_limitations", 0.2)], "uses", "limitations"),
    # A fallback answered as something else than the first intent's aspect gets nothing added.
    ([("nlu_fallback", 0.3), ("ask_uses", 0.25), ("ask_limitations", 0.2)], "definition", None),
    # "tell me more" continues the last answer: no second reading of it.
    ([("ask_uses", 0.4), ("tell_more", 0.39)], "uses", None),
    ([("ask_uses", 0.4)], "uses", None),
    ([("ask_uses", 0.0), ("ask_limitations", 0.0)], "uses", None),
])
def test_runner_up_aspect(ranking, read_as, expected) -> None:
    from explainer.questions import runner_up_aspect
    assert runner_up_aspect(ranking, ASPECTS, read_as) == expected
