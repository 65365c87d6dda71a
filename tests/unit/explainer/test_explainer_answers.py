"""The core's answers: built from the knowledge base's fields, short, with follow-up buttons."""

import json

import pytest

from explainer.answers import ASPECTS, Explainer, short_name
from explainer.context import focus, resolve, unknown_topic
from explainer.kb import KnowledgeBase


@pytest.fixture(scope="module")
def bot(kb: KnowledgeBase) -> Explainer:
    return Explainer(kb)


def test_definition_uses_the_entry_explanation(bot: Explainer, kb: KnowledgeBase) -> None:
    answer = bot.explain("diffusion_model", "definition")
    assert kb.entries["diffusion_model"].explanation in answer.text
    assert 2 <= len(answer.buttons) <= 3


def test_every_aspect_of_every_entry_answers(bot: Explainer, kb: KnowledgeBase) -> None:
    for entry_id in kb.entries:
        for aspect in ASPECTS:
            answer = bot.explain(entry_id, aspect, "definition")
            assert answer.text.strip(), (entry_id, aspect)
            assert len(answer.text) < 1200, (entry_id, aspect, len(answer.text))
            assert len(answer.buttons) <= 3
            for button in answer.buttons:
                assert len(button.payload.encode()) <= 64, button.payload


def test_history_gives_the_year(bot: Explainer, kb: KnowledgeBase) -> None:
    answer = bot.explain("diffusion_model", "history")
    assert str(kb.entries["diffusion_model"].year) in answer.text


def test_examples_list_named_examples(bot: Explainer, kb: KnowledgeBase) -> None:
    answer = bot.explain("llm", "examples")
    for example in kb.examples_of("llm")[:3]:
        assert short_name(example) in answer.text


def test_tell_me_more_goes_deeper_each_time(bot: Explainer) -> None:
    first = bot.explain("gan", "more", "definition")
    second = bot.explain("gan", "more", first.aspect)
    assert first.aspect == "how_it_works"
    assert second.aspect not in ("definition", "how_it_works")
    assert first.text != second.text


def test_simpler_uses_the_simple_text(bot: Explainer, kb: KnowledgeBase) -> None:
    assert kb.entries["transformer"].simple in bot.explain("transformer", "simpler").text


def test_comparison_is_built_from_both_entries(bot: Explainer, kb: KnowledgeBase) -> None:
    answer = bot.compare("gan", "vae")
    assert kb.entries["gan"].summary in answer.text and kb.entries["vae"].summary in answer.text
    assert answer.concepts == ["gan", "vae"]


def test_generative_ai_vs_llm_uses_the_articles_comparison(bot: Explainer, kb: KnowledgeBase) -> None:
    comparison, _ = kb.comparison("generative_ai", "llm")
    answer = bot.compare("generative_ai", "llm")
    more = bot.compare_more("generative_ai", "llm")
    assert comparison.relation in answer.text
    assert len(answer.text) < 1500
    for aspect in comparison.aspects:
        assert (aspect.text in answer.text) != (aspect.text in more.text), aspect.name


def test_any_two_entries_compare(bot: Explainer, kb: KnowledgeBase) -> None:
    ids = list(kb.entries)
    for a, b in zip(ids, ids[1:] + ids[:1]):
        answer = bot.compare(a, b)
        assert short_name(kb.entries[a]) in answer.text and short_name(kb.entries[b]) in answer.text


def test_source_names_article_and_url(bot: Explainer, kb: KnowledgeBase) -> None:
    answer = bot.explain("nerf", "source")
    for source in kb.source_list(kb.entries["nerf"].sources):
        assert source.title in answer.text and source.url in answer.text


def test_sources_with_no_topic_name_the_two_articles_not_every_page(bot: Explainer, kb: KnowledgeBase) -> None:
    # "who says that" with nothing discussed listed all 88 sources, one per line.
    answer = bot.sources([])
    assert "https://blogs.novita.ai/llm-vs-generative-ai-what-is-the-difference/" in answer.text
    assert "https://itsfoss.com/llm-vs-generative-ai/" in answer.text
    assert kb.sources["b_owasp_llm01"].url not in answer.text
    assert len(answer.text.splitlines()) <= 5
    assert "where is this from?" in answer.text


