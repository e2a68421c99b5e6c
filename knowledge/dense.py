"""Dense retriever: unit embeddings in a FAISS inner-product index (cosine on L2-normalised
vectors). Saved with ``faiss.write_index`` (never pickle)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import faiss
import numpy as np

from knowledge.encoders import Encoder


class DenseIndex:
    """Exact (``IndexFlatIP``) search over the embeddings of every indexed unit."""

    def __init__(self, index: faiss.Index) -> None:
        self.index = index

    @property
    def size(self) -> int:
        """Number of indexed vectors."""
        return int(self.index.ntotal)

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self.index.d)

    @classmethod
    def build(cls, encoder: Encoder, texts: list[str], batch_size: int = 32,
              reuse: Mapping[str, np.ndarray] | None = None) -> DenseIndex:
        """Embed ``texts`` as passages and index them; vectors found in ``reuse`` (by exact
        text, from an earlier build with the same encoder) are not recomputed."""
        reuse = reuse or {}
        vectors = np.zeros((len(texts), encoder.dim), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t not in reuse]
        for i, t in enumerate(texts):
            if t in reuse:
                vectors[i] = reuse[t]
        for start in range(0, len(todo), batch_size):
            batch = todo[start:start + batch_size]
            vectors[batch] = encoder.encode_passages([texts[i] for i in batch])
        index = faiss.IndexFlatIP(encoder.dim)
        if len(texts):
            index.add(np.ascontiguousarray(vectors))
        return cls(index)

    def save(self, path: Path) -> None:
        """Write the FAISS index to ``path``."""
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        """Read an index written by :meth:`save`."""
        return cls(faiss.read_index(str(path)))

    def scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of the query to every unit, in unit order (shape (size,))."""
        q = np.ascontiguousarray(np.asarray(query_vector, dtype=np.float32).reshape(1, -1))
        n = self.size
        out = np.full(n, -1.0, dtype=np.float32)
        if n == 0:
            return out
        sims, ids = self.index.search(q, n)
        valid = ids[0] >= 0
        out[ids[0][valid]] = sims[0][valid]
        return out
