"""Helpers shared by the API, channel and widget tests: settings in a temporary directory,
live uvicorn servers in a thread, free ports. (Import as ``tests.api.api_testlib``.)"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from troly06.config import REPO_ROOT, Settings, get_settings

REPORTS = REPO_ROOT / "tests" / "data" / "reports"
OFFICIALS = REPO_ROOT / "tests" / "data" / "officials_test.yaml"  # test-only keys below
ADMIN_KEY = "test-admin-" + "a" * 32
HAUGIANG_KEY = "test-haugiang-" + "b" * 32
VITHANH_KEY = "test-vithanh-" + "c" * 32
LONGMY_TX_KEY = "test-longmy-tx-" + "d" * 32
ARTIFACTS = REPO_ROOT / "test-artifacts"


def free_port() -> int:
    """A TCP port nothing listens on (right now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def app_env(tmp: Path, **extra: str) -> Iterator[Settings]:
    """Point the settings at ``tmp`` (SQLite DB), the built KB index, the example officials
    and an unreachable Rasa (degraded mode), plus ``extra`` env vars; yield the settings."""
    dead = free_port()
    env = {
        "TROLY06_DATA_DIR": str(tmp / "var"),
        "TROLY06_INDEX_DIR": str(REPO_ROOT / "var" / "index"),
        "TROLY06_KB_DIR": str(REPO_ROOT / "knowledge" / "data"),
        "DATABASE_URL": f"sqlite:///{tmp / 'troly06.db'}",
        "RASA_URL": f"http://127.0.0.1:{dead}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{dead}",
        "TROLY06_OFFICIALS_FILE": str(OFFICIALS),
        "TROLY06_RATE_LIMIT_PER_MINUTE": "100000",
        **extra,
    }
    mp = pytest.MonkeyPatch()
    try:
        for key, value in env.items():
            mp.setenv(key, value)
        mp.delenv("TROLY06_TODAY", raising=False)
        get_settings.cache_clear()
        from knowledge import build_index

        build_index()  # no-op when var/index matches the KB data
        yield get_settings()
    finally:
        mp.undo()
        get_settings.cache_clear()


class LiveServer:
    """Run an ASGI app with uvicorn in a background thread on 127.0.0.1."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # as deployed: uvicorn never rewrites the client from X-Forwarded-For (the app reads
        # it, from TROLY06_TRUSTED_PROXIES only)
        # keep-alive longer than any client waits between requests: a server closing an idle
        # connection while a client reuses it is an httpx.ReadError (seen in CI, handoff load)
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on", ws="none", proxy_headers=False,
                                timeout_keep_alive=150)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"server on {self.url} did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(15)


def wait_for(predicate: Callable[[], Any], timeout: float = 30.0, interval: float = 0.05) -> Any:
    """Poll ``predicate`` until it returns something truthy; fail the test on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


@contextmanager
def serving(fake: Any) -> Iterator[Any]:
    """Serve a fake outside-world server's ``fake.app`` on a free local port over real HTTP;
    ``fake.url`` is its base URL while it runs."""
    with LiveServer(fake.app) as server:
        fake.url = server.url
        yield fake
