"""Small helpers shared by the action modules (no domain logic here)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from stats.access import Official
from troly06.identity import ANONYMOUS, METADATA_KEY, Identity, verify_identity
from troly06.pii import mask_pii


def identity(tracker: Tracker) -> Identity:
    """Who sent the latest message, as the gateway signed it; anonymous when unverified.

    The Rasa ``sender`` string and ``input_channel`` are chosen by whoever calls Rasa, so they
    prove nothing: only a valid, fresh signature over this conversation's sender id does.
    """
    from troly06.config import get_settings

    settings = get_settings()
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    found = verify_identity(metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None,
                            tracker.sender_id or "", settings.secret("identity"),
                            max_age_s=settings.identity_max_age_s)
    return found or ANONYMOUS


def current_official(tracker: Tracker) -> Official | None:
    """The official behind the verified identity of the latest message, or None."""
    from stats.access import get_store
    from troly06.config import get_settings

    who = identity(tracker)
    if who.official is None:
        return None
    return get_store(get_settings().officials_file).get(who.official)


def channel_and_user(tracker: Tracker) -> tuple[str, str]:
    """(channel, user id) of the verified identity; ("anonymous", "") when unverified."""
    who = identity(tracker)
    return who.channel, who.user_id


def latest_text(tracker: Tracker) -> str:
    """The latest user message, masked (it is already masked upstream; this is belt and braces)."""
    return mask_pii(str(tracker.latest_message.get("text") or ""))


def had_pii(tracker: Tracker) -> bool:
    """True when the latest user message carried personal data (now masked): the gateway or
    Rasa's channel says so in the metadata (``pii``), the tokenizer when it masked a number
    itself; the masks in the text are not looked for."""
    latest = tracker.latest_message or {}
    metadata: Any = latest.get("metadata") or {}
    flagged: Any = latest.get("pii") or (metadata.get("pii") if isinstance(metadata, dict)
                                          else None)
    return bool(flagged)


def buttons(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    """Rasa buttons from ``(title, payload)`` pairs."""
    return [{"title": title, "payload": payload} for title, payload in pairs]



