"""Redis lock store whose ticket operations are atomic across Rasa replicas.

Several Rasa servers share one conversation only safely when they take turns: Rasa's
``LockStore`` hands out numbered tickets per conversation and a server processes a message only
when its ticket is the one being served. Rasa's own ``RedisLockStore`` keeps that ticket queue
in one Redis key but changes it with separate GET and SET calls, so two replicas working on the
same conversation at the same moment can

* both read the queue, both append "ticket 3", and both believe they are being served;
* drop a ticket another replica just issued (its ``finish_serving`` writes back a stale
  queue), or delete the key while a newcomer waits on it — the newcomer then fails with
  ``LockError`` and its message is lost.

Within one process this never shows (asyncio runs one of those calls at a time); across
replicas it does. This store runs every read-modify-write on the queue inside a Redis
optimistic transaction (``WATCH``/``MULTI``/``EXEC``, retried on conflict), and gives the key
an expiry a little past its last ticket's, so the queue of a replica that died mid-turn
disappears by itself.

``deploy/endpoints.yml`` selects it::

    lock_store:
      type: bot.plugins.lock_store.AtomicRedisLockStore

Connection: ``REDIS_URL`` (``redis://[:password@]host:port/db``), else the endpoint's
``url``/``port``/``db``/``password`` keys, else ``localhost:6379/1``. Ticket lifetime:
Rasa's ``TICKET_LOCK_LIFETIME`` (seconds; 60 by default) — it must exceed the slowest turn.
"""

# Optional[...] kept: the file is shared with Python 3.10 (Rasa env).
# ruff: noqa: UP045

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from typing import Any, Optional, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

log = logging.getLogger(__name__)
T = TypeVar("T")
# seconds the key outlives its last ticket (a waiting replica re-reads it every second)
KEY_GRACE_S = 5.0
MAX_CONFLICT_RETRIES = 100


def redis_kwargs_from_url(url: str) -> dict[str, Any]:
    """``redis://:pw@host:port/db`` → keyword arguments of :class:`RedisLockStore`."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme not in {"redis", "rediss"}:
        raise ValueError(f"REDIS_URL must start with redis:// or rediss:// (got {parsed.scheme!r})")
    kwargs: dict[str, Any] = {"host": parsed.hostname or "localhost",
                               "port": parsed.port or 6379,
                               "use_ssl": parsed.scheme == "rediss"}
    db = (parsed.path or "/").lstrip("/")
    kwargs["db"] = int(db) if db else 1
    if parsed.username:
        kwargs["username"] = unquote(parsed.username)
    if parsed.password:
        kwargs["password"] = unquote(parsed.password)
    return kwargs


class AtomicRedisLockStore(RedisLockStore):
    """:class:`RedisLockStore` with atomic ticket operations and self-expiring keys."""

    def __init__(self, endpoint_config: Optional[Any] = None, **kwargs: Any) -> None:
        url = os.environ.get("REDIS_URL", "").strip()
        if url:
            kwargs = {**kwargs, **redis_kwargs_from_url(url)}
        elif endpoint_config is not None:
            options = dict(endpoint_config.kwargs or {})
            if endpoint_config.url:
                options.setdefault("host", endpoint_config.url)
            kwargs = {**options, **kwargs}
        kwargs.pop("type", None)
        prefix = kwargs.pop("key_prefix", None) or "troly06"
        super().__init__(key_prefix=prefix, **kwargs)
        self.red.ping()  # fail at start-up, not on the first message

    # -- one atomic read-modify-write on a conversation's ticket queue -------------------------

    def _transact(self, conversation_id: str,
                  change: Callable[[Optional[TicketLock]], tuple[T, Optional[TicketLock]]]) -> T:
        """Apply ``change`` (old lock → result, new lock or None to delete) atomically."""
        from redis.exceptions import WatchError

        key = self.key_prefix + conversation_id
        for _ in range(MAX_CONFLICT_RETRIES):
            with self.red.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    result, new_lock = change(lock)
                    pipe.multi()
                    if new_lock is None or not new_lock.tickets:
                        pipe.delete(key)
                    else:
                        last_expiry = max(t.expires for t in new_lock.tickets)
                        ttl_ms = max(1, int((last_expiry - time.time() + KEY_GRACE_S) * 1000))
                        pipe.set(key, new_lock.dumps(), px=ttl_ms)
                    pipe.execute()
                    return result
                except WatchError:
                    continue  # another replica changed the queue meanwhile: read it again
        raise LockError(f"Too much contention on the lock of conversation '{conversation_id}'.")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Append a ticket to the conversation's queue atomically; return its number."""

        def change(lock: Optional[TicketLock]) -> tuple[int, Optional[TicketLock]]:
            lock = lock or self.create_lock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock

        try:
            return self._transact(conversation_id, change)
        except LockError:
            raise
        except Exception as exc:  # connection errors: same contract as Rasa's stores
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets atomically (called while waiting for the lock)."""

        def change(lock: Optional[TicketLock]) -> tuple[None, Optional[TicketLock]]:
            if lock is not None:
                lock.remove_expired_tickets()
            return None, lock

        self._transact(conversation_id, change)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove this ticket atomically; the key goes when the queue is empty."""

        def change(lock: Optional[TicketLock]) -> tuple[None, Optional[TicketLock]]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return None, lock

        self._transact(conversation_id, change)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish serving ``ticket_number``.

        Rasa's version then checks "is anyone waiting?" and deletes the key in two more
        calls — racing with a replica that issues a ticket in between. Here the key is
        deleted in the same transaction as the last ticket (see :meth:`_transact`).
        """
        self.finish_serving(conversation_id, ticket_number)

    def save_lock(self, lock: TicketLock) -> None:
        """Store ``lock`` with the same expiry rule (only Rasa's base-class paths use it)."""
        self._transact(lock.conversation_id, lambda _old: (None, lock))
