"""Fixtures of the scale-out tests: a throwaway Redis, the local cluster on free ports."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.cluster import ensure_system_packages, start_redis
from devtools.run_all import stop_parts
from tests.rasa.conftest import free_port


def need_cluster_packages() -> None:
    """Skip (with the reason) when PostgreSQL, Redis or nginx cannot be installed."""
    try:
        ensure_system_packages()
    except RuntimeError as exc:
        pytest.skip(f"scale-out tests need PostgreSQL, Redis and nginx: {exc}")


def private_workdir(prefix: str) -> Path:
    """A temporary directory the 'postgres' system user can enter (pytest's tmp is 0700)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


@pytest.fixture(scope="session")
def redis_port() -> Iterator[int]:
    """A throwaway redis-server on a free port."""
    need_cluster_packages()
    port = free_port()
    workdir = private_workdir("troly06-redis-")
    redis = start_redis(port, workdir)
    yield port
    stop_parts([redis])
    shutil.rmtree(workdir, ignore_errors=True)
