"""Compares ways of ranking the knowledge base's passages for questions that name no entry, on DEVELOPMENT data only.

The items are the development halves' questions (coverage_development.yml, and understanding_development.yml's
"not covered" items) that name no knowledge-base name (the concept matcher finds nothing) and ask about a
concept or are out of scope. For each candidate ranking and threshold: how many labelled questions the best
passage above the threshold answers from the labelled entry (right), from another (wrong), and how many
"not covered" questions it would answer at all (wrong too). Sealed halves are never read.

`python -m bench.passage_ranking [--items]`
"""

import argparse
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from bench.real_phrasing import SETS, expected_concepts, load_items
from explainer.loader import load_knowledge_base
from explainer.matching import ConceptIndex, find_concepts
from explainer.passages import PassageIndex, kb_passages, terms

ROOT = Path(__file__).resolve().parent.parent
GROUNDED_INTENTS = {"ask_definition", "ask_how_it_works", "ask_examples", "ask_uses", "ask_limitations",
                    "ask_history", "ask_comparison", "out_of_scope"}
# A wrong answer costs this many right ones: a grounded answer is worth giving when it comes from the right
# entry at least as often as from a wrong one (ties go to the threshold that answers more).
WRONG_COST = 1

Ranker = Callable[[str], Optional[Tuple[Tuple[str, ...], float]]]


def development_items() -> List[Dict]:
    items = load_items(SETS / "coverage_development.yml")
    items += load_items(SETS / "understanding_development.yml")
    return [i for i in items if i["intent"] in GROUNDED_INTENTS]


def _best_passage(kb, score: str) -> Ranker:
    """BM25's best passage (explainer/passages.py), with the hit's `score` attribute as its confidence."""
    index = PassageIndex(kb_passages(kb))

    def rank(question: str):
        hits = index.rank(question, 1)
        return (hits[0].passage.entries, getattr(hits[0], score)) if hits else None

    return rank


def bm25(kb) -> Ranker:
    return _best_passage(kb, "score")


def bm25_share(kb) -> Ranker:
    """BM25's best passage, scored by the share of the question's word weight it matches (explainer/passages.py)."""
    return _best_passage(kb, "share")


def tfidf(kb) -> Ranker:
    from sklearn.feature_extraction.text import TfidfVectorizer

    passages = kb_passages(kb)
    vectorizer = TfidfVectorizer(analyzer=lambda s: terms(s), sublinear_tf=True)
    matrix = vectorizer.fit_transform([p.text for p in passages])

    def rank(question: str):
        scores = (matrix @ vectorizer.transform([question]).T).toarray().ravel()
        best = int(scores.argmax())
        return (passages[best].entries, float(scores[best])) if scores[best] > 0 else None

    return rank


def fuzzy(kb) -> Ranker:
    from rapidfuzz import fuzz, process

    passages = kb_passages(kb)
    texts = [" ".join(terms(p.text)) for p in passages]

    def rank(question: str):
        found = process.extractOne(" ".join(terms(question)), texts, scorer=fuzz.token_set_ratio)
        return (passages[found[2]].entries, found[1] / 100) if found else None

    return rank


def entry_bm25(kb) -> Ranker:
    """BM25 over whole entries (all their passages as one document) rather than single sentences."""
    from explainer.passages import Passage

    merged: Dict[Tuple[str, ...], List[str]] = {}
    for p in kb_passages(kb):
        merged.setdefault(p.entries, []).append(p.text)
    index = PassageIndex([Passage(k, "entry", " ".join(v), ()) for k, v in merged.items()])

    def rank(question: str):
        hits = index.rank(question, 1)
        return (hits[0].passage.entries, hits[0].score) if hits else None

    return rank


CANDIDATES = {"bm25 passages, raw score (ours)": bm25, "bm25 passages, share of the question's weight (ours)": bm25_share, "bm25 whole entries (ours)": entry_bm25,
              "tf-idf cosine passages (scikit-learn)": tfidf, "token-set ratio passages (rapidfuzz)": fuzzy}


def outcomes(rank: Ranker, items: Sequence[Dict]) -> List[Tuple[float, Optional[bool]]]:
    """(score, right?) per item: None when the item is "not covered" (any answer is wrong)."""
    found = []
    for item in items:
        ranked = rank(item["text"])
        wanted = set(expected_concepts(item))
        if ranked is None:
            found.append((0.0, False if wanted else None))
            continue
        entries, score = ranked
        found.append((score, bool(wanted & set(entries)) if wanted else None))
    return found


def sweep(results: Sequence[Tuple[float, Optional[bool]]]) -> Tuple[float, int, int, int]:
    """(threshold, right, wrong, utility) maximising right - WRONG_COST * wrong, then right; inf when no
    threshold answers anything rightly without more wrong answers."""
    best = (float("inf"), 0, 0, 0)
    scores = sorted({s for s, _ in results if s > 0}, reverse=True)
    for cut in scores:
        right = sum(1 for s, ok in results if s >= cut and ok)
        wrong = sum(1 for s, ok in results if s >= cut and not ok)
        utility = right - WRONG_COST * wrong
        if (utility, right) > (best[3], best[1]) and utility >= 0:
            best = (round(cut, 3), right, wrong, utility)
    return best


def summary_lines(kb) -> List[str]:
    """One line per candidate ranker (and, for ours, the right and wrong answers at a few thresholds)."""
    names = ConceptIndex.of(kb)
    items = [i for i in development_items() if not find_concepts(names, i["text"])]
    labelled = sum(1 for i in items if expected_concepts(i))
    lines = [f"passage ranking: {len(items)} development questions naming no entry ({labelled} labelled with an "
             f"entry, {len(items) - labelled} not covered); {len(kb_passages(kb))} passages"]
    for name, build in CANDIDATES.items():
        rank = build(kb)
        start = time.perf_counter()
        results = outcomes(rank, items)
        per_question = (time.perf_counter() - start) / max(len(items), 1) * 1000
        top1 = sum(1 for _, ok in results if ok)
        threshold, right, wrong, utility = sweep(results)
        highest_wrong = max((s for s, ok in results if not ok), default=0.0)
        lines.append(f"{name}: best passage's entry right {top1}/{labelled}; best threshold {threshold} (right "
                     f"{right}, wrong {wrong}); highest score of a wrong passage {highest_wrong:.3f}; "
                     f"{per_question:.2f} ms per question")
        if "share" in name:
            for cut in (1.0, 0.6, 0.45, 0.3):
                right = sum(1 for s, ok in results if s >= cut and ok)
                wrong = sum(1 for s, ok in results if s >= cut and not ok)
                lines.append(f"{name}, share >= {cut}: right {right}, wrong {wrong}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", action="store_true", help="list each item's best passage (bm25)")
    args = parser.parse_args()
    kb = load_knowledge_base(ROOT / "knowledge")
    for line in summary_lines(kb):
        print("-", line)
    if args.items:
        names = ConceptIndex.of(kb)
        index = PassageIndex(kb_passages(kb))
        for item in (i for i in development_items() if not find_concepts(names, i["text"])):
            hit = index.rank(item["text"], 1)
            print(f"  {item['concept']!s:>22} | {hit[0].share if hit else 0:6.3f} "
                  f"{hit[0].passage.entries if hit else ''} | {item['text'][:70]!r}"
                  f" -> {hit[0].passage.text[:60] if hit else ''!r}")


if __name__ == "__main__":
    main()
