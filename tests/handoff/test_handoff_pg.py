"""The handoff queue, turns, analytics, accounts and proposals on PostgreSQL (a throwaway
server from Debian's binaries, as the statistics tests use): the migration, the conditional
take, the one-open-conversation index under concurrent replicas."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from glob import glob
from pathlib import Path

import pytest

from console.accounts import authenticate, create_account
from console.analytics import figures
from handoff import HandoffError, HandoffStore, record_turn

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_base() -> Iterator[str]:
    """A throwaway PostgreSQL server (as tests/stats/conftest.py starts one)."""
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.skip("PostgreSQL binaries not found: apt-get install postgresql")
    pytest.importorskip("psycopg")
    bindir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="troly06-pg-handoff-"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    prefix: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root without runuser")
        shutil.chown(root, "postgres")
        os.chmod(root, 0o700)
        prefix = [runuser, "-u", "postgres", "--"]
    data = root / "data"
    subprocess.run(prefix + [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U",
                             "postgres", "--no-sync", "-E", "UTF8", "--locale=C"],
                   check=True, capture_output=True, timeout=120)
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -F"
    subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l",
                             str(root / "log"), "-w", "start"],
                   check=True, capture_output=True, timeout=120)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                 "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture()
def pg_url(pg_base: str) -> str:
    import psycopg

    name = f"h_{uuid.uuid4().hex[:12]}"
    dsn = pg_base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn + "/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{pg_base}/{name}"


def test_queue_on_postgres(pg_url: str) -> None:
    stores = [HandoffStore(pg_url) for _ in range(2)]
    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(lambda i: stores[i % 2].open("telegram:7", "telegram",
                                                        "cantho")[0].id, range(16)))
    assert len(ids) == 1
    cid = ids.pop()
    with ThreadPoolExecutor(8) as pool:
        def take(i: int) -> str:
            try:
                stores[i % 2].take(cid, f"op{i}")
                return "ok"
            except HandoffError as exc:
                return exc.code
        outcomes = list(pool.map(take, range(8)))
    assert outcomes.count("ok") == 1 and outcomes.count("taken") == 7
    stores[0].add_message(cid, "operator", "Chào bạn", operator="op0")
    assert [m.text for m in stores[1].inbox("telegram:7")[0]] == ["Chào bạn"]
    record_turn(pg_url, "telegram:7", "telegram", "handoff", unit="cantho")
    record_turn(pg_url, "web:1", "web", "answered", unit="cantho", topic="cu_tru")
    data = figures(pg_url)
    assert (data["conversations"], data["handoffs"], data["containment_rate"]) == (2, 1, 0.5)
    create_account(pg_url, "nguyen.van.a", "mat-khau-dai-du-roi", "operator")
    assert authenticate(pg_url, "nguyen.van.a", "mat-khau-dai-du-roi") is not None
