"""Scores the coverage set end to end over REST against the real servers (tests/evaluation/real_phrasing/coverage_*).

Each question, labelled before scoring with the knowledge-base entry that should answer it (a pair for a
comparison) or "not covered", is sent as the first message of a fresh conversation. Every reply built from the
knowledge base names the entries it came from (`answered_from`, actions/common.py), whether an entry's own answer,
a comparison or a grounded passage. A reply is:

- on topic: it came from the labelled entry (for a comparison, from either side);
- declined: it came from no entry (the not-covered answer, "which topic?", small talk, the decision guide);
- wrong: it came from entries, none of them the labelled one, or from any entry for a "not covered" question.

"Right" counts a labelled question on topic and a "not covered" question declined. The issue's targets (sealed
half): on topic >= 0.85 (right over all questions), wrong <= 0.03.

`python -m bench.coverage [--errors] [--understanding]` starts the servers and prints each half's figures; sealed
halves print totals only, `--errors` lists the development half's misses, `--understanding` scores the
understanding set's halves the same way instead.
"""

import argparse
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence

from bench.real_phrasing import SETS, expected_concepts, load_items

ROOT = Path(__file__).resolve().parent.parent
HALVES = ("coverage_development", "coverage_development_second", "coverage_sealed")
# The understanding set's questions, judged the same way: what a user asking them gets, beyond the intent's label.
UNDERSTANDING_HALVES = ("understanding_development", "understanding_development_second", "understanding_development_third",
                        "understanding_development_fourth", "understanding_sealed")
ON_TOPIC, DECLINED, WRONG = "on topic", "declined", "wrong"


@dataclass
class HalfScore:
    name: str
    total: int = 0
    covered: int = 0
    on_topic: int = 0
    declined_covered: int = 0
    declined_not_covered: int = 0
    wrong: int = 0
    # Not in repr (a failed assertion prints the object); never filled for a sealed half.
    errors: List[str] = field(default_factory=list, repr=False)

    @property
    def right(self) -> int:
        return self.on_topic + self.declined_not_covered

    def rate(self, count: int) -> float:
        return count / self.total if self.total else 0.0

    def line(self) -> str:
        not_covered = self.total - self.covered
        return (f"{self.name}: {self.total} questions, right {self.right} ({self.rate(self.right):.3f}), "
                f"wrong {self.wrong} ({self.rate(self.wrong):.3f}); labelled with an entry {self.covered}: "
                f"on topic {self.on_topic}, declined {self.declined_covered}; not covered {not_covered}: "
                f"declined {self.declined_not_covered}")


def answered_from(replies: Sequence[Dict[str, Any]]) -> List[str]:
    """The entries the replies came from, in order, without repeats."""
    entries: List[str] = []
    for reply in replies:
        about = reply.get("answered_from")
        if isinstance(about, dict):
            entries += [e for e in about.get("entries") or [] if isinstance(e, str) and e not in entries]
    return entries


def judge(wanted: Sequence[str], entries: Sequence[str]) -> str:
    """On topic, declined or wrong, from the labelled entries and the entries the replies came from."""
    if not entries:
        return DECLINED
    return ON_TOPIC if set(wanted) & set(entries) else WRONG


def score_half(name: str, items: Sequence[Dict[str, Any]], say: Callable[[str, str], List[Dict[str, Any]]]) -> HalfScore:
    result = HalfScore(name)
    for item in items:
        wanted = expected_concepts(item)
        replies = say(f"coverage-{uuid.uuid4().hex[:12]}", item["text"])
        entries = answered_from(replies)
        verdict = judge(wanted, entries)
        result.total += 1
        result.covered += bool(wanted)
        if verdict == ON_TOPIC:
            result.on_topic += 1
        elif verdict == DECLINED:
            if wanted:
                result.declined_covered += 1
            else:
                result.declined_not_covered += 1
        else:
            result.wrong += 1
        if "sealed" not in name and (verdict == WRONG or (verdict == DECLINED and wanted)):
            first = next((r.get("text") or "" for r in replies if r.get("text")), "")
            result.errors.append(f"{verdict}: {item['text']!r} wanted {wanted or 'decline'}, got {entries}: {first[:90]!r}")
    return result


def score_halves(port: int, halves: Sequence[str] = HALVES) -> List[HalfScore]:
    from tests.support.servers import say

    return [score_half(h, load_items(SETS / f"{h}.yml"), lambda u, t: say(port, u, t)) for h in halves]


def main() -> None:
    from tests.support.servers import running_assistant

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list the development half's misses")
    parser.add_argument("--development-only", action="store_true", help="score the development halves alone")
    parser.add_argument("--understanding", action="store_true", help="score the understanding set's halves instead")
    args = parser.parse_args()
    halves = UNDERSTANDING_HALVES if args.understanding else HALVES
    halves = [h for h in halves if "sealed" not in h] if args.development_only else halves
    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp)) as stack:
        for result in score_halves(stack.rest_port, halves):
            print(result.line())
            if args.errors and "sealed" not in result.name:
                for line in result.errors:
                    print("   ", line)


if __name__ == "__main__":
    main()
