"""Checks of ``AtomicRedisLockStore`` run in the Rasa 3.10 environment against a real Redis.

Usage: ``.venv-rasa/bin/python tests/scale/lock_store_checks.py REDIS_PORT``; prints one JSON
line that ``test_lock_store.py`` asserts on.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rasa.core.lock import TicketLock  # noqa: E402

from bot.plugins.lock_store import AtomicRedisLockStore, redis_kwargs_from_url  # noqa: E402


def main(port: int) -> None:
    """Run every check and print the observations as JSON."""
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/3"
    out: dict = {}
    # 1. many "replicas" (separate connections) issue tickets for one conversation at once
    stores = [AtomicRedisLockStore() for _ in range(6)]
    tickets: list[int] = []
    guard = threading.Lock()

    def issue(store: AtomicRedisLockStore) -> None:
        for _ in range(40):
            number = store.issue_ticket("race", 30)
            with guard:
                tickets.append(number)

    threads = [threading.Thread(target=issue, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lock = stores[0].get_lock("race")
    out["issued"] = len(tickets)
    out["unique"] = len(set(tickets))
    out["queued"] = len(lock.tickets) if lock else 0
    out["ttl_ms"] = stores[0].red.pttl(stores[0].key_prefix + "race")
    # 2. finishing every ticket from other connections empties and deletes the key
    for i, number in enumerate(sorted(tickets)):
        stores[i % len(stores)].cleanup("race", number)
    out["key_after_cleanup"] = stores[0].red.exists(stores[0].key_prefix + "race")

    # 3. a write by another replica between our read and our write is not overwritten
    store, other = stores[0], stores[1]
    store.issue_ticket("conflict", 30)  # ticket 1
    original = store._transact
    injected = {"done": False}

    def interfering(conversation_id, change):  # noqa: ANN001, ANN202
        def wrapped(old):  # noqa: ANN001, ANN202
            if not injected["done"]:
                injected["done"] = True
                other.red.set(store.key_prefix + conversation_id,
                              _with_extra_ticket(old, 30).dumps())
            return change(old)
        return original(conversation_id, wrapped)

    store._transact = interfering  # type: ignore[method-assign]
    mine = store.issue_ticket("conflict", 30)
    final = other.get_lock("conflict")
    out["conflict_numbers"] = [t.number for t in final.tickets] if final else []
    out["conflict_mine"] = mine
    # 3b. the same interleaving against Rasa's stock RedisLockStore (what this store fixes)
    from rasa.core.lock_store import RedisLockStore

    stock = RedisLockStore(host="127.0.0.1", port=port, db=3)
    stock.issue_ticket("stock", 30)  # ticket 0
    stock_get = stock.get_lock

    def get_then_interfere(conversation_id):  # noqa: ANN001, ANN202
        lock = stock_get(conversation_id)
        other.red.set(stock.key_prefix + conversation_id,
                      _with_extra_ticket(lock, 30).dumps())  # the other replica's ticket 1
        return lock

    stock.get_lock = get_then_interfere  # type: ignore[method-assign]
    out["stock_mine"] = stock.issue_ticket("stock", 30)
    stock.get_lock = stock_get  # type: ignore[method-assign]
    out["stock_numbers"] = [t.number for t in stock.get_lock("stock").tickets]
    # 4. Rasa's own lock() context manager works on top of it
    store._transact = original  # type: ignore[method-assign]

    async def use_lock() -> bool:
        async with store.lock("ctx", lock_lifetime=5, wait_time_in_seconds=0.01):
            return store.red.exists(store.key_prefix + "ctx") == 1

    import asyncio

    out["held_inside"] = asyncio.run(use_lock())
    out["key_after_lock"] = store.red.exists(store.key_prefix + "ctx")
    out["url_kwargs"] = redis_kwargs_from_url("redis://:p%40ss@cache.local:6390/4")
    print(json.dumps(out))


def _with_extra_ticket(lock: TicketLock | None, lifetime: float) -> TicketLock:
    extra = TicketLock.from_dict(json.loads(lock.dumps())) if lock else TicketLock("conflict")
    extra.issue_ticket(lifetime)
    return extra


if __name__ == "__main__":
    main(int(sys.argv[1]))
