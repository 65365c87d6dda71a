"""Scores a trained model on a Rasa NLU file: intent accuracy, macro-F1, `concept` P/R/F1, confusions."""

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Tuple, Union

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data


@dataclass
class Scores:
    total: int
    intent_accuracy: float
    intent_macro_f1: float
    concept_precision: float
    concept_recall: float
    concept_f1: float
    # Not in repr: a failed assertion prints the object, and a sealed set's items must stay unread.
    confusions: List[Tuple[str, str, int]] = field(default_factory=list, repr=False)
    errors: List[str] = field(default_factory=list, repr=False)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(model: Path, test_files: Union[Path, Sequence[Path]]) -> Scores:
    import logging

    from rasa.utils.log_utils import configure_structlog

    # Without this, structlog prints a debug line for every parsed message.
    configure_structlog(logging.WARNING)
    files = [test_files] if isinstance(test_files, Path) else list(test_files)
    data = load_data(str(files[0])).merge(*(load_data(str(f)) for f in files[1:]))
    agent = Agent.load(str(model))
    examples = data.intent_examples

    async def parse_all():
        return [await agent.parse_message(m.get("text")) for m in examples]

    parsed = asyncio.run(parse_all())
    pairs: List[Tuple[str, str]] = []
    tp = fp = fn = 0
    errors: List[str] = []
    for message, result in zip(examples, parsed):
        expected, predicted = message.get("intent"), result["intent"]["name"]
        pairs.append((expected, predicted))
        gold = Counter(e["value"] for e in message.get("entities", []) if e["entity"] == "concept")
        found = Counter(e["value"] for e in result.get("entities", []) if e["entity"] == "concept")
        tp += sum((gold & found).values())
        fp += sum((found - gold).values())
        fn += sum((gold - found).values())
        if expected != predicted or gold != found:
            errors.append(
                f"{message.get('text')!r}: intent {expected} -> {predicted}; concepts {dict(gold)} -> {dict(found)}"
            )
    labels = sorted({e for e, _ in pairs})
    f1s: Dict[str, float] = {}
    for label in labels:
        l_tp = sum(1 for e, p in pairs if e == label and p == label)
        l_fp = sum(1 for e, p in pairs if e != label and p == label)
        l_fn = sum(1 for e, p in pairs if e == label and p != label)
        precision = l_tp / (l_tp + l_fp) if l_tp + l_fp else 0.0
        recall = l_tp / (l_tp + l_fn) if l_tp + l_fn else 0.0
        f1s[label] = _f1(precision, recall)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    confusions = Counter((e, p) for e, p in pairs if e != p).most_common(10)
    return Scores(
        total=len(pairs),
        intent_accuracy=sum(1 for e, p in pairs if e == p) / len(pairs),
        intent_macro_f1=sum(f1s.values()) / len(f1s),
        concept_precision=precision,
        concept_recall=recall,
        concept_f1=_f1(precision, recall),
        confusions=[(e, p, n) for (e, p), n in confusions],
        errors=errors,
    )
