"""`make fuzz`: thousands of random and hostile messages over REST; prints errors and RSS figures."""

import argparse
import sys
import tempfile
import uuid
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from fuzz import fuzz_rest  # noqa: E402
from servers import running_assistant, say  # noqa: E402

# Growth allowed after warm-up: caches (NLU, remembered conversations) fill early; a leak keeps growing.
MAX_GROWTH_MB = 60.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp)) as assistant:
        pid = assistant.rasa_pid
        warm = fuzz_rest(assistant.rest_port, 300, args.seed + 1000)
        before = rss_mb(pid)
        print(f"Rasa server RSS after 300 warm-up messages: {before:.1f} MB", flush=True)
        rest = fuzz_rest(assistant.rest_port, args.messages, args.seed)
        after = rss_mb(pid)
        normal = say(assistant.rest_port, f"after-{uuid.uuid4()}", "what is a GAN?")
    errors = warm.server_errors + rest.server_errors
    print(f"REST: {rest.sent} sent, {rest.refused} refused with 4xx, {len(errors)} 5xx, {len(rest.unanswered)} well-formed unanswered")
    print(f"Rasa server RSS: {before:.1f} MB before, {after:.1f} MB after ({after - before:+.1f} MB)")
    print(f"normal question after the run answered: {bool(normal)}")
    for line in (errors + rest.unanswered)[:20]:
        print("  ", line)
    ok = not errors and not rest.unanswered and normal and after - before <= MAX_GROWTH_MB
    print("PASS" if ok else f"FAIL (5xx, unanswered messages, or RSS growth over {MAX_GROWTH_MB} MB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
