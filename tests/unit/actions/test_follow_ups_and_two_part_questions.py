"""Questions whose form carries part of their meaning: "and midjourney?" asks the last question again of another
topic, "what is X and how does it work" asks two things, and "tell me more" after a list cut short wants the rest.
Each was answered with one part dropped (blind first-time users, docs/blind_user_test_2026-12-06.md)."""

import asyncio
from typing import Any, Dict, List, Tuple

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.explain import ActionExplain, ActionShowSource
from actions.topics import ActionOutOfScope
from explainer.answers import MAX_LISTED, short_name
from explainer.context import names_after_a_follow_up, second_aspect
from explainer.kb import KnowledgeBase
from tests.support.trackers import make_tracker


def named(text: str, intent: str, concept: str, name: str, slots: Dict[str, Any] = None):
    """A tracker whose message names `concept` as the words `name`, with offsets, as the ConceptMatcher gives them."""
    tracker = make_tracker(text, intent, slots=slots)
    start = text.lower().index(name.lower())
    tracker.latest_message["entities"] = [{"entity": "concept", "value": concept, "start": start, "end": start + len(name)}]
    return tracker


def run_action(action, tracker) -> Tuple[str, List[Dict[str, Any]], Dict[str, Any]]:
    """The first message's text and buttons, and the slots set, when `action` runs on `tracker`."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    message = dispatcher.messages[0]
    return message.get("text") or "", message.get("buttons") or [], {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def run(tracker) -> Tuple[str, List[Dict[str, Any]], Dict[str, Any]]:
    return run_action(ActionExplain(), tracker)


@pytest.mark.parametrize("sentence, name", [
    ("and midjourney?", "midjourney"), ("what about Midjourney", "Midjourney"), ("how about midjourney then?", "midjourney"),
    ("ok and midjourney", "midjourney"), ("Same for midjourney", "midjourney"),
])
def test_a_name_after_and_or_what_about_is_asked_again(sentence: str, name: str) -> None:
    start = sentence.lower().index(name.lower())
    assert names_after_a_follow_up(sentence, [(start, start + len(name))])


@pytest.mark.parametrize("sentence, name", [
    ("and how does midjourney work?", "midjourney"), ("midjourney and dall-e", "midjourney"), ("midjourney", "midjourney"),
    ("and midjourney makes pictures", "midjourney"),
])
def test_anything_more_than_a_lead_and_a_name_is_no_follow_up_name(sentence: str, name: str) -> None:
    start = sentence.lower().index(name.lower())
    assert not names_after_a_follow_up(sentence, [(start, start + len(name))])


def test_and_x_gets_the_aspect_answered_last(kb: KnowledgeBase) -> None:
    slots = {"concept": "chatgpt", "last_aspect": "limitations"}
    text, _, new = run(named("and midjourney?", "ask_definition", "midjourney", "midjourney", slots))
    assert text.startswith("Limitations of Midjourney")
    assert new["concept"] == "midjourney" and new["last_aspect"] == "limitations"


def test_and_x_after_a_comparison_gets_what_x_is(kb: KnowledgeBase) -> None:
    slots = {"concept": "llm", "last_concepts": ["chatgpt", "llm"], "last_aspect": "comparison"}
    text, _, _ = run(named("and midjourney?", "ask_definition", "midjourney", "midjourney", slots))
    assert kb.entries["midjourney"].explanation in text


@pytest.mark.parametrize("sentence, name, aspect", [
    ("what is generative ai and give examples", "generative ai", "examples"),
    ("sorry, english: what is generative ai and give examples", "generative ai", "examples"),
    ("wat is diffusion model n how it make images", "diffusion model", "how_it_works"),
    ("what is a transformer and how does it work?", "transformer", "how_it_works"),
    ("whats bert and when was it released", "bert", "history"),
    ("what is an llm and what are its limitations", "llm", "limitations"),
    ("what is an llm and what is it used for", "llm", "uses"),
    ("what is a gan, examples?", "gan", "examples"),
])
def test_a_second_question_after_what_is_is_found(sentence: str, name: str, aspect: str) -> None:
    start = sentence.lower().index(name)
    assert second_aspect(sentence, [(start, start + len(name))]) == aspect


@pytest.mark.parametrize("sentence, name", [
    ("what is a GAN and a VAE", "GAN"),
    ("what is rag and how do i use it", "rag"),
    ("how does a gan work and give examples", "gan"),
    ("what are examples and uses of llms", "llms"),
    ("what is stable diffusion and how is it different from dall-e", "stable diffusion"),
])
def test_one_question_is_not_split(sentence: str, name: str) -> None:
    start = sentence.lower().index(name.lower())
    assert second_aspect(sentence, [(start, start + len(name))]) is None


def test_what_is_x_and_how_does_it_work_gets_both(kb: KnowledgeBase) -> None:
    entry = kb.entries["diffusion_model"]
    # The classifier read it as a question about uses; the answer is what it asked.
    text, _, new = run(named("wat is diffusion model n how it make images", "ask_uses", "diffusion_model", "diffusion model"))
    assert entry.explanation in text and entry.how_it_works in text
    assert text.index(entry.explanation) < text.index(entry.how_it_works)
    assert new["last_aspect"] == "how_it_works"


def test_what_is_x_and_give_examples_gets_both(kb: KnowledgeBase) -> None:
    entry = kb.entries["generative_ai"]
    text, _, _ = run(named("what is generative ai and give examples", "ask_examples", "generative_ai", "generative ai"))
    assert entry.explanation in text and "Examples of Generative AI: ChatGPT" in text


def test_a_list_cut_short_offers_the_rest_and_tell_me_more_shows_it(kb: KnowledgeBase) -> None:
    examples = [short_name(e) for e in kb.examples_of("generative_ai")]
    assert len(examples) > MAX_LISTED
    text, buttons, _ = run(named("examples of generative ai", "ask_examples", "generative_ai", "generative ai"))
    assert f"and {len(examples) - MAX_LISTED} more" in text and examples[-1] not in text
    assert buttons[0] == {"title": f"All {len(examples)} examples", "payload": '/tell_more{"concept":"generative_ai"}'}
    slots = {"concept": "generative_ai", "last_aspect": "examples"}
    text, buttons, new = run(make_tracker('/tell_more{"concept":"generative_ai"}', "tell_more", ["generative_ai"], slots))
    assert all(name in text for name in examples) and "more." not in text
    assert not any(b["title"].startswith("All ") for b in buttons)
    # Once the whole list is shown, "tell me more" goes deeper as it did after the list.
    text, _, _ = run(make_tracker("tell me more", "tell_more", slots={"concept": "generative_ai", "last_aspect": new["last_aspect"]}))
    assert text.startswith("Limitations of Generative AI")


def test_tell_me_more_after_a_whole_short_list_goes_deeper(kb: KnowledgeBase) -> None:
    assert len(kb.examples_of("gan")) <= MAX_LISTED
    text, _, _ = run(make_tracker("tell me more", "tell_more", slots={"concept": "gan", "last_aspect": "examples"}))
    assert not text.startswith("Examples of") and "limitations" in text.lower()


def test_is_it_open_source_is_no_request_for_the_articles(kb: KnowledgeBase) -> None:
    # Read as "where is this from?", it listed the sources of the last answer.
    text, _, _ = run_action(ActionShowSource(), make_tracker("is it open source", "ask_source", slots={"concept": "llama"}))
    assert "Open weights are not the same as fully open source" in text and "http" not in text
    text, buttons, _ = run_action(ActionShowSource(), make_tracker("is chatgpt open source?", "ask_source", ["chatgpt"]))
    assert text.startswith("My sources don't say whether ChatGPT is open source.")
    assert kb.entries["open_weight_model"].summary in text
    assert {b["title"] for b in buttons} == {"What is Open-weight model?", "What is ChatGPT?"}
    # "Where is this from?" still names the articles.
    text, _, _ = run_action(ActionShowSource(), make_tracker("where is this from?", "ask_source", slots={"concept": "llama", "last_concepts": ["llama"]}))
    assert "http" in text


@pytest.mark.parametrize("sentence", ["who makes it", "who made it?", "which company is behind it"])
def test_who_made_it_read_as_out_of_scope_names_the_makers_of_the_last_topic(kb: KnowledgeBase, sentence: str) -> None:
    text, _, slots = run_action(ActionOutOfScope(), make_tracker(sentence, "out_of_scope", slots={"concept": "transformer"}))
    assert "Google" in text and "Attention Is All You Need" in text
    assert slots["concept"] == "transformer"


def test_out_of_scope_without_a_topic_discussed_is_still_out_of_scope() -> None:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionOutOfScope().run(dispatcher, make_tracker("who makes the best pizza", "out_of_scope"), {}))
    assert dispatcher.messages[0].get("response") == "utter_out_of_scope"


def test_a_price_the_entry_states_is_answered_with_it(kb: KnowledgeBase) -> None:
    # "is stable diffusion free to use?" got "My sources don't give prices" before its licence was in the entry.
    text, _, _ = run(named("is stable diffusion free to use?", "ask_limitations", "stable_diffusion", "stable diffusion"))
    assert text.startswith("From general knowledge (not the articles): Stable Diffusion models from Stability AI")
    assert "Community License" in text


@pytest.mark.parametrize("sentence, intent, concept, name, said", [
    ("is lyria free to use?", "ask_limitations", "lyria", "lyria",
     "My sources don't give prices or licence terms for Lyria."),
    ("how much does gpt-4 api cost", "ask_limitations", "gpt_4", "gpt-4",
     "My sources don't give prices or licence terms for GPT-4."),
    ("how long does sora take to make a clip", "ask_how_it_works", "sora", "sora",
     "My sources don't say how fast Sora is or how long it takes."),
])
def test_a_price_or_speed_the_entry_never_mentions_is_said_to_be_unknown(
        kb: KnowledgeBase, sentence: str, intent: str, concept: str, name: str, said: str) -> None:
    # They got the limitations, or how it works, which answer something else.
    text, buttons, slots = run(named(sentence, intent, concept, name))
    assert text.split("\n")[0] == f"{said} What I can tell you: {kb.entries[concept].summary}"
    assert slots["concept"] == concept
    # The entry that explains the property in general is offered; what makes any model slow is quoted too.
    home = {"price": "token_pricing", "speed": "latency"}["price" if "prices" in said else "speed"]
    assert buttons[0]["payload"] == f'/ask_definition{{"concept":"{home}"}}'
    assert (kb.entries[home].summary in text) == (home == "latency")


def test_a_speed_said_in_passing_is_no_question_about_speed(kb: KnowledgeBase) -> None:
    sentence = "Inference on the CPU is very slow. Does that mean CPU inference is not feasible?"
    text, _, _ = run(named(sentence, "ask_uses", "inference", "inference"))
    assert "My sources don't" not in text


def test_a_price_question_about_an_entry_that_speaks_of_prices_gets_its_answer(kb: KnowledgeBase) -> None:
    entry = kb.entries["compute_cost"]
    text, _, _ = run(named("how much does compute cost", "ask_definition", "compute_cost", "compute cost"))
    assert entry.explanation in text and "My sources don't" not in text


@pytest.mark.parametrize("sentence, concept, name, said", [
    ("Can gen AI make videos?", "generative_ai", "gen AI",
     "Yes: Sora, one of the examples of Generative AI, is used for generating realistic video clips."),
    ("can claude write code?", "claude", "claude", "Yes: Claude is used for writing and explaining code."),
    ("can llms translate?", "llm", "llms", "Yes: LLM is used for translation."),
])
def test_can_x_do_something_its_uses_say_gets_yes(sentence: str, concept: str, name: str, said: str) -> None:
    # Read as a question about uses, it got the list of uses and no answer to the question.
    text, _, _ = run(named(sentence, "ask_uses", concept, name))
    assert text == said


def test_can_it_do_something_no_use_says_is_not_answered_no(kb: KnowledgeBase) -> None:
    text, _, slots = run(make_tracker("can it browse the internet", "ask_uses", slots={"concept": "chatgpt"}))
    assert text.startswith("My sources don't say whether ChatGPT can browse the internet. What they list: ChatGPT is used for")
    assert slots["concept"] == "chatgpt"


@pytest.mark.parametrize("sentence, intent", [
    ("can it be trusted?", "ask_limitations"), ("can you explain it?", "ask_definition"), ("can it do that?", "ask_uses"),
    ("can i use it for my app?", "ask_uses"),
])
def test_questions_that_ask_no_capability_of_the_topic_keep_their_answer(sentence: str, intent: str) -> None:
    text, _, _ = run(make_tracker(sentence, intent, slots={"concept": "chatgpt"}))
    assert not text.startswith(("Yes:", "My sources don't say whether"))


def test_a_price_question_about_a_topic_of_the_pricing_entry_gets_that_entry(kb: KnowledgeBase) -> None:
    # "what's a token in pricing terms" got the plain tokenization definition, then "no prices for Tokenization".
    text, _, _ = run(named("what's a token in pricing terms", "ask_definition", "tokenization", "token"))
    assert text.startswith("Pay-per-token pricing: ") and kb.entries["token_pricing"].explanation in text


def test_is_x_open_source_under_any_intent_is_about_openness(kb: KnowledgeBase) -> None:
    # Read as a question about examples it got "The source articles don't name examples of Llama".
    text, _, slots = run(named("is llama open source", "ask_examples", "llama", "llama"))
    assert "Open weights are not the same as fully open source" in text
    # Llama stays the topic: "who made it" next asks about Llama, not about open-weight models.
    assert slots["concept"] == "llama"


@pytest.mark.parametrize("sentence", ["is mistral open", "Is Mistral open?", "are mistral's weights open"])
def test_is_x_open_asks_about_openness(kb: KnowledgeBase, sentence: str) -> None:
    # "is mistral open" got Mistral's limitations.
    text, _, slots = run(named(sentence, "ask_limitations", "mistral", "mistral"))
    assert "Apache 2.0" in text and not text.startswith("Limitations")
    assert slots["concept"] == "mistral"


def test_is_x_open_source_quotes_its_own_sentence_on_its_licence(kb: KnowledgeBase) -> None:
    # Whisper's general knowledge names its licence; the answer was "My sources don't say whether Whisper is open source".
    text, _, _ = run(named("is whisper open source", "ask_definition", "whisper", "whisper"))
    assert "MIT License" in text and "don't say" not in text
    # No sentence of its own on it: said so, with what open weights would mean.
    text, _, _ = run(named("is chatgpt open source", "ask_definition", "chatgpt", "chatgpt"))
    assert text.startswith("My sources don't say whether ChatGPT is open source.")


def test_a_year_asked_about_lists_what_the_sources_date_to_it() -> None:
    # After ELIZA, "what changed around 2017" got ELIZA's date again.
    text, _, slots = run(make_tracker("what changed around 2017", "ask_history", slots={"concept": "eliza"}))
    assert text.startswith("What my sources date to 2017:") and "Transformer" in text and "ELIZA" not in text
    # A year in passing, or one nothing is dated to: the usual answer.
    text, _, _ = run(make_tracker("what happened in 1999", "ask_history", slots={"concept": "eliza"}))
    assert not text.startswith("What my sources date to")


def after(tracker, asked_before: str, said_before: str):
    """`tracker` with one earlier turn: the user asked `asked_before`, the bot said `said_before`."""
    tracker.events = [{"event": "user", "text": asked_before}, {"event": "bot", "text": said_before},
                      {"event": "bot", "text": "Was this helpful?"}, {"event": "user", "text": tracker.latest_message["text"]}]
    return tracker


def test_a_different_question_that_would_get_the_same_reply_says_so_instead(kb: KnowledgeBase) -> None:
    from explainer.answers import Explainer
    said = Explainer(kb).explain("bias", "limitations").text
    # "What are companies doing about it?" after "Where does the bias come from?" got the same paragraph again.
    tracker = after(make_tracker("What are companies doing about it?", "ask_limitations", slots={"concept": "bias"}),
                    "Where does the bias come from?", said)
    text, buttons, slots = run(tracker)
    assert text.startswith("My sources say nothing more on that about Bias than my last answer") and buttons
    assert slots["concept"] == "bias"
    # The same question asked again gets the same answer.
    tracker = after(make_tracker("what are its limitations", "ask_limitations", slots={"concept": "bias"}),
                    "what are its limitations", said)
    assert run(tracker)[0] == said


def test_is_it_open_source_with_nothing_discussed_asks_which_topic() -> None:
    # It listed every article the bot knows.
    text, _, _ = run_action(ActionShowSource(), make_tracker("is it open source", "ask_source"))
    assert "http" not in text and "Which topic" in text


def test_who_owns_a_challenge_keeps_the_question_asked(kb: KnowledgeBase) -> None:
    # "who owns the copyright of an image made with midjourney" got "The source articles don't say who made Ethics".
    text, _, _ = run(named("who owns the copyright of an image made with midjourney", "ask_limitations", "ethics", "copyright"))
    assert "who made" not in text


def test_where_a_challenge_comes_from_read_as_history_gets_its_causes(kb: KnowledgeBase) -> None:
    # "Where does the bias come from?" got "The source articles don't give a date for Bias."
    text, _, _ = run(named("Where does the bias come from?", "ask_history", "bias", "bias"))
    assert kb.entries["bias"].how_it_works in text


def ranked(tracker, *ranking: Tuple[str, float]):
    """`tracker` whose latest message the NLU ranked as `ranking` (intent, confidence), best first."""
    tracker.latest_message["intent_ranking"] = [{"name": n, "confidence": c} for n, c in ranking]
    tracker.latest_message["intent"] = {"name": ranking[0][0], "confidence": ranking[0][1]}
    return tracker


def test_a_close_second_aspect_is_answered_after_the_first(kb: KnowledgeBase) -> None:
    # "how is sora able to make videos from text" was read as uses (0.41) just ahead of how it works (0.38) and
    # got the list of uses alone.
    tracker = ranked(named("how is sora able to make videos from text", "ask_uses", "sora", "sora"),
                     ("ask_uses", 0.41), ("ask_how_it_works", 0.38), ("ask_definition", 0.1))
    text, buttons, slots = run(tracker)
    first, second = text.split("\n")
    assert first.startswith("Sora is used for") and second.startswith("How Sora works:")
    # Follow-ups continue from the aspect read first.
    assert slots["last_aspect"] == "uses"


@pytest.mark.parametrize("ranking", [
    # A distant second adds nothing.
    [("ask_uses", 0.8), ("ask_how_it_works", 0.15)],
    # A second that asks no aspect of a topic adds nothing.
    [("ask_uses", 0.45), ("start_guide", 0.44)],
    # A missing or broken probability adds nothing.
    [("ask_uses", 0.45), ("ask_how_it_works", float("nan"))],
    [("ask_uses", 0.45), ("ask_how_it_works", "0.44")],
])
def test_without_a_close_aspect_second_one_aspect_is_answered(ranking) -> None:
    text, _, _ = run(ranked(named("how is sora able to make videos from text", "ask_uses", "sora", "sora"), *ranking))
    assert text.startswith("Sora is used for") and "\n" not in text


def test_a_close_second_the_entry_says_nothing_of_is_not_added(kb: KnowledgeBase) -> None:
    # BERT lists no uses: "The source articles don't list uses of BERT" would be added to the answer.
    assert not kb.entries["bert"].uses
    tracker = ranked(named("is bert generative?", "ask_limitations", "bert", "bert"),
                     ("ask_limitations", 0.4), ("ask_uses", 0.35))
    text, _, _ = run(tracker)
    assert text.startswith("Limitations of BERT") and "don't list uses" not in text


def test_a_challenges_cause_is_not_said_twice(kb: KnowledgeBase) -> None:
    # A challenge's limitations answer ends with why it happens, which is also its "how it works" text.
    tracker = ranked(named("Why does ChatGPT sometimes invent fake sources??", "ask_limitations", "hallucination",
                           "invent fake sources"), ("ask_limitations", 0.4), ("ask_how_it_works", 0.35))
    text, _, _ = run(tracker)
    assert text.count(kb.entries["hallucination"].how_it_works[:60]) == 1
    # Nor what it is, when the first reading asked that: the limitations answer starts with the same explanation.
    tracker = ranked(named("what is this hallucination thing", "ask_definition", "hallucination", "hallucination"),
                     ("ask_definition", 0.4), ("ask_limitations", 0.35))
    text, _, _ = run(tracker)
    assert text.count(kb.entries["hallucination"].explanation[:60]) == 1


def test_a_second_aspect_after_a_repeated_first_says_there_is_nothing_more(kb: KnowledgeBase) -> None:
    from explainer.answers import Explainer
    said = Explainer(kb).explain("chatgpt", "limitations").text
    # "what about models made specifically for medicine" after "can i trust chatgpt for medical advice" repeated
    # the limitations paragraph above the uses it added.
    tracker = after(ranked(make_tracker("what about models made specifically for medicine", "ask_limitations",
                                        slots={"concept": "chatgpt"}), ("ask_limitations", 0.4), ("ask_uses", 0.3)),
                    "can i trust chatgpt for medical advice", said)
    text, buttons, _ = run(tracker)
    assert text.startswith("My sources say nothing more on that about ChatGPT than my last answer") and buttons


def test_the_first_aspect_of_a_last_reply_with_two_is_not_repeated_either(kb: KnowledgeBase) -> None:
    from explainer.answers import Explainer
    said = Explainer(kb).explain_with_runner_up("context_window", "limitations", "how_it_works").text
    assert "\n" in said
    tracker = after(make_tracker("what happens if my chat goes over it", "ask_limitations",
                                 slots={"concept": "context_window"}), "how long can a chat be", said)
    text, buttons, _ = run(tracker)
    assert text.startswith("My sources say nothing more on that about Context window than my last answer") and buttons


def test_an_unclear_question_about_one_topic_is_read_by_its_form_too(kb: KnowledgeBase) -> None:
    from actions.topics import ActionAskRephrase
    # "is mistral open" fell below the fallback threshold (limitations 0.24, definition 0.24) and got the limitations.
    tracker = ranked(named("is mistral open", "nlu_fallback", "mistral", "mistral"),
                     ("nlu_fallback", 0.3), ("ask_limitations", 0.24), ("ask_definition", 0.237))
    text, _, slots = run_action(ActionAskRephrase(), tracker)
    assert "Apache 2.0" in text and not text.startswith("Limitations")
    assert slots["concept"] == "mistral"


def test_an_unclear_question_with_a_close_second_aspect_gets_both(kb: KnowledgeBase) -> None:
    from actions.topics import ActionAskRephrase
    tracker = ranked(named("how is sora about videos from text", "nlu_fallback", "sora", "sora"),
                     ("nlu_fallback", 0.3), ("ask_uses", 0.25), ("ask_how_it_works", 0.2))
    text, _, _ = run_action(ActionAskRephrase(), tracker)
    first, second = text.split("\n")
    assert first.startswith("Sora is used for") and second.startswith("How Sora works:")