def test_button_payloads_are_rasa_intents_with_json(bot: Explainer) -> None:
    for button in bot.explain("gan", "definition").buttons:
        intent, _, entities = button.payload[1:].partition("{")
        assert intent.startswith(("ask_", "list_"))
        assert "concept" in json.loads("{" + entities)


def test_topics_by_category(bot: Explainer, kb: KnowledgeBase) -> None:
    answer = bot.topics("model_family")
    for entry in kb.in_category("model_family"):
        assert entry.name in answer.text
    overall = bot.topics()
    assert str(len(kb.entries)) in overall.text


def test_category_named_in_a_question(kb: KnowledgeBase) -> None:
    assert kb.category_named("which model families do you know?") == "model_family"
    assert kb.category_named("what tools can you explain") == "tool"
    assert kb.category_named("what do you know") is None


def test_unknown_topic_offers_near_topics(bot: Explainer) -> None:
    answer = bot.unknown("quantum blockchain")
    assert "quantum blockchain" in answer.text
    assert answer.buttons


def test_the_topic_is_quoted_in_the_users_own_words(bot: Explainer) -> None:
    # Typed with capitals: quoted as typed.
    answer = bot.unknown("pretrained convolutional weights", "what is Pretrained Convolutional Weights?and how")
    assert answer.text.startswith("“Pretrained Convolutional Weights” isn't something I cover")


def test_words_gathered_from_a_long_question_are_not_quoted_back(bot: Explainer) -> None:
    # A real question's leftover words were quoted as "“small fms 15b large 50b” isn't something I cover".
    question = "What is the difference between small FMs (<15B) and large FMs(>50B)?"
    answer = bot.unknown("small fms 15b large 50b", question)
    assert answer.text.startswith("That isn't something I cover: I explain generative AI")
    assert "fms" not in answer.text and answer.buttons


def test_suggest_finds_near_names(kb: KnowledgeBase) -> None:
    assert "diffusion_model" in kb.suggest("diffusion thing")


@pytest.mark.parametrize(
    "sentence, topic",
    [
        ("what is a quantum blockchain?", "quantum blockchain"),
        ("what is it?", None),
        ("what are its weaknesses?", None),
        ("how does it work", None),
        ("when was it introduced?", None),
        ("any examples?", None),
        ("what are the limitations", None),
        ("the loss is flat. what's going on?", None),
        ("What is wrong here?", None),
        ("what's the issue", None),
        ("what's going on with quantum blockchain?", "quantum blockchain"),
    ],
)
def test_unknown_topic_extraction(sentence: str, topic: str) -> None:
    assert unknown_topic(sentence) == topic


def test_follow_up_uses_last_concept() -> None:
    subject = resolve("when was it introduced?", [], "diffusion_model")
    assert subject.concepts == ["diffusion_model"] and subject.follow_up
    assert resolve("what is a GAN", ["gan"], "diffusion_model").concepts == ["gan"]
    assert resolve("what is a quantum blockchain", [], "gan").unknown == "quantum blockchain"


def test_a_pronoun_with_nothing_discussed_asks_which_topic_not_about_its_leftover_words() -> None:
    # "but how does it learn that" got "“but” isn't something I cover", "who teaches it" the same of "teaches".
    for sentence in ("but how does it learn that", "who teaches it"):
        subject = resolve(sentence, [], None)
        assert subject.concepts == [] and not subject.unknown
    assert resolve("what is a quantum blockchain", [], None).unknown == "quantum blockchain"
    # A possessive is no pointer back, and a name left over is the topic: the topic words stay the question's.
    assert resolve("can students use AI to write their essays", [], None).unknown
    assert resolve("I am confused about KV Cache Manager, How does it work?", [], None).unknown


def test_focus_prefers_the_challenge(kb: KnowledgeBase) -> None:
    assert focus(["llm", "hallucination"], kb.focus_ranks(["llm", "hallucination"])) == "hallucination"
    assert focus(["gan", "vae"], kb.focus_ranks(["gan", "vae"])) == "gan"


