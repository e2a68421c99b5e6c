"""The NLU's unit lookup table is generated from the statistics' dataset and up to date."""

from __future__ import annotations

from devtools import nlu_lookups


def test_the_committed_lookup_matches_the_dataset() -> None:
    assert nlu_lookups.main(["--check"]) == 0, "run: python -m devtools.nlu_lookups"


def test_it_holds_todays_communes_and_old_districts_in_both_spellings() -> None:
    names = set(nlu_lookups.names())
    assert {"phường tân an", "phuong tan an", "đặc khu phú quốc", "huyện châu thành",
            "huyen chau thanh", "thành phố cần thơ", "ngã bảy"} <= names
    assert len(names) > 2 * 3321  # every commune of the 34 provinces, both spellings
