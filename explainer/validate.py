"""Schema checks for the knowledge base; each problem is a sentence naming file, entry and field."""

import re
from typing import Any, Dict, List, Optional

from explainer import text
from explainer.settings.feedback import check_feedback
from explainer.validate_guide import LINE, check_guide

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

TEXT_FIELDS = ("name", "category", "summary", "explanation", "simple", "how_it_works")
LIST_FIELDS = ("aliases", "examples", "uses", "limitations", "related", "sources")
OPTIONAL_TEXT_FIELDS = ("year_note", "example_text", "made_by")
OPTIONAL_LIST_FIELDS = ("instance_of", "general_knowledge", "ambiguous_aliases", "not_near")
ENTRY_FIELDS = {"id", "year", *TEXT_FIELDS, *LIST_FIELDS, *OPTIONAL_TEXT_FIELDS, *OPTIONAL_LIST_FIELDS}
ID_LIST_FIELDS = ("examples", "related", "instance_of")

SECTION_FIELDS = {
    "sources": {"required": ("id", "title", "publisher", "url"), "optional": ("author",)},
    "categories": {"required": ("id", "name", "plural", "description"), "optional": ("asked_of_the_bot", "focus_rank")},
    "comparisons": {"required": ("pair", "relation", "aspects", "sources"), "optional": ()},
}
TOP_LEVEL_KEYS = {"entries", "decision_guide", "feedback", *SECTION_FIELDS}


class Problems:
    """An ordered list of problem sentences."""

    def __init__(self) -> None:
        self.items: List[str] = []

    def add(self, sentence: str) -> None:
        self.items.append(sentence)

    def __bool__(self) -> bool:
        return bool(self.items)


def _where(label: str, item: Dict[str, Any], kind: str) -> str:
    name = item.get("id") if isinstance(item.get("id"), str) else None
    line = item.get(LINE)
    at = f" (line {line})" if line else ""
    return f"{label}: {kind} '{name}'{at}" if name else f"{label}: {kind} at line {line}"


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(_is_text(v) for v in value)


def validate_documents(documents: Dict[str, Any], problems: Problems) -> None:
    """Checks structure, required fields, unique ids and aliases, and every cross-reference."""
    entries: List[tuple] = []
    guides: List[tuple] = []
    feedback: List[tuple] = []
    sections: Dict[str, List[tuple]] = {k: [] for k in SECTION_FIELDS}
    for label, doc in documents.items():
        if not isinstance(doc, dict):
            problems.add(f"{label}: expected a mapping with one of {sorted(TOP_LEVEL_KEYS)} at the top.")
            continue
        for key_name, items in doc.items():
            if key_name == LINE:
                continue
            if key_name not in TOP_LEVEL_KEYS:
                problems.add(f"{label}: unknown top-level key '{key_name}' (expected one of {sorted(TOP_LEVEL_KEYS)}).")
                continue
            if key_name == "decision_guide":
                guides.append((label, items))
                continue
            if key_name == "feedback":
                feedback.append((label, items))
                continue
            if not isinstance(items, list):
                problems.add(f"{label}: '{key_name}' must be a list.")
                continue
            for item in items:
                if not isinstance(item, dict):
                    problems.add(f"{label}: every item of '{key_name}' must be a mapping, found {item!r}.")
                    continue
                (entries if key_name == "entries" else sections[key_name]).append((label, item))

    ids = {kind: _check_sections(kind, items, problems) for kind, items in sections.items()}
    entry_ids = _check_entries(entries, ids["sources"], ids["categories"], problems)
    _check_comparisons(sections["comparisons"], entry_ids, ids["sources"], problems)
    if len(guides) > 1:
        problems.add(f"decision_guide is defined in {len(guides)} files; keep one.")
    for label, guide in guides:
        check_guide(label, guide, entry_ids, ids["sources"], problems.add)
    if len(feedback) > 1:
        problems.add(f"feedback is defined in {len(feedback)} files ({', '.join(f[0] for f in feedback)}); keep one.")
    for label, settings in feedback:
        check_feedback(label, settings, problems.add)


def _check_sections(kind: str, items: List[tuple], problems: Problems) -> set:
    seen: Dict[str, str] = {}
    spec = SECTION_FIELDS[kind]
    singular = kind[:-1] if kind != "categories" else "category"
    for label, item in items:
        where = _where(label, item, singular)
        for name in spec["required"]:
            if name not in item or item[name] in (None, ""):
                problems.add(f"{where}: field '{name}' is missing.")
        for name in item:
            if name != LINE and name not in spec["required"] and name not in spec["optional"]:
                problems.add(f"{where}: unknown field '{name}'.")
        if kind == "categories" and item.get("asked_of_the_bot", False) not in (True, False):
            problems.add(f"{where}: field 'asked_of_the_bot' must be true or false.")
        rank = item.get("focus_rank", 0)
        if kind == "categories" and (isinstance(rank, bool) or not isinstance(rank, int) or rank < 0):
            problems.add(f"{where}: field 'focus_rank' must be a whole number, 0 or more.")
        item_id = item.get("id")
        if kind != "comparisons" and isinstance(item_id, str):
            if item_id in seen:
                problems.add(f"{where}: duplicate {singular} id '{item_id}' (first in {seen[item_id]}).")
            seen[item_id] = label
    return set(seen)


