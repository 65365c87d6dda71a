"""No training sentence comes from a thread that an evaluation question comes from (issue 14, item 5).

Training sentences from public questions carry their page in `metadata.source`; every real-phrasing evaluation item
names its `thread`. A training sentence from the same thread as an evaluation question is a neighbour of it (same
writer, same words, often the same question asked again lower down), so the evaluation would partly measure memory.
The masked-equality check (test_heldout_not_training.py) catches identical sentences only; this one catches the
thread. Sealed threads are compared, never printed: a clash names the training sentence's page only.
"""

import re
from typing import Dict, Iterator, Tuple

import yaml

from tests.support.paths import ROOT

TRAINING = ROOT / "data" / "nlu"
REAL_PHRASING = ROOT / "tests" / "evaluation" / "real_phrasing"
_GITHUB = re.compile(r"(github\.com/[^/]+/[^/]+/(?:issues|pull|discussions)/\d+)")
# A Discourse post URL (/t/<slug>/<topic>/<post>) and a Reddit comment URL (/comments/<id>/<slug>/<comment>) point
# into the same thread as the topic's own URL.
_DISCOURSE = re.compile(r"(.*/t/[^/]+/\d+)(?:/\d+)?$")
_REDDIT = re.compile(r"(.*/r/[^/]+/comments/[^/]+)(?:/.*)?$")


def thread_key(url: str) -> str:
    """A page's thread: no scheme, no 'www.', no fragment, no trailing slash; GitHub issues by number; Discourse
    topics and Reddit posts without the post or comment part. A query stays ('?p=123' is a page of its own)."""
    key = re.sub(r"^https?://(www\.)?", "", url.strip()).split("#")[0].replace("/?", "?").rstrip("/")
    for pattern in (_GITHUB, _DISCOURSE, _REDDIT):
        match = pattern.match(key)
        if match:
            return match.group(1)
    return key


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


def test_thread_key_sees_one_thread_behind_its_many_addresses() -> None:
    assert thread_key("https://github.com/a/b/issues/12#issuecomment-99") == "github.com/a/b/issues/12"
    assert thread_key("https://www.forum.example/t/what-is-x/58237/19") == "forum.example/t/what-is-x/58237"
    assert thread_key("https://r.example/r/LocalLLaMA/comments/1mu/some_title/n9n/?context=3") == "r.example/r/LocalLLaMA/comments/1mu"
    assert thread_key("https://site.example/?p=17") == "site.example?p=17"
    assert thread_key("https://site.example/?p=17") != thread_key("https://site.example/?p=18")


def test_every_evaluation_item_url_is_in_its_own_thread() -> None:
    for path in sorted(REAL_PHRASING.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            where = path.stem if "sealed" in path.stem else (path.stem, item["thread"])
            assert thread_key(item["url"]) == thread_key(item["thread"]), where


def test_no_training_sentence_shares_a_thread_with_an_evaluation_question() -> None:
    threads = evaluation_threads()
    shared = sorted({source for source, _ in training_sources() if thread_key(source) in threads})
    assert not shared, f"training sentences from evaluation threads (move them out of data/nlu): {shared}"
