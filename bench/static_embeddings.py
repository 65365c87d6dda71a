"""Would a pretrained embedding lift intent reading on real phrasing? A probe with WordLlama, the one pretrained text
model found that installs from PyPI with its weights inside the wheel (no model hub), on the development halves only.

Not part of the product or of `make test`: wordllama 0.4 needs numpy >= 2, which Rasa 3.6's pins exclude, so the
probe runs in two steps and two environments (docs/benchmarks.md has the figures):

    .venv/bin/python -m bench.static_embeddings export /tmp/probe.json      # masked texts, in the project's venv
    python3.10 -m venv /tmp/wl && /tmp/wl/bin/pip install wordllama==0.4.0.post1 scikit-learn==1.7.2
    # the wheel keeps its tokenizer in wordllama/tokenizers/ but looks in wordllama/tokenizer/: link one to the other
    /tmp/wl/bin/python bench/static_embeddings.py score /tmp/probe.json     # from a directory outside wordllama/

`score` trains a linear SVM on the training sentences (concept names masked as the intent model masks them;
start_guide and inform pooled, as the product pools them) with TF-IDF word and character n-grams alone, the
embedding alone, and both, and prints intent accuracy on each real-phrasing development half.
"""

import json
import sys
from pathlib import Path


def export(out: Path) -> None:
    from rasa.shared.nlu.training_data.loading import load_data

    from bench.real_phrasing import ROOT, SETS, load_items
    from explainer.intent_model import mask
    from explainer.loader import load_knowledge_base
    from explainer.matching import ConceptIndex, find_concepts

    index = ConceptIndex.of(load_knowledge_base(ROOT / "knowledge"))

    def masked(text: str) -> str:
        return mask(text, [(m.start, m.end, m.concept) for m in find_concepts(index, text)])

    train = [(masked(e.get("text")), e.get("intent")) for e in load_data(str(ROOT / "data" / "nlu")).intent_examples]
    development = {p.stem: [(masked(i["text"]), i["intent"]) for i in load_items(p)]
                   for p in sorted(SETS.glob("*.yml")) if "sealed" not in p.stem}
    out.write_text(json.dumps({"train": train, "development": development}), encoding="utf-8")


def score(data_path: Path) -> None:
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize
    from sklearn.svm import LinearSVC
    from wordllama import WordLlama

    data = json.loads(data_path.read_text(encoding="utf-8"))
    pooled = lambda intent: "start_guide" if intent == "inform" else intent  # noqa: E731
    texts, intents = [t for t, _ in data["train"]], [pooled(i) for _, i in data["train"]]
    model = WordLlama.load(disable_download=True)
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(texts)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2).fit(texts)

    def features(batch, kind):
        embedded = sp.csr_matrix(normalize(model.embed(batch)))
        lexical = [words.transform(batch), chars.transform(batch)]
        return {"tf-idf": sp.hstack(lexical), "embedding": embedded, "both": sp.hstack(lexical + [embedded])}[kind].tocsr()

    for kind in ("tf-idf", "embedding", "both"):
        classifier = LinearSVC(C=1.0, random_state=0).fit(features(texts, kind), intents)
        right = total = 0
        halves = []
        for name, items in sorted(data["development"].items()):
            batch, wanted = [t for t, _ in items], [pooled(i) for _, i in items]
            hits = sum(p == w for p, w in zip(classifier.predict(features(batch, kind)), wanted))
            right, total = right + hits, total + len(items)
            halves.append(f"{name} {hits / len(items):.3f}")
        print(f"{kind}: all development halves {right / total:.3f} ({right}/{total}); " + ", ".join(halves))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("export", "score"):
        sys.exit("usage: static_embeddings.py export|score FILE.json")
    (export if sys.argv[1] == "export" else score)(Path(sys.argv[2]))
