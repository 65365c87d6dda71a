"""One conversation of thousands of turns over REST: does a turn late in a long conversation cost more than an early one?

`python -m bench.long_conversation [TURNS]` starts the real action server and Rasa server (tests/support/servers.py), holds
one conversation of TURNS turns (the bench script, repeated) and prints the median time per turn around each
checkpoint. `make bench` runs it with 5,000 turns and writes the figures to docs/benchmarks.md.
"""

import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List, Sequence

from bench import scripts
from tests.support.servers import running_assistant, say

CHECKPOINTS = (10, 1000, 5000)
# Medians are taken over the WINDOW turns up to each checkpoint (all of them for a checkpoint below WINDOW): one
# turn alone is too noisy on a shared machine.
WINDOW = 50


def hold(port: int, turns: int, script: Sequence[str] = scripts.EXPLAINER) -> List[float]:
    """Seconds each turn of one conversation of `turns` turns took, in order; raises if a turn gets no reply."""
    sender = f"long-{uuid.uuid4().hex[:12]}"
    latencies = []
    for turn in range(turns):
        start = time.perf_counter()
        replies = say(port, sender, script[turn % len(script)])
        latencies.append(time.perf_counter() - start)
        if not replies:
            raise RuntimeError(f"turn {turn + 1} of the long conversation got no reply")
    return latencies


def medians(latencies: Sequence[float]) -> Dict[int, float]:
    """Median seconds per turn over the WINDOW turns up to each checkpoint reached, and up to the last turn."""
    checkpoints = sorted({n for n in CHECKPOINTS if n <= len(latencies)} | {len(latencies)})
    return {n: statistics.median(latencies[max(0, n - WINDOW):n]) for n in checkpoints}


def measure(turns: int = max(CHECKPOINTS)) -> Dict[int, float]:
    """Starts both servers in a scratch folder, holds the conversation, returns the medians per checkpoint."""
    with tempfile.TemporaryDirectory(prefix="genai-long-") as tmp:
        with running_assistant(Path(tmp)) as assistant:
            say(assistant.rest_port, "warm-up", "hi")  # the first call loads lazily initialised parts
            latencies = hold(assistant.rest_port, turns)
    return medians(latencies)


def main() -> int:
    turns = int(sys.argv[1]) if len(sys.argv) > 1 else max(CHECKPOINTS)
    started = time.monotonic()
    figures = measure(turns)
    for n, seconds in figures.items():
        print(f"turn {n:>5}: p50 {seconds * 1000:.1f} ms per turn")
    print(f"({turns} turns in {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
