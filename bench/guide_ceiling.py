"""Scores each guide scenario with the options its writer INTENDED (no NLU, no servers).

This separates the guide's weights from its reading: a scenario missed here is missed by the scoring itself,
however well the answers are read. Development half only (the sealed half is never read).

`python -m bench.guide_ceiling [--set NAME] [--show]` prints how many scenarios of a development set reach their
expected outcome, and with --show the totals of each miss.
"""

import argparse
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from explainer.guide import DecisionGuide
from explainer.loader import load_knowledge_base

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "evaluation" / "guide"


def intended_answers(guide: DecisionGuide, scenario: Dict) -> Dict[str, str]:
    """Factor id -> option id, mapping the scenario's factor names and option labels onto the guide."""
    answers = {}
    for factor_name, answer in (scenario.get("answers") or {}).items():
        factor = next(f for f in guide.factors if f.name == factor_name)
        if answer["intended"] == "Not sure":
            continue  # the user cannot say; the guide notes the factor as unanswered and it adds nothing
        option = next(o for o in factor.options if o.label == answer["intended"])
        answers[factor.id] = option.id
    return answers


def ceiling(guide: DecisionGuide, scenarios: List[Dict]) -> Tuple[int, List[Tuple[str, str, str, Dict]]]:
    """(scenarios reached, misses as (id, expected, got, totals))."""
    misses = []
    for scenario in scenarios:
        answers = intended_answers(guide, scenario)
        totals = guide.totals(answers)
        got = guide.leader(totals, answers)
        if got != scenario["expected"]:
            misses.append((scenario["id"], scenario["expected"], got, totals))
    return len(scenarios) - len(misses), misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each miss with its totals")
    development_sets = sorted(p.stem for p in SETS.glob("*.yml") if "sealed" not in p.stem)
    parser.add_argument("--set", default="development", choices=development_sets,
                        help="which development set to score (never a sealed one)")
    args = parser.parse_args()
    guide = load_knowledge_base(ROOT / "knowledge").guide
    scenarios = yaml.safe_load((SETS / f"{args.set}.yml").read_text(encoding="utf-8"))
    reached, misses = ceiling(guide, scenarios)
    print(f"{args.set}, intended options: {reached} of {len(scenarios)} reach the expected outcome")
    print("misses:", ", ".join(m[0] for m in misses) or "none")
    if args.show:
        for sid, expected, got, totals in misses:
            print(f"  {sid}: expected {expected}, got {got}, totals {totals}")


if __name__ == "__main__":
    main()
