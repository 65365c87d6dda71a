"""No training sentence comes from a thread that an evaluation question comes from (issue 14, item 5).

Training sentences from public questions carry their page in `metadata.source`; every real-phrasing evaluation item
names its `thread`. A training sentence from the same thread as an evaluation question is a neighbour of it (same
writer, same words, often the same question asked again lower down), so the evaluation would partly measure memory.
The masked-equality check (test_heldout_not_training.py) catches identical sentences only; this one catches the
thread. Sealed threads are compared, never printed: a clash names the training sentence's page only.
"""

from typing import Dict, Iterator, Tuple

import yaml

from bench.threads import thread_key
from tests.support.paths import ROOT

TRAINING = ROOT / "data" / "nlu"
REAL_PHRASING = ROOT / "tests" / "evaluation" / "real_phrasing"


def training_sources() -> Iterator[Tuple[str, str]]:
    """(source URL, text) of every training sentence that names its source."""
    for path in sorted(TRAINING.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            examples = block.get("examples")
            for example in examples if isinstance(examples, list) else []:
                source = (example.get("metadata") or {}).get("source")
                if source:
                    yield source, example["text"]


def evaluation_threads() -> Dict[str, str]:
    """Thread key -> the evaluation file that uses it."""
    threads = {}
    for path in sorted(REAL_PHRASING.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            threads[thread_key(item["thread"])] = path.stem
    return threads


def test_every_evaluation_item_url_is_in_its_own_thread() -> None:
    for path in sorted(REAL_PHRASING.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            where = path.stem if "sealed" in path.stem else (path.stem, item["thread"])
            assert thread_key(item["url"]) == thread_key(item["thread"]), where


def test_no_training_sentence_shares_a_thread_with_an_evaluation_question() -> None:
    threads = evaluation_threads()
    shared = sorted({source for source, _ in training_sources() if thread_key(source) in threads})
    assert not shared, f"training sentences from evaluation threads (move them out of data/nlu): {shared}"
