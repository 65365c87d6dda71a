"""The layout keeps its promises: one error base, one place for settings, no import cycle between packages."""

import ast
import importlib
import inspect
from pathlib import Path
from typing import Iterator, Set, Tuple

import pytest

from explainer.errors import GenAIError
from tests.support.paths import ROOT

PACKAGES = ("actions", "channels", "components", "explainer", "insights", "rasa_fixes", "serving")


def sources(*packages: str) -> Iterator[Path]:
    for package in packages:
        yield from sorted((ROOT / package).rglob("*.py"))


def imported_packages(path: Path) -> Set[str]:
    """Top-level names of the modules `path` imports when it is imported (not inside an entry point's main())."""
    found: Set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mains = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "main"]
    in_main = {id(inner) for node in mains for inner in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in in_main:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("importer, forbidden", [
    # channels/ may use serving/ (the health of the tracker store), so serving/ must not use channels/ (but the
    # main() of an entry point, which starts them all, may).
    ("serving", {"channels"}),
    # The core stays plain Python: no framework, none of the adapters around it.
    ("explainer", {"rasa", "rasa_sdk", "sanic", "actions", "channels", "components", "serving", "rasa_fixes"}),
])
def test_packages_import_only_in_one_direction(importer, forbidden):
    offending = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & forbidden) for path in sources(importer)
    }
    assert {path: names for path, names in offending.items() if names} == {}


def exception_classes() -> Iterator[Tuple[str, type]]:
    for path in sources(*PACKAGES):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == name:
                yield f"{name}.{cls.__name__}", cls


def test_every_error_we_define_derives_from_genai_error():
    others = [name for name, cls in exception_classes() if not issubclass(cls, GenAIError)]
    assert others == [], f"errors outside the one base (explainer/errors.py GenAIError): {others}"


def test_the_knowledge_folder_is_resolved_in_one_place():
    places = [
        str(path.relative_to(ROOT)) for path in sources(*PACKAGES)
        if "GENAI_KNOWLEDGE_DIR\"" in path.read_text(encoding="utf-8")
    ]
    assert places == ["explainer/settings/environment.py"]
