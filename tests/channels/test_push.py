"""One sender for pushed messages (digest, operators' replies): each channel's limit, and a
failed or impossible send raises so that the caller keeps the message."""

from __future__ import annotations

import pytest

from gateways.push import TELEGRAM_MAX, ZALO_MAX, ChannelPusher


class FakeZalo:
    """The Zalo OA API's client, as seen from the pusher (the outside world)."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []
        self.images: list[tuple[str, str]] = []

    async def send_text(self, user_id: str, text: str) -> None:
        self.texts.append((user_id, text))

    async def send_image(self, user_id: str, url: str) -> None:
        self.images.append((user_id, url))


class FakeMedia:
    base_url = "https://troly06.example"

    def put(self, png: bytes) -> str:
        return "abc123"


async def test_a_long_operator_reply_to_zalo_is_split_to_its_limit() -> None:
    zalo = FakeZalo()
    pusher = ChannelPusher(zalo=zalo, media=FakeMedia())
    words = " ".join(f"từ{n}" for n in range(1500))  # ~7,400 characters
    await pusher.text("zalo", "u1", words)
    assert len(zalo.texts) >= 4 and all(len(t) <= ZALO_MAX for _, t in zalo.texts)
    assert " ".join(t for _, t in zalo.texts).split() == words.split()  # nothing lost
    await pusher.image("zalo", "u1", b"\x89PNG")
    assert zalo.images == [("u1", "https://troly06.example/media/abc123.png")]
    await pusher.aclose()


async def test_unconfigured_or_unknown_channels_raise() -> None:
    pusher = ChannelPusher()
    with pytest.raises(RuntimeError, match="Telegram"):
        await pusher.text("telegram", "1", "xin chào")
    with pytest.raises(RuntimeError, match="Zalo"):
        await pusher.text("zalo", "1", "xin chào")
    with pytest.raises(ValueError):
        await pusher.text("widget", "1", "xin chào")
    assert TELEGRAM_MAX == 4096
    await pusher.aclose()
