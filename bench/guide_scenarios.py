"""Runs free-text decision-guide scenarios over REST against the real servers (tests/evaluation/guide/).

Each scenario (written by helpers who saw only the chat: the questions and their buttons) has an opening
message, what its user would type for each factor, the option that answer means, and the outcome two labellers
read from the novita.ai article's guide independently. The runner answers whatever the bot asks, as that user
would, and records the outcome reached, the questions asked, and whether a question came back more than twice
in a row (stuck). An opening that does not start the guide but offers it (the "Which fits my project?" button) is
followed by a click on that button, as a user choosing a model would; the summary counts those offers apart.

`python -m bench.guide_scenarios [--errors]` starts the servers and prints the figures per half; sealed halves
print totals only.
"""

import argparse
import re
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import yaml

from explainer.answers import GUIDE_BUTTON, offers_the_guide

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "evaluation" / "guide"
QUESTION = re.compile(r"Question \d+ of \d+ — ([^:]+):")
RECOMMENDATION = re.compile(r"Recommendation: (.+?)\.\n")
# "Sounds like “Audio or music” for content type — right?": a yes/no check of one option of the open question.
CONFIRMATION = re.compile(r"Sounds like “(.+?)” for (.+?) — right\?")
# Bounds a scenario: eight questions, each asked at most twice and confirmed once, plus the opening and a few replies.
MAX_TURNS = 32
# What clicking the button that offers the guide sends.
GUIDE_PAYLOAD = GUIDE_BUTTON.payload


@dataclass
class Run:
    """What one scenario's conversation did."""

    scenario: str
    expected: str
    outcome: Optional[str] = None
    asked: List[str] = field(default_factory=list)
    confirmations: int = 0
    stuck: Optional[str] = None
    last_reply: str = ""
    # The opening did not start the guide but offered it, and the user took the offer.
    offer_followed: bool = False

    @property
    def reached(self) -> bool:
        return self.outcome == self.expected


def load(path: Path) -> List[Dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def most_repeats(asked: List[str]) -> int:
    """The longest run of the same question asked in a row."""
    longest, run = 0, 0
    for i, factor in enumerate(asked):
        run = run + 1 if i and asked[i - 1] == factor else 1
        longest = max(longest, run)
    return longest


def run_scenario(say: Callable[[str, str], List[Dict[str, Any]]], scenario: Dict[str, Any], outcomes: Dict[str, str]) -> Run:
    """Plays `scenario` through `say(sender, text) -> replies`; `outcomes` maps outcome names to ids."""
    result = Run(scenario["id"], scenario["expected"])
    user = f"scenario-{scenario['id']}-{uuid.uuid4().hex[:8]}"
    replies = say(user, scenario["opening"])
    reply = "\n".join(r.get("text", "") for r in replies)
    if not QUESTION.search(reply) and not RECOMMENDATION.search(reply + "\n") and any(offers_the_guide(r.get("buttons")) for r in replies):
        # Not started, but offered ("Which fits my project?"): a user choosing a model takes the offer.
        result.offer_followed = True
        reply = "\n".join(r.get("text", "") for r in say(user, GUIDE_PAYLOAD))
    for _ in range(MAX_TURNS):
        result.last_reply = reply
        found = RECOMMENDATION.search(reply + "\n")
        if found:
            result.outcome = outcomes.get(found.group(1).strip(), found.group(1).strip())
            break
        asked = QUESTION.search(reply)
        confirm = CONFIRMATION.search(reply)
        if confirm and not asked:
            # Answered truthfully from the option the scenario's user means; a confirmation is no repeat.
            result.confirmations += 1
            factor = next((f for f in scenario["answers"] if f.lower() == confirm.group(2).strip().lower()), "")
            intended = scenario["answers"].get(factor, {}).get("intended")
            reply = "\n".join(r.get("text", "") for r in say(user, "yes" if intended == confirm.group(1) else "no"))
            continue
        if not asked:
            break
        factor = asked.group(1).strip()
        result.asked.append(factor)
        if most_repeats(result.asked) > 2:
            result.stuck = factor
            break
        answer = scenario["answers"].get(factor, {}).get("say", "not sure")
        reply = "\n".join(r.get("text", "") for r in say(user, answer))
    return result


def summary(name: str, runs: List[Run]) -> str:
    reached = sum(r.reached for r in runs)
    stuck = sum(1 for r in runs if r.stuck)
    unfinished = sum(1 for r in runs if r.outcome is None and not r.stuck)
    questions = sum(len(r.asked) for r in runs) / len(runs) if runs else 0.0
    confirmations = sum(r.confirmations for r in runs) / len(runs) if runs else 0.0
    offers = sum(r.offer_followed for r in runs)
    reached_after_offer = sum(r.reached and r.offer_followed for r in runs)
    return (f"{name}: {len(runs)} scenarios, expected outcome reached {reached} ({reached / len(runs):.2f}), "
            f"stuck {stuck}, ended without a result {unfinished}, questions asked per guide {questions:.1f}, "
            f"confirmations per guide {confirmations:.1f}, guide offers taken {offers} ({reached_after_offer} reached)")


def main() -> None:
    from explainer.loader import load_knowledge_base
    from tests.support.servers import running_assistant, say

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list the development halves' misses")
    args = parser.parse_args()
    guide = load_knowledge_base(ROOT / "knowledge").guide
    outcomes = {o.name: o.id for o in guide.outcomes.values()}
    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp)) as stack:
        for path in sorted(SETS.glob("*.yml")):
            runs = [run_scenario(lambda u, t: say(stack.rest_port, u, t), s, outcomes) for s in load(path)]
            print(summary(path.stem, runs))
            if args.errors and "sealed" not in path.stem:
                for r in runs:
                    if not r.reached:
                        print(f"    {r.scenario}: expected {r.expected}, got {r.outcome}, asked {Counter(r.asked)}"
                              f"{', stuck on ' + r.stuck if r.stuck else ''}")


if __name__ == "__main__":
    main()
