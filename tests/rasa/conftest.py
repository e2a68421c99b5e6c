"""Fixtures for the Rasa tests: trackers for action unit tests, a stats DB, the real stack."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "tests" / "data" / "reports"
RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
RASA_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONWARNINGS": "ignore", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def make_tracker(text: str, intent: str = "ask_knowledge", *, sender: str = "test-user",
                 entities: list[dict[str, Any]] | None = None,
                 slots: dict[str, Any] | None = None, pii: list[str] | None = None,
                 history: list[str] | None = None, channel: str = "rest",
                 identity: tuple[str, str, str | None] | None = None) -> Tracker:
    """A rasa-sdk tracker whose latest user message is ``text`` (already masked upstream).

    ``identity`` = (channel, user id, official id): the message then carries that identity
    signed as a gateway would (:mod:`troly06.identity`), and the sender is its sender id.
    """
    latest: dict[str, Any] = {"text": text, "intent": {"name": intent, "confidence": 1.0},
                              "entities": entities or [], "pii": pii or []}
    if identity is not None:
        from troly06.config import get_settings
        from troly06.identity import METADATA_KEY, Identity, sign_identity

        who = Identity(*identity)
        sender = who.sender
        latest["metadata"] = {METADATA_KEY: sign_identity(who, get_settings().secret("identity"))}
    events: list[dict[str, Any]] = [{"event": "action", "name": "action_listen"}]
    for old in history or []:
        events.append({"event": "user", "text": old, "parse_data": {},
                       "input_channel": channel})
        events.append({"event": "action", "name": "action_answer_knowledge"})
    events.append({"event": "user", "text": text, "parse_data": latest,
                   "input_channel": channel})
    return Tracker(sender, slots or {}, latest, events, False, None, {}, "action_listen")


def texts(dispatcher: CollectingDispatcher) -> str:
    """All texts the action sent, joined."""
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


@pytest.fixture()
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings pointed at a fresh data dir (SQLite) and a fixed 'today' (19/7/2023)."""
    from troly06.config import get_settings

    monkeypatch.setenv("TROLY06_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("TROLY06_TODAY", "2023-07-19")
    monkeypatch.setenv("TROLY06_OFFICIALS_FILE",
                       str(ROOT / "tests" / "data" / "officials_test.yaml"))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture()
def stats_db(app_db):
    """The app DB with Ngã Bảy's reports of weeks 27, 28 and 29/2023 ingested."""
    stats = pytest.importorskip("stats")
    for name in ("ngabay_2023-07-05.txt", "ngabay_2023-07-12_seed.txt", "ngabay_2023-07-19.txt"):
        stats.ingest_report(REPORTS / name)
    return app_db


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def latest_model() -> Path:
    """The model trained by devtools/train.py (trains it when missing)."""
    models = sorted((ROOT / "models").glob("troly06-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        subprocess.run([sys.executable, "-m", "devtools.train"],
                       cwd=ROOT, check=True)
        models = sorted((ROOT / "models").glob("troly06-*.tar.gz"))
    return models[-1]


def rasa_env() -> dict[str, str]:
    """Environment for Rasa subprocesses."""
    return {**os.environ, **RASA_ENV}


def need_rasa_env() -> None:
    """Skip when the Rasa 3.10 environment is missing (``make install`` creates it)."""
    if not RASA_BIN.exists() or shutil.which(str(RASA_PY)) is None:
        pytest.skip("Rasa environment .venv-rasa missing: run `make install`")
