"""spaCy's vocabulary stays bounded while users send new words, and names are still found across a swap."""

import random
import string
import threading
from typing import List

import pytest

from explainer.kb import KnowledgeBase
from explainer.matching import ConceptIndex

# Slow: each test builds spaCy pipelines and swaps them (about 20 s together measured on this shared 2-core machine).
pytestmark = pytest.mark.slow

# Small enough that a few hundred messages of new words fill it several times.
CAP = 2_000


@pytest.fixture
def index(kb: KnowledgeBase) -> ConceptIndex:
    return ConceptIndex.of(kb, max_strings=CAP)


def new_words(rng: random.Random, count: int) -> str:
    return " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(9)) for _ in range(count))


def concepts(index: ConceptIndex, text: str) -> List[str]:
    return [m.concept for m in index.find_in(text)]


def test_vocabulary_stays_under_the_cap_after_many_new_words(index: ConceptIndex) -> None:
    rng = random.Random(16)
    most = 0
    for _ in range(300):  # 6,000 new words, 12,000 new strings with their matching forms
        index.find_in(new_words(rng, 20))
        index.pipeline.wait_for_spare()
        most = max(most, index.pipeline.current().added_strings)
    assert index.pipeline.swaps >= 2
    # At most the cap plus what one message of 20 new words adds before the next swap, whatever the names take.
    assert most <= CAP + 100


def test_names_and_their_variants_are_found_after_a_swap(index: ConceptIndex) -> None:
    index.find_in(new_words(random.Random(1), 3_000))
    assert index.pipeline.wait_for_spare()
    text = "how do GANs differ from text-to-image models and Chat GPT?"
    assert concepts(index, text) == ["gan", "image_generation", "chatgpt"]
    assert index.pipeline.swaps == 1
    found = index.find_in("what is a large-language model, and DALL·E?")
    assert [(m.concept, m.text) for m in found] == [("llm", "large-language model"), ("dall_e", "DALL·E")]


def test_concurrent_messages_during_swaps_all_get_their_names(index: ConceptIndex) -> None:
    failures: List[str] = []

    def user(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(40):
            text = f"{new_words(rng, 30)} what is a difusion model vs a VAE {new_words(rng, 30)}"
            got = concepts(index, text)
            if got != ["diffusion_model", "vae"]:
                failures.append(f"{got}")

    threads = [threading.Thread(target=user, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert index.pipeline.swaps >= 1
    assert failures == []
