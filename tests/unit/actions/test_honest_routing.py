"""Honest routing at the action layer (issue 14, item 4): a question about a topic no entry covers is answered
"not covered" with topics to start from; it never gets "why do you ask", "which topic do you mean" or
"please rephrase" when it names a topic."""

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.about_bot import ActionAboutTheBot
from actions.explain import ActionCompare, ActionExplain
from actions.guide import ActionExplainFactor
from actions.topics import ActionAskRephrase
from tests.support.trackers import make_tracker
from explainer.context import asks_for_a_choice, asks_why_about_topic, other_side, question_topic, resolve, topic_words
from explainer.answers import short_name
from explainer.kb import KnowledgeBase

NOT_COVERED = "isn't something I cover"


def text_of(action, tracker) -> str:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return "\n".join(m.get("text") or m.get("response") or "" for m in dispatcher.messages)


def slots_set(action, tracker) -> dict:
    events = asyncio.run(action.run(CollectingDispatcher(), tracker, {}))
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_topic_words_keep_the_topic_and_drop_the_question() -> None:
    assert topic_words("Is there any way to set the context window of a model?") == "context window"
    assert topic_words("Why RAG?") == "rag"
    assert topic_words("why?") is None and topic_words("any examples?") is None


def test_only_questions_have_a_topic_for_the_fallback() -> None:
    assert question_topic("is there any way to set the context window?") == "context window"
    assert question_topic("zxqv") is None and question_topic("purple banana") is None


def test_a_first_question_about_an_unknown_topic_is_not_covered() -> None:
    assert resolve("Is there any way to set the context window?", [], None).unknown == "context window"
    # With a topic under discussion, a question naming nothing new is still a follow-up.
    assert resolve("any examples?", [], "gan").concepts == ["gan"]


def test_explainer_intent_without_a_known_concept_says_not_covered() -> None:
    text = text_of(ActionExplain(), make_tracker("is there any way to set the beam search width?", "ask_uses"))
    assert NOT_COVERED in text and "beam search" in text


def test_why_about_a_topic_outside_the_guide_is_not_why_do_you_ask() -> None:
    text = text_of(ActionExplainFactor(), make_tracker("Why RAG?", "why_ask"))
    assert NOT_COVERED in text and "rag" in text.lower()


def test_why_about_a_known_topic_outside_the_guide_gives_its_uses(kb: KnowledgeBase) -> None:
    text = text_of(ActionExplainFactor(), make_tracker("why should i use rasa", "why_ask", ["rasa"]))
    assert kb.entries["rasa"].name in text and NOT_COVERED not in text


def test_why_do_you_ask_outside_the_guide_still_introduces_it() -> None:
    assert asks_why_about_topic("why RAG?") and not asks_why_about_topic("why do you ask?")
    assert text_of(ActionExplainFactor(), make_tracker("why do you ask?", "why_ask")) == "utter_guide_intro"


def test_fallback_question_about_an_unknown_topic_says_not_covered() -> None:
    text = text_of(ActionAskRephrase(), make_tracker("Is there anyway to set beam search width of model?", "nlu_fallback"))
    assert NOT_COVERED in text and "beam search" in text
    assert "rephrase" in text_of(ActionAskRephrase(), make_tracker("zxqv", "nlu_fallback"))


def test_a_huge_word_is_no_topic_to_quote_back() -> None:
    # The topic is quoted in the answer: a 60 KB "word" would be echoed whole.
    assert topic_words("is " + "a" * 60_000 + "?") is None
    assert topic_words("why " + "x? " * 20_000) == "x"


def unclear_question(text: str, concept, second_best: str, active_loop: str = ""):
    """A message below the fallback threshold whose named topics (one id, or a list) are clear; `second_best`
    ranked under it."""
    tracker = make_tracker(text, "nlu_fallback", [concept] if isinstance(concept, str) else concept)
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.3}, {"name": second_best, "confidence": 0.29},
    ]
    if active_loop:
        tracker.active_loop = {"name": active_loop}
    return tracker