def test_focus_prefers_a_term_of_training_or_running_over_a_product(kb: KnowledgeBase) -> None:
    # "how bad is chat gpt for the environment" asks about inference energy, not ChatGPT's limitations.
    assert focus(["chatgpt", "inference_energy"], kb.focus_ranks(["chatgpt", "inference_energy"])) == "inference_energy"
    assert focus(["gpt_4", "rlhf"], kb.focus_ranks(["gpt_4", "rlhf"])) == "rlhf"
    # ... a challenge still comes before such a term, and among equals the first named.
    assert focus(["latency", "hallucination"], kb.focus_ranks(["latency", "hallucination"])) == "hallucination"
    assert focus(["latency", "rlhf"], kb.focus_ranks(["latency", "rlhf"])) == "latency"
    # A category without a rank comes last; an unknown id has none.
    assert focus(["gan", "latency"], [None, 1]) == "latency"
    assert kb.focus_ranks(["no_such_entry"]) == [None]


def test_history_without_an_article_date_gives_general_knowledge_marked(bot: Explainer, kb: KnowledgeBase) -> None:
    undated = [e for e in kb.entries.values() if not e.year and any(c.isdigit() for g in e.general_knowledge for c in g)]
    assert undated
    answer = bot.explain(undated[0].id, "history").text
    assert "don't give a date" in answer and "general knowledge" in answer


def test_a_history_answer_includes_the_milestone_that_marks_the_arrival(kb: KnowledgeBase) -> None:
    answer = Explainer(kb).explain("chatgpt", "history")
    launch = kb.entries["chatgpt_launch"]
    assert launch.summary in answer.text and answer.text.count("Public launch of ChatGPT") == 1
    assert answer.answered_from() == {"kind": "entry", "entries": ["chatgpt", "chatgpt_launch"]}
    # A concept no milestone marks is answered from itself alone.
    assert Explainer(kb).explain("gan", "history").concepts == ["gan"]


def test_which_topic_offers_topics_and_leaves_the_guide_to_the_caller(bot: Explainer) -> None:
    # Only the caller knows whether a guide is running, so the core never adds the guide's button itself.
    answer = bot.which_topic("lofi beats generator for my 24/7 study stream, what do i use")
    assert answer.buttons and all(b.payload.startswith("/ask_definition") for b in answer.buttons)
    offered = bot.offering_the_guide(answer, "lofi beats generator for my 24/7 study stream, what do i use")
    assert offered.buttons[-1].title == "Which fits my project?" and offered.buttons[-1].payload == "/start_guide"
    assert "Which fits my project?" in offered.text
    # Other questions with no topic get topics only.
    for question in ("why do cats purr", "can it run on my laptop?"):
        answer = bot.offering_the_guide(bot.which_topic(question), question)
        assert answer.buttons and all(b.payload.startswith("/ask_definition") for b in answer.buttons)


def test_an_answer_about_a_topic_offers_the_guide_when_the_question_is_a_choice(bot: Explainer) -> None:
    answer = bot.offering_the_guide(bot.explain("llm", "uses"), "llm for writing lua scripts for my minecraft plugins? or smth else")
    assert answer.buttons[-1].payload == "/start_guide" and answer.text.endswith("asks a few questions and recommends one.")
    assert answer.concepts == ["llm"] and len(answer.buttons) <= 3
    plain = bot.explain("llm", "uses")
    assert bot.offering_the_guide(plain, "what are llms used for?") == plain
    # A project stated as a want is a choice to make too.
    wanted = bot.offering_the_guide(bot.which_topic(), "want to generate lo-fi drum & synth loops for my beats")
    assert wanted.buttons[-1].payload == "/start_guide"


