#!/usr/bin/env python3
"""Start the whole assistant on localhost and stop it cleanly.

* action server :5055 — ``.venv/bin/python -m rasa_sdk --actions actions``
* Rasa server   :5005 — ``.venv-rasa/bin/rasa run -m models`` (REST channel only)
* API           :8000 — ``.venv/bin/python -m uvicorn api.main:app`` (when ``api/main.py`` exists)

Each part is polled until it answers; the time to ready of each is printed. Ctrl-C or SIGTERM
stops every part (SIGTERM, then SIGKILL after a grace period). Tests reuse :class:`Stack`
as a context manager, with other ports and a separate tracker database::

    with Stack(ports=Ports(rasa=15005, actions=15055, api=None), log_dir=tmp) as stack:
        httpx.post(stack.rasa_url + "/webhooks/rest/webhook", json={...})
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PYTHON = str(ROOT / ".venv/bin/python")
RASA = str(ROOT / ".venv-rasa/bin/rasa")
# environment of every server process (Rasa, action server, API)
RASA_READY_PATH = "/webhooks/rest/"  # 200 once a model is loaded (bot.plugins.channels)
SECRET_VARS = ("TROLY06_IDENTITY_KEY", "TROLY06_ACTION_TOKEN", "TROLY06_SESSION_KEY")


def shared_secrets(env: dict[str, str]) -> dict[str, str]:
    """The secrets every server of one stack must share, fresh ones for those ``env`` lacks.

    API and action server share the identity key, Rasa and the action server the action
    token; generated per stack unless the environment sets them (production does).
    """
    import secrets

    return {var: env.get(var) or secrets.token_urlsafe(32) for var in SECRET_VARS}


SERVER_ENV = {
    "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONWARNINGS": "ignore", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "TROLY06_ACTIONS_WARMUP": "1", "PYTHONUNBUFFERED": "1",
}


@dataclass
class Ports:
    """Ports of the three parts; ``api=None`` leaves the API out."""

    rasa: int = 5005
    actions: int = 5055
    api: int | None = 8000


@dataclass
class Part:
    """One started process and how to tell it is ready."""

    name: str
    cmd: list[str]
    ready_url: str
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    ready_after: float | None = None
    log: IO[bytes] | None = field(default=None, repr=False)


def actions_cmd(port: int) -> list[str]:
    """Command of an action server on ``port``."""
    return [PYTHON, "-m", "actions._server", "--actions", "actions", "--port", str(port)]


def rasa_cmd(port: int, models: str, endpoints: str, *extra: str) -> list[str]:
    """Command of a Rasa server (the REST channel only; its HTTP API stays off) on ``port``."""
    return [RASA, "run", "-i", HOST, "-p", str(port), "-m", models,
            "--credentials", "bot/credentials.yml", "--endpoints", endpoints, *extra]


def api_cmd(port: int, *extra: str) -> list[str]:
    """Command of the API (uvicorn) on ``port``."""
    return [PYTHON, "-m", "uvicorn", "api.main:app", "--host", HOST, "--port", str(port),
            "--no-proxy-headers", *extra]  # the API reads X-Forwarded-For from trusted proxies


def spawn(part: Part, env: dict[str, str], log: IO[bytes] | None) -> None:
    """Start ``part`` in its own process group; ``log=None`` leaves output on the terminal."""
    part.log = log
    part.started_at = time.perf_counter()
    part.ready_after = None
    part.process = subprocess.Popen(part.cmd, cwd=ROOT, env=env, stdout=log,
                                    stderr=subprocess.STDOUT if log else None,
                                    start_new_session=True)


def signal_group(part: Part, sig: int) -> None:
    """Send ``sig`` to the part's whole process group, if it still runs."""
    if part.process is not None and part.process.poll() is None:
        try:
            os.killpg(part.process.pid, sig)
        except ProcessLookupError:
            pass


def stop_parts(parts: list[Part], grace: float = 15.0) -> None:
    """SIGTERM every part, wait up to ``grace`` seconds in all, SIGKILL what is left."""
    for part in parts:
        signal_group(part, signal.SIGTERM)
    deadline = time.perf_counter() + grace
    for part in parts:
        if part.process is None:
            continue
        try:
            part.process.wait(timeout=max(0.1, deadline - time.perf_counter()))
        except subprocess.TimeoutExpired:
            signal_group(part, signal.SIGKILL)
            part.process.wait()
        if part.log:
            part.log.close()


def _http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urlopen(url, timeout=timeout) as resp:  # noqa: S310 - local URLs only
            return 200 <= resp.status < 300
    except (URLError, OSError, ValueError):
        return False


def _endpoints_file(actions_port: int, target_dir: Path) -> Path:
    """bot/endpoints.yml, or a copy pointing at another action-server port."""
    base = ROOT / "bot" / "endpoints.yml"
    if actions_port == 5055:
        return base
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / f"endpoints-{actions_port}.yml"
    path.write_text(base.read_text(encoding="utf-8").replace(
        "http://127.0.0.1:5055/webhook", f"http://{HOST}:{actions_port}/webhook"),
        encoding="utf-8")
    return path


