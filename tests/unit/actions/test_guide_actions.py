"""The decision-guide actions on rasa-sdk trackers, against the real knowledge base."""

import asyncio
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from explainer.guide import UNKNOWN
from actions.guide import ActionChangeAnswer, ActionRecommend, ValidateDecisionGuideForm, _ask_action
from explainer.kb import KnowledgeBase

DOMAIN: Dict[str, Any] = {"forms": {"decision_guide_form": {"required_slots": []}}}


def tracker(text: str, intent: str, slots: Optional[Dict[str, Any]] = None, answer: Optional[str] = None) -> Tracker:
    entities = [{"entity": "guide_answer", "value": answer}] if answer else []
    return Tracker(
        sender_id="guide-test",
        slots=dict(slots or {}),
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9},
                        "intent_ranking": [{"name": intent, "confidence": 0.9}], "entities": entities},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "decision_guide_form"},
        latest_action_name="action_listen",
    )


def run(action, t: Tracker) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_first_message_prefills_and_asks_the_next_open_question() -> None:
    _, slots = run(ValidateDecisionGuideForm(), tracker("LLM or something else for generating product images?", "start_guide"))
    assert slots["content_type"] == "images"
    assert slots["requested_slot"] not in (None, "content_type")


def offer_then(opening: str, buttons: List[Dict[str, str]]) -> Tracker:
    """A guide started with "/start_guide" after the bot answered `opening` with `buttons`."""
    t = tracker("/start_guide", "start_guide")
    t.events = [{"event": "user", "text": opening}, {"event": "action", "name": "action_explain"},
                {"event": "bot", "text": "Which topic do you mean?", "data": {"buttons": buttons}},
                {"event": "user", "text": "/start_guide"}]
    return t


def test_started_from_the_offer_the_guide_keeps_what_the_offered_message_said() -> None:
    opening = "background music for my 24/7 study stream, what do i use"
    offer = [{"title": "What is Training data?", "payload": "/ask_definition"}, {"title": "Which fits my project?", "payload": "/start_guide"}]
    messages, slots = run(ValidateDecisionGuideForm(), offer_then(opening, offer))
    assert slots["content_type"] == "audio" and "Noted from your message" in messages[0]["text"]
    # Without the offer just before it, an earlier message is not read: it answered something else.
    _, slots = run(ValidateDecisionGuideForm(), offer_then(opening, offer[:1]))
    assert "content_type" not in slots
    # Odd shapes in the history are no offer, and no error.
    odd = offer_then(opening, offer)
    odd.events[2]["data"] = "buttons"
    odd.events.insert(2, {"event": "bot", "text": None, "data": {"buttons": "/start_guide"}})
    _, slots = run(ValidateDecisionGuideForm(), odd)
    assert "content_type" not in slots


def test_button_and_free_text_answers() -> None:
    asked = {"requested_slot": "content_type"}
    _, slots = run(ValidateDecisionGuideForm(), tracker("/inform", "inform", asked, answer="video"))
    assert slots["content_type"] == "video"
    _, slots = run(ValidateDecisionGuideForm(), tracker("mostly images for ads", "inform", asked))
    assert slots["content_type"] == "images"
    assert slots.get("application_domain") == "marketing", "what the answer also said is kept"


def test_skip_records_unknown() -> None:
    _, slots = run(ValidateDecisionGuideForm(), tracker("not sure", "skip_question", {"requested_slot": "resources"}))
    assert slots["resources"] == "unknown"
    assert slots["requested_slot"] != "resources"


@pytest.mark.parametrize("text", ["idk", "no idea, next", "pass", "I'd have to ask our CTO", "rather not say", "n/a"])
def test_a_skip_in_words_still_skips(text: str) -> None:
    _, slots = run(ValidateDecisionGuideForm(), tracker(text, "skip_question", {"requested_slot": "resources"}))
    assert slots["resources"] == "unknown"


def test_a_digression_fills_nothing_so_the_rules_answer_it() -> None:
    t = tracker("what is a diffusion model for images?", "ask_definition", {"requested_slot": "content_type"})
    t.latest_message["entities"] = [{"entity": "concept", "value": "diffusion_model"}]
    _, slots = run(ValidateDecisionGuideForm(), t)
    assert set(slots) == {"requested_slot"}
    _, slots = run(ValidateDecisionGuideForm(), tracker("tell me more", "tell_more", {"requested_slot": "content_type"}))
    assert set(slots) == {"requested_slot"}


def test_a_question_after_ok_or_but_is_still_a_digression() -> None:
    # A blind user, inside the guide: "ok what is tower" got "Sorry, I didn't catch that" and the question again.
    t = tracker("ok what is tower", "ask_definition", {"requested_slot": "data_availability"})
    t.latest_message["entities"] = [{"entity": "concept", "value": "tower"}]
    messages, slots = run(ValidateDecisionGuideForm(), t)
    assert set(slots) == {"requested_slot"} and not any("didn't catch" in (m.get("text") or "") for m in messages)


def test_an_answer_misread_as_a_question_is_still_an_answer() -> None:
    _, slots = run(ValidateDecisionGuideForm(), tracker("noisy and mostly unlabeled", "tell_more", {"requested_slot": "data_quality"}))
    assert slots["data_quality"] == "messy"


def test_an_answer_not_understood_says_so_and_asks_again() -> None:
    messages, slots = run(ValidateDecisionGuideForm(), tracker("purple", "inform", {"requested_slot": "content_type"}))
    assert "didn't catch that" in messages[0]["text"]
    assert slots["requested_slot"] == "content_type"


def test_no_after_stop_continues(kb: KnowledgeBase) -> None:
    earlier = {"content_type": "text", "data_availability": "unknown", "task_complexity": "unknown",
               "resources": "unknown", "data_quality": "unknown", "application_domain": "unknown"}
    pending = {**earlier, "requested_slot": "expertise", "guide_stop_pending": True}
    messages, slots = run(ValidateDecisionGuideForm(), tracker("no", "deny", pending))
    assert slots["guide_stop_pending"] is False
    assert slots["requested_slot"] == kb.guide.next_factor(earlier)
    _, slots = run(ValidateDecisionGuideForm(), tracker("yes", "affirm", pending))
    assert "privacy" not in slots and set(slots) == {"requested_slot"}


def test_question_shows_progress_and_buttons(kb: KnowledgeBase) -> None:
    ask = _ask_action("expertise")()
    messages, _ = run(ask, tracker("", "inform", {"content_type": "text", "resources": "unknown"}))
    assert messages[0]["text"].startswith("Question 3 of 8")
    assert kb.guide.factor("expertise").question in messages[0]["text"]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert '/inform{"guide_answer":"little"}' in payloads and "/skip_question" in payloads


def test_recommendation_sets_the_slot_and_gives_reasons(kb: KnowledgeBase) -> None:
    answers = {"content_type": "mixed", "application_domain": "marketing"}
    messages, slots = run(ActionRecommend(), tracker("", "inform", answers))
    assert slots == {"recommendation": "hybrid"}
    assert kb.guide.outcomes["hybrid"].name in messages[0]["text"]
    assert kb.guide.factor("content_type").option("mixed").reason in messages[0]["text"]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert {"/change_answer", "/show_summary", "/restart_guide"} <= set(payloads)
    assert any(p.startswith("/ask_definition") for p in payloads), "learn about the suggested family"


def test_what_if_changes_one_answer_and_rescores(kb: KnowledgeBase) -> None:
    answers = {"content_type": "text", "data_availability": "lots_of_text", "recommendation": "llm"}
    messages, slots = run(ActionChangeAnswer(), tracker("change content type to audio", "change_answer", answers))
    assert slots == {"content_type": "audio", "recommendation": "generative_model"}
    assert "content type" in messages[0]["text"].lower()


