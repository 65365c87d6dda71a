"""`make fuzz`: 10,000 random and hostile messages over REST, socket.io, Slack and Telegram (hostile ids,
metadata, bodies and long messages on every channel); prints the Rasa server's resident memory every 1,000
REST messages, then what each channel did. Fails on any 5xx, dropped connection, unanswered message,
apology, malformed body answered with 200, refusal without a sentence, or traceback in the server logs."""

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Tuple

from tests.support.fuzz import (
    ORIGIN, SLACK_SECRET, TELEGRAM_SECRET, FuzzResult, fuzz_rest, fuzz_slack, fuzz_socketio, fuzz_telegram,
    log_tracebacks, normal_answers, running_channels,
)

# Growth allowed over the measured run: a leak grows with every message; 60 MB over 10,000 messages is
# 6 KB a message, and the caches that fill during warm-up do not grow past it.
MAX_GROWTH_MB = 60.0


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
    parser.add_argument("--slack-share", type=float, default=0.03, help="share of them sent to the Slack webhook")
    parser.add_argument("--telegram-share", type=float, default=0.03, help="share of them sent to the Telegram webhook")
    parser.add_argument("--warm-up", type=int, default=4_000, help="messages before the first measurement (fills the 100 remembered conversations)")
    parser.add_argument("--turns", type=int, default=30, help="messages per conversation")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    widget_count = int(args.messages * args.widget_share)
    slack_count = int(args.messages * args.slack_share)
    telegram_count = int(args.messages * args.telegram_share)
    rest_count = args.messages - widget_count - slack_count - telegram_count
    samples: List[Tuple[int, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp, running_channels(Path(tmp)) as channels:
        assistant = channels.assistant
        pid, started = assistant.rasa_pid, time.monotonic()

        def sample(sent: int) -> None:
            if sent % 1000 == 0 or sent == rest_count:
                samples.append((sent, rss_mb(pid), time.monotonic() - started))
                print(f"  {sent:>6} messages  {samples[-1][1]:7.1f} MB  {samples[-1][2]:6.0f} s", flush=True)

        # The warm-up is random traffic only; the measured run sends every hostile kind first.
        warm = fuzz_rest(assistant.rest_port, args.warm_up, args.seed + 1000, turns=args.turns, planned=False)
        before = rss_mb(pid)
        print(f"Rasa server RSS after {args.warm_up} warm-up messages: {before:.1f} MB", flush=True)
        rest = fuzz_rest(assistant.rest_port, rest_count, args.seed, turns=args.turns, progress=sample)
        widget = fuzz_socketio(assistant.rest_port, widget_count, args.seed, ORIGIN, turns=args.turns, tail=0.25)
        slack = fuzz_slack(channels.slack_url, SLACK_SECRET, channels.slack_api, slack_count, args.seed)
        telegram = fuzz_telegram(channels.telegram_url, TELEGRAM_SECRET, channels.telegram_api, telegram_count, args.seed)
        after = rss_mb(pid)
        print(f"  {args.messages:>6} messages  {after:7.1f} MB  (after socket.io, Slack and Telegram)")
        answers = normal_answers(channels, "what is a GAN?")
        unanswered = [name for name, text in answers.items() if "Generative adversarial network" not in text]
        tracebacks = log_tracebacks(Path(tmp))
    problems = report({"REST warm-up": warm, "REST": rest, "socket.io": widget, "Slack": slack, "Telegram": telegram})
    print(f"Rasa server RSS: {before:.1f} MB before, {after:.1f} MB after ({after - before:+.1f} MB)")
    print(f"tracebacks in the server logs: {len(tracebacks)}")
    for line in sorted(set(tracebacks))[:10]:
        print("  ", line)
    print(f"normal question after the run answered on every channel: {not unanswered}"
          + (f" (not on {', '.join(unanswered)})" if unanswered else ""))
    ok = not problems and not tracebacks and not unanswered and after - before <= MAX_GROWTH_MB
    print("PASS" if ok else f"FAIL (see above: every problem counts, and RSS growth over {MAX_GROWTH_MB} MB)")
    return 0 if ok else 1


def report(results: "dict[str, FuzzResult]") -> List[str]:
    """Prints what each channel did and the first problems of each kind; returns every problem found."""
    problems: List[str] = []
    for name, result in results.items():
        print(result.summary(name))
        for title, lines in (("server errors", result.server_errors), ("unanswered", result.unanswered),
                             ("apologies", result.apologies), ("malformed accepted", result.accepted_malformed),
                             ("refusals without a sentence", result.unclear_refusals)):
            for line in lines[:5]:
                print(f"   {title}: {line}")
            if len(lines) > 5:
                print(f"   ... and {len(lines) - 5} more {title}")
        problems += result.problems()
    return problems


if __name__ == "__main__":
    sys.exit(main())
