"""Lexical retriever: TF-IDF on diacritic-stripped normalised text.

Character n-grams (``char_wb`` 2-5) absorb typos, missing diacritics and word-boundary
differences; word uni/bi-grams add exact phrase matches. The two cosine similarities are
mixed with ``word_weight``.

The vectorisers are fitted with scikit-learn when the index is built (:meth:`LexicalIndex.fit`)
and saved as plain arrays (vocabulary, idf, the unit matrix by feature; ``np.load`` without
pickle). Serving (:meth:`LexicalIndex.load`, :meth:`scores_folded`) needs only numpy: the
query is vectorised here exactly as scikit-learn's ``TfidfVectorizer`` does (same analysers,
sublinear tf, smoothed idf, l2 norm; a test checks both agree), which keeps scikit-learn's
import and the refit out of a cold ``troly06 ask``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.normalize import fold

CHAR_NGRAMS = (2, 5)
WORD_NGRAMS = (1, 2)
_WORD = re.compile(r"(?u)\b\w+\b")
_SPACES = re.compile(r"\s\s+")
VOCAB_FILE = "lexical_vocab.json"
ARRAYS_FILE = "lexical.npz"


def char_wb_ngrams(text: str, low: int = CHAR_NGRAMS[0], high: int = CHAR_NGRAMS[1]) -> list[str]:
    """Character n-grams inside word boundaries, as scikit-learn's ``char_wb`` analyser."""
    out: list[str] = []
    for w in _SPACES.sub(" ", text).split():
        w = f" {w} "
        for n in range(low, high + 1):
            offset = 0
            out.append(w[offset:offset + n])
            while offset + n < len(w):
                offset += 1
                out.append(w[offset:offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return out


def word_ngrams(text: str, low: int = WORD_NGRAMS[0], high: int = WORD_NGRAMS[1]) -> list[str]:
    """Word n-grams, as scikit-learn's ``word`` analyser with ``token_pattern=\\b\\w+\\b``."""
    tokens = _WORD.findall(text)
    out = list(tokens) if low == 1 else []
    for n in range(max(2, low), min(high, len(tokens)) + 1):
        out += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return out


@dataclass
class _Space:
    """One fitted TF-IDF space: vocabulary, idf and the unit matrix stored by feature."""

    vocab: dict[str, int]
    idf: np.ndarray
    indptr: np.ndarray   # feature j's units: indices[indptr[j]:indptr[j+1]]
    indices: np.ndarray
    data: np.ndarray

    def scores(self, terms: list[str], size: int) -> np.ndarray:
        """Cosine of the query made of ``terms`` with every unit."""
        out = np.zeros(size, dtype=np.float32)
        counts = Counter(t for t in terms if t in self.vocab)
        if not counts:
            return out
        feats = np.array([self.vocab[t] for t in counts], dtype=np.int64)
        weights = np.array([1.0 + math.log(c) for c in counts.values()]) * self.idf[feats]
        weights /= np.linalg.norm(weights) or 1.0
        for j, w in zip(feats, weights, strict=True):
            a, b = self.indptr[j], self.indptr[j + 1]
            out[self.indices[a:b]] += np.float32(w) * self.data[a:b]
        return out


class LexicalIndex:
    """Char + word n-gram TF-IDF over folded unit texts."""

    def __init__(self, size: int, char: _Space, word: _Space | None,
                 word_weight: float = 0.3) -> None:
        self.size = size
        self._char = char
        self._word = word
        self.word_weight = word_weight

    @classmethod
    def fit(cls, folded_texts: list[str], word_weight: float = 0.3) -> LexicalIndex:
        """Fit both vectorisers (scikit-learn, at build time)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        corpus = folded_texts if folded_texts else [""]

        def space(vec: TfidfVectorizer) -> _Space | None:
            try:
                matrix = vec.fit_transform(corpus).tocsc()
            except ValueError:  # empty vocabulary (no words at all)
                return None
            return _Space({str(k): int(v) for k, v in vec.vocabulary_.items()},
                          vec.idf_.astype(np.float64), matrix.indptr.astype(np.int64),
                          matrix.indices.astype(np.int64), matrix.data.astype(np.float32))

        char = space(TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS,
                                     sublinear_tf=True, lowercase=False, dtype=np.float32))
        word = space(TfidfVectorizer(analyzer="word", ngram_range=WORD_NGRAMS,
                                     sublinear_tf=True, token_pattern=r"(?u)\b\w+\b",
                                     lowercase=False, dtype=np.float32))
        if char is None:
            char = _Space({}, np.zeros(0), np.zeros(1, np.int64), np.zeros(0, np.int64),
                          np.zeros(0, np.float32))
        return cls(len(folded_texts), char, word, word_weight)

    def save(self, directory: Path) -> None:
        """Write ``lexical_vocab.json`` and ``lexical.npz`` into ``directory``."""
        spaces = {"char": self._char, **({"word": self._word} if self._word else {})}
        (directory / VOCAB_FILE).write_text(json.dumps(
            {"size": self.size, "word_weight": self.word_weight,
             "vocab": {k: s.vocab for k, s in spaces.items()}}, ensure_ascii=False),
            encoding="utf-8")
        np.savez(directory / ARRAYS_FILE, **{f"{k}_{a}": getattr(s, a) for k, s in spaces.items()
                                             for a in ("idf", "indptr", "indices", "data")})

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        """Read what :meth:`save` wrote (numpy only, no pickle)."""
        meta = json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8"))
        with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
            spaces = {k: _Space(v, *(arrays[f"{k}_{a}"] for a in
                                     ("idf", "indptr", "indices", "data")))
                      for k, v in meta["vocab"].items()}
        return cls(int(meta["size"]), spaces["char"], spaces.get("word"),
                   float(meta["word_weight"]))

    def scores_folded(self, folded_query: str) -> np.ndarray:
        """Similarity of an already folded query to every unit (shape (size,), 0..1)."""
        if not folded_query.strip() or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        out = (1.0 - self.word_weight) * self._char.scores(char_wb_ngrams(folded_query),
                                                           self.size)
        if self._word is not None and self.word_weight > 0:
            out += self.word_weight * self._word.scores(word_ngrams(folded_query), self.size)
        return out.astype(np.float32)

    def scores(self, query: str) -> np.ndarray:
        """Similarity of a raw query to every unit (folds it first)."""
        return self.scores_folded(fold(query))


def term_grams(folded: str) -> frozenset[str]:
    """The word unigrams and bigrams ("tam", "tam tru") of a folded text."""
    words = _WORD.findall(folded)
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


class TermStats:
    """Which word uni/bigrams each document holds (all its units together), its title's, and
    an idf over documents: what :meth:`coverage` needs to tell siblings apart ("tạm trú" vs
    "thường trú") where the TF-IDF cosines of similar entries are close.

    The idf is computed when the index is built (:meth:`from_units`, saved as ``terms.json``);
    a document's terms are gathered the first time a query needs them, so a cold process
    pays for the dozen candidates it ranks, not for every document; a long-running one
    gathers them all once at start (:meth:`warm`), so no user's question pays for it."""

    def __init__(self, idf: dict[str, float], doc_texts: list[list[str]],
                 folded_titles: list[str]) -> None:
        self.idf = idf
        self._doc_texts = doc_texts
        self._titles = folded_titles
        self._doc_terms: dict[int, frozenset[str]] = {}
        self._title_terms: dict[int, frozenset[str]] = {}
        self.unseen = math.log((len(doc_texts) + 1) / 0.5)  # an unseen term weighs most

    @classmethod
    def from_units(cls, n_docs: int, units: list[tuple[int, str]],
                   folded_titles: list[str], idf: dict[str, float] | None = None) -> TermStats:
        """From ``(document, folded unit text)`` pairs and the folded titles (the idf is
        computed from them unless it is given, e.g. read from the built index)."""
        texts: list[list[str]] = [[] for _ in range(n_docs)]
        for doc, folded in units:
            texts[doc].append(folded)
        if idf is None:  # smoothed, over the documents' term sets
            df = Counter(t for ts in texts for t in set().union(*map(term_grams, ts)))
            idf = {t: math.log((n_docs + 1) / (c + 0.5)) for t, c in df.items()}
        return cls(idf, texts, folded_titles)

    def warm(self) -> None:
        """Gather every document's and title's terms now (~0.1 s for 424 entries)."""
        for doc in range(len(self._doc_texts)):
            self.doc_terms(doc)
            self.title_terms(doc)

    def doc_terms(self, doc: int) -> frozenset[str]:
        """The uni/bigrams of every unit of document ``doc``."""
        terms = self._doc_terms.get(doc)
        if terms is None:
            terms = frozenset().union(*(term_grams(t) for t in self._doc_texts[doc]))
            self._doc_terms[doc] = terms
        return terms

    def title_terms(self, doc: int) -> frozenset[str]:
        """The uni/bigrams of document ``doc``'s title."""
        terms = self._title_terms.get(doc)
        if terms is None:
            terms = self._title_terms[doc] = term_grams(self._titles[doc])
        return terms

    def coverage(self, asked: frozenset[str], held: frozenset[str]) -> float:
        """idf-weighted share of ``asked`` terms found in ``held`` (0..1)."""
        idf, unseen = self.idf, self.unseen
        total = found = 0.0
        for t in asked:
            w = idf.get(t, unseen)
            total += w
            if t in held:
                found += w
        return found / total if total > 0 else 0.0
