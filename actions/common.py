"""Small helpers shared by the action modules (no domain logic here)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from troly06.pii import mask_pii

KNOWN_CHANNELS = ("telegram", "zalo", "rest", "api", "socketio", "web")


def channel_and_user(tracker: Tracker) -> tuple[str, str]:
    """Which channel and channel user id this conversation belongs to.

    Gateways that forward other channels to the REST webhook (the API's Telegram and Zalo
    handlers) use sender ids of the form ``"<channel>:<user id>"``; otherwise the Rasa input
    channel name (``rest``, ``socketio``) and the sender id are used as they are.
    """
    sender = tracker.sender_id or ""
    prefix, sep, rest = sender.partition(":")
    if sep and prefix.lower() in KNOWN_CHANNELS and rest:
        return prefix.lower(), rest
    channel = tracker.get_latest_input_channel() or "rest"
    return channel, sender


def latest_text(tracker: Tracker) -> str:
    """The latest user message, masked (it is already masked upstream; this is belt and braces)."""
    return mask_pii(str(tracker.latest_message.get("text") or ""))


def had_pii(tracker: Tracker) -> bool:
    """True when the latest user message carried an ID or phone number (now masked)."""
    flagged: Any = tracker.latest_message.get("pii") or []
    text = str(tracker.latest_message.get("text") or "")
    return bool(flagged) or "[số định danh đã ẩn]" in text or "[số điện thoại đã ẩn]" in text


def buttons(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    """Rasa buttons from ``(title, payload)`` pairs."""
    return [{"title": title, "payload": payload} for title, payload in pairs]


MAIN_TOPIC_BUTTONS = buttons(
    ("Tài khoản VNeID", "Kích hoạt tài khoản VNeID mức 2 thế nào?"),
    ("Thẻ căn cước (CCCD)", "Thủ tục cấp đổi thẻ căn cước như thế nào?"),
    ("Cư trú", "Đăng ký thường trú cần giấy tờ gì?"),
    ("Gặp cán bộ hỗ trợ", "Tôi muốn gặp cán bộ hỗ trợ"),
)
