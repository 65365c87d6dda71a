"""The report page: user text is escaped, empty periods say so, and the command says what to fix."""

from pathlib import Path

import pytest

from insights import page
from insights.conversations import conversations
from insights.figures import compute
from insights.report import main
from insights.store import Event

# Slow: the tests render the report page with its charts (about 10 s together measured on this shared 2-core machine).
pytestmark = pytest.mark.slow

START = 1_780_000_000.0


def typed(text: str, intent: str) -> list:
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": []}
    return [
        Event(1, "u", "session_started", START, None, None, {}),
        Event(2, "u", "user", START + 1, intent, None, {"text": text, "parse_data": parse, "input_channel": "rest"}),
        Event(3, "u", "action", START + 2, None, "action_out_of_scope", {"name": "action_out_of_scope"}),
    ]


def test_user_text_cannot_inject_markup(kb) -> None:
    figures = compute(conversations(typed('<script>alert("x")</script> <img src=http://evil/x.png>', "out_of_scope")), kb)
    html = page.render(figures, "sqlite:///tracker.db")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_an_empty_period_says_there_is_no_data_instead_of_drawing(kb) -> None:
    html = page.render(compute([], kb), "sqlite:///tracker.db")
    assert 'class="chart"' not in html and "No data for this period." in html


def test_the_command_names_the_missing_database(tmp_path: Path, capsys) -> None:
    code = main(["--db-url", f"sqlite:///{tmp_path / 'tracker.db'}", "--out", str(tmp_path / "r.html")])
    assert code == 1
    assert "No tracker database at" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_since_after_until_is_refused(tmp_path: Path, capsys) -> None:
    code = main(["--since", "2026-02-01", "--until", "2026-01-01", "--out", str(tmp_path / "r.html")])
    assert code == 2 and "swap them" in capsys.readouterr().err
