"""`make fuzz`: 10,000 random and hostile messages over REST and socket.io; prints errors and the Rasa
server's resident memory every 1,000 messages."""

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import List, Tuple

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from fuzz import FuzzResult, fuzz_rest, fuzz_socketio  # noqa: E402
from servers import running_assistant, say  # noqa: E402

# Growth allowed over the measured run: a leak grows with every message; 60 MB over 10,000 messages is
# 6 KB a message, and the caches that fill during warm-up do not grow past it.
MAX_GROWTH_MB = 60.0
ORIGIN = "http://localhost:8080"


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000, help="messages in the measured run")
    parser.add_argument("--widget-share", type=float, default=0.05, help="share of them sent over socket.io")
    parser.add_argument("--warm-up", type=int, default=4_000, help="messages before the first measurement (fills the 100 remembered conversations)")
    parser.add_argument("--turns", type=int, default=30, help="messages per conversation")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    widget_count = int(args.messages * args.widget_share)
    rest_count = args.messages - widget_count
    samples: List[Tuple[int, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp, running_assistant(
        Path(tmp), env={"WEBCHAT_ALLOWED_ORIGINS": ORIGIN}
    ) as assistant:
        pid, started = assistant.rasa_pid, time.monotonic()

        def sample(sent: int) -> None:
            if sent % 1000 == 0 or sent == rest_count:
                samples.append((sent, rss_mb(pid), time.monotonic() - started))
                print(f"  {sent:>6} messages  {samples[-1][1]:7.1f} MB  {samples[-1][2]:6.0f} s", flush=True)

        warm = fuzz_rest(assistant.rest_port, args.warm_up, args.seed + 1000, turns=args.turns)
        before = rss_mb(pid)
        print(f"Rasa server RSS after {args.warm_up} warm-up messages: {before:.1f} MB", flush=True)
        rest = fuzz_rest(assistant.rest_port, rest_count, args.seed, turns=args.turns, progress=sample)
        widget = fuzz_socketio(assistant.rest_port, widget_count, args.seed, ORIGIN, turns=args.turns, tail=0.25)
        after = rss_mb(pid)
        print(f"  {args.messages:>6} messages  {after:7.1f} MB  (after {widget_count} socket.io events)")
        normal = say(assistant.rest_port, f"after-{uuid.uuid4()}", "what is a GAN?")
        log = (Path(tmp) / "rasa.log").read_text(errors="replace") + (Path(tmp) / "actions.log").read_text(errors="replace")
    problems = report(warm, rest, widget)
    tracebacks = log.count("Traceback")
    print(f"Rasa server RSS: {before:.1f} MB before, {after:.1f} MB after ({after - before:+.1f} MB)")
    print(f"tracebacks in the server logs: {tracebacks}")
    print(f"normal question after the run answered: {bool(normal)}")
    ok = not problems and not tracebacks and normal and after - before <= MAX_GROWTH_MB
    print("PASS" if ok else f"FAIL (5xx, unanswered messages, tracebacks, or RSS growth over {MAX_GROWTH_MB} MB)")
    return 0 if ok else 1


def report(warm: FuzzResult, rest: FuzzResult, widget: FuzzResult) -> List[str]:
    """Prints what each channel did and returns every problem found."""
    for name, result in (("REST", rest), ("socket.io", widget)):
        print(
            f"{name}: {result.sent} sent in {result.conversations} conversations, {result.refused} malformed refused, "
            f"{len(result.server_errors)} server errors, {len(result.unanswered)} well-formed unanswered"
        )
    problems = warm.server_errors + warm.unanswered + rest.server_errors + rest.unanswered
    problems += widget.server_errors + widget.unanswered
    for line in problems[:20]:
        print("  ", line)
    return problems


if __name__ == "__main__":
    sys.exit(main())
