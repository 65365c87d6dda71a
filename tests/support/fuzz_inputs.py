"""Random and hostile inputs for the channel fuzz runs (seeded, so a failure can be replayed).

Each input says what the server must do with it: ANSWER (a reply that is not an apology), REFUSE (a 4xx with a
sentence on REST, never a 200), or EITHER (one of the two; never a 5xx, never silence)."""

import json
import random
from typing import Any, Callable, Iterator, List, NamedTuple, Tuple

ANSWER, REFUSE, EITHER = "answer", "refuse", "either"

# The REST body limit (channels/rest_body.py, credentials*.yml): bodies up to it are allowed and answered.
BODY_LIMIT = 64 * 1024
# The metadata cap of issue 13: larger metadata is refused with a sentence, never stored or silently dropped.
METADATA_CAP = 16 * 1024

HOSTILE_TEXTS = [
    "", " ", "\t\n  \r\n", "a" * 100_000, "\x00\x01\x02\x1b[31mred\x7f", "🙂🤖🔥" * 50, "Что такое GAN?",
    "什么是大语言模型？", "ما هو النموذج اللغوي؟", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "'; DROP TABLE events; --", "\" OR 1=1 --", "%s%s%s%n%x{0}{}{!r}", "${jndi:ldap://x}", "{{7*7}}",
    '/inform{"recommendation":"llm"}', '/start_guide{"factor":"privacy"}', "/restart", "/session_start",
    '/inform{"guide_answer": ["a" * 100]}', "\ud83d", "what is a GAN?\u202e\u200b", "\\u0000", "null",
    "\ud800\udfff\udc00", "what is a\x00 transformer?", "\u0085\u2028\u2029", "\ufeffwhat is an LLM?",
]
ALPHABET = "abcdefghijklmnopqrstuvwxyz ?!.,'\"{}[]/\\<>%$#@\x00\x07\u00e9\u4e2d\U0001f600"

# Conversation ids as an attacker sends them, with what must happen to a message that carries one. Ids of
# other channels may be accepted (kept apart from that channel's conversation) or refused, never a 5xx.
HOSTILE_IDS: List[Tuple[str, Any, str]] = [
    ("lone surrogate", "\ud800", REFUSE),
    ("half an emoji", "user-\ud83d", REFUSE),
    ("NUL", "user\x00id", REFUSE),
    ("escape sequence", "\x1b[31mred", REFUSE),
    ("C1 control", "user\x85\x9f", REFUSE),
    ("newline", "user\nid", REFUSE),
    ("10,000 characters", "x" * 10_000, REFUSE),
    ("256 characters", "x" * 256, REFUSE),
    ("empty", "", REFUSE),
    ("blank", "   ", REFUSE),
    ("number", 42, REFUSE),
    ("float", 4.2, REFUSE),
    ("boolean", True, REFUSE),
    ("null", None, REFUSE),
    ("list", ["x"], REFUSE),
    ("object", {"id": "x"}, REFUSE),
    ("Slack user id", "U0FUZZ0001", EITHER),
    ("Telegram chat id", "123456789", EITHER),
    ("prefixed Slack id", "slack:U0FUZZ0001", EITHER),
    ("prefixed Telegram id", "telegram:123456789", EITHER),
    ("prefixed socket.io id", "socketio:0123456789abcdef0123456789abcdef", EITHER),
    ("prefixed REST id", "rest:alice", EITHER),
    ("path", "../../etc/passwd", EITHER),
    ("non-Latin", "用户-ü-🙂", EITHER),
]

# Metadata as raw JSON text (deep nesting cannot be made with json.dumps), with what must happen.
HOSTILE_METADATA: List[Tuple[str, str, str]] = [
    ("nested 20,000 deep", "[" * 20_000 + "]" * 20_000, REFUSE),
    ("nested 3,000 deep", '{"a":' * 3_000 + "1" + "}" * 3_000, EITHER),
    ("nested 500 deep", "[" * 500 + "]" * 500, EITHER),
    ("20 KB string", json.dumps({"pad": "x" * 20_000}), REFUSE),
    ("60 KB object", json.dumps({f"key{i}": "v" * 50 for i in range(1_000)}), REFUSE),
    ("just under the cap", json.dumps({"pad": "x" * 15_000}), ANSWER),
    ("string", json.dumps("not an object"), REFUSE),
    ("list", "[1, 2, 3]", REFUSE),
    ("number", "42", REFUSE),
    ("boolean", "true", REFUSE),
    ("null", "null", ANSWER),
    ("hostile keys and values", json.dumps({"\ud800": "\x00", "a\x00b": "\ud83d", "": None}), EITHER),
    ("NaN and infinity", '{"a": NaN, "b": Infinity, "c": -1e999}', EITHER),
    ("5,000-digit number", '{"a": ' + "9" * 5_000 + "}", EITHER),
]

