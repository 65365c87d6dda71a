"""Compares ways of reading free-text guide answers on the development scenarios (answers only, no servers).

Each development scenario gives, per factor, what its user would type and the option meant. A candidate reads
every such answer; an answer counts as read right when it gives the option meant, as unread when it gives
nothing (or only a pair to confirm), as wrong otherwise. Only development data: the sealed half is never read.

`python -m bench.guide_reading [--vocabulary PATH]` prints one line per candidate:
- vocabulary reader: explainer/guide_reader.py over the synonyms of knowledge/decision_guide.yml (or PATH);
- exact phrases: the reader before issue 14 (whole option phrases, then an option's own words);
- classifier (vocabulary): per factor, character n-gram TF-IDF and logistic regression trained on the option
  phrases of the YAML;
- classifier (cross-validated): the same trained on the phrases plus the other scenarios' answers, leaving each
  scenario out in turn (what a classifier over varied answers would score on unseen users);
- reader, then classifier: the vocabulary reader, and the cross-validated classifier for what it leaves unread.
The vocabulary of knowledge/decision_guide.yml was extended from these very answers, so its figures are
in-sample; `--vocabulary` with the YAML from before issue 14 shows each technique without that help.
"""

import argparse
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import yaml

from bench.guide_scenarios import SETS, load
from explainer import text
from explainer.guide import DecisionGuide, build_guide
from explainer.loader import load_knowledge_base

ROOT = Path(__file__).resolve().parent.parent
Item = Tuple[str, str, str, Optional[str]]  # scenario id, factor id, answer, option id meant (None: "Not sure")


def items(guide: DecisionGuide, scenario_set: str = "development") -> List[Item]:
    by_name = {f.name: f for f in guide.factors}
    found = []
    for scenario in load(SETS / f"{scenario_set}.yml"):
        for factor_name, answer in scenario["answers"].items():
            if "say" not in answer:
                continue  # stated in the opening: nothing typed in answer to this question
            factor = by_name[factor_name]
            meant = next((o.id for o in factor.options if o.label == answer["intended"]), None)
            found.append((scenario["id"], factor.id, answer["say"], meant))
    return found


def score(name: str, data: List[Item], read: Callable[[str, str, str], Optional[str]]) -> str:
    right = unread = wrong = 0
    for scenario, factor, said, meant in data:
        got = read(scenario, factor, said)
        if got == meant:
            right += 1
        elif got is None:
            unread += 1
        else:
            wrong += 1
    return f"{name}: read right {right} of {len(data)} ({right / len(data):.2f}), unread {unread}, wrong {wrong}"


def exact_phrases(guide: DecisionGuide) -> Callable[[str, str, str], Optional[str]]:
    """The reader before issue 14: the longest whole option phrase, else most of an option's own words."""
    def read(_: str, factor_id: str, said: str) -> Optional[str]:
        factor = guide.factor(factor_id)
        words = [text.singular(w) for w in text.words(said)]
        return guide._choose(guide._matches(factor, words, set())) or guide._by_own_words(factor, words)
    return read


def classifier(guide: DecisionGuide, data: List[Item], cross_validated: bool) -> Callable[[str, str, str], Optional[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    def phrases(factor_id: str) -> Tuple[List[str], List[str]]:
        xs, ys = [], []
        for option in guide.factor(factor_id).options:
            for phrase in option.phrases():
                xs.append(phrase)
                ys.append(option.id)
        return xs, ys

    cache: Dict[Tuple[str, str], object] = {}

    def model(factor_id: str, held_out: str):
        key = (factor_id, held_out if cross_validated else "")
        if key not in cache:
            xs, ys = phrases(factor_id)
            if cross_validated:
                for scenario, factor, said, meant in data:
                    if factor == factor_id and scenario != held_out and meant:
                        xs.append(said)
                        ys.append(meant)
            pipe = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
                                 LogisticRegression(max_iter=2000, C=10))
            cache[key] = pipe.fit(xs, ys)
        return cache[key]

    def read(scenario: str, factor_id: str, said: str) -> Optional[str]:
        pipe = model(factor_id, scenario)
        probabilities = pipe.predict_proba([said])[0]
        best = probabilities.argmax()
        # Below this the classifier is guessing among the options: treat it as unread, as the reader would.
        return pipe.classes_[best] if probabilities[best] >= 0.4 else None
    return read


def candidates(vocabulary: Optional[Path] = None, scenario_set: str = "development") -> List[str]:
    """One line per candidate, reading with knowledge/decision_guide.yml or the guide YAML at `vocabulary`."""
    guide = load_knowledge_base(ROOT / "knowledge").guide
    if vocabulary:
        guide = build_guide(yaml.safe_load(vocabulary.read_text(encoding="utf-8"))["decision_guide"])
    data = items(guide, scenario_set)
    label = f" ({vocabulary})" if vocabulary else ""
    label += "" if scenario_set == "development" else f" [{scenario_set}]"
    fallback = classifier(guide, data, cross_validated=True)
    return [
        score("vocabulary reader" + label, data, lambda _, f, s: guide.reading(f, s).option),
        score("exact phrases" + label, data, exact_phrases(guide)),
        score("classifier (vocabulary)" + label, data, classifier(guide, data, cross_validated=False)),
        score("classifier (cross-validated)" + label, data, fallback),
        score("reader, then classifier" + label, data, lambda sc, f, s: guide.reading(f, s).option or fallback(sc, f, s)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vocabulary", type=Path, help="another decision_guide.yml to read with")
    development_sets = sorted(p.stem for p in SETS.glob("*.yml") if "sealed" not in p.stem)
    parser.add_argument("--set", default="development", choices=development_sets,
                        help="which development set's answers to read (never a sealed one)")
    args = parser.parse_args()
    print("\n".join(candidates(args.vocabulary, args.set)))


if __name__ == "__main__":
    main()