def test_an_unclear_question_about_one_known_topic_is_answered_about_it() -> None:
    # The likeliest reading below the threshold chooses the aspect: "can it replace ..." asks what it is used for.
    text = text_of(ActionAskRephrase(), unclear_question("Can it replace github copilot?", "github_copilot", "ask_uses"))
    assert "GitHub Copilot is used for generating software code" in text and "rephrase" not in text
    text = text_of(ActionAskRephrase(), unclear_question("where is privacy exchanged?", "privacy", "out_of_scope"))
    assert text.startswith("Privacy") and "rephrase" not in text


def test_an_unclear_question_about_two_known_topics_compares_them_or_answers_about_the_one_asked(kb: KnowledgeBase) -> None:
    # Read most likely as a comparison: both topics, side by side.
    text = text_of(ActionAskRephrase(), unclear_question("Why use cnn instead of rnn here??", ["cnn", "rnn"], "ask_comparison"))
    assert "rephrase" not in text and short_name(kb.entries["cnn"]) in text and short_name(kb.entries["rnn"]) in text
    # Read most likely as another aspect: about the topic asked about, the first named (a challenge would win).
    tracker = unclear_question("How much time elevenlabs complete fine tuning?", ["elevenlabs", "fine_tuning"], "ask_how_it_works")
    text = text_of(ActionAskRephrase(), tracker)
    assert "rephrase" not in text and kb.entries["elevenlabs"].how_it_works in text
    # The same message inside the guide is still asked to be rephrased.
    tracker = unclear_question("Why use cnn instead of rnn here??", ["cnn", "rnn"], "ask_comparison", "decision_guide_form")
    assert "rephrase" in text_of(ActionAskRephrase(), tracker)


def test_an_unclear_message_is_still_asked_to_be_rephrased_inside_the_guide_or_when_it_reads_as_a_guide_answer():
    inside = unclear_question("is copilot ok?", "github_copilot", "ask_uses", active_loop="decision_guide_form")
    assert "rephrase" in text_of(ActionAskRephrase(), inside)
    project = unclear_question("we write code all day, copilot?", "github_copilot", "inform")
    assert "rephrase" in text_of(ActionAskRephrase(), project)


def test_a_request_to_explain_one_topic_below_the_threshold_gets_its_explanation(kb: KnowledgeBase) -> None:
    # "explain X please" sits between the definition and the simpler answer; either way it asks for X.
    text = text_of(ActionAskRephrase(), unclear_question("explain transformers please", "transformer", "ask_definition"))
    assert kb.entries["transformer"].explanation in text


def buttons_of(action, tracker) -> list:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return [b.get("payload") for m in dispatcher.messages for b in m.get("buttons") or []]


def test_a_greeting_before_a_statement_is_no_topic() -> None:
    # "Good morning" was answered as a topic not covered.
    said = "Good morning. I'm the digital curator at a mid-sized art museum and I've been asked to look into AI."
    assert topic_words(said) is None
    assert topic_words("hi, what is rag?") == "rag"


@pytest.mark.parametrize("action, sentence, intent", [
    (ActionExplain(), "looking to generate drum loops", "ask_definition"),
    (ActionAskRephrase(), "hi im a film student, final project, what AI do i need", "nlu_fallback"),
    (ActionAskRephrase(), "Hi, I'm on the digital team at a mid-size org, looking into gen AI options.", "nlu_fallback"),
])
def test_a_project_need_that_names_no_topic_is_offered_the_guide(action, sentence: str, intent: str) -> None:
    assert "/start_guide" in buttons_of(action, make_tracker(sentence, intent))


@pytest.mark.parametrize("action, sentence, intent", [
    (ActionExplain(), "looking to generate drum loops", "ask_definition"),
    (ActionExplain(), "lofi beats generator for my 24/7 study stream, what do i use", "ask_uses"),
])
def test_inside_the_guide_a_project_need_gets_no_second_way_into_the_guide(action, sentence: str, intent: str) -> None:
    # The guide is already running: a button to start it would start it over.
    tracker = make_tracker(sentence, intent)
    tracker.active_loop = {"name": "decision_guide_form"}
    assert "/start_guide" not in buttons_of(action, tracker)


def test_a_plain_unclear_message_is_not_offered_the_guide() -> None:
    assert "/start_guide" not in buttons_of(ActionAskRephrase(), make_tracker("zxqv", "nlu_fallback"))
    assert "/start_guide" not in buttons_of(ActionExplain(), make_tracker("what do i need to run beam search?", "ask_uses"))


