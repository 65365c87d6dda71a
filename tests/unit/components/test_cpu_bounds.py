"""One message costs bounded CPU, whatever its text: in the NLU components (Rasa's event loop, every
conversation waits) and in the "did you mean" ranking (the single-worker action server).

The REST and socket.io channels accept bodies up to 64 KB, so every worst case here is about that size.
CPU is measured with time.process_time (CPU of this process only, so other load on the machine does
not count), on a fresh index each time so no earlier message has warmed a cache.
"""

import asyncio
import gc
import random
import re
import string
import time
from pathlib import Path
from typing import Callable, Dict, List

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from components.concept_matcher import ConceptMatcher
from components.intent_classifier import ConceptMaskedIntentClassifier
from tests.support.paths import KNOWLEDGE, ROOT
from explainer.kb import KnowledgeBase
from explainer.loader import load_knowledge_base

# Body limit of the REST and socket.io channels, less room for the JSON around the text.
MESSAGE_BYTES = 65_000
# The targets of issue 13, CPU seconds per message.
NLU_BUDGET = 0.2
ACTION_BUDGET = 0.2
# The whole trained pipeline as the server runs it: our components (gated at NLU_BUDGET above) plus Rasa's graph
# around them. 0.16-0.21 s per 64 KB message at 13:00 on 2026-12-04; 0.27-0.39 s at 15:10 on the same host, slowed
# by other load, where the probe below caught only part of the slowdown. The margin keeps this a bound on the
# message (a regression that doubles it fails), not on the host.
WHOLE_PIPELINE_BUDGET = 0.3


def _fill(word: Callable[[], str]) -> str:
    """Words joined by spaces up to MESSAGE_BYTES of UTF-8."""
    out: List[str] = []
    size = 0
    while True:
        w = word()
        size += len(w.encode("utf-8")) + 1
        if size > MESSAGE_BYTES:
            return " ".join(out)
        out.append(w)


def worst_cases(seed: int = 13) -> Dict[str, str]:
    """Texts that made the old code slowest, and others that stress a different step."""
    rng = random.Random(seed)
    kb = load_knowledge_base(KNOWLEDGE)
    names = sorted(key for key, _, _ in kb.names())
    long_names = [n for n in names if len(n) >= 6]
    first_letters = sorted({n[0] for n in long_names})

    def made_up() -> str:
        # Starts like a name and is as long as one: every word is compared with a whole bucket of names.
        return rng.choice(first_letters) + "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(6, 13)))

    def near_miss() -> str:
        name = rng.choice(long_names)
        at = rng.randrange(1, len(name))
        return name[:at] + rng.choice(string.ascii_lowercase) + name[at + 1 :]

    return {
        "distinct made-up words": _fill(made_up),
        "near-miss names": _fill(near_miss),
        "one typo repeated": _fill(lambda: "transfromers"),
        "names repeated": _fill(lambda: rng.choice(names)),
        "digits": _fill(lambda: str(rng.randrange(10**5, 10**12))),
        "single letters": _fill(lambda: rng.choice(string.ascii_lowercase)),
        "punctuation": "?!-" * (MESSAGE_BYTES // 3),
        "non-Latin": _fill(lambda: "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(4))),
        # Roman numerals fold to several Latin letters each ("ⅷ" -> "viii"): more letters than bytes.
        "letters by compatibility": _fill(lambda: "".join(rng.choice("ⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹ") for _ in range(5))),
        "one long word": "d" * MESSAGE_BYTES,
    }


CASES = worst_cases()
# The same kinds of text with other words, for measurements repeated on text the process has not seen.
OTHER_CASES = [worst_cases(14), worst_cases(15)]


# The budgets hold on this machine at its usual speed. Its speed drifts with what else runs on the host: the same
# code and model measured 0.17 s for a 64 KB message of new words at 13:00 and 0.20-0.22 s at 14:55 on
# 2026-12-04 (a CI run failed at 0.208, then at 0.32), with nothing else running here. PROBE_SECONDS is what
# machine_probe() cost at the usual speed (0.092 s at 14:55, times 0.17 / 0.205); a budget grows by how much
# slower the probe runs right before the measurement, never shrinks. A real regression still fails: it slows
# the message, not the probe.
PROBE_SECONDS = 0.077


def machine_probe() -> float:
    """CPU seconds of a fixed piece of plain-Python work like the matcher's (make 6,000 words, split their 64 KB
    with a regular expression, index and sort them), the least of five runs."""
    best = float("inf")
    for _ in range(5):
        gc.collect()
        start = time.process_time()
        rng = random.Random(1)
        words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 12))) for _ in range(6_000)]
        seen: Dict[str, List[int]] = {}
        for match in re.finditer(r"[^\W_]+", " ".join(words)):
            seen.setdefault(match.group().lower(), []).append(match.start())
        sorted(seen)
        best = min(best, time.process_time() - start)
    return best


def budget(seconds: float) -> float:
    """`seconds` at this machine's usual speed, scaled to how fast it runs right now."""
    return seconds * max(1.0, machine_probe() / PROBE_SECONDS)


def cpu_seconds(call: Callable[[], object]) -> float:
    """CPU seconds of `call`, after a full garbage collection: objects left by loading the model and earlier
    tests otherwise set one off inside the call (0.25 s on this heap, whatever the message), which is not what
    the message costs."""
    gc.collect()
    start = time.process_time()
    call()
    return time.process_time() - start


