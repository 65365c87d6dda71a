"""Random and hostile inputs for the channel fuzz runs (seeded, so a failure can be replayed)."""

import json
import random
from typing import Callable, Iterator, NamedTuple

HOSTILE_TEXTS = [
    "", " ", "\t\n  \r\n", "a" * 100_000, "\x00\x01\x02\x1b[31mred\x7f", "🙂🤖🔥" * 50, "Что такое GAN?",
    "什么是大语言模型？", "ما هو النموذج اللغوي؟", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "'; DROP TABLE events; --", "\" OR 1=1 --", "%s%s%s%n%x{0}{}{!r}", "${jndi:ldap://x}", "{{7*7}}",
    '/inform{"recommendation":"llm"}', '/start_guide{"factor":"privacy"}', "/restart", "/session_start",
    '/inform{"guide_answer": ["a" * 100]}', "\ud83d", "what is a GAN?\u202e\u200b", "\\u0000", "null",
]
ALPHABET = "abcdefghijklmnopqrstuvwxyz ?!.,'\"{}[]/\\<>%$#@\x00\x07\u00e9\u4e2d\U0001f600"


class RestCase(NamedTuple):
    """One request body, and whether the server must answer it (well formed) or refuse it with a 4xx."""

    body: bytes
    well_formed: bool


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return rng.choice(HOSTILE_TEXTS)
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 200)))


def _message_body(sender: str, text: str) -> RestCase:
    body = json.dumps({"sender": sender, "message": text}).encode()
    return RestCase(body, len(body) <= 64 * 1024)


def rest_cases(rng: random.Random, count: int, pick_sender: Callable[[], str]) -> Iterator[RestCase]:
    """Mostly messages from the sender `pick_sender` names, one in five a malformed body (not JSON, not an
    object, no sender, wrong types)."""
    broken = [
        b"", b"{", b"not json", b"[1,2,3]", b'"text"', b"null", b"42", b"\xff\xfe\x00",
        json.dumps({"message": "what is a GAN?"}).encode(),
        json.dumps({"sender": None, "message": "hi"}).encode(),
        json.dumps({"sender": "x", "message": {"nested": True}}).encode(),
        json.dumps({"sender": ["x"], "message": "hi"}).encode(),
        json.dumps({"sender": "x" * 1000, "message": "hi"}).encode(),
        json.dumps({"sender": "x", "message": "hi", "metadata": "not an object"}).encode(),
    ]
    for _ in range(count):
        if rng.random() < 0.2:
            yield RestCase(rng.choice(broken), False)
        else:
            yield _message_body(pick_sender(), random_text(rng))
