"""Diacritic restoration for the dense retriever."""

from __future__ import annotations

import numpy as np

from knowledge.index import KnowledgeIndex
from knowledge.normalize import normalize
from knowledge.restore import DiacriticRestorer

CORPUS = ["đăng ký thường trú ở đâu", "bản sao giấy khai sinh", "quên mật khẩu vneid",
          "bán nhà", "đăng ký tạm trú"]


def test_restores_with_bigram_context() -> None:
    r = DiacriticRestorer(CORPUS)
    assert r.restore("dang ky thuong tru o dau") == "đăng ký thường trú ở đâu"
    assert r.restore("ban sao khai sinh") == "bản sao khai sinh"
    assert r.restore("ban nha") == "bán nhà"
    assert r.restore("quen mk xyz") == "quên mk xyz"  # unknown words stay


def test_only_diacritic_free_text_needs_restoring() -> None:
    assert DiacriticRestorer.needs_restoring("dang ky tam tru")
    assert not DiacriticRestorer.needs_restoring("đăng ký tạm trú")
    assert not DiacriticRestorer.needs_restoring("12345")
    assert not DiacriticRestorer.needs_restoring("")


def test_restoration_helps_dense_retrieval(fixture_index: KnowledgeIndex) -> None:
    ids = [d["id"] for d in fixture_index.docs]
    q = normalize("dang ky tam tru cho nguoi thue tro o dau")
    restored = fixture_index.dense_scores(q)
    plain = fixture_index.dense_scores(q, restore=False)
    target = ids.index("temporary_residence")
    assert ids[int(np.argmax(restored))] == "temporary_residence"
    assert restored[target] > plain[target]


def test_tables_survive_a_round_trip() -> None:
    r = DiacriticRestorer(CORPUS)
    again = DiacriticRestorer.from_dict(r.to_dict())
    for text in ("dang ky tam tru", "ban sao giay khai sinh", "xyz"):
        assert again.restore(text) == r.restore(text)
