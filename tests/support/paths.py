"""Where things are, from anywhere in the test tree: the repository, the real and the fixture knowledge base."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TESTS = ROOT / "tests"
KNOWLEDGE = ROOT / "knowledge"
FIXTURE_KNOWLEDGE = TESTS / "fixtures" / "knowledge"
TRACKERS = TESTS / "trackers"
