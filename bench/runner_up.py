"""How often adding the second-ranked intent's aspect to an answer (explainer/questions.runner_up_aspect) gives a
real question the aspect it asked, on the real-phrasing development halves only.

`python -m bench.runner_up [--ratios 0.3 0.4 0.5 0.6 0.7]`: of the questions labelled with an aspect intent (what
it is, how it works, examples, uses, limitations, history) and read as one, how many are read as the wrong aspect,
and at each ratio how many answers gain a second aspect, how many of those gain the labelled one (fixed) and how
many were right already (longer only). Sealed halves are never parsed here: the ratio is chosen on this.
"""

import argparse
import asyncio
import logging
from pathlib import Path
from typing import Dict, List, Tuple

from bench.real_phrasing import MODEL, SETS, load_items

DEVELOPMENT = sorted(p for p in SETS.glob("*.yml") if "sealed" not in p.stem)


def ranked(model: Path) -> List[Tuple[str, List[Tuple[str, float]]]]:
    """(labelled intent, NLU ranking) of every development question."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    rows = []
    for path in DEVELOPMENT:
        for item in load_items(path):
            parsed = asyncio.run(agent.parse_message(item["text"]))
            rows.append((item["intent"], [(r["name"], r["confidence"]) for r in parsed.get("intent_ranking", [])]))
    return rows


def main() -> None:
    from actions.explain import ASPECT_OF_INTENT
    from explainer import questions

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--ratios", type=float, nargs="+", default=[0.3, 0.4, 0.5, 0.6, 0.7])
    args = parser.parse_args()
    aspect_of: Dict[str, str] = dict(ASPECT_OF_INTENT)
    rows = [(want, ranking) for want, ranking in ranked(args.model)
            if aspect_of.get(want) in questions.SECOND_READINGS and ranking
            and aspect_of.get(ranking[0][0]) in questions.SECOND_READINGS]
    wrong = sum(want != ranking[0][0] for want, ranking in rows)
    print(f"development halves: {len(rows)} aspect questions read as an aspect, {wrong} as the wrong one")
    shipped = questions.RUNNER_UP_RATIO
    try:
        for ratio in args.ratios:
            questions.RUNNER_UP_RATIO = ratio
            added = fixed = longer = 0
            for want, ranking in rows:
                second = questions.runner_up_aspect(ranking, aspect_of, aspect_of[ranking[0][0]])
                if second:
                    added += 1
                    fixed += second == aspect_of[want]
                    longer += ranking[0][0] == want
            print(f"ratio {ratio}: {added} answers gain a second aspect: the one asked {fixed}, right already {longer}")
    finally:
        questions.RUNNER_UP_RATIO = shipped


if __name__ == "__main__":
    main()
