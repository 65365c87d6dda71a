"""The loader accepts a good knowledge base and rejects a broken one with sentences naming file, entry, field."""

from pathlib import Path

import pytest

from explainer.errors import KnowledgeBaseError
from explainer.loader import load_knowledge_base


def problems_of(folder: Path) -> list:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(folder)
    return caught.value.problems


def edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def test_fixture_knowledge_base_loads(fixture_kb_dir: Path) -> None:
    kb = load_knowledge_base(fixture_kb_dir)
    assert set(kb.entries) == {"gan", "vae", "painter"}
    assert kb.find("adversarial networks") == "gan"
    assert kb.find("GAN") == "gan"
    assert [e.id for e in kb.examples_of("vae")] == ["painter"]


def test_missing_field_names_file_entry_and_field(fixture_kb_dir: Path) -> None:
    edit(fixture_kb_dir / "entries.yml", "    summary: Two networks compete so that one learns to make realistic data.\n", "")
    problems = problems_of(fixture_kb_dir)
    assert problems == ["knowledge/entries.yml: entry 'gan' (line 2): field 'summary' is missing."]


def test_duplicate_id_is_rejected(fixture_kb_dir: Path) -> None:
    edit(fixture_kb_dir / "entries.yml", "  - id: painter", "  - id: gan")
    problems = problems_of(fixture_kb_dir)
    assert any("duplicate id 'gan'" in p and "entries.yml" in p for p in problems)


def test_alias_claimed_by_two_entries_is_rejected(fixture_kb_dir: Path) -> None:
    edit(fixture_kb_dir / "entries.yml", "aliases: [VAEs]", "aliases: [VAEs, adversarial networks]")
    problems = problems_of(fixture_kb_dir)
    assert any(
        "entry 'vae'" in p and "field 'aliases'" in p and "adversarial networks" in p and "'gan'" in p
        for p in problems
    ), problems


def test_unknown_related_id_is_rejected(fixture_kb_dir: Path) -> None:
    edit(fixture_kb_dir / "entries.yml", "related: [vae]\n    sources", "related: [vae, transformer]\n    sources")
    problems = problems_of(fixture_kb_dir)
    assert problems == ["knowledge/entries.yml: entry 'gan' (line 2): field 'related': unknown id 'transformer'."]


def test_unknown_category_and_source_are_rejected(fixture_kb_dir: Path) -> None:
    edit(fixture_kb_dir / "entries.yml", "category: tool", "category: gadget")
    edit(fixture_kb_dir / "entries.yml", "sources: [article]\n  - id: vae", "sources: [blog]\n  - id: vae")
    problems = problems_of(fixture_kb_dir)
    assert any("entry 'painter'" in p and "unknown category 'gadget'" in p for p in problems)
    assert any("entry 'gan'" in p and "unknown source 'blog'" in p for p in problems)


def test_yaml_syntax_error_reports_the_line(fixture_kb_dir: Path) -> None:
    edit(fixture_kb_dir / "entries.yml", "    uses: [drawing]", "    uses: [drawing\n    limitations: [")
    problems = problems_of(fixture_kb_dir)
    assert len(problems) == 1
    assert problems[0].startswith("knowledge/entries.yml line ")
    assert "YAML syntax error" in problems[0]


def test_wrong_types_are_rejected(fixture_kb_dir: Path) -> None:
    edit(fixture_kb_dir / "entries.yml", "    year: 2014\n    related: [vae]", "    year: soon\n    related: [vae]")
    edit(fixture_kb_dir / "entries.yml", "uses: [drawing]", "uses: drawing")
    problems = problems_of(fixture_kb_dir)
    assert any("entry 'gan'" in p and "field 'year' must be a four-digit year" in p for p in problems)
    assert any("entry 'painter'" in p and "field 'uses' must be a list of text" in p for p in problems)


def test_every_problem_is_reported_at_once(fixture_kb_dir: Path) -> None:
    edit(fixture_kb_dir / "entries.yml", "related: [gan]\n    sources", "related: [gann]\n    sources")
    edit(fixture_kb_dir / "entries.yml", "    simple: It draws what you ask.\n", "")
    assert len(problems_of(fixture_kb_dir)) == 2


