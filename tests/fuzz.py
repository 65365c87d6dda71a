"""Drives fuzz traffic at a running assistant over REST and counts what happened."""

import json
import random
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import List

from fuzz_inputs import rest_cases


@dataclass
class FuzzResult:
    """What the server did with the fuzz messages."""

    sent: int = 0
    server_errors: List[str] = field(default_factory=list)
    unanswered: List[str] = field(default_factory=list)
    refused: int = 0


def post(port: int, body: bytes) -> "tuple[int, bytes]":
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def fuzz_rest(port: int, count: int, seed: int, senders: int = 20) -> FuzzResult:
    """Sends `count` random or hostile bodies; well-formed ones must get a reply, none may get a 5xx."""
    rng, result = random.Random(seed), FuzzResult()
    for index, case in enumerate(rest_cases(rng, count, f"fuzz-{seed}-{rng.randrange(senders)}")):
        status, body = post(port, case.body)
        result.sent += 1
        if status >= 500:
            result.server_errors.append(f"#{index} {status}: {case.body[:80]!r}")
        elif case.well_formed and (status != 200 or not json.loads(body)):
            result.unanswered.append(f"#{index} {status}: {case.body[:80]!r}")
        elif status != 200:
            result.refused += 1
    return result
