"""The ConceptMatcher NLU component finds knowledge-base concepts the way users write them."""

from pathlib import Path
from typing import List

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.concept_matcher import ConceptMatcher
from tests.support.paths import KNOWLEDGE, ROOT

# Slow: the components are trained for the module and retrained by two tests (about 18 s together measured on this
# shared 2-core machine).
pytestmark = pytest.mark.slow


def train_matcher(tmp_path: Path, knowledge_dir: Path = KNOWLEDGE) -> ConceptMatcher:
    (tmp_path / "model").mkdir()
    storage = LocalModelStorage(tmp_path / "model")
    config = {**ConceptMatcher.get_default_config(), "knowledge_dir": str(knowledge_dir)}
    context = ExecutionContext(GraphSchema({}), "test")
    matcher = ConceptMatcher.create(config, storage, Resource("concept_matcher"), context)
    resource = matcher.train(TrainingData())
    return ConceptMatcher.load(config, storage, resource, context)


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> ConceptMatcher:
    return train_matcher(tmp_path_factory.mktemp("matcher"))


def concepts(matcher: ConceptMatcher, text: str) -> List[str]:
    message = Message(data={"text": text})
    matcher.process([message])
    return [e["value"] for e in message.get("entities", []) if e["entity"] == "concept"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("what is a diffusion model?", ["diffusion_model"]),
        ("WHAT ARE DIFFUSION MODELS", ["diffusion_model"]),
        ("tell me about dall-e", ["dall_e"]),
        ("tell me about dall e", ["dall_e"]),
        ("tell me about dalle", ["dall_e"]),
        ("what is DALL·E", ["dall_e"]),
        ("how do GANs work", ["gan"]),
        ("what's a large-language model", ["llm"]),
        ("examples of LLMs", ["llm"]),
        ("is Bard the same thing as gemini", ["gemini", "gemini"]),
        ("what is stable diffusion", ["stable_diffusion"]),
        ("gpt-4 vs gpt 3", ["gpt_4", "gpt_3"]),
        # "what's temperature in an llm" was answered with what an LLM is.
        ("what's temperature in an llm", ["sampling_temperature"]),
        ("how to control the temperature of the LLM", ["sampling_temperature"]),
    ],
)
def test_names_aliases_case_plural_hyphen_space(matcher: ConceptMatcher, text: str, expected: List[str]) -> None:
    assert concepts(matcher, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("what is a difusion model", ["diffusion_model"]),
        ("how do transfromers work", ["transformer"]),
        ("explain generative adverserial networks", ["gan"]),
        ("why do llms hallucinaet", ["llm", "hallucination"]),
        # A one-word name written apart, with a typo.
        ("What is a deep Fale?", ["deepfake"]),
        ("is chat gtp free", ["chatgpt"]),
        # A word written apart inside a longer alias ("sent to OpenAI"): four message words for three.
        ("is my data sent to open ai servers", ["privacy"]),
        # Real words next to a name's words: an inflection, or a letter added to a longer word.
        ("is this model trained from scratch?", ["pretraining"]),
        ("can llms do sentimental analysis", ["llm", "sentiment_analysis"]),
        ("few short learning vs fine tuning", ["few_shot_prompting", "fine_tuning"]),
    ],
)
def test_common_typos(matcher: ConceptMatcher, text: str, expected: List[str]) -> None:
    assert concepts(matcher, text) == expected


def test_comparison_yields_two_concepts_in_order(matcher: ConceptMatcher) -> None:
    assert concepts(matcher, "GAN vs VAE") == ["gan", "vae"]
    assert concepts(matcher, "difference between a VAE and a GAN?") == ["vae", "gan"]


@pytest.mark.parametrize("text, expected", [
    # Spoken to, not asked about: a greeting, the name, a comma.
    ("Hey ChatGPT, what if you became human for a day?", []), ("Hi Claude! what is RAG", ["rag"]),
    # Asked about: no comma after it, or no greeting before it.
    ("hi chatgpt vs claude", ["chatgpt", "claude"]), ("Hey, ChatGPT vs Claude?", ["chatgpt", "claude"]),
    ("chatgpt, what is it", ["chatgpt"]), ("ok chatgpt, what are its limits?", ["chatgpt"]),
])
def test_a_name_greeted_is_who_the_user_speaks_to(matcher: ConceptMatcher, text: str, expected: List[str]) -> None:
    assert concepts(matcher, text) == expected


@pytest.mark.parametrize("text, expected", [
    # Two names that share their last words, written once: both sides are found.
    ("whats the diff btwn generative and discriminative models", ["generative_ai", "discriminative_model"]),
    ("encoder-only or decoder-only models?", ["encoder_only_model", "decoder_only_model"]),
    ("text and image generation", ["text_generation", "image_generation"]),
    # The word before is a name already, or names nothing with the shared words.
    ("GAN and diffusion models", ["gan", "diffusion_model"]), ("fast and diffusion models", ["diffusion_model"]),
])
def test_a_word_before_and_shares_the_names_last_words(matcher: ConceptMatcher, text: str, expected: List[str]) -> None:
    assert concepts(matcher, text) == expected