def _check_entries(items: List[tuple], sources: set, categories: set, problems: Problems) -> set:
    seen: Dict[str, str] = {}
    forms: Dict[str, str] = {}
    valid = [(label, item) for label, item in items if isinstance(item.get("id"), str)]
    for label, item in items:
        if not isinstance(item.get("id"), str):
            problems.add(f"{_where(label, item, 'entry')}: field 'id' is missing.")
    for label, item in valid:
        entry_id = item["id"]
        where = _where(label, item, "entry")
        if not ID_PATTERN.match(entry_id):
            problems.add(f"{where}: id must be snake_case (lowercase letters, digits, underscores).")
        if entry_id in seen:
            problems.add(f"{where}: duplicate id '{entry_id}' (first in {seen[entry_id]}).")
        seen[entry_id] = label
    for label, item in valid:
        where = _where(label, item, "entry")
        for name in item:
            if name != LINE and name not in ENTRY_FIELDS:
                problems.add(f"{where}: unknown field '{name}'.")
        for name in TEXT_FIELDS:
            if name not in item:
                problems.add(f"{where}: field '{name}' is missing.")
            elif not _is_text(item[name]):
                problems.add(f"{where}: field '{name}' must be non-empty text.")
        for name in LIST_FIELDS:
            if name not in item:
                problems.add(f"{where}: field '{name}' is missing (use [] for none).")
            elif not _is_text_list(item[name]):
                problems.add(f"{where}: field '{name}' must be a list of text.")
        for name in OPTIONAL_TEXT_FIELDS:
            if name in item and not _is_text(item[name]):
                problems.add(f"{where}: field '{name}' must be non-empty text.")
        for name in OPTIONAL_LIST_FIELDS:
            if name in item and not _is_text_list(item[name]):
                problems.add(f"{where}: field '{name}' must be a list of text.")
        made_by = item.get("made_by")
        if _is_text(made_by) and not _states(item, made_by):
            problems.add(f"{where}: field 'made_by' must repeat a sentence of the entry's explanation, simple, summary, "
                         "how_it_works, year_note or general_knowledge, so that its fact is cited like the rest.")
        ambiguous = item.get("ambiguous_aliases") or []
        if isinstance(ambiguous, list) and isinstance(item.get("aliases"), list):
            for alias in ambiguous:
                if alias not in item["aliases"]:
                    problems.add(f"{where}: field 'ambiguous_aliases': '{alias}' is not one of the entry's aliases.")
        if bool(ambiguous) != bool(item.get("not_near")):
            problems.add(f"{where}: fields 'ambiguous_aliases' and 'not_near' go together: list the words that, near "
                         "an ambiguous alias, mean it names something else.")
        year = item.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1000 <= year <= 2100):
            problems.add(f"{where}: field 'year' must be a four-digit year, found {year!r}.")
        if _is_text(item.get("category")) and item["category"] not in categories:
            problems.add(f"{where}: field 'category': unknown category '{item['category']}' (not in categories.yml).")
        if isinstance(item.get("sources"), list):
            if not item["sources"]:
                problems.add(f"{where}: field 'sources' must name at least one source.")
            for source in item["sources"]:
                if source not in sources:
                    problems.add(f"{where}: field 'sources': unknown source '{source}' (not in sources.yml).")
        for name in ID_LIST_FIELDS:
            for ref in item.get(name) or []:
                if isinstance(ref, str) and ref not in seen:
                    problems.add(f"{where}: field '{name}': unknown id '{ref}'.")
                elif ref == item["id"]:
                    problems.add(f"{where}: field '{name}' refers to the entry itself.")
        _claim_forms(item, where, forms, problems)
    return set(seen)


def _claim_forms(item: Dict[str, Any], where: str, forms: Dict[str, str], problems: Problems) -> None:
    """Each name or alias may point at one entry only, or the matcher could not tell them apart."""
    name = item["name"] if _is_text(item.get("name")) else ""
    aliases = item.get("aliases") if _is_text_list(item.get("aliases")) else []
    claimed: Dict[str, str] = {}
    for form in text.surface_forms(item["id"], name, aliases):
        form_key = text.key(form)
        if not form_key:
            problems.add(f"{where}: field 'aliases': '{form}' has no letters or digits.")
            continue
        claimed.setdefault(form_key, form)
    for form_key, form in claimed.items():
        owner: Optional[str] = forms.get(form_key)
        if owner and owner != item["id"]:
            problems.add(f"{where}: field 'aliases': '{form}' is also a name or alias of entry '{owner}'.")
        else:
            forms[form_key] = item["id"]


def _check_comparisons(items: List[tuple], entry_ids: set, sources: set, problems: Problems) -> None:
    for label, item in items:
        line = item.get(LINE)
        where = f"{label}: comparison at line {line}"
        pair = item.get("pair")
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            problems.add(f"{where}: field 'pair' must list exactly two entry ids.")
        else:
            for ref in pair:
                if ref not in entry_ids:
                    problems.add(f"{where}: field 'pair': unknown id '{ref}'.")
        aspects = item.get("aspects")
        if not isinstance(aspects, list) or not aspects:
            problems.add(f"{where}: field 'aspects' must be a non-empty list of {{name, text}}.")
        else:
            for aspect in aspects:
                if not (isinstance(aspect, dict) and _is_text(aspect.get("name")) and _is_text(aspect.get("text"))):
                    problems.add(f"{where}: every aspect needs 'name' and 'text'.")
        for source in item.get("sources") or []:
            if source not in sources:
                problems.add(f"{where}: field 'sources': unknown source '{source}'.")
        if "relation" in item and not _is_text(item["relation"]):
            problems.add(f"{where}: field 'relation' must be non-empty text.")


def _states(item: Dict[str, Any], sentence: str) -> bool:
    """True when `sentence` is one of the entry's general_knowledge items or inside one of its text fields."""
    texts = [item.get(name) for name in ("explanation", "simple", "summary", "how_it_works", "year_note")]
    texts += list(item.get("general_knowledge") or [])
    return any(isinstance(t, str) and sentence.strip() in t for t in texts)
