"""The Redis lock store shared by Rasa replicas: atomic tickets, no lost write, no stale key.

Runs ``lock_store_checks.py`` in the Rasa 3.10 environment against a real redis-server.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.rasa.conftest import RASA_PY, ROOT, need_rasa_env, rasa_env

pytestmark = pytest.mark.rasa


@pytest.fixture(scope="module")
def checks(redis_port: int) -> dict:
    need_rasa_env()
    proc = subprocess.run([str(RASA_PY), str(ROOT / "tests/scale/lock_store_checks.py"),
                           str(redis_port)], cwd=ROOT, env=rasa_env(), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_concurrent_replicas_never_get_the_same_ticket(checks: dict) -> None:
    assert checks["issued"] == 240
    assert checks["unique"] == 240  # Rasa's RedisLockStore can hand one number out twice
    assert checks["queued"] == 240  # and can drop a ticket another replica just wrote


def test_the_lock_key_expires_by_itself_and_goes_when_the_queue_is_empty(checks: dict) -> None:
    assert 0 < checks["ttl_ms"] <= (30 + 5) * 1000  # last ticket's lifetime + grace
    assert checks["key_after_cleanup"] == 0
    assert checks["held_inside"] is True and checks["key_after_lock"] == 0


def test_a_concurrent_write_is_retried_not_overwritten(checks: dict) -> None:
    # tickets count from 0; another replica appended ticket 1 between our read and our
    # write: we must get 2 and both tickets must stay queued
    assert checks["conflict_numbers"] == [0, 1, 2]
    assert checks["conflict_mine"] == 2


def test_rasas_stock_store_loses_that_write(checks: dict) -> None:
    """The bug this store exists for: same interleaving, two replicas hold ticket 1."""
    assert checks["stock_mine"] == 1
    assert checks["stock_numbers"] == [0, 1]  # the other replica's ticket 1 was overwritten


def test_redis_url_is_parsed(checks: dict) -> None:
    assert checks["url_kwargs"] == {"host": "cache.local", "port": 6390, "use_ssl": False,
                                    "db": 4, "password": "p@ss"}
