"""Shared fixtures: the real knowledge base, a small fixture knowledge base to break, rasa-sdk trackers,
PostgreSQL and Redis servers (running or throwaway, tests/services.py)."""

import json
import shutil
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, ContextManager, Dict, Iterator, List, Optional, Sequence

import pytest
from rasa_sdk import Tracker

import services
from explainer.kb import KnowledgeBase
from explainer.loader import load_knowledge_base

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
FIXTURE_KNOWLEDGE = Path(__file__).parent / "fixtures" / "knowledge"
TRACKERS = Path(__file__).parent / "trackers"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base(KNOWLEDGE)


def _session_server(start: Callable[[], ContextManager[Any]]) -> Iterator[Any]:
    with ExitStack() as stack:
        problem = None
        try:
            server = stack.enter_context(start())
        except services.ServiceError as error:
            problem = str(error)
        if problem:  # failed outside the except block, so pytest shows the sentence alone, not a chained traceback
            pytest.fail(problem, pytrace=False)
        yield server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[services.Postgres]:
    """The running PostgreSQL or a throwaway one for the whole session; started only if a test asks for it."""
    yield from _session_server(services.postgres_server)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[services.Redis]:
    """The running Redis or a throwaway one for the whole session; started only if a test asks for it."""
    yield from _session_server(services.redis_server)


@pytest.fixture
def postgres_db(postgres_server: services.Postgres) -> Iterator[str]:
    """A uniquely named PostgreSQL database, dropped after the test."""
    with postgres_server.database("genai_test") as name:
        yield name


@pytest.fixture
def fixture_kb_dir(tmp_path: Path) -> Path:
    """A writable copy of the small fixture knowledge base."""
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURE_KNOWLEDGE, target)
    return target


@pytest.fixture
def real_kb_dir(tmp_path: Path) -> Path:
    """A writable copy of the real knowledge base."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def concept_entities(*concepts: str) -> List[Dict[str, Any]]:
    return [{"entity": "concept", "value": c, "extractor": "ConceptMatcher"} for c in concepts]


def make_tracker(
    text: str,
    intent: str,
    concepts: Sequence[str] = (),
    slots: Optional[Dict[str, Any]] = None,
) -> Tracker:
    """A tracker whose latest message is `text`, classified as `intent`, naming `concepts`."""
    return Tracker(
        sender_id="test-user",
        slots=dict(slots or {}),
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            # Rasa's parse data ranks the intents too; rasa-sdk's get_intent_of_latest_message reads the ranking.
            "intent_ranking": [{"name": intent, "confidence": 0.99}],
            "entities": concept_entities(*concepts),
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def load_tracker(name: str) -> Tracker:
    """A tracker saved as JSON in tests/trackers (the shape Rasa sends to the action server)."""
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    return Tracker.from_dict(state)