@pytest.mark.parametrize("sentence", [
    "can an llm write sql for our analysts",
    "Is it possible to generate fake patient data that looks real enough? We're a hospital research group.",
    "Can AI narrate audiobooks yet? I run a tiny publishing house in Kraków",
    "Which AI can make afrobeats instrumentals? Not those generic ones",
    "Could an AI do a first pass? Budget is tight (it's a council!).",
    "Can I get AI to turn dog photos into watercolour portraits in my style? I sell on Etsy.",
    "Is there an AI that can make short animated videos from my kids' drawings?",
    "DM for a weekly D&D group. I'd love something that improvises NPC dialogue",
    "Want AI to produce the whole post: caption + image.",
    "hello, which one is best for me?",
])
def test_a_question_beside_a_project_of_ones_own_asks_for_a_choice(sentence: str) -> None:
    assert asks_for_a_choice(sentence)


@pytest.mark.parametrize("sentence", ["what is a GAN", "I am a student, what is RAG?", "which model is GPT-4 based on",
                                      "is chatgpt better than gemini", "what do i need to run stable diffusion",
                                      "Why do I need a model to learn positional encoding?", "any apps for voice cloning?"])
def test_a_plain_question_asks_for_no_choice(sentence: str) -> None:
    assert not asks_for_a_choice(sentence)


def test_asking_whether_the_bot_recommends_models_is_offered_the_guide() -> None:
    tracker = make_tracker("hoi! is this the thing that tells you which AI to use?", "bot_challenge")
    assert "/start_guide" in buttons_of(ActionAboutTheBot(), tracker)
    assert "/start_guide" not in buttons_of(ActionAboutTheBot(), make_tracker("are you a bot?", "bot_challenge"))


@pytest.mark.parametrize("sentence, intent", [("hey so i'm kinda lost", "explain_simpler"), ("tell me more", "tell_more"),
                                              ("explain it simpler please", "explain_simpler")])
def test_lost_or_a_follow_up_with_nothing_discussed_gets_the_help(sentence: str, intent: str) -> None:
    # Was "“kinda lost” isn't something I cover".
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionExplain().run(dispatcher, make_tracker(sentence, intent), {}))
    assert [m.get("response") for m in dispatcher.messages] == ["utter_help"]


@pytest.mark.parametrize("sentence, intent", [("hi, I'm a bit lost with all these AI models", "ask_limitations"),
                                              ("kinda overwhelmed tbh", "ask_definition")])
def test_saying_one_is_lost_under_any_intent_gets_the_help(sentence: str, intent: str) -> None:
    # Both from blind guide openings; the first was "“bit lost” isn't something I cover".
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionExplain().run(dispatcher, make_tracker(sentence, intent), {}))
    assert [m.get("response") for m in dispatcher.messages] == ["utter_help"]


@pytest.mark.parametrize("sentence", [
    "I am confused about KV cache, how does it work?",
    "I'm new to this. Can the policy trained on simulation data be used on a real robot?",
])
def test_a_question_beside_being_lost_is_answered_as_a_question(sentence: str) -> None:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionExplain().run(dispatcher, make_tracker(sentence, "ask_uses"), {}))
    assert [m.get("response") for m in dispatcher.messages] != ["utter_help"]


def test_a_request_for_a_recommendation_gets_the_guide_not_a_passage_sharing_its_words() -> None:
    # "one" and "best" are both in the summarization entry's "one of the things LLMs do best".
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionCompare().run(dispatcher, make_tracker("hello, which one is best for me?", "ask_comparison"), {}))
    assert "closest thing I have" not in "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert any(b["payload"] == "/start_guide" for m in dispatcher.messages for b in m.get("buttons") or [])


def test_a_follow_up_naming_an_unknown_topic_is_still_not_covered() -> None:
    text = text_of(ActionExplain(), make_tracker("tell me more about quantum computing", "tell_more"))
    assert NOT_COVERED in text and "quantum computing" in text


@pytest.mark.parametrize("message, intent", [
    ("who invented the transformer?", "ask_history"), ("who invent transformer?", "ask_definition"),
    ("which company makes the transformer", "ask_uses"),
])
def test_who_made_it_is_answered_with_the_makers_whatever_the_intent(kb: KnowledgeBase, message: str, intent: str) -> None:
    text = text_of(ActionExplain(), make_tracker(message, intent, ["transformer"]))
    assert "researchers at Google" in text


