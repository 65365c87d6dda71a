"""How often two people give a real-phrasing question the same intent: the first labels (tests/evaluation/real_phrasing/)
beside a second and a third annotator's (tests/evaluation/agreement/), development halves only.

`python -m bench.agreement`: agreement and Cohen's kappa per half for each annotator, the pairs they disagree on
most, and the two annotators' agreement with each other. The
figure is the ceiling an intent classifier can be held to on these sets: where two careful readers differ, the
question does not say which intent it is.
"""

from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bench.real_phrasing import SETS, load_items

ROOT = Path(__file__).resolve().parent.parent
SECOND = ROOT / "tests" / "evaluation" / "agreement" / "development_second_annotator.yml"
THIRD = ROOT / "tests" / "evaluation" / "agreement" / "development_third_annotator.yml"


def annotator_labels(annotator: Path) -> Dict[Tuple[str, str], str]:
    """(half, text) -> the intent an annotator's file gives it."""
    return {(x["set"], x["text"]): x["intent"] for x in yaml.safe_load(annotator.read_text(encoding="utf-8"))}


def pairs(annotator: Path = SECOND) -> Dict[str, List[Tuple[str, str]]]:
    """Per half: (first label, the annotator's label) for every item the annotator labelled."""
    second = annotator_labels(annotator)
    found: Dict[str, List[Tuple[str, str]]] = {}
    for half in sorted({s for s, _ in second}):
        found[half] = [(item["intent"], second[(half, item["text"])])
                       for item in load_items(SETS / f"{half}.yml") if (half, item["text"]) in second]
    return found


def kappa(labels: List[Tuple[str, str]]) -> float:
    """Cohen's kappa: agreement beyond what the two label distributions give by chance."""
    n = len(labels)
    observed = sum(a == b for a, b in labels) / n
    first, second = Counter(a for a, _ in labels), Counter(b for _, b in labels)
    chance = sum(first[k] * second[k] for k in first) / (n * n)
    return (observed - chance) / (1 - chance) if chance < 1 else 1.0


def between(annotator: Path, other: Path) -> List[Tuple[str, str]]:
    """(annotator's label, other's label) for the texts both labelled."""
    a, b = annotator_labels(annotator), annotator_labels(other)
    return [(a[k], b[k]) for k in a if k in b]


def main() -> None:
    for annotator in (SECOND, THIRD):
        print(f"first labels -> {annotator.stem}:")
        everything: List[Tuple[str, str]] = []
        for half, labels in pairs(annotator).items():
            everything += labels
            agreed = sum(a == b for a, b in labels)
            print(f"  {half}: {agreed}/{len(labels)} agree ({agreed / len(labels):.3f}), kappa {kappa(labels):.3f}")
        agreed = sum(a == b for a, b in everything)
        print(f"  both: {agreed}/{len(everything)} agree ({agreed / len(everything):.3f}), kappa {kappa(everything):.3f}")
        print("  most frequent disagreements:")
        for (a, b), n in Counter((a, b) for a, b in everything if a != b).most_common(6):
            print(f"    {a} -> {b}: {n}")
    labels = between(SECOND, THIRD)
    agreed = sum(a == b for a, b in labels)
    print(f"second -> third annotator: {agreed}/{len(labels)} agree ({agreed / len(labels):.3f}), kappa {kappa(labels):.3f}")


if __name__ == "__main__":
    main()
