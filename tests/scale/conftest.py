"""Fixtures of the scale-out tests: a throwaway Redis, the local cluster on free ports."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.run_cluster import ensure_system_packages
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
    proc = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--bind",
                             "127.0.0.1", "--port", str(port), "--save", "", "--dir",
                             str(workdir)], stdout=subprocess.DEVNULL)
    deadline = time.time() + 20
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                         text=True).stdout.strip() != "PONG":
        if time.time() > deadline or proc.poll() is not None:
            pytest.fail("redis-server did not start")
        time.sleep(0.1)
    yield port
    proc.terminate()
    proc.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)
