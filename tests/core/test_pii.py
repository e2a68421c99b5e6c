"""The personal-data guard: ID and phone numbers are found, masked and kept out of logs."""

import logging

import pytest

from troly06.pii import ID_MASK, PHONE_MASK, PiiFormatter, contains_pii, find_pii, mask_pii


@pytest.mark.parametrize(
    "text",
    [
        "số cccd của em là 079203001234",
        "CCCD 079 203 001 234 bị sai tên",
        "cmnd cũ 385123456 còn dùng được không",
        "cmnd 385.123.456",
    ],
)
def test_id_numbers_are_masked(text: str) -> None:
    masked = mask_pii(text)
    assert ID_MASK in masked
    assert not any(ch.isdigit() for ch in masked.replace("cccd", ""))
    assert find_pii(text) == ["id"]


@pytest.mark.parametrize("text", ["gọi em 0912345678", "sdt +84 912 345 678", "đt 0912.345.678"])
def test_phone_numbers_are_masked(text: str) -> None:
    masked = mask_pii(text)
    assert PHONE_MASK in masked
    assert "345" not in masked
    assert "phone" in find_pii(text)


@pytest.mark.parametrize(
    "text",
    [
        "lệ phí cấp đổi 30.000 đồng",
        "tuần 28 năm 2023",
        "từ 06/7 đến 12/7/2023",
        "Nghị định 69/2024/NĐ-CP",
        "1.421/1.641 trường hợp",
        "25 dịch vụ công thiết yếu",
        "",
    ],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask_pii(text) == text
    assert not contains_pii(text)


def test_thirteen_digits_is_not_an_id_but_twelve_inside_text_is() -> None:
    assert not contains_pii("mã 1234567890123")
    assert contains_pii("mã:123456789012.")


def test_log_formatter_masks_child_loggers_and_tracebacks() -> None:
    """The formatter sits on the handler: child loggers and exception text are masked too,
    and the record itself is left alone (uvicorn's access formatter reads its args)."""
    import io

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(PiiFormatter(logging.Formatter("%(name)s %(message)s")))
    parent = logging.getLogger("troly06.test.pii")
    parent.addHandler(handler)
    parent.setLevel(logging.INFO)
    try:
        child = logging.getLogger("troly06.test.pii.child")
        record_args = ("số của tôi 079203001234, gọi 0912345678",)
        child.info("user said %s", *record_args)
        try:
            raise ValueError("bad id 079203001234")
        except ValueError:
            child.exception("failed for 0912 345 678")
    finally:
        parent.removeHandler(handler)
    text = stream.getvalue()
    assert "079203001234" not in text and "0912345678" not in text and "345 678" not in text
    assert ID_MASK in text and PHONE_MASK in text and "Traceback" in text


def test_iso_dates_and_log_timestamps_are_not_masked() -> None:
    for text in ("2026-12-01 09:56:52 INFO rasa", "hạn 2026-12-31", "2026-12-01T09:56:52,123"):
        assert mask_pii(text) == text
    assert ID_MASK in mask_pii("2026-12-01 số 079203001234")
