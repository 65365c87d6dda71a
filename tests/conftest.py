"""Shared fixtures: the real knowledge base, a small fixture knowledge base to break, PostgreSQL and Redis
servers (running or throwaway, tests/support/services.py). Helpers are in tests/support/, not here."""

import shutil
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterator

import pytest

from explainer.kb import KnowledgeBase
from explainer.loader import load_knowledge_base
from tests.support import services
from tests.support.paths import FIXTURE_KNOWLEDGE, KNOWLEDGE


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
