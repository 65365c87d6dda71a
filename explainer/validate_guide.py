"""Schema checks for knowledge/decision_guide.yml; each problem names file, line, factor, option, field."""

from typing import Any, Dict, List

from explainer import text

# The key the loader adds to every mapping, holding its line number.
LINE = "__line__"
OUTCOME_FIELDS = ("id", "name", "fits", "families", "tools")
FACTOR_FIELDS = ("id", "name", "question", "why", "options")
OPTION_FIELDS = ("id", "label", "synonyms", "weights", "reason")
CAUTION_FIELDS = ("concept", "when", "text")
COMBINATION_FIELDS = ("when", "weights", "reason")


def _missing(item: Dict[str, Any], fields: tuple) -> List[str]:
    return [f for f in fields if item.get(f) in (None, "", [])]


def _at(item: Any) -> str:
    return f" (line {item.get(LINE)})" if isinstance(item, dict) and item.get(LINE) else ""


def check_guide(label: str, guide: Any, entry_ids: set, sources: set, add) -> None:
    """Reports every problem of the guide through `add(sentence)`."""
    if not isinstance(guide, dict):
        add(f"{label}: 'decision_guide' must be a mapping with source, tie_break, outcomes, factors, cautions.")
        return
    for word in guide.get("direct_answers_only") or []:
        if not isinstance(word, str):
            add(f"{label}: decision_guide: field 'direct_answers_only': {word!r} is not text (quote yes/no in YAML).")
    for name in ("source", "tie_break", "tie_break_reason", "outcomes", "factors"):
        if guide.get(name) in (None, "", []):
            add(f"{label}: decision_guide: field '{name}' is missing.")
    if guide.get("source") and guide["source"] not in sources:
        add(f"{label}: decision_guide: field 'source': unknown source '{guide['source']}'.")

    outcomes = [o for o in guide.get("outcomes") or [] if isinstance(o, dict)]
    outcome_ids = [o.get("id") for o in outcomes]
    for outcome in outcomes:
        where = f"{label}: outcome '{outcome.get('id')}'{_at(outcome)}"
        for name in _missing(outcome, OUTCOME_FIELDS):
            add(f"{where}: field '{name}' is missing.")
        for name in ("families", "tools"):
            for ref in outcome.get(name) or []:
                if ref not in entry_ids:
                    add(f"{where}: field '{name}': unknown entry id '{ref}'.")
    if sorted(guide.get("tie_break") or []) != sorted(i for i in outcome_ids if i):
        add(f"{label}: decision_guide: field 'tie_break' must list each outcome id once: {outcome_ids}.")

    factor_options: Dict[str, set] = {}
    factor_ids = {f.get("id") for f in guide.get("factors") or [] if isinstance(f, dict)}
    if guide.get("tie_break_factor") is not None and guide["tie_break_factor"] not in factor_ids:
        add(f"{label}: decision_guide: field 'tie_break_factor' must be a factor id: {sorted(str(i) for i in factor_ids)}.")
    for factor in guide.get("factors") or []:
        if not isinstance(factor, dict):
            add(f"{label}: every factor must be a mapping.")
            continue
        where = f"{label}: factor '{factor.get('id')}'{_at(factor)}"
        for name in _missing(factor, FACTOR_FIELDS):
            add(f"{where}: field '{name}' is missing.")
        if factor.get("id") in factor_options:
            add(f"{where}: duplicate factor id.")
        options = factor_options.setdefault(factor.get("id"), set())
        phrases: Dict[str, str] = {}
        for option in factor.get("options") or []:
            _check_option(where, option, outcome_ids, options, phrases, add)
            tools = option.get("tools") if isinstance(option, dict) else None
            if tools is not None and (not isinstance(tools, list) or any(t not in entry_ids for t in tools)):
                add(f"{where}: option '{option.get('id')}'{_at(option)}: field 'tools' must be a list of entry ids; "
                    f"unknown: {[t for t in tools if t not in entry_ids] if isinstance(tools, list) else tools!r}.")
        _check_reading_rules(where, factor, options, add, factor_ids)

    for combination in guide.get("combinations") or []:
        _check_combination(label, combination, outcome_ids, factor_options, add)

    for caution in guide.get("cautions") or []:
        where = f"{label}: caution '{caution.get('concept')}'{_at(caution)}"
        for name in _missing(caution, CAUTION_FIELDS):
            add(f"{where}: field '{name}' is missing.")
        if caution.get("concept") and caution["concept"] not in entry_ids:
            add(f"{where}: field 'concept': unknown entry id '{caution['concept']}'.")
        _check_when(where, caution.get("when") or {}, {**factor_options, "outcome": set(outcome_ids)}, add)