# Bodies that are not a message: each must be refused with a 4xx and a sentence, never answered with 200.
BROKEN_BODIES: List[Tuple[str, bytes]] = [
    ("empty body", b""),
    ("half an object", b"{"),
    ("not JSON", b"not json"),
    ("array", b"[1,2,3]"),
    ("string", b'"text"'),
    ("null", b"null"),
    ("number", b"42"),
    ("invalid UTF-8", b"\xff\xfe\x00"),
    ("UTF-16", '{"sender": "x", "message": "hi"}'.encode("utf-16")),
    ("no sender", json.dumps({"message": "what is a GAN?"}).encode()),
    ("no message", json.dumps({"sender": "fuzz-no-message"}).encode()),
    ("message is an object", json.dumps({"sender": "x", "message": {"nested": True}}).encode()),
    ("message is null", json.dumps({"sender": "x", "message": None}).encode()),
    ("message is a list", json.dumps({"sender": "x", "message": ["hi"]}).encode()),
    ("message is a number", json.dumps({"sender": "x", "message": 42}).encode()),
    ("array 20,000 deep", b"[" * 20_000 + b"]" * 20_000),
]

_SYLLABLES = ["ka", "zo", "rin", "tel", "mu", "qua", "vex", "dro", "lin", "sh", "po", "ny", "gar", "eth", "ul", "brim"]


def made_up_words(rng: random.Random, size: int) -> str:
    """About `size` bytes of words nobody knows, nearly all distinct: the worst case for fuzzy matching."""
    words: List[str] = []
    total = 0
    while total <= size:  # the words joined are total - 1 characters long
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 5))) + str(rng.randint(0, 99))
        words.append(word)
        total += len(word) + 1
    return " ".join(words)[:size]


def long_texts(rng: random.Random, sender: str) -> List[Tuple[str, str, str]]:
    """(kind, text, expectation): long messages whose REST body is allowed, and one just over the limit."""
    overhead = len(json.dumps({"sender": sender, "message": ""}).encode())
    return [
        ("8 KB of made-up words", made_up_words(rng, 8 * 1024), ANSWER),
        ("32 KB of made-up words", made_up_words(rng, 32 * 1024), ANSWER),
        ("a body at the 64 KB limit", made_up_words(rng, BODY_LIMIT - overhead), ANSWER),
        ("a body over the 64 KB limit", made_up_words(rng, BODY_LIMIT - overhead + 1), REFUSE),
    ]


class RestCase(NamedTuple):
    """One request body, its kind (for the report) and what the server must do with it."""

    kind: str
    body: bytes
    expect: str


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return rng.choice(HOSTILE_TEXTS)
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 200)))


def message_body(sender: Any, text: Any, metadata: str = "") -> bytes:
    """A REST body; `metadata` is raw JSON text, added as is."""
    body = json.dumps({"sender": sender, "message": text})
    if metadata:
        body = body[:-1] + ', "metadata": ' + metadata + "}"
    return body.encode("utf-8", "surrogatepass")


def _message(kind: str, sender: str, text: str) -> RestCase:
    body = message_body(sender, text)
    return RestCase(kind, body, ANSWER if len(body) <= BODY_LIMIT else REFUSE)


def planned_rest_cases(rng: random.Random, pick_sender: Callable[[], str]) -> List[RestCase]:
    """Every hostile kind once: ids, metadata, broken bodies, long messages."""
    cases = [RestCase(f"sender: {kind}", message_body(value, "what is a GAN?"), expect) for kind, value, expect in HOSTILE_IDS]
    cases += [
        RestCase(f"metadata: {kind}", message_body(pick_sender(), "what is an LLM?", raw), expect)
        for kind, raw, expect in HOSTILE_METADATA
    ]
    cases += [RestCase(f"body: {kind}", body, REFUSE) for kind, body in BROKEN_BODIES]
    sender = pick_sender()
    cases += [RestCase(f"message: {kind}", message_body(sender, text), expect) for kind, text, expect in long_texts(rng, sender)]
    cases += [_message("message: hostile text", pick_sender(), text) for text in HOSTILE_TEXTS]
    return cases


def rest_cases(rng: random.Random, count: int, pick_sender: Callable[[], str], planned: bool = True) -> Iterator[RestCase]:
    """With `planned`, every hostile kind once first (whatever the seed); then mostly random messages from the
    sender `pick_sender` names, one in five a hostile id, metadata or body, one in two hundred a long message."""
    sent = 0
    if planned:
        for case in planned_rest_cases(rng, pick_sender)[:count]:
            sent += 1
            yield case
    for _ in range(count - sent):
        roll = rng.random()
        if roll < 0.07:
            kind, value, expect = rng.choice(HOSTILE_IDS)
            yield RestCase(f"sender: {kind}", message_body(value, random_text(rng)[:200]), expect)
        elif roll < 0.12:
            kind, raw, expect = rng.choice(HOSTILE_METADATA)
            yield RestCase(f"metadata: {kind}", message_body(pick_sender(), random_text(rng)[:200], raw), expect)
        elif roll < 0.2:
            kind, body = rng.choice(BROKEN_BODIES)
            yield RestCase(f"body: {kind}", body, REFUSE)
        elif roll < 0.205:
            sender = pick_sender()
            kind, text, expect = rng.choice(long_texts(rng, sender))
            yield RestCase(f"message: {kind}", message_body(sender, text), expect)
        else:
            yield _message("message", pick_sender(), random_text(rng))