class Stack:
    """The running assistant (context manager): start all parts, wait, stop all parts."""

    def __init__(self, ports: Ports | None = None, *, models: str = "models",
                 log_dir: Path | None = None, env: dict[str, str] | None = None,
                 timeout: float = 300.0, with_api: bool | None = None) -> None:
        """Configure (nothing starts before :meth:`start`).

        ``log_dir``: write each part's output to ``<log_dir>/<name>.log`` instead of the
        terminal. ``env``: extra environment (e.g. ``RASA_TRACKER_DB``, ``DATABASE_URL``).
        ``with_api``: start the API (default: when ``api/main.py`` exists and a port is set).
        """
        self.ports = ports or Ports()
        self.models = models
        self.log_dir = log_dir
        self.timeout = timeout
        if with_api is None:
            with_api = (ROOT / "api" / "main.py").exists() and self.ports.api is not None
        self.with_api = with_api
        self.env = {**os.environ, **SERVER_ENV}
        self.env.update(shared_secrets({**self.env, **(env or {})}))
        self.env.update({
            "RASA_URL": f"http://{HOST}:{self.ports.rasa}",
            "ACTION_SERVER_URL": f"http://{HOST}:{self.ports.actions}",
        })
        if self.ports.api is not None:
            self.env["API_PORT"] = str(self.ports.api)
        self.env.update(env or {})
        self.parts: list[Part] = []

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa server."""
        return f"http://{HOST}:{self.ports.rasa}"

    @property
    def actions_url(self) -> str:
        """Base URL of the action server."""
        return f"http://{HOST}:{self.ports.actions}"

    @property
    def api_url(self) -> str | None:
        """Base URL of the API, or None when it is not started."""
        return f"http://{HOST}:{self.ports.api}" if self.with_api else None

    def _build(self) -> list[Part]:
        endpoints = _endpoints_file(self.ports.actions, ROOT / "var" / "run")
        cors = self.env.get("TROLY06_CORS_ORIGINS",
                            "http://127.0.0.1:8000,http://localhost:8000").split(",")
        parts = [
            Part("actions", actions_cmd(self.ports.actions), f"{self.actions_url}/health"),
            Part("rasa", rasa_cmd(self.ports.rasa, self.models, str(endpoints),
                                  "--cors", *[c for c in cors if c]),
                 f"{self.rasa_url}{RASA_READY_PATH}"),
        ]
        if self.with_api:
            assert self.ports.api is not None
            parts.append(Part("api", api_cmd(self.ports.api), f"{self.api_url}/health"))
        return parts

    def start(self) -> Stack:
        """Start every part and wait until each answers (raises RuntimeError on failure)."""
        self.parts = self._build()
        for part in self.parts:
            log = None
            if self.log_dir is not None:
                self.log_dir.mkdir(parents=True, exist_ok=True)
                log = open(self.log_dir / f"{part.name}.log", "wb")  # noqa: SIM115
            spawn(part, self.env, log)
            print(f"==> starting {part.name}: {' '.join(part.cmd[:4])} …", flush=True)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.perf_counter() + self.timeout
        pending = list(self.parts)
        last_note = time.perf_counter()
        while pending:
            for part in list(pending):
                assert part.process is not None
                if part.process.poll() is not None:
                    raise RuntimeError(f"{part.name} exited with code {part.process.returncode}"
                                       + (f" (see {self.log_dir}/{part.name}.log)"
                                          if self.log_dir else ""))
                if _http_ok(part.ready_url):
                    part.ready_after = time.perf_counter() - part.started_at
                    pending.remove(part)
                    print(f"==> {part.name} ready in {part.ready_after:.1f} s "
                          f"({part.ready_url})", flush=True)
            if time.perf_counter() > deadline:
                raise RuntimeError("not ready in time: " + ", ".join(p.name for p in pending))
            if pending and time.perf_counter() - last_note > 10:
                waited = time.perf_counter() - self.parts[0].started_at
                print(f"    … waiting for {', '.join(p.name for p in pending)} "
                      f"({waited:.0f} s)", flush=True)
                last_note = time.perf_counter()
            time.sleep(0.5)

    def stop(self, grace: float = 15.0) -> None:
        """SIGTERM every part (its whole process group), then SIGKILL what is left."""
        stop_parts(self.parts, grace)

    def pids(self) -> dict[str, int]:
        """Process id of each running part."""
        return {p.name: p.process.pid for p in self.parts if p.process}

    def ready_times(self) -> dict[str, float | None]:
        """Seconds from start to ready, per part."""
        return {p.name: p.ready_after for p in self.parts}

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """Run until Ctrl-C / SIGTERM."""
    parser = argparse.ArgumentParser(description="Start Rasa, the action server and the API.")
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--actions-port", type=int, default=5055)
    parser.add_argument("--api-port", type=int, default=8000)
    parser.add_argument("--no-api", action="store_true", help="do not start the API")
    args = parser.parse_args(argv)
    ports = Ports(args.rasa_port, args.actions_port, None if args.no_api else args.api_port)
    stop = threading.Event()

    def _on_signal(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    stack = Stack(ports)
    try:
        stack.start()
    except RuntimeError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    print("\n==> Trợ lý Đề án 06 is up:")
    print(f"    Rasa REST   {stack.rasa_url}/webhooks/rest/webhook")
    print(f"    actions     {stack.actions_url}/webhook")
    if stack.api_url:
        print(f"    API         {stack.api_url}  (demo: {stack.api_url}/demo)")
    print("    Ctrl-C to stop.\n", flush=True)
    while not stop.is_set():
        for part in stack.parts:
            if part.process and part.process.poll() is not None:
                print(f"ERROR: {part.name} stopped (exit {part.process.returncode})",
                      file=sys.stderr)
                stop.set()
        stop.wait(1.0)
    print("\n==> stopping…", flush=True)
    stack.stop()
    print("==> stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