def _check_reading_rules(where: str, factor: Dict[str, Any], options: set, add, factor_ids: set) -> None:
    """The answer-reading rules (explainer/guide_reader.py) name options of their own factor."""
    for flag in ("only_when_asked", "produced"):
        if flag in factor and not isinstance(factor[flag], bool):
            add(f"{where}: field '{flag}' must be true or false.")
    for name in ("unasked_cues", "step_verbs"):
        words = factor.get(name)
        if words is not None and (not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words)):
            add(f"{where}: field '{name}' must be a list of words.")
    several = factor.get("several_media")
    if several is not None:
        if (not isinstance(several, dict) or several.get("option") not in options
                or several.get("factor") not in factor_ids or several.get("factor") == factor.get("id")):
            add(f"{where}: field 'several_media' must be {{factor: <another factor's id>, option: <an option id of this factor>}}.")
    if factor.get("steps_option") is not None and factor["steps_option"] not in options:
        add(f"{where}: field 'steps_option': unknown option '{factor['steps_option']}'.")
    few = factor.get("few")
    if few is not None:
        more = few.get("more") if isinstance(few, dict) else None
        if not isinstance(few, dict) or few.get("option") not in options or not isinstance(few.get("below"), int):
            add(f"{where}: field 'few' must be {{option: <an option id>, below: <a whole number>, units: [optional words], "
                f"more: [optional {{option, below}} bands]}}.")
        elif more is not None and (not isinstance(more, list) or not all(
                isinstance(b, dict) and b.get("option") in options and isinstance(b.get("below", 0), int) for b in more)):
            add(f"{where}: field 'few.more' must be a list of {{option: <an option id>, below: <a whole number>}}; the last "
                f"may leave 'below' out.")
    for option in factor.get("options") or []:
        if not isinstance(option, dict):
            continue
        named = [o for group in option.get("combines") or [] for o in (group if isinstance(group, list) else [group])]
        for ref in named + list(option.get("outranks") or []):
            if ref not in options:
                add(f"{where}: option '{option.get('id')}'{_at(option)}: unknown option '{ref}' in 'combines' or 'outranks'.")


def _check_option(where: str, option: Any, outcome_ids: list, seen: set, phrases: Dict[str, str], add) -> None:
    if not isinstance(option, dict):
        add(f"{where}: every option must be a mapping.")
        return
    at = f"{where}: option '{option.get('id')}'{_at(option)}"
    for name in _missing(option, OPTION_FIELDS):
        add(f"{at}: field '{name}' is missing.")
    for name in ("id", "label", "reason"):
        if name in option and not isinstance(option[name], str):
            add(f"{at}: field '{name}' must be text, found {option[name]!r} (quote yes/no in YAML).")
    if option.get("id") in seen:
        add(f"{at}: duplicate option id.")
    seen.add(option.get("id"))
    _check_weights(at, option.get("weights") or {}, outcome_ids, add)
    for synonym in option.get("synonyms") or []:
        if not isinstance(synonym, str):
            add(f"{at}: field 'synonyms': {synonym!r} is not text (quote yes/no/on/off in YAML).")
            continue
        phrase = " ".join(text.singular(w) for w in text.words(str(synonym)))
        owner = phrases.get(phrase)
        if owner and owner != option.get("id"):
            add(f"{at}: field 'synonyms': '{synonym}' also belongs to option '{owner}'.")
        phrases[phrase] = option.get("id")


def _check_combination(label: str, combination: Any, outcome_ids: list, factor_options: Dict[str, set], add) -> None:
    """A combination names factors with their options, whole-number weights of known outcomes, and a reason."""
    if not isinstance(combination, dict):
        add(f"{label}: every combination must be a mapping with when, weights and reason.")
        return
    where = f"{label}: combination{_at(combination)}"
    for name in _missing(combination, COMBINATION_FIELDS):
        add(f"{where}: field '{name}' is missing.")
    _check_when(where, combination.get("when") or {}, factor_options, add)
    _check_weights(where, combination.get("weights") or {}, outcome_ids, add)
    if "reason" in combination and not isinstance(combination["reason"], str):
        add(f"{where}: field 'reason' must be text.")


def _check_weights(at: str, weights: Any, outcome_ids: list, add) -> None:
    """Weights map known outcome ids to whole numbers."""
    if not isinstance(weights, dict):
        add(f"{at}: field 'weights' must map outcome ids to whole numbers.")
        return
    for outcome, weight in weights.items():
        if outcome == LINE:
            continue
        if outcome not in outcome_ids:
            add(f"{at}: field 'weights': unknown outcome '{outcome}'.")
        if not isinstance(weight, int) or isinstance(weight, bool):
            add(f"{at}: field 'weights': '{outcome}' must be a whole number, found {weight!r}.")


def _check_when(where: str, when: Any, allowed: Dict[str, set], add) -> None:
    """A `when` maps keys of `allowed` (factor ids, and "outcome" for cautions) to lists of their allowed values."""
    if not isinstance(when, dict):
        add(f"{where}: field 'when' must map factor ids to lists of their option ids.")
        return
    for key, values in when.items():
        if key == LINE:
            continue
        if key not in allowed:
            add(f"{where}: field 'when': unknown factor '{key}'.")
            continue
        if not isinstance(values, list):
            add(f"{where}: field 'when': '{key}' must list option ids, found {values!r}.")
            continue
        for value in values:
            if value not in allowed[key]:
                add(f"{where}: field 'when': '{key}' has no option '{value}'.")