def test_the_worst_cases_are_allowed_messages() -> None:
    for name, text in CASES.items():
        assert 60_000 < len(text.encode("utf-8")) <= MESSAGE_BYTES, name


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory):
    """The two NLU components that read the whole text, trained on the real NLU data, as Rasa loads them."""
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    context = ExecutionContext(GraphSchema({}), "test")
    data = load_data(str(ROOT / "data" / "nlu"))
    loaded = {}
    for cls, name in ((ConceptMatcher, "matcher"), (ConceptMaskedIntentClassifier, "classifier")):
        config = {**cls.get_default_config(), "knowledge_dir": str(KNOWLEDGE)}
        resource = cls.create(config, storage, Resource(name), context).train(data)
        loaded[name] = (cls, config, storage, resource, context)
    return loaded


def fresh(trained, name: str):
    """A newly loaded component: nothing remembered from an earlier message (the process's shared concept
    index, with spaCy's vocabulary and tokenizer cache, is dropped too)."""
    import components.knowledge_index

    components.knowledge_index._SHARED.clear()
    cls, config, storage, resource, context = trained[name]
    return cls.load(config, storage, resource, context)


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_nlu_components_cost_bounded_cpu_per_64kb_message(trained, case: str) -> None:
    def measured(text: str) -> float:
        matcher = fresh(trained, "matcher")
        classifier = trained["classifier"][0].load(*trained["classifier"][1:])  # the same new index, as Rasa loads
        message = Message(data={"text": text})
        spent = cpu_seconds(lambda: matcher.process([message])) + cpu_seconds(lambda: classifier.process([message]))
        assert message.get("intent")["name"]
        return spent

    # The cheapest of three messages of this kind, as in the whole-pipeline test below (other load only adds CPU).
    spent = min(measured(text) for text in [*(other[case] for other in OTHER_CASES), CASES[case]])
    allowed = budget(NLU_BUDGET)
    assert spent <= allowed, f"{case}: {spent:.3f} s of CPU in the NLU components (allowed {allowed:.3f} s now)"


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_did_you_mean_costs_bounded_cpu_per_64kb_message(case: str) -> None:
    kb = load_knowledge_base(KNOWLEDGE)
    spent = cpu_seconds(lambda: kb.suggest(CASES[case]))
    allowed = budget(ACTION_BUDGET)
    assert spent <= allowed, f"{case}: {spent:.3f} s of CPU ranking names (allowed {allowed:.3f} s now)"


@pytest.mark.slow
def test_names_and_typos_are_still_found_in_a_long_message(trained) -> None:
    """The bound does not drop what a long message names: exact names anywhere, typos near the start."""
    matcher = fresh(trained, "matcher")
    filler = " ".join(["blah"] * 5_000)
    text = f"what is a difusion model? {filler} and what are transformers?"
    message = Message(data={"text": text})
    matcher.process([message])
    found = [(e["value"], text[e["start"] : e["end"]]) for e in message.get("entities")]
    assert found == [("diffusion_model", "difusion model"), ("transformer", "transformers")]


def test_did_you_mean_still_finds_near_names(kb: KnowledgeBase) -> None:
    assert "diffusion_model" in kb.suggest("diffusion thing")
    assert kb.suggest("generativ adversarial netwrk")[:1] == ["gan"]


@pytest.fixture(scope="module")
def agent():
    """The trained model as the Rasa server runs it: every NLU component of config.yml, in order."""
    from rasa.core.agent import Agent

    from tests.support.servers import MODEL

    if not MODEL.exists():
        pytest.skip("no trained model: run `make train` (make test does)")
    loaded = Agent.load(str(MODEL))
    asyncio.run(loaded.parse_message("hello"))
    return loaded


@pytest.mark.model
@pytest.mark.parametrize("case", sorted(CASES))
def test_whole_nlu_pipeline_costs_bounded_cpu_per_64kb_message(agent, case: str) -> None:
    parsed = {}

    def parse(text: str) -> None:
        parsed.clear()
        parsed.update(asyncio.run(agent.parse_message(text)))

    def measured(text: str) -> float:
        # The cases share one server's spaCy pipeline: after a few 64 KB messages of new words it is full and
        # swapped, and the next spare (about a second of CPU, once per 50,000 new strings) is built in a background
        # thread that process_time would count against whichever message it overlaps. Settle that first: this
        # measures a message.
        import components.knowledge_index

        for index in list(components.knowledge_index._SHARED.values()):
            index.pipeline.current()
            assert index.pipeline.wait_for_spare()
        return cpu_seconds(lambda: parse(text))

    # Three messages of this kind, each with words the process has not seen: other load on the machine only ever
    # adds CPU time to a measurement (shared caches, clock), so the cheapest of the three is what such a message
    # costs. One measurement alone failed a CI run at 0.208 s on a busy machine where a quiet one measured 0.17.
    spent = min(measured(text) for text in [*(other[case] for other in OTHER_CASES), CASES[case]])
    allowed = budget(WHOLE_PIPELINE_BUDGET)
    assert spent <= allowed, f"{case}: {spent:.3f} s of CPU to parse (allowed {allowed:.3f} s now)"
    # Rasa's tokenizer put an offset pair per word into the parse data, stored with the message.
    assert len(parsed.get("text_tokens", [])) < 100
