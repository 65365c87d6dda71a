"""The test tree keeps its shape: tests in folders that mirror the code, harness code in tests/support/ (a package
that imports without side effects), scripts in bench/, and nobody reaching the harness through sys.path."""

import ast
import importlib
import re
from pathlib import Path
from typing import Iterator, List

from tests.support.paths import ROOT, TESTS

SUPPORT = TESTS / "support"
# Folders of test modules; data folders (nlu/, evaluation/, fixtures/, trackers/, stories/, containers/) hold no Python.
TEST_FOLDERS = ("unit", "e2e", "data")


def python_files(folder: Path) -> Iterator[Path]:
    yield from sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


def relative(paths: Iterator[Path]) -> List[str]:
    return [str(path.relative_to(ROOT)) for path in paths]


def test_no_module_sits_at_the_top_of_tests() -> None:
    assert relative(p for p in TESTS.glob("*.py") if p.name not in ("__init__.py", "conftest.py")) == [], (
        "test modules go in tests/unit/<package>/, tests/e2e/ or tests/data/; helpers in tests/support/")


def test_python_under_tests_is_a_test_module_or_support_code() -> None:
    """Outside tests/support/, only test_*.py, __init__.py and conftest.py: a helper elsewhere is not importable as
    tests.support.* and ends up imported through sys.path again."""
    stray = [
        path for folder in TEST_FOLDERS for path in python_files(TESTS / folder)
        if not path.name.startswith("test_") and path.name not in ("__init__.py", "conftest.py")
    ]
    assert relative(iter(stray)) == []
    data_folders = [p for p in TESTS.iterdir() if p.is_dir() and p.name not in (*TEST_FOLDERS, "support", "__pycache__")]
    assert relative(path for folder in data_folders for path in python_files(folder)) == []


def test_support_holds_no_tests() -> None:
    assert relative(p for p in python_files(SUPPORT) if p.name.startswith("test_")) == []


def test_every_test_folder_is_a_package() -> None:
    """Without __init__.py two test modules of the same name in different folders clash, and pytest puts the folder
    on sys.path instead of the repository root."""
    folders = {TESTS, SUPPORT} | {
        path.parent for folder in TEST_FOLDERS for path in python_files(TESTS / folder)
    }
    assert relative(f / "__init__.py" for f in sorted(folders) if not (f / "__init__.py").exists()) == []


def test_support_modules_import_as_a_package() -> None:
    for path in python_files(SUPPORT):
        importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))


SYS_PATH_EDIT = re.compile(r"\bsys\.path\s*(\.\s*(insert|append|extend)\b|\[[^\]]*\]\s*=|\s*[+]?=)")


def test_nothing_edits_sys_path() -> None:
    """bench/ imports the harness as tests.support.*, run with `python -m bench.X` from the repository root."""
    sources = [*python_files(ROOT / "bench"), *python_files(TESTS),
               *(p for p in sorted((ROOT / "scripts").iterdir()) if p.is_file())]
    edits = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SYS_PATH_EDIT.search(line)
    ]
    assert edits == []


def test_test_modules_import_helpers_from_support_not_from_conftest() -> None:
    offending = []
    for folder in TEST_FOLDERS:
        for path in python_files(TESTS / folder):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[-1] == "conftest":
                    offending.append(str(path.relative_to(ROOT)))
    assert offending == []


# What a module's text shows it needs, and the marker that must then appear in it (`make test-fast` relies on them).
NEEDS = {
    "browser": re.compile(r"\bplaywright\b|\bchromium\b", re.IGNORECASE),
    "model": re.compile(r"\b(running_assistant|start_rasa_server|Agent\.load)\b"),
    "services": re.compile(r"\b(postgres_server|redis_server|postgres_db|nginx_binary)\b"),
    "containers": re.compile(r"\bpodman\b"),
}
# Modules that name these things without needing them: the lock check lists playwright as a test-only package.
NAMES_ONLY = {
    "tests/unit/test_locks.py": {"browser"},
    "tests/e2e/test_container_images.py": {"browser"},  # checks that the images carry no playwright
    "tests/unit/test_tree.py": set(NEEDS),
}


def test_a_module_that_needs_a_server_browser_or_services_carries_the_marker() -> None:
    missing = []
    for folder in TEST_FOLDERS:
        for path in python_files(TESTS / folder):
            name = str(path.relative_to(ROOT))
            text = path.read_text(encoding="utf-8")
            for marker, needs in NEEDS.items():
                if marker in NAMES_ONLY.get(name, ()) or not needs.search(text):
                    continue
                if f"pytest.mark.{marker}" not in text:
                    missing.append(f"{name}: {marker}")
    assert missing == []