def test_a_comparison_with_an_unknown_side_says_so_and_explains_the_known_one(kb: KnowledgeBase) -> None:
    tracker = make_tracker("ai vs generative ai", "ask_comparison", ["generative_ai"])
    tracker.latest_message["entities"][0].update({"start": 6, "end": 19})
    text = text_of(ActionCompare(), tracker)
    assert text.startswith("I have no entry on “ai”, so I can't compare it with Generative AI.")
    assert kb.entries["generative_ai"].explanation in text
    # One side named and nothing else: asked for the other side, as before.
    tracker = make_tracker("GAN vs what?", "ask_comparison", ["gan"])
    tracker.latest_message["entities"][0].update({"start": 0, "end": 3})
    assert "Which topic should I compare" in text_of(ActionCompare(), tracker)


@pytest.mark.parametrize("sentence, spans, side", [
    ("What is the difference between epoch and iteration when training a perceptron?", [(31, 36)], "iteration"),
    ("Ollama versus llama.cpp, which is faster?", [(0, 6)], "llama.cpp"),
    ("compare RAG to a plain search box", [(8, 11)], "plain search box"),
    ("GAN vs VAE", [(0, 3), (7, 10)], None),        # both sides known
    ("What Is ChatGPT 3 Vs 4", [(8, 17)], None),      # a bare number is no topic
    ("how does a GAN work", [(11, 14)], None),        # no comparison
    ("is claude better than gpt", [(3, 9)], "gpt"),
    ("is bert the same as gpt?", [(3, 7)], "gpt"),
])
def test_the_other_side_of_a_comparison_is_found_in_the_users_words(sentence: str, spans, side) -> None:
    assert other_side(sentence, spans) == side


def test_a_huge_comparison_is_read_quickly() -> None:
    import time
    started = time.perf_counter()
    other_side("difference between " + "a " * 30_000, [(0, 1)])
    assert time.perf_counter() - started < 0.1


def test_a_comparison_with_entities_without_offsets_is_asked_for_its_partner() -> None:
    # An entity set by a "/ask_comparison{...}" payload has no start or end: no crash, the partner is asked for.
    tracker = make_tracker("ai vs generative ai", "ask_comparison", ["generative_ai"])
    assert "Which topic should I compare" in text_of(ActionCompare(), tracker)


def test_is_it_the_same_as_a_word_of_several_names_after_a_topic_asks_which_to_compare_it_with() -> None:
    # After BERT, "is it the same as gpt" got "“as gpt” isn't something I cover".
    tracker = make_tracker("is it the same as gpt", "ask_comparison", slots={"concept": "bert"})
    assert text_of(ActionCompare(), tracker) == "Which “gpt” should I compare BERT with?"


def test_a_comparison_asked_as_a_follow_up_keeps_the_topic_discussed(kb: KnowledgeBase) -> None:
    # "is it the same model as chatgpt" after Copilot, then "will it replace programmers?" got ChatGPT's limitations.
    tracker = make_tracker("is it the same model as chatgpt", "ask_comparison", ["chatgpt"], slots={"concept": "github_copilot"})
    slots = slots_set(ActionCompare(), tracker)
    assert slots["concept"] == "github_copilot" and set(slots["last_concepts"]) == {"github_copilot", "chatgpt"}
    # Both sides named: the side named last, as before.
    tracker = make_tracker("github copilot vs chatgpt", "ask_comparison", ["github_copilot", "chatgpt"])
    assert slots_set(ActionCompare(), tracker)["concept"] == "chatgpt"


def test_which_one_is_better_for_something_after_a_comparison_is_no_comparison_with_it() -> None:
    # After GAN vs diffusion, "which one is better for faces" is about the pair, not a comparison with "faces".
    tracker = make_tracker("which one is better for faces", "ask_comparison", slots={"concept": "diffusion_model"})
    assert "so I can't compare it with" not in text_of(ActionCompare(), tracker)