def test_a_project_described_by_two_factors_is_offered_the_guide_instead_of_nothing(bot: Explainer) -> None:
    project = ("i teach english to adult immigrants and want a chat partner they can practice with on their phones. "
               "no budget and i don't know coding")
    offered = bot.offering_the_guide(bot.which_topic(project), project)
    assert offered.buttons[-1].payload == "/start_guide"
    assert bot.guide_offer(project) is not None
    # An answer to a question keeps to it: the same words beside a question about a concept add no offer.
    answer = bot.explain("llm", "uses")
    assert bot.offering_the_guide(answer, project + ". what are LLMs used for?") == answer
    # A message that asks nothing describes a project, even when a concept in it is answered ("no ML people" is
    # read as machine learning): the guide is offered beside the answer.
    statement = "We run social for 20 cafés. Want the whole post made: caption + image. Budget ok-ish, no ML people."
    answer = bot.explain("machine_learning", "uses")
    offered = bot.offering_the_guide(answer, statement)
    assert offered.text.startswith(answer.text) and offered.buttons[-1].payload == "/start_guide"
    # A message stating no factor is offered nothing.
    assert bot.guide_offer("why do cats purr") is None


def test_one_factor_of_ones_own_with_nothing_explained_is_offered_the_guide(bot: Explainer) -> None:
    # "I'm not technical at all, is that ok?" got "“technical” isn't something I cover" and no way on.
    message = "I'm not technical at all, is that ok?"
    offered = bot.offering_the_guide(bot.unknown("technical", message), message)
    assert offered.buttons[-1].payload == "/start_guide"
    # Asked, not stated ("can it run on my laptop?"), or stated beside an answer: nothing added.
    assert all(b.payload.startswith("/ask_definition")
               for b in bot.offering_the_guide(bot.which_topic("can it run on my laptop?"), "can it run on my laptop?").buttons)
    answer = bot.explain("llm", "uses")
    assert bot.offering_the_guide(answer, "I'm not technical. what are LLMs used for?") == answer


def test_an_answer_about_one_of_several_topics_named_leads_with_buttons_to_the_others(bot: Explainer) -> None:
    answer = bot.explain("loss_function", "limitations")
    named = bot.naming_the_others(answer, ["loss_function", "overfitting"])
    assert named.text == answer.text and named.concepts == answer.concepts
    assert named.buttons[0].title == "What is Overfitting?" and len(named.buttons) <= 3
    # Named alone, or already answered together: the buttons stay.
    assert bot.naming_the_others(answer, ["loss_function"]) == answer
    # Three others named: two buttons to them, one of the answer's own.
    many = bot.naming_the_others(answer, ["loss_function", "overfitting", "epoch", "gpu"])
    assert [b.title for b in many.buttons[:2]] == ["What is Overfitting?", "What is Epoch?"]
    assert many.buttons[2] == answer.buttons[0]


def test_who_made_it_quotes_the_makers_and_marks_general_knowledge(bot: Explainer, kb: KnowledgeBase) -> None:
    # BERT's makers are in its own text (from the articles); the transformer's are general knowledge.
    assert bot.explain("bert", "made_by").text.startswith("BERT is one of the very first big language AIs, made by Google")
    transformer = bot.explain("transformer", "made_by").text
    assert transformer.startswith("From general knowledge (not the articles): ") and "researchers at Google" in transformer
    assert "2017" in transformer


def test_who_made_it_without_makers_says_so_and_gives_the_date(bot: Explainer, kb: KnowledgeBase) -> None:
    answer = bot.explain("llm", "made_by").text
    assert answer.startswith("The source articles don't say who made LLM") and "2018" in answer


def test_who_made_a_gan_names_goodfellow_as_general_knowledge(bot: Explainer) -> None:
    # "who invented it" after GAN got "The source articles don't say who made GAN".
    answer = bot.explain("gan", "made_by").text
    assert answer.startswith("From general knowledge (not the articles): ") and "Ian Goodfellow" in answer


def test_who_made_it_with_neither_makers_nor_date_says_so_once(bot: Explainer, kb: KnowledgeBase) -> None:
    answer = bot.explain("privategpt", "made_by").text
    assert answer == f"The source articles don't say who made PrivateGPT or when. {kb.entries['privategpt'].summary}"


