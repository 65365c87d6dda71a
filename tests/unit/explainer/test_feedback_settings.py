"""knowledge/settings.yml: the feedback frequency deployers edit, validated with file and line."""

from pathlib import Path

import pytest

from explainer.errors import KnowledgeBaseError
from explainer.loader import load_knowledge_base
from explainer.settings.feedback import DEFAULT_ASK_EVERY
from tests.support.paths import ROOT

# Slow: each test loads a knowledge base (about 1.5 s apiece, 13 s together measured on this shared 2-core machine).
pytestmark = pytest.mark.slow


def write_settings(folder: Path, body: str) -> None:
    (folder / "settings.yml").write_text(body, encoding="utf-8")


def test_the_shipped_settings_are_read(kb) -> None:
    import yaml

    shipped = yaml.safe_load((ROOT / "knowledge" / "settings.yml").read_text())
    assert kb.feedback.ask_every == shipped["feedback"]["ask_every"]


def test_without_a_settings_file_the_default_applies(real_kb_dir: Path) -> None:
    (real_kb_dir / "settings.yml").unlink()
    assert load_knowledge_base(real_kb_dir).feedback.ask_every == DEFAULT_ASK_EVERY


def test_zero_turns_the_question_off(real_kb_dir: Path) -> None:
    write_settings(real_kb_dir, "feedback:\n  ask_every: 0\n")
    assert load_knowledge_base(real_kb_dir).feedback.ask_every == 0


@pytest.mark.parametrize(
    "body, expected",
    [
        ("# settings\nfeedback:\n  ask_every: often\n", "settings.yml: feedback (line 3): field 'ask_every' must be a whole number"),
        ("feedback:\n  ask_every: -2\n", "found -2"),
        ("feedback:\n  ask_every: 2\n  ask_evry: 3\n", "unknown field 'ask_evry'"),
        ("feedback: 3\n", "'feedback' must be a mapping"),
        ("feedbak:\n  ask_every: 2\n", "unknown top-level key 'feedbak'"),
    ],
)
def test_a_bad_setting_names_file_line_and_field(real_kb_dir: Path, body: str, expected: str) -> None:
    write_settings(real_kb_dir, body)
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge_base(real_kb_dir)
    assert expected in err.value.report()
    assert "knowledge/settings.yml" in err.value.report()


def test_feedback_in_two_files_is_reported(real_kb_dir: Path) -> None:
    (real_kb_dir / "more_settings.yml").write_text("feedback:\n  ask_every: 1\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="feedback is defined in 2 files"):
        load_knowledge_base(real_kb_dir)