def test_an_unclear_follow_up_about_the_topic_keeps_the_topic(kb: KnowledgeBase) -> None:
    # "can that be fixed" after ChatGPT got "“fixed” isn't something I cover".
    tracker = make_tracker("can that be fixed", "nlu_fallback", slots={"concept": "chatgpt"})
    text = text_of(ActionAskRephrase(), tracker)
    assert text == "I'm not sure what you'd like to know about ChatGPT. Could you rephrase, or pick one of these?"


@pytest.mark.parametrize("sentence", ["is it getting better", "how do you defend against it"])
def test_a_pronoun_follow_up_read_as_a_comparison_keeps_the_topic(sentence: str) -> None:
    # After prompt injection, "how do you defend against it" (read as a comparison, nothing named) got "“defend
    # against” isn't something I cover" and lost the topic.
    text = text_of(ActionCompare(), make_tracker(sentence, "ask_comparison", slots={"concept": "prompt_injection"}))
    assert "isn't something I cover" not in text
    assert "Prompt injection" in text


def test_how_is_it_different_still_asks_what_to_compare_with() -> None:
    text = text_of(ActionCompare(), make_tracker("how is it different", "ask_comparison", slots={"concept": "vae"}))
    assert "I'm not sure what you'd like to know" not in text


def test_an_unclear_follow_up_whose_words_a_passage_of_the_topic_holds_gets_that_passage(kb: KnowledgeBase) -> None:
    # "can it understand audio too" after Multimodal got "I'm not sure what you'd like to know about Multimodal".
    tracker = make_tracker("can it understand audio too", "nlu_fallback", slots={"concept": "multimodal"})
    text = text_of(ActionAskRephrase(), tracker)
    assert text.startswith("The closest my sources come to that about Multimodal:")
    assert "audio" in text


@pytest.mark.parametrize("sentence, intent", [("which is faster", "ask_comparison"),
                                              ("which is cheaper in the long run", "ask_limitations")])
def test_which_of_the_two_after_a_comparison_is_about_the_pair(sentence: str, intent: str) -> None:
    # After GPT-4o vs Claude, "which is faster" got "“faster” isn't something I cover".
    slots = {"concept": "claude", "last_concepts": ["gpt_4o", "claude"], "last_aspect": "comparison"}
    action = ActionCompare() if intent == "ask_comparison" else ActionExplain()
    text = text_of(action, make_tracker(sentence, intent, slots=slots))
    assert text.startswith(f"My sources don't say which of GPT-4o and Claude is {sentence[len('which is '):]}.")
    assert "• GPT-4o: real-time voice conversation" in text and "• Claude: answering questions in a chat" in text


def test_which_is_faster_with_no_comparison_before_is_not_about_a_pair() -> None:
    text = text_of(ActionCompare(), make_tracker("which is faster", "ask_comparison", slots={"concept": "claude"}))
    assert "My sources don't say which of" not in text


def test_an_unclear_who_made_it_names_the_makers(kb: KnowledgeBase) -> None:
    tracker = make_tracker("and claude, who makes that one", "nlu_fallback", ["claude"], slots={"concept": "chatgpt"})
    assert kb.entries["claude"].made_by in text_of(ActionAskRephrase(), tracker)


def test_a_common_word_beside_a_pronoun_is_not_quoted_as_a_topic_we_lack() -> None:
    # "is it slow" with nothing discussed got "“slow” isn't something I cover".
    text = text_of(ActionAskRephrase(), make_tracker("is it slow", "nlu_fallback"))
    assert "“slow”" not in text


@pytest.mark.parametrize("sentence", ["why is it needed?", "why?"])
def test_why_about_the_topic_just_discussed_is_answered_about_it(kb: KnowledgeBase, sentence: str) -> None:
    # "why is it needed?" after RLHF got the decision guide's introduction.
    text = text_of(ActionExplainFactor(), make_tracker(sentence, "why_ask", slots={"concept": "rlhf"}))
    assert text.startswith("RLHF is used for")
    text = text_of(ActionExplainFactor(), make_tracker(sentence, "why_ask", slots={"concept": "hallucination"}))
    assert kb.entries["hallucination"].how_it_works in text


def test_how_is_it_different_from_x_does_not_quote_it_as_a_topic() -> None:
    assert other_side("how is it different from a normal autoencoder", [(30, 45)]) is None
