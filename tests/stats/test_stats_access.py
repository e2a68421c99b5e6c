"""Officials store and scope checks: validated file, resolved scopes, hashed keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from stats.access import (
    OfficialsFileError,
    authorize,
    can_view,
    find_official,
    get_store,
    hash_key,
    load_officials,
    official_for_api_key,
    resolve_unit,
)

OFFICIALS = Path(__file__).resolve().parents[2] / "tests" / "data" / "officials_test.yaml"
EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "officials.yaml"
ADMIN_KEY = "test-admin-" + "a" * 32


def test_officials_load_with_resolved_scopes() -> None:
    officials = {o.id: o for o in load_officials(OFFICIALS)}
    assert officials["ngabay-telegram"].localities == ("thành phố Ngã Bảy",)
    assert officials["admin-api"].everything
    assert not can_view("telegram", "999999999", "Ngã Bảy", path=OFFICIALS)


@pytest.mark.parametrize(("locality", "allowed"), [
    ("Ngã Bảy", True), ("TP Ngã Bảy", True), ("nga bay", True), ("thành phố Ngã Bảy", True),
    ("Vị Thanh", False), ("tỉnh Hậu Giang", False), ("Hậu Giang", False)])
def test_district_official_sees_only_its_unit(locality: str, allowed: bool) -> None:
    assert can_view("telegram", "100000001", locality, path=OFFICIALS) is allowed


@pytest.mark.parametrize(("locality", "allowed"), [
    ("Vị Thanh", True), ("tỉnh Hậu Giang", True), ("Phú Quốc", False), ("Ninh Kiều", False)])
def test_province_official(locality: str, allowed: bool) -> None:
    assert can_view("telegram", "100000002", locality, path=OFFICIALS) is allowed


def test_channel_must_match() -> None:
    assert can_view("zalo", "zalo-demo-3001", "huyện Châu Thành", path=OFFICIALS)
    assert not can_view("telegram", "zalo-demo-3001", "huyện Châu Thành", path=OFFICIALS)
    assert find_official("zalo", "100000001", path=OFFICIALS) is None


def test_fuzzy_and_ambiguous_names_ask_to_confirm_never_answer() -> None:
    store = get_store(OFFICIALS)
    longmy_tx = store.get("longmy-tx-api")
    # "Long Mỹ" is both a huyện and a thị xã: the thị xã official is asked which one
    decision = authorize(longmy_tx, "Long Mỹ")
    assert decision.status == "confirm"
    assert [u.display for u in decision.candidates] == ["thị xã Long Mỹ"]
    assert authorize(longmy_tx, "huyện Long Mỹ").status == "denied"
    assert authorize(longmy_tx, "thị xã Long Mỹ").allowed
    # "Châu Thành" must not resolve to "Châu Thành A" (a spelling neighbour)
    assert resolve_unit("Châu Thành").unit.display == "huyện Châu Thành"  # type: ignore[union-attr]
    assert resolve_unit("Chau Thanh B").status in ("confirm", "unknown")
    assert not resolve_unit("Chau Thanh B").allowed
    # a misspelt name is never answered, only offered
    assert authorize(store.get("ngabay-telegram"), "Ngã Bẩy xyz").status != "allowed"


def test_api_keys_are_hashed_and_long() -> None:
    admin = official_for_api_key(ADMIN_KEY, path=OFFICIALS)
    assert admin is not None and admin.everything
    assert official_for_api_key("wrong", path=OFFICIALS) is None
    assert official_for_api_key("", path=OFFICIALS) is None
    assert official_for_api_key(hash_key(ADMIN_KEY), path=OFFICIALS) is None  # hash ≠ key
    assert ADMIN_KEY not in OFFICIALS.read_text(encoding="utf-8")


def test_example_file_has_no_working_key() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "please-change" not in text and "api_key:" not in text
    for off in load_officials(EXAMPLE):
        if off.channel == "api":
            assert official_for_api_key(ADMIN_KEY, path=EXAMPLE) is None


@pytest.mark.parametrize(("entry", "message"), [
    ('{name: x, channel: rest, user_id: demo, localities: ["*"]}', "rest"),
    ('{name: x, channel: api, api_key: "dev-key-please-change", localities: ["*"]}', "plain"),
    ('{name: x, channel: api, api_key_sha256: "abc", localities: ["*"]}', "64 hex"),
    ('{name: x, channel: telegram, user_id: "1", localities: ["Long Mỹ"]}', "exactly one"),
    ('{name: x, channel: telegram, user_id: "1", localities: ["Atlantis"]}', "exactly one"),
    ('{name: x, channel: telegram, user_id: "1", localities: []}', "non-empty"),
    ('{name: x, channel: fax, user_id: "1", localities: ["*"]}', "unknown channel"),
])
def test_invalid_officials_files_are_refused(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "officials.yaml"
    path.write_text(f"officials:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(OfficialsFileError, match=message):
        load_officials(path)


def test_store_is_cached_and_reloaded_on_change(tmp_path: Path) -> None:
    path = tmp_path / "officials.yaml"
    path.write_text(OFFICIALS.read_text(encoding="utf-8"), encoding="utf-8")
    first = get_store(path)
    assert get_store(path) is first
    path.write_text("officials: []\n", encoding="utf-8")
    assert get_store(path) is not first and not get_store(path).officials


def test_missing_file_means_no_officials(tmp_path: Path) -> None:
    assert not can_view("telegram", "100000001", "Ngã Bảy", path=tmp_path / "none.yaml")
