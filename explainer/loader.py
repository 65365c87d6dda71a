"""Reads knowledge/*.yml, validates every file, and builds a KnowledgeBase or raises with all problems."""

from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

import yaml

from explainer.errors import KnowledgeBaseError
from explainer.guide import DecisionGuide, build_guide
from explainer.settings.feedback import FeedbackSettings, build_feedback
from explainer.kb import Aspect, Category, Comparison, Entry, KnowledgeBase, Source
from explainer.validate import LINE, Problems, validate_documents


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping so problems can point at it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read(path: Path, label: str, problems: Problems) -> Optional[Any]:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.add(f"{label}{where}: YAML syntax error: {err.problem or err.context}.")
    except yaml.YAMLError as err:
        problems.add(f"{label}: YAML syntax error: {err}.")
    except UnicodeDecodeError:
        problems.add(f"{label}: the file is not UTF-8 text.")
    return None


def read_documents(directory: Union[str, Path]) -> Tuple[Dict[str, Any], Problems]:
    """Parses every *.yml file of the folder; returns {label: document} and the syntax problems."""
    folder = Path(directory)
    problems = Problems()
    documents: Dict[str, Any] = {}
    if not folder.is_dir():
        problems.add(f"{folder}: the knowledge folder does not exist.")
        return documents, problems
    for path in sorted(folder.glob("*.yml")):
        label = f"{folder.name}/{path.name}"
        document = _read(path, label, problems)
        if document is not None:
            documents[label] = document
    if not documents and not problems:
        problems.add(f"{folder}: no *.yml files found.")
    return documents, problems


def load_knowledge_base(directory: Union[str, Path]) -> KnowledgeBase:
    """Loads and validates the knowledge base; raises KnowledgeBaseError naming every problem."""
    documents, problems = read_documents(directory)
    validate_documents(documents, problems)
    if problems:
        raise KnowledgeBaseError(problems.items)
    return _build(documents)


def _clean(mapping: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != LINE}


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _build(documents: Dict[str, Any]) -> KnowledgeBase:
    entries: Dict[str, Entry] = {}
    sources: Dict[str, Source] = {}
    categories: Dict[str, Category] = {}
    comparisons: List[Comparison] = []
    guide: Optional[DecisionGuide] = None
    feedback = FeedbackSettings()
    for label, doc in documents.items():
        if isinstance(doc.get("feedback"), dict):
            feedback = build_feedback(_clean(doc["feedback"]))
        if doc.get("decision_guide"):
            guide = build_guide(_strip_lines(doc["decision_guide"]))
        for raw in doc.get("sources", []) or []:
            item = _clean(raw)
            sources[item["id"]] = Source(
                id=item["id"],
                title=item["title"],
                publisher=item["publisher"],
                url=item["url"],
                author=item.get("author"),
            )
        for raw in doc.get("categories", []) or []:
            item = _clean(raw)
            categories[item["id"]] = Category(**{k: item[k] for k in ("id", "name", "plural", "description")},
                                              asked_of_the_bot=item.get("asked_of_the_bot") is True,
                                              focus_rank=item.get("focus_rank"))
        for raw in doc.get("comparisons", []) or []:
            comparisons.append(
                Comparison(
                    pair=(raw["pair"][0], raw["pair"][1]),
                    relation=raw["relation"],
                    aspects=tuple(Aspect(a["name"], a["text"]) for a in raw["aspects"]),
                    sources=tuple(raw["sources"]),
                )
            )
        for raw in doc.get("entries", []) or []:
            item = _clean(raw)
            entries[item["id"]] = Entry(
                **{k: tuple(v) if isinstance(v, list) else v for k, v in item.items()},
                file=label,
                line=raw.get(LINE, 0),
            )
    return KnowledgeBase(
        entries=entries,
        sources=sources,
        categories=categories,
        comparisons=comparisons,
        guide=guide,
        feedback=feedback,
    )