def test_missing_folder_is_a_clear_problem(tmp_path: Path) -> None:
    problems = problems_of(tmp_path / "nowhere")
    assert problems == [f"{tmp_path / 'nowhere'}: the knowledge folder does not exist."]


def test_check_command_exit_codes(fixture_kb_dir: Path) -> None:
    from explainer.check import main

    assert main(["check", str(fixture_kb_dir)]) == 0
    edit(fixture_kb_dir / "entries.yml", "category: tool", "category: gadget")
    assert main(["check", str(fixture_kb_dir)]) == 1


def test_asked_of_the_bot_is_read_and_must_be_true_or_false(fixture_kb_dir: Path) -> None:
    categories = fixture_kb_dir / "categories.yml"
    edit(categories, "    description: Kinds of generative model.\n", "    description: Kinds of generative model.\n    asked_of_the_bot: true\n")
    kb = load_knowledge_base(fixture_kb_dir)
    assert kb.categories["model_family"].asked_of_the_bot and not kb.categories["tool"].asked_of_the_bot
    assert kb.asked_of_the_bot(["painter", "vae", "gan"]) == "vae"
    assert kb.asked_of_the_bot(["painter"]) is None
    edit(categories, "    asked_of_the_bot: true\n", "    asked_of_the_bot: sometimes\n")
    assert problems_of(fixture_kb_dir) == [
        "knowledge/categories.yml: category 'model_family' (line 2): field 'asked_of_the_bot' must be true or false."]


def test_focus_rank_is_read_and_must_be_a_whole_number(fixture_kb_dir: Path) -> None:
    categories = fixture_kb_dir / "categories.yml"
    edit(categories, "    description: Kinds of generative model.\n", "    description: Kinds of generative model.\n    focus_rank: 0\n")
    kb = load_knowledge_base(fixture_kb_dir)
    assert kb.categories["model_family"].focus_rank == 0 and kb.categories["tool"].focus_rank is None
    assert kb.focus_ranks(["painter", "vae"]) == [None, 0]
    edit(categories, "    focus_rank: 0\n", "    focus_rank: first\n")
    assert problems_of(fixture_kb_dir) == [
        "knowledge/categories.yml: category 'model_family' (line 2): field 'focus_rank' must be a whole number, 0 or more."]


def test_a_money_band_naming_no_option_is_a_clear_problem(real_kb_dir: Path) -> None:
    edit(real_kb_dir / "decision_guide.yml", "more: [{option: moderate, below: 20000}", "more: [{option: middling, below: 20000}")
    assert any("field 'few.more' must be a list of {option: <an option id>, below: <a whole number>}" in p
               for p in problems_of(real_kb_dir))


def test_ambiguous_aliases_must_be_aliases_and_come_with_guard_words(fixture_kb_dir: Path) -> None:
    edit(fixture_kb_dir / "entries.yml", "aliases: [VAEs]", "aliases: [VAEs]\n    ambiguous_aliases: [VAEs, autoencoder]")
    problems = problems_of(fixture_kb_dir)
    assert any("entry 'vae'" in p and "'autoencoder' is not one of the entry's aliases" in p for p in problems), problems
    assert any("entry 'vae'" in p and "'ambiguous_aliases' and 'not_near' go together" in p for p in problems), problems


def test_guard_words_of_ambiguous_aliases_are_read(fixture_kb_dir: Path) -> None:
    edit(fixture_kb_dir / "entries.yml", "aliases: [VAEs]", "aliases: [VAEs]\n    ambiguous_aliases: [VAEs]\n    not_near: [Counts, per second]")
    kb = load_knowledge_base(fixture_kb_dir)
    assert kb.alias_guards() == {"vae": ["count", "per", "second"]}


def test_made_by_must_repeat_a_sentence_the_entry_already_states(fixture_kb_dir: Path) -> None:
    edit(fixture_kb_dir / "entries.yml", "aliases: [VAEs]", "aliases: [VAEs]\n    made_by: Two friends built it in a garage.")
    problems = problems_of(fixture_kb_dir)
    assert any("entry 'vae'" in p and "field 'made_by' must repeat a sentence" in p for p in problems), problems