def no_guide(text: str, concepts: Sequence[str] = ()) -> Tracker:
    """A change_answer message in a conversation where no guide has run."""
    entities = [{"entity": "concept", "value": c} for c in concepts]
    return Tracker(sender_id="no-guide", slots={}, latest_message={
        "text": text, "intent": {"name": "change_answer", "confidence": 0.9}, "entities": entities}, events=[],
        paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen")


def test_with_no_guide_run_a_what_about_question_asks_about_its_topic() -> None:
    # "what about running a model locally instead" got "Which answer should I change?" with no guide ever started.
    messages, slots = run(ActionChangeAnswer(), no_guide("what about running a model locally instead", ["local_llm"]))
    assert messages[0]["text"].startswith("Local LLM") and "Which answer should I change" not in messages[0]["text"]
    assert slots.get("concept") == "local_llm" and "recommendation" not in slots
    # Nothing named and nothing the guide reads: which topic, not which answer.
    messages, _ = run(ActionChangeAnswer(), no_guide("what about the other thing instead"))
    assert "Which answer should I change" not in messages[0]["text"]
    # A what-if the guide reads still scores it, as it did.
    _, slots = run(ActionChangeAnswer(), no_guide("what if we had little data?"))
    assert slots.get("data_availability") == "little"


def test_a_second_unreadable_answer_notes_not_sure_and_moves_on() -> None:
    asked = {"requested_slot": "content_type"}
    messages, slots = run(ValidateDecisionGuideForm(), tracker("purple", "inform", asked))
    assert slots["requested_slot"] == "content_type", "the first miss asks again"
    again = {**asked, "guide_misses": slots["guide_misses"]}
    messages, slots = run(ValidateDecisionGuideForm(), tracker("purple again", "inform", again))
    assert slots["content_type"] == "unknown"
    assert slots["requested_slot"] != "content_type", "never a third identical question"
    assert "not sure" in messages[0]["text"] and "change content type" in messages[0]["text"].lower()


def test_misses_of_another_question_do_not_count() -> None:
    earlier_miss = {"requested_slot": "resources", "guide_misses": {"factor": "content_type", "count": 1}}
    messages, slots = run(ValidateDecisionGuideForm(), tracker("purple", "inform", earlier_miss))
    assert "resources" not in slots and slots["guide_misses"] == {"factor": "resources", "count": 1}
    assert "didn't catch that" in messages[0]["text"]


def test_a_read_answer_clears_the_misses() -> None:
    missed = {"requested_slot": "content_type", "guide_misses": {"factor": "content_type", "count": 1}}
    _, slots = run(ValidateDecisionGuideForm(), tracker("mostly images", "inform", missed))
    assert slots["content_type"] == "images" and slots["guide_misses"] is None


def test_a_statement_naming_concepts_is_read_as_an_answer_not_answered_as_a_question() -> None:
    # Seen in the blind scenarios: "summaries and translation" answered the task question, was taken for a
    # comparison of two concepts, and the same question came back for ever.
    t = tracker("summaries and translation, accurate, not creative", "ask_comparison", {"requested_slot": "task_complexity"})
    t.latest_message["entities"] = [{"entity": "concept", "value": "summarization"}, {"entity": "concept", "value": "translation"}]
    messages, slots = run(ValidateDecisionGuideForm(), t)
    assert slots.get("task_complexity") or slots.get("guide_misses"), "read as an answer (or a miss that counts)"
    t = tracker("what is translation?", "ask_definition", {"requested_slot": "task_complexity"})
    t.latest_message["entities"] = [{"entity": "concept", "value": "translation"}]
    assert set(run(ValidateDecisionGuideForm(), t)[1]) == {"requested_slot"}, "a question stays a digression"


def test_a_control_intent_without_its_words_is_an_answer_attempt() -> None:
    _, slots = run(ValidateDecisionGuideForm(), tracker("every week a fresh look, different vibes", "restart_guide",
                                                        {"requested_slot": "task_complexity"}))
    assert slots.get("task_complexity") or slots.get("guide_misses"), "no silent restart of the whole guide"
    _, slots = run(ValidateDecisionGuideForm(), tracker("ok let's start over", "restart_guide", {"requested_slot": "task_complexity"}))
    assert set(slots) == {"requested_slot"}, "a real 'start over' goes to its rule"
    _, slots = run(ValidateDecisionGuideForm(), tracker("quiz questions w/ answers", "stop_guide", {"requested_slot": "content_type"}))
    assert slots.get("content_type") or slots.get("guide_misses")


def test_an_answer_misread_as_a_summary_request_is_read_as_an_answer() -> None:
    # Read as show_summary, it showed the summary and asked the same question again, every time: stuck.
    asked = {"requested_slot": "data_availability"}
    _, slots = run(ValidateDecisionGuideForm(), tracker("I've drawn about 500 sprites myself so far for the game",
                                                        "show_summary", asked))
    assert slots.get("data_availability") == "media"
    _, slots = run(ValidateDecisionGuideForm(), tracker("show me my answers so far", "show_summary", asked))
    assert set(slots) == {"requested_slot"}, "a real request for the summary goes to its rule"
    _, slots = run(ValidateDecisionGuideForm(), tracker("/why_ask", "why_ask", asked))
    assert set(slots) == {"requested_slot"}, "the button's payload is what it says"


def test_an_answer_the_classifier_could_not_place_counts_as_a_miss() -> None:
    asked = {"requested_slot": "resources"}
    for intent in ("nlu_fallback", "tell_more", "explain_simpler"):
        _, slots = run(ValidateDecisionGuideForm(), tracker("free tier everything lol", intent, asked))
        assert slots.get("resources") == "limited", intent
        _, slots = run(ValidateDecisionGuideForm(), tracker("we'll see how it goes lol", intent, asked))
        assert slots.get("guide_misses") == {"factor": "resources", "count": 1}, intent


def test_hedged_or_long_answers_misread_as_small_talk_still_count() -> None:
    asked = {"requested_slot": "privacy"}
    _, slots = run(ValidateDecisionGuideForm(), tracker("the narrators' voices, we'd need their consent, so kind of?",
                                                        "nlu_fallback", asked))
    assert slots.get("privacy") == "sensitive"
    _, slots = run(ValidateDecisionGuideForm(), tracker("the questions have to match what's in the chapter, not invent things",
                                                        "list_topics", asked))
    assert slots.get("guide_misses") == {"factor": "privacy", "count": 1}
    _, slots = run(ValidateDecisionGuideForm(), tracker("what topics do you know?", "list_topics", asked))
    assert set(slots) == {"requested_slot"}, "a real request for the topics is answered by its rule"


def test_an_option_s_own_word_inside_a_longer_answer_is_read() -> None:
    _, slots = run(ValidateDecisionGuideForm(), tracker("synthetic transaction logs", "inform", {"requested_slot": "content_type"}))
    assert slots["content_type"] == "synthetic_data"


def test_a_question_that_names_no_concept_is_an_answer_attempt() -> None:
    _, slots = run(ValidateDecisionGuideForm(), tracker("how would I even know that?", "ask_how_it_works", {"requested_slot": "data_quality"}))
    assert slots.get("guide_misses") == {"factor": "data_quality", "count": 1}


def test_an_opening_fills_what_it_states_says_so_and_does_not_ask_it() -> None:
    messages, slots = run(ValidateDecisionGuideForm(), tracker(
        "we're two people with no ML background and a few thousand support emails, budget is tight", "start_guide"))
    assert {slots.get(f) for f in ("expertise", "resources", "data_availability", "content_type")} == {
        "little", "limited", "lots_of_text", "text"}
    assert slots["requested_slot"] not in ("expertise", "resources", "data_availability", "content_type")
    noted = messages[0]["text"]
    assert noted.startswith("Noted from your message:")
    assert "development expertise — Little or none" in noted and "model size and resources — Limited" in noted


def test_an_answer_that_also_states_other_factors_fills_them_and_says_so() -> None:
    messages, slots = run(ValidateDecisionGuideForm(), tracker(
        "mostly product photos, and nobody here knows ML", "inform", {"requested_slot": "content_type"}))
    assert slots["content_type"] == "images"
    assert slots["expertise"] == "little"
    assert "development expertise — Little or none" in messages[0]["text"]


def test_an_answer_between_two_options_gets_a_yes_no_confirmation_not_the_question_again() -> None:
    asked = {"requested_slot": "data_quality", "content_type": "mixed", "data_availability": "both"}
    messages, slots = run(ValidateDecisionGuideForm(), tracker(
        "catalogue texts are carefully written, photos are professional", "inform", asked))
    assert "data_quality" not in slots
    assert messages[0]["text"].startswith("Sounds like “") and messages[0]["text"].endswith("— right?")
    assert [b["title"] for b in messages[0]["buttons"]] == ["Yes", "No"]
    pending = slots["guide_misses"]
    first, second = pending["confirm"]
    assert {first, second} == {"clean_text", "diverse_media"}
    # The form's question is not sent on top of the confirmation.
    ask_messages, _ = run(_ask_action("data_quality")(), tracker("", "inform", {**asked, "guide_misses": pending}))
    assert ask_messages == []
    # "yes" takes the option offered.
    _, slots = run(ValidateDecisionGuideForm(), tracker("yes", "affirm", {**asked, "guide_misses": pending}))
    assert slots["data_quality"] == first
    # "no" offers the other one; a second "no" asks the whole question again, as one miss.
    messages, slots = run(ValidateDecisionGuideForm(), tracker("no", "deny", {**asked, "guide_misses": pending}))
    assert "data_quality" not in slots and f"“{_label('data_quality', second)}”" in messages[0]["text"]
    messages, slots = run(ValidateDecisionGuideForm(), tracker("nope", "deny", {**asked, "guide_misses": slots["guide_misses"]}))
    assert slots["guide_misses"] == {"factor": "data_quality", "count": 1} and "data_quality" not in slots
    ask_messages, _ = run(_ask_action("data_quality")(), tracker("", "inform", {**asked, "guide_misses": slots["guide_misses"]}))
    assert ask_messages[0]["text"].startswith("Question")


def _label(factor_id: str, option_id: str) -> str:
    from actions.common import knowledge

    return knowledge().guide.factor(factor_id).option(option_id).label


@pytest.mark.parametrize("text, intent", [
    ("what is a vector database?", "ask_definition"),
    # Read half as a definition question and half as out of scope: the fallback, yet still a question to answer.
    ("what is beam search?", "nlu_fallback"),
])
def test_a_question_about_a_topic_the_knowledge_base_lacks_leaves_the_question_to_the_rules(text: str, intent: str) -> None:
    # The rules answer it as not covered ("isn't something I cover") and the form asks its question again.
    messages, slots = run(ValidateDecisionGuideForm(), tracker(text, intent, {"requested_slot": "content_type"}))
    assert set(slots) == {"requested_slot"} and messages == []


@pytest.mark.parametrize("text, intent, factor, option", [
    ("fraud labels are patchy, chargebacks come in weeks later", "goodbye", "data_quality", "messy"),
    ("answer visitors' questions about the pieces, accurately", "feedback", "task_complexity", "language"),
    ("write the copy, generate the images, then check they actually match", "change_answer", "task_complexity", "combined"),
    # Read as a skip, "lofi beats" was noted as "not sure" without a word said.
    ("lofi beats", "skip_question", "content_type", "audio"),
])
def test_an_answer_misread_as_farewell_rating_or_what_if_is_still_read(text: str, intent: str, factor: str, option: str) -> None:
    _, slots = run(ValidateDecisionGuideForm(), tracker(text, intent, {"requested_slot": factor}))
    assert slots[factor] == option


@pytest.mark.parametrize("text, intent", [("poco dinero bro", "greet"), ("poco dinero amigo", "thanks")])
def test_an_unreadable_answer_misread_as_small_talk_counts_as_a_miss(text: str, intent: str) -> None:
    # Read as small talk, the greeting (or thanks, or the sources) came back and the same question after it, for
    # as long as the user answered the same way: stuck. With no word of that small talk it is a failed answer.
    messages, slots = run(ValidateDecisionGuideForm(), tracker(text, intent, {"requested_slot": "resources"}))
    assert slots["guide_misses"] == {"factor": "resources", "count": 1}
    assert messages and "resources" not in slots


@pytest.mark.parametrize("text, intent", [("hi again", "greet"), ("thanks!", "thanks"), ("hello there", "greet"),
                                          ("are you a bot", "bot_challenge"), ("help", "help")])
def test_real_small_talk_inside_the_guide_is_left_to_the_rules(text: str, intent: str) -> None:
    messages, slots = run(ValidateDecisionGuideForm(), tracker(text, intent, {"requested_slot": "resources"}))
    assert set(slots) == {"requested_slot"} and messages == []


def test_an_answer_misread_as_a_what_if_question_counts_as_a_miss() -> None:
    # "we dont have data??" read as change_answer got "which answer should I change?" and the same question, for ever
    # (that answer is now read as "messy or unknown"; this one still cannot be read).
    messages, slots = run(ValidateDecisionGuideForm(), tracker("we got zip files from a vendor??", "change_answer",
                                                                {"requested_slot": "data_quality"}))
    assert slots["guide_misses"] == {"factor": "data_quality", "count": 1} and messages


def test_a_digression_said_twice_in_a_row_is_an_answer_the_guide_could_not_read() -> None:
    # The first time, a question about the bot is left to the rules; sent again, it is an answer attempt, and the
    # first one counts too: the question has been asked twice already (before and after the digression), so the
    # factor is noted "not sure" rather than asked a third time.
    first = tracker("is it you who decides?", "bot_challenge", {"requested_slot": "resources"})
    first.events = [{"event": "user", "text": "is it you who decides?"}]
    _, slots = run(ValidateDecisionGuideForm(), first)
    assert set(slots) == {"requested_slot"}
    again = tracker("is it you who decides?", "bot_challenge", {"requested_slot": "resources"})
    again.events = [{"event": "user", "text": "is it  you who decides?"}, {"event": "bot", "text": "I'm a bot."},
                    {"event": "user", "text": "Is it you who decides?"}]
    messages, slots = run(ValidateDecisionGuideForm(), again)
    assert slots["resources"] == UNKNOWN and slots["guide_misses"] is None
    assert "not sure" in messages[-1]["text"]


def test_a_hedged_answer_naming_a_topic_is_read_before_it_is_taken_for_a_question() -> None:
    # "accessibility, closest is maybe summaries?" was answered as a question about summarization, and the same
    # question came back each time it was sent (a blind scenario stuck on it).
    t = tracker("accessibility, closest is maybe summaries?", "ask_limitations", {"requested_slot": "application_domain"})
    t.latest_message["entities"] = [{"entity": "concept", "value": "summarization"}]
    _, slots = run(ValidateDecisionGuideForm(), t)
    assert slots["application_domain"] == "language_apps"
    # A question that opens as one is still a digression, though its topic's words answer the open question.
    t = tracker("what is summarization?", "ask_definition", {"requested_slot": "application_domain"})
    t.latest_message["entities"] = [{"entity": "concept", "value": "summarization"}]
    _, slots = run(ValidateDecisionGuideForm(), t)
    assert set(slots) == {"requested_slot"}


def test_an_answer_ending_in_thats_all_is_no_farewell() -> None:
    # "a grant paid for one good machine, that's all" read as goodbye ended the guide at question 4.
    _, slots = run(ValidateDecisionGuideForm(), tracker("a grant paid for one good machine, that's all", "goodbye",
                                                        {"requested_slot": "resources"}))
    assert "resources" in slots or slots.get("guide_misses")
    _, slots = run(ValidateDecisionGuideForm(), tracker("that's all", "goodbye", {"requested_slot": "resources"}))
    assert set(slots) == {"requested_slot"}


def test_every_kind_of_small_talk_has_its_words() -> None:
    from actions.guide import SOCIAL
    from explainer.guide import SOCIAL_WORDS

    assert SOCIAL <= set(SOCIAL_WORDS)
