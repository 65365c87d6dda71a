"""Scores the trained model on the real-phrasing sets (tests/evaluation/real_phrasing/): questions people asked
in public, each labelled with the intent and the knowledge-base entry it asks about ("not covered" when none).

`python -m bench.real_phrasing [--errors] [--without-near-copies]`: intent accuracy and, for covered items, how
often the asked entry is among the concepts found, per set and half. Sealed halves print totals only, never their
items; `--errors` lists the development halves' misses; `--without-near-copies` leaves out the questions that nearly
copy a training sentence once names are masked (bench/near_copies.py), to show how much a figure rests on them.
"""

import argparse
import asyncio
import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "evaluation" / "real_phrasing"
MODEL = ROOT / "models" / "genai-explainer.tar.gz"
NOT_COVERED = "not covered"


@dataclass
class SetScore:
    name: str
    total: int = 0
    intent_right: int = 0
    covered: int = 0
    concept_found: int = 0
    # Not in repr (a failed assertion prints the object); never filled for a sealed half.
    errors: List[str] = field(default_factory=list, repr=False)

    @property
    def intent_accuracy(self) -> float:
        return self.intent_right / self.total if self.total else 0.0

    @property
    def concept_recall(self) -> float:
        return self.concept_found / self.covered if self.covered else 0.0


def load_items(path: Path) -> List[Dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def expected_concepts(item: Dict[str, Any]) -> List[str]:
    """The labelled entries, or the entry the item's `term` names when that entry was added after labelling.

    Each item was labelled with the term it asks about as well as an entry id (or "not covered") so that the label
    survives new entries: "What's your knowledge cut off date" (term "knowledge cutoff") was labelled training_data
    before knowledge_cutoff existed; answered from the new entry it is on topic, not wrong. Entries that existed at
    labelling time (the item's `labelled_against` file, labelled_entries.txt by default) never override the label:
    the labeller chose among them.
    """
    concept = item.get("concept")
    wanted = [] if concept in (None, NOT_COVERED) else list(concept) if isinstance(concept, list) else [concept]
    kb = _knowledge()
    existed = _entries_at_labelling(str(item.get("labelled_against") or "labelled_entries.txt"))
    named = kb.find(str(item.get("term") or ""))
    if named and named not in existed and len(wanted) < 2:
        return [named]
    return wanted


@functools.lru_cache(maxsize=None)
def _knowledge() -> Any:
    """The knowledge base, read once."""
    from explainer.loader import load_knowledge_base

    return load_knowledge_base(ROOT / "knowledge")


@functools.lru_cache(maxsize=None)
def _entries_at_labelling(name: str) -> frozenset:
    """The entry ids listed in SETS / `name`: those that existed when a set was labelled."""
    lines = (SETS / Path(name).name).read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def score_sets(model: Path, paths: List[Path], keep: Callable[[str], bool] = lambda _: True) -> List[SetScore]:
    """Each set's intent accuracy and entries found, over the items whose text `keep` accepts."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    scores = []
    for path in paths:
        result = SetScore(path.stem)
        for item in (i for i in load_items(path) if keep(i["text"])):
            parsed = asyncio.run(agent.parse_message(item["text"]))
            intent = parsed["intent"]["name"]
            found = {e["value"] for e in parsed.get("entities", []) if e["entity"] == "concept"}
            wanted = expected_concepts(item)
            result.total += 1
            result.intent_right += intent == item["intent"]
            if wanted:
                result.covered += 1
                result.concept_found += set(wanted) <= found
            if "sealed" not in path.stem and (intent != item["intent"] or not set(wanted) <= found):
                result.errors.append(f"{item['text']!r}: {item['intent']} -> {intent}; {wanted} -> {sorted(found)}")
        scores.append(result)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list the development halves' misses")
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--without-near-copies", action="store_true",
                        help="score only the questions with no near-copy among the training sentences (bench/near_copies.py)")
    args = parser.parse_args()
    keep: Callable[[str], bool] = lambda _: True
    if args.without_near_copies:
        from bench.near_copies import NearCopies, training_sentences
        from explainer.matching import ConceptIndex

        kb = _knowledge()
        near = NearCopies(ConceptIndex.of(kb), training_sentences(ROOT / "data" / "nlu"))
        keep = lambda text: not near.has_near_copy(text)  # noqa: E731
    for result in score_sets(args.model, sorted(SETS.glob("*.yml")), keep):
        print(f"{result.name}: {result.total} questions, intent accuracy {result.intent_accuracy:.3f}, "
              f"asked entry found {result.concept_found}/{result.covered}")
        if args.errors and "sealed" not in result.name:
            for line in result.errors:
                print("   ", line)


if __name__ == "__main__":
    main()
