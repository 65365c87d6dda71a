"""Importing our code changes nothing in Rasa; rasa_fixes.apply(), called by the components package, is the one place.

Each check runs in a fresh interpreter: this test process has the fixes applied already (other tests import
components), so only a new process shows what an import does.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.support.paths import ROOT

# Each test starts a fresh interpreter that imports Rasa and our packages: about 10 s apiece on a busy 2-core machine.
pytestmark = pytest.mark.slow


# Prints {attribute: id of what Rasa holds there} for every place rasa_fixes replaces something.
SNAPSHOT = """
def snapshot():
    import rasa.core.tracker_store as ts
    from rasa.core.actions.action import ActionSessionStart, RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.events import Event
    from rasa.utils.endpoints import EndpointConfig
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    return {
        "RemoteAction.run": id(RemoteAction.run),
        "RemoteAction._validate_action_result": id(RemoteAction._validate_action_result),
        "Event.resolve_by_type": id(Event.__dict__["resolve_by_type"]),
        "EndpointConfig.session": id(EndpointConfig.session),
        "MessageProcessor._has_session_expired": id(MessageProcessor._has_session_expired),
        "ActionSessionStart.run": id(ActionSessionStart.run),
        "SQLTrackerStore.session_scope": id(ts.SQLTrackerStore.session_scope),
        "FailSafeTrackerStore.on_tracker_store_error": id(ts.FailSafeTrackerStore.on_tracker_store_error),
        "create_engine_kwargs": id(ts.create_engine_kwargs),
        "Engine connect listeners": len(event.registry._key_to_collection),
    }
"""

# Every module of ours a Rasa or action-server process can import, except the components package.
PACKAGES = ("actions", "channels", "serving", "rasa_fixes", "explainer", "deploy", "insights")


def modules():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SNAPSHOT + code], cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )


def test_importing_any_module_but_components_patches_nothing():
    code = f"""
import importlib, json
before = snapshot()
changed = {{}}
for name in {modules()!r}:
    importlib.import_module(name)
    now = snapshot()
    if now != before:
        changed[name] = sorted(key for key in now if now[key] != before[key])
        before = now
print(json.dumps(changed))
"""
    result = run(code)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {}


def test_the_components_package_applies_every_fix():
    result = run("before = snapshot()\nimport components, json\nafter = snapshot()\n"
                 "print(json.dumps(sorted(k for k in after if after[k] == before[k])))")
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_applying_twice_changes_nothing_more():
    code = """
import json, rasa_fixes
from rasa_fixes import action_timeout
rasa_fixes.apply()
first = snapshot()
rasa_fixes.apply()
# Not wrapped twice: the time limit still wraps Rasa's own run, once.
print(json.dumps([first == snapshot(), action_timeout._original_run is not action_timeout.bounded_run]))
"""
    result = run(code)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True]


def test_another_rasa_version_is_refused_with_a_sentence_and_nothing_is_patched():
    code = """
import json, rasa_fixes
before = snapshot()
try:
    rasa_fixes.apply(installed="3.6.20")
    message = None
except rasa_fixes.WrongRasaVersion as error:
    message = str(error)
print(json.dumps([message, before == snapshot()]))
"""
    result = run(code)
    assert result.returncode == 0, result.stderr[-3000:]
    message, unchanged = json.loads(result.stdout.strip().splitlines()[-1])
    assert message is not None and unchanged
    assert "Rasa 3.6.20 is installed" in message and "rasa==3.6.21" in message


def test_importing_the_knowledge_store_never_exits_even_on_an_invalid_knowledge_base(tmp_path):
    (tmp_path / "entries.yml").write_text("entries: [this is not an entry]\n", encoding="utf-8")
    code = """
import actions.knowledge
from explainer.errors import KnowledgeBaseError
try:
    actions.knowledge.knowledge()
except KnowledgeBaseError:
    print("refused on first use")
"""
    result = run(code, GENAI_KNOWLEDGE_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "refused on first use"