def test_who_made_it_keeps_a_year_note_and_leaves_out_other_entries_timeline(bot: Explainer, kb: KnowledgeBase) -> None:
    # No year, but a year note ("during the 1980s"): when is known, so it is given.
    assert kb.entries["nlp_revival"].year_note in bot.explain("nlp_revival", "made_by").text
    # Nothing of when: the timeline of other entries is no answer ("2018 LLM; 2022 ChatGPT" for RLHF, before RLHF's
    # makers were in the knowledge base).
    answer = bot.explain("marian_nmt", "made_by").text
    assert answer == f"The source articles don't say who made Marian NMT or when. {kb.entries['marian_nmt'].summary}"


def test_what_was_a_milestone_says_what_happened_with_its_dates(bot: Explainer) -> None:
    # "what was the ai winter" got "AI winter dates from 1974. The first AI winter lasted from 1974 to 1980." alone.
    answer = bot.explain("ai_winter", "history").text
    assert answer.startswith("AI winter: A period from 1974 to 1980 when interest in AI faded")
    # A decade has no single year, and is not said to have no date.
    answer = bot.explain("nlp_revival", "history").text
    assert "don't give a date" not in answer and "1980s" in answer


def test_a_missing_list_says_what_the_entry_is_in_a_sentence(bot: Explainer, kb: KnowledgeBase) -> None:
    # "The source articles don't name examples of RAG. Letting a language model first look up ..." read as a fragment.
    answer = bot.explain("rag", "examples").text
    assert answer == f"The source articles don't name examples of RAG. What it is: {kb.entries['rag'].summary}"


def test_a_word_of_one_name_is_taken_for_that_entry_and_says_so(bot: Explainer, kb: KnowledgeBase) -> None:
    # "temperature" got "isn't something I cover", with "What is Sampling temperature?" as its first button.
    answer = bot.unknown("temperature", "temperature")
    assert answer.text.startswith("By “temperature” I take it you mean Sampling temperature. Sampling temperature:")
    assert answer.concepts == ["sampling_temperature"] and answer.kind == "entry"


def test_a_word_of_several_names_asks_which_and_a_common_word_is_still_not_covered(bot: Explainer) -> None:
    answer = bot.unknown("gpt", "is it the same as gpt")
    assert answer.text == "“gpt” is part of several names. Which one do you mean?"
    assert [b.title for b in answer.buttons] == ["What is GPT-1?", "What is GPT-3?", "What is GPT-4?", "What is GPT-4o?"]
    assert answer.concepts == []
    # "model" is part of more names than one could choose from.
    assert bot.unknown("model", "what is a model").kind == "not_covered"
    assert bot.unknown("faces", "which one is better for faces").kind == "not_covered"


def test_a_comparison_with_a_word_of_several_names_asks_which(bot: Explainer) -> None:
    answer = bot.compare_with_unknown("claude", "gpt")
    assert answer.text == "Which “gpt” should I compare Claude with?"
    assert [b.payload for b in answer.buttons][-1] == '/ask_comparison{"concept":["claude","gpt_4o"]}'
    answer = bot.compare_with_unknown("gpt_4", "temperature")
    assert answer.text.startswith("By “temperature” I take it you mean Sampling temperature.\n")
    assert answer.concepts == ["gpt_4", "sampling_temperature"]


def test_an_inference_concept_is_named_as_one_in_a_comparison(bot: Explainer) -> None:
    # "AI agent is an using and running models, while Dialogue is a capability."
    assert bot.compare("ai_agent", "dialogue").text.startswith("AI agent is an inference concept, while Dialogue is a capability.")


def test_which_of_two_reads_what_is_asked_of_a_pair() -> None:
    from explainer.context import which_of_two
    assert which_of_two("which is faster") == "faster"
    assert which_of_two("so which one is better for research?") == "better for research"
    assert which_of_two("which model hallucinates least") is None
    assert which_of_two("which is the transformer") is None


def test_which_is_faster_of_a_pair_names_latency_in_general(bot: Explainer, kb: KnowledgeBase) -> None:
    answer = bot.which_of("gpt_4o", "claude", "faster")
    assert answer.text.startswith("My sources don't say which of GPT-4o and Claude is faster.")
    assert f"In general, Latency: {kb.entries['latency'].summary}" in answer.text
    assert answer.concepts == ["gpt_4o", "claude"] and answer.aspect == "comparison"
