"""Editing knowledge/ takes effect without a restart; a bad edit keeps the last good knowledge base."""

import os
from pathlib import Path

import pytest

from explainer.errors import KnowledgeBaseError
from explainer.store import KnowledgeStore


def rewrite(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    path.write_text(content.replace(old, new, 1), encoding="utf-8")
    stat = path.stat()
    # Same-second edits must still count as changes.
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_edited_text_is_served_without_restart(fixture_kb_dir: Path) -> None:
    store = KnowledgeStore(fixture_kb_dir)
    assert store.current().entries["gan"].simple.startswith("One network fakes")
    rewrite(fixture_kb_dir / "entries.yml", "One network fakes", "A forger and a detective")
    assert store.current().entries["gan"].simple.startswith("A forger and a detective")


def test_invalid_edit_keeps_the_previous_knowledge_base(fixture_kb_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = KnowledgeStore(fixture_kb_dir)
    rewrite(fixture_kb_dir / "entries.yml", "related: [vae]", "related: [nonexistent]")
    kb = store.current()
    assert kb.entries["gan"].related == ("vae",)
    assert "unknown id 'nonexistent'" in caplog.text


def test_invalid_knowledge_base_refuses_to_load(fixture_kb_dir: Path) -> None:
    rewrite(fixture_kb_dir / "entries.yml", "category: tool", "category: gadget")
    with pytest.raises(KnowledgeBaseError):
        KnowledgeStore(fixture_kb_dir)