@pytest.mark.parametrize("text, expected", [
    # The family named once: the second version is the family's other entry.
    ("Is ChatGPT 3 Or 4", ["gpt_3", "gpt_4"]), ("GPT-3 vs 4?", ["gpt_3", "gpt_4"]), ("gpt 4 or 3.5", ["gpt_4", "gpt_3"]),
    ("GPT-3 and 4o", ["gpt_3", "gpt_4o"]), ("gpt 3 or gpt 4", ["gpt_3", "gpt_4"]),
    # A count after the name is no version; a version of the same entry adds nothing.
    ("I used ChatGPT 3 or 4 months ago", ["gpt_3"]), ("llama 2 or 3", ["llama"]),
])
def test_a_second_version_after_or_names_the_familys_other_entry(matcher: ConceptMatcher, text: str,
                                                                 expected: List[str]) -> None:
    assert concepts(matcher, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "what's the weather like tomorrow", "order me a pizza", "hello there", "what is a quantum blockchain",
        # Two typos from "translation" once joined: two words written apart may carry one typo, not two.
        "where is the train station",
        # Common English words in place of a name's words are no typos of it: not "BERT model", "coherence",
        # "rewording", "ML model", "Ollama".
        "which is the best model for my project?", "I met someone at a conference", "can I use it while recording",
        "is my model any good", "should I use vicuna or alpaca",
        # "temperature" names sampling temperature only beside a model: not the weather's.
        "what is the temperature in tokyo", "high temperature tomorrow",
    ],
)
def test_no_concept_in_unrelated_text(matcher: ConceptMatcher, text: str) -> None:
    assert concepts(matcher, text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("what is a token?", ["tokenization"]),
        ("what are tokens in LLMs", ["tokenization", "llm"]),
        ("how many tokens is a word", ["tokenization"]),
        # A number, count, limit, price or speed near "tokens" asks about something else.
        ("Why are they limited to 500k tokens?", []),
        ("are vision tokens cheaper than text?", []),
        ("what's the token count of my prompt", []),
        ("the maximum accepted token is 2048", []),
        ("time to first token", ["latency"]),
        # Only the ambiguous aliases are guarded: "tokenizer" names tokenization next to any word.
        ("how does the tokenizer count words", ["tokenization"]),
        # "QA" is question answering, except as quality assurance.
        ("can an llm do QA over my docs", ["llm", "question_answering"]),
        ("Manufacturing QA here: defects are rare and our detector keeps missing them.", []),
    ],
)
def test_ambiguous_alias_names_its_entry_only_away_from_its_guard_words(
    matcher: ConceptMatcher, text: str, expected: List[str]
) -> None:
    assert concepts(matcher, text) == expected


def test_entity_offsets_point_at_the_words(matcher: ConceptMatcher) -> None:
    text = "so how is a transformer different from an RNN?"
    message = Message(data={"text": text})
    matcher.process([message])
    spans = [text[e["start"] : e["end"]] for e in message.get("entities")]
    assert spans == ["transformer", "RNN"]
    assert {e["extractor"] for e in message.get("entities")} == {"ConceptMatcher"}


def test_new_alias_in_yaml_is_recognised_after_retraining(tmp_path: Path, real_kb_dir: Path) -> None:
    path = real_kb_dir / "model_families.yml"
    content = path.read_text(encoding="utf-8")
    assert "id: diffusion_model" in content
    before = ConceptMatcher.fingerprint_addon({"knowledge_dir": str(real_kb_dir)})
    content = content.replace("  - id: diffusion_model\n", "  - id: diffusion_model\n", 1)
    lines = content.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "- id: diffusion_model")
    alias_line = next(i for i in range(at, len(lines)) if lines[i].strip().startswith("aliases:"))
    lines[alias_line] = lines[alias_line].replace("aliases: [", "aliases: [noise sculptor, ", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ConceptMatcher.fingerprint_addon({"knowledge_dir": str(real_kb_dir)}) != before
    retrained = train_matcher(tmp_path, real_kb_dir)
    assert concepts(retrained, "what is a noise sculptor") == ["diffusion_model"]


def test_featurizer_marks_concept_tokens_and_counts_concepts(tmp_path: Path) -> None:
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer

    from components.concept_featurizer import ConceptFeaturizer

    (tmp_path / "model").mkdir()
    storage = LocalModelStorage(tmp_path / "model")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**ConceptFeaturizer.get_default_config(), "knowledge_dir": str(KNOWLEDGE)}
    featurizer = ConceptFeaturizer.create(config, storage, Resource("concept_featurizer"), context)
    featurizer.train(TrainingData())
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    messages = [Message(data={"text": t}) for t in ("GAN vs VAE", "how does a microwave work", "what is stable diffusion")]
    tokenizer.process(messages)
    featurizer.process(messages)
    sequence, sentence = messages[0].get_sparse_features("text")
    assert sentence.features.toarray().tolist() == [[1.0, 0.0, 1.0]]
    assert sequence.features.toarray()[:, 0].tolist() == [1.0, 0.0, 1.0]
    assert messages[1].get_sparse_features("text")[1].features.toarray().tolist() == [[0.0, 0.0, 0.0]]
    assert messages[2].get_sparse_features("text")[1].features.toarray().tolist() == [[1.0, 1.0, 0.0]]


def test_a_message_of_names_reports_the_first_hundred() -> None:
    from explainer.loader import load_knowledge_base
    from explainer.matching import MAX_MATCHES, ConceptIndex

    kb = load_knowledge_base(ROOT / "knowledge")
    index = ConceptIndex.of(kb)
    matches = index.find_in("GAN and VAE, " * 1000)
    assert len(matches) == MAX_MATCHES == 100
    assert [m.concept for m in matches[:2]] == ["gan", "vae"] and matches[-1].start < 1000
