"""Lexical retriever: TF-IDF on diacritic-stripped normalised text.

Character n-grams (``char_wb`` 2-5) absorb typos, missing diacritics and word-boundary
differences; word uni/bi-grams add exact phrase matches. The two cosine similarities are
mixed with ``word_weight``. The vectoriser is refitted from the stored unit texts at load
time (deterministic, under a second, and no pickled objects on disk).
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from knowledge.normalize import fold


class LexicalIndex:
    """Char + word n-gram TF-IDF over folded unit texts."""

    def __init__(self, folded_texts: list[str], word_weight: float = 0.3) -> None:
        self.word_weight = word_weight
        self.size = len(folded_texts)
        corpus = folded_texts if folded_texts else [""]
        self._char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                     min_df=1, lowercase=False, dtype=np.float32)
        self._word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                     token_pattern=r"(?u)\b\w+\b", lowercase=False,
                                     dtype=np.float32)
        self._char_m = self._char.fit_transform(corpus)
        try:
            self._word_m = self._word.fit_transform(corpus)
        except ValueError:  # empty vocabulary (no words at all)
            self._word_m = None

    def scores_folded(self, folded_query: str) -> np.ndarray:
        """Similarity of an already folded query to every unit (shape (size,), 0..1)."""
        out = np.zeros(self.size, dtype=np.float32)
        if not folded_query.strip() or self.size == 0:
            return out
        char = (self._char_m @ self._char.transform([folded_query]).T).toarray().ravel()
        out += (1.0 - self.word_weight) * char[: self.size]
        if self._word_m is not None and self.word_weight > 0:
            word = (self._word_m @ self._word.transform([folded_query]).T).toarray().ravel()
            out += self.word_weight * word[: self.size]
        return out

    def scores(self, query: str) -> np.ndarray:
        """Similarity of a raw query to every unit (folds it first)."""
        return self.scores_folded(fold(query))
