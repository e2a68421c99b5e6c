"""Access control: officials only, each for their localities; refusals logged safely."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from stats.access import (
    can_view,
    can_view_with_key,
    find_official,
    hash_user,
    load_officials,
    official_for_api_key,
)

OFFICIALS = Path(__file__).resolve().parents[2] / "config" / "officials.yaml"


def test_example_file_loads() -> None:
    officials = load_officials(OFFICIALS)
    assert len(officials) >= 4
    assert {o.channel for o in officials} >= {"telegram", "zalo", "api"}


def test_non_official_is_refused_and_logged_without_content(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="troly06.stats.access")
    assert not can_view("telegram", "999999999", "Ngã Bảy", path=OFFICIALS)
    record = caplog.records[-1]
    message = record.getMessage()
    assert "999999999" not in message  # user id hashed
    assert hash_user("999999999") in message and "telegram" in message
    assert "Ngã Bảy" in message and "not_official" in message


@pytest.mark.parametrize(("locality", "allowed"), [
    ("Ngã Bảy", True), ("TP Ngã Bảy", True), ("nga bay", True),
    ("Vị Thanh", False), ("tỉnh Hậu Giang", False), ("Hậu Giang", False)])
def test_district_official_sees_only_own_locality(locality: str, allowed: bool) -> None:
    assert can_view("telegram", "100000001", locality, path=OFFICIALS) is allowed


@pytest.mark.parametrize(("locality", "allowed"), [
    ("Ngã Bảy", True), ("Vị Thủy", True), ("thị xã Long Mỹ", True), ("tỉnh Hậu Giang", True),
    ("Phú Quốc", False), ("Kiên Giang", False)])
def test_province_wildcard(locality: str, allowed: bool) -> None:
    assert can_view("telegram", "100000002", locality, path=OFFICIALS) is allowed


def test_channel_matters() -> None:
    assert can_view("zalo", "zalo-demo-3001", "huyện Châu Thành", path=OFFICIALS)
    assert can_view("zalo", "zalo-demo-3001", "Châu Thành A", path=OFFICIALS)
    assert not can_view("telegram", "zalo-demo-3001", "huyện Châu Thành", path=OFFICIALS)
    assert find_official("zalo", "100000001", path=OFFICIALS) is None


def test_api_keys(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="troly06.stats.access")
    admin = official_for_api_key("dev-key-admin-please-change", path=OFFICIALS)
    assert admin is not None and admin.sees("Phú Quốc")
    assert official_for_api_key("wrong", path=OFFICIALS) is None
    assert official_for_api_key("", path=OFFICIALS) is None
    assert can_view_with_key("dev-key-haugiang-please-change", "Vị Thanh", path=OFFICIALS)
    assert not can_view_with_key("dev-key-haugiang-please-change", "Phú Quốc", path=OFFICIALS)
    assert "dev-key-haugiang" not in caplog.text


def test_missing_file_means_nobody(tmp_path: Path) -> None:
    assert load_officials(tmp_path / "none.yaml") == []
    assert not can_view("telegram", "100000001", "Ngã Bảy", path=tmp_path / "none.yaml")


def test_settings_path_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from troly06.config import get_settings

    custom = tmp_path / "officials.yaml"
    custom.write_text("officials:\n  - {name: A, channel: rest, user_id: u1, "
                      "localities: ['Vị Thanh']}\n", encoding="utf-8")
    monkeypatch.setenv("TROLY06_OFFICIALS_FILE", str(custom))
    get_settings.cache_clear()
    assert can_view("rest", "u1", "Vị Thanh")
    assert not can_view("telegram", "100000001", "Ngã Bảy")
