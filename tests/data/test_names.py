"""explainer/names.py and domain.yml agree, and every action domain.yml declares is served by a class."""

import ast
from pathlib import Path
from typing import Dict, Set

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from explainer import names
from tests.support.paths import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
# Code that must name the conversation through explainer/names.py, not with string literals.
USERS = sorted((ROOT / "actions").glob("*.py")) + [
    ROOT / "explainer" / name for name in ("answers.py", "payloads.py", "feedback.py")
]


def declared() -> Dict[type, Set[str]]:
    return {
        names.Intent: set(DOMAIN["intents"]),
        names.Entity: set(DOMAIN["entities"]),
        names.Slot: set(DOMAIN["slots"]),
        names.Action: set(DOMAIN["actions"]),
        names.Form: set(DOMAIN["forms"]),
        names.Response: set(DOMAIN["responses"]),
    }


@pytest.mark.parametrize("kind", list(declared()), ids=lambda kind: kind.__name__)
def test_every_name_the_code_uses_is_declared_in_the_domain(kind):
    missing = {key: value for key, value in names.names(kind).items() if value not in declared()[kind]}
    assert not missing, f"explainer/names.py {kind.__name__} names that domain.yml does not declare: {missing}"


def test_rasas_own_names_are_not_mistaken_for_ours():
    everything = set().union(*declared().values())
    assert not set(names.names(names.Rasa).values()) & everything


def _literals(path: Path) -> Dict[str, int]:
    """String constants in the code of `path` (docstrings left out) and the line of each."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value: node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    }


# Strings that equal a domain name but mean something else where they are written.
OTHER_MEANINGS = {
    # The rating stored in the feedback_given slot for the report, not the entity.
    ("actions/feedback.py", "helpful"),
}


@pytest.mark.parametrize("path", USERS, ids=lambda path: str(path.relative_to(ROOT)))
def test_the_code_names_the_conversation_through_the_names_module(path):
    """A name the domain declares, written as a literal, would not follow a rename in explainer/names.py."""
    domain_names = set().union(*declared().values())
    where = str(path.relative_to(ROOT))
    literals = {
        text: line for text, line in _literals(path).items()
        if text in domain_names and (where, text) not in OTHER_MEANINGS
    }
    assert not literals, f"{where} writes domain names as literals (use explainer/names.py): {literals}"


def test_every_action_the_domain_declares_has_a_class_in_the_action_server():
    # The way rasa-sdk's action server finds them: every Action subclass in the `actions` package.
    executor = ActionExecutor()
    executor.register_package("actions")
    missing = sorted(set(DOMAIN["actions"]) - set(executor.actions))
    assert not missing, f"domain.yml declares actions no class in actions/ serves: {missing}"


def test_every_guide_question_action_has_a_class():
    executor = ActionExecutor()
    executor.register_package("actions")
    ours = set(names.names(names.Action).values())  # action_ask_rephrase is no guide question
    asked = [name for name in DOMAIN["actions"] if name.startswith(names.Action.ASK_FACTOR_PREFIX) and name not in ours]
    # One per required slot of the guide form: that is what Rasa's form asks with.
    required = DOMAIN["forms"][names.Form.DECISION_GUIDE]["required_slots"]
    assert sorted(asked) == sorted(f"action_ask_{slot}" for slot in required)
    assert all(name in executor.actions for name in asked)
