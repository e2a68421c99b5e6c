"""Retry Bot API calls: wait ``retry_after`` on 429, back off on network errors."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ATTEMPTS = 5
MAX_RETRY_AFTER_S = 60.0


def retry_after_seconds(exc: RetryAfter) -> float:
    """``exc.retry_after`` in seconds (PTB 22 may give an int or a timedelta)."""
    value = exc.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)


async def with_retry(call: Callable[[], Awaitable[T]], *, attempts: int = MAX_ATTEMPTS,
                     base_delay: float = 0.5) -> T:
    """Run ``call()``; on 429 wait as told, on network errors back off 0.5, 1, 2, 4 s."""
    delay = base_delay
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except BadRequest:  # a NetworkError subclass in PTB, but retrying cannot help
            raise
        except RetryAfter as exc:
            if attempt == attempts:
                raise
            wait = min(retry_after_seconds(exc), MAX_RETRY_AFTER_S)
            log.warning("Telegram rate limit (429): retrying in %.1fs", wait)
            await asyncio.sleep(wait)
        except (TimedOut, NetworkError) as exc:
            if attempt == attempts:
                raise
            log.warning("Telegram network error (%s): retrying in %.1fs", exc, delay)
            await asyncio.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover
