"""Fixtures of the statistics tests: a fresh database per test (SQLite, or PostgreSQL when
marked), the report files, settings pointed at a temporary data directory."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from glob import glob
from pathlib import Path

import pytest
from stats_testlib import BACKENDS, new_database

from stats import store
from troly06.config import get_settings


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TROLY06_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATABASE_URL", "")  # also overrides a developer's .env
    monkeypatch.setenv("TROLY06_TODAY", "")
    monkeypatch.delenv("TROLY06_MAX_UPLOAD_BYTES", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


# ------------------------------------------------------------------ PostgreSQL -----------

def _pg_bin() -> Path | None:
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A throwaway PostgreSQL server from Debian's binaries; yields its base URL."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL binaries not found (/usr/lib/postgresql/*/bin/initdb): "
                    "apt-get install postgresql to run the postgres-marked tests")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg not installed (pip install -e '.[postgres]')")
    root = Path(tempfile.mkdtemp(prefix="troly06-pg-"))
    data, port = root / "data", _free_port()
    prefix: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        try:
            shutil.chown(root, "postgres")
        except LookupError:
            pytest.skip("running as root and no 'postgres' system user to run PostgreSQL as")
        os.chmod(root, 0o700)
        prefix = [runuser, "-u", "postgres", "--"]
    run = dict(check=True, capture_output=True, timeout=120)
    subprocess.run(prefix + [str(bindir / "initdb"), "-D", str(data), "-A", "trust",
                             "-U", "postgres", "--no-sync", "-E", "UTF8",
                             "--locale=C"], **run)
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -F"
    subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-o", opts,
                             "-l", str(root / "log"), "-w", "start"], **run)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                 "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty, migrated database (one per test)."""
    url = new_database(request.param, request, tmp_path)
    yield url
    store.dispose(url)
