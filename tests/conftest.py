"""Shared fixtures: the real knowledge base, a small fixture knowledge base to break, PostgreSQL and Redis
servers (running or throwaway, tests/support/services.py). Helpers are in tests/support/, not here."""

import shutil
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterator, List

import pytest

from explainer.kb import KnowledgeBase
from explainer.loader import load_knowledge_base
from tests.support import services
from tests.support.paths import FIXTURE_KNOWLEDGE, KNOWLEDGE, TESTS


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


SERVICE_FIXTURES = {"postgres_server", "redis_server", "postgres_db"}


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    """A test that asks for PostgreSQL or Redis must say so (`services`), or `make test-fast` would start them."""
    unmarked = [item.nodeid for item in items
                if SERVICE_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("services")
                and TESTS in Path(str(item.fspath)).parents]  # not a test file another test writes to tmp_path
    if unmarked:
        raise pytest.UsageError("these tests use PostgreSQL or Redis but are not marked @pytest.mark.services: "
                                + ", ".join(unmarked))
