"""Attacks on the API over real HTTP (uvicorn in a thread): uploads, hostile files, webhooks,
edges, secrets. The hostile files are generated (tests/security/hostile_files.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.main import create_app
from gateways.zalo import compute_signature
from tests.api.api_testlib import (
    HAUGIANG_KEY,
    REPORTS,
    VITHANH_KEY,
    LiveServer,
    app_env,
)
from tests.security.hostile_files import HOSTILE
from troly06.config import Settings

SEED = REPORTS / "ngabay_2023-07-12_seed.txt"
ZALO_APP, ZALO_SECRET = "app-sec", "zalo-secret-" + "z" * 32


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    tmp = tmp_path_factory.mktemp("attacks")
    with app_env(tmp, ZALO_APP_ID=ZALO_APP, ZALO_OA_SECRET=ZALO_SECRET,
                 ZALO_API_BASE="http://127.0.0.1:9", TROLY06_TODAY="2023-07-19") as settings:
        with LiveServer(create_app(settings)) as server:
            yield server.url, settings


def upload(url: str, key: str | None, name: str, raw: bytes,
           **fields: str) -> httpx.Response:
    headers = {"X-API-Key": key} if key else {}
    return httpx.post(f"{url}/api/reports", headers=headers, files={"file": (name, raw)},
                      data=fields, timeout=60)


@pytest.mark.parametrize(("name", "make"), HOSTILE)
def test_hostile_file_is_refused_clearly_and_fast(live: tuple[str, Settings], name: str,
                                                  make) -> None:  # noqa: ANN001
    url, _ = live
    raw = make()
    started = time.perf_counter()
    resp = upload(url, HAUGIANG_KEY, name, raw)
    took = time.perf_counter() - started
    assert resp.status_code in (413, 422), resp.text
    assert resp.json()["message"] and took < 10.0, (resp.json(), took)
    # meanwhile other users are served
    assert httpx.get(f"{url}/health/live", timeout=5).status_code == 200


def test_upload_without_key_is_refused_before_the_body_is_read(tmp_path: Path) -> None:
    """The app (every middleware and route) reads no byte of an unauthenticated upload."""
    read = 0

    with app_env(tmp_path) as settings:
        app = create_app(settings)

        async def counting(scope, receive, send):  # noqa: ANN001, ANN202 - ASGI wrapper
            async def counted():  # noqa: ANN202
                nonlocal read
                message = await receive()
                read += len(message.get("body", b""))
                return message
            await app(scope, counted if scope["type"] == "http" else receive, send)

        with LiveServer(counting) as server:
            raw = b"-" * 5_000_000
            resp = httpx.post(f"{server.url}/api/reports", files={"file": ("r.txt", raw)},
                              timeout=60)
            assert resp.status_code == 401
            assert read < 70_000  # at most the first chunk the server had already buffered


def test_upload_outside_the_officials_scope_is_refused_and_changes_nothing(
        live: tuple[str, Settings]) -> None:
    url, settings = live
    from stats import store

    before = store.counts(settings.sqlalchemy_url)["reports"]
    resp = upload(url, VITHANH_KEY, SEED.name, SEED.read_bytes())  # a Ngã Bảy report
    assert resp.status_code == 403 and resp.json()["error"] == "out_of_scope"
    assert store.counts(settings.sqlalchemy_url)["reports"] == before


def test_empty_and_lossy_replacements_need_care(live: tuple[str, Settings]) -> None:
    url, settings = live
    text = SEED.read_text(encoding="utf-8")
    first = upload(url, HAUGIANG_KEY, "full.txt", text.encode())
    assert first.status_code == 201, first.text
    figures = len(first.json()["result"]["figures"])
    # the same report with its figure lines cut down to the first one that the parser reads
    kept, with_digits = [], 0
    for line in text.splitlines():
        has_digit = any(c.isdigit() for c in line)
        with_digits += has_digit
        if not has_digit or with_digits <= 8:  # header (number, dates) and a few figures
            kept.append(line)
    lossy = "\n".join(kept).encode()
    resp = upload(url, HAUGIANG_KEY, "lossy.txt", lossy)
    if resp.status_code == 422:
        assert resp.json()["error"] == "no_figures"
    else:
        assert resp.status_code == 409, resp.text
        assert resp.json()["error"] == "replacement_loses_figures"
        confirmed = upload(url, HAUGIANG_KEY, "lossy.txt", lossy, confirm_replace="true")
        assert confirmed.status_code == 201
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    with create_engine(settings.sqlalchemy_url).connect() as conn:
        actors = {r[0] for r in conn.execute(sql("select actor from stats_report_events"))}
        current = conn.execute(sql("select count(*) from stats_reports where superseded = 0 "
                                   "group by locality_id, iso_year, iso_week")).all()
    assert "official:haugiang-api" in actors
    assert all(n == 1 for (n,) in current)  # one current version per locality-week
    assert figures > 2


def _zalo(url: str, body: bytes) -> httpx.Response:
    try:
        ts = str(json.loads(body).get("timestamp"))
    except (ValueError, RecursionError):
        ts = "1"
    sig = compute_signature(ZALO_APP, body, ts, ZALO_SECRET)
    return httpx.post(f"{url}/webhooks/zalo", content=body, timeout=30,
                      headers={"X-ZEvent-Signature": sig, "content-type": "application/json"})


def _event(msg_id: str | None) -> bytes:
    message: dict[str, str] = {"text": "xin chào"}
    if msg_id is not None:
        message["msg_id"] = msg_id
    return json.dumps({"app_id": ZALO_APP, "event_name": "user_send_text",
                       "timestamp": str(int(time.time() * 1000)),
                       "sender": {"id": "zu-1"}, "message": message}).encode()


def test_zalo_replays_missing_ids_and_malformed_json(live: tuple[str, Settings]) -> None:
    url, settings = live
    first = _zalo(url, _event("m-1"))
    assert first.status_code == 200 and first.json()["handled"] is True
    assert _zalo(url, _event("m-1")).json()["handled"] is False  # replay
    assert _zalo(url, _event(None)).json()["handled"] is False   # no id: never handled
    # a second replica sharing the database refuses the replay too
    with LiveServer(create_app(settings)) as other:
        assert _zalo(other.url, _event("m-1")).json()["handled"] is False
    deep = b'{"timestamp": "1", "a": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"
    assert _zalo(url, deep).status_code in (400, 403)
    assert _zalo(url, b'{"timestamp": "1", "x": ').status_code in (400, 403)


def test_telegram_webhook_mode_needs_a_strong_secret(tmp_path: Path) -> None:
    from api.routes.telegram import check_webhook_secret

    for secret in ("", "short", "please-change-" + "x" * 40):
        with app_env(tmp_path, TELEGRAM_WEBHOOK_SECRET=secret) as settings, \
                pytest.raises(RuntimeError, match="TELEGRAM_WEBHOOK_SECRET"):
            check_webhook_secret(settings)
    with app_env(tmp_path, TELEGRAM_WEBHOOK_SECRET="t" * 40) as settings:
        check_webhook_secret(settings)


def test_health_answers_booleans_only(live: tuple[str, Settings]) -> None:
    url, settings = live
    body = httpx.get(f"{url}/health", timeout=30).json()
    assert all(isinstance(v, bool) for v in body["parts"].values())
    assert settings.rasa_url not in json.dumps(body) and "127.0.0.1" not in json.dumps(body)


def test_production_refuses_default_and_missing_secrets(tmp_path: Path) -> None:
    with app_env(tmp_path, TROLY06_ENV="production") as settings, \
            pytest.raises(RuntimeError):
        settings.check_production()
    strong = {"TROLY06_IDENTITY_KEY": "i" * 40, "TROLY06_SESSION_KEY": "s" * 40,
              "RASA_AUTH_TOKEN": "r" * 40, "TROLY06_ACTION_TOKEN": "a" * 40}
    with app_env(tmp_path, TROLY06_ENV="production",
                 **{**strong, "TROLY06_ACTION_TOKEN": "dev-please-change-" + "x" * 30}
                 ) as settings, pytest.raises(RuntimeError, match="placeholder"):
        settings.check_production()
    example = str(Path(__file__).resolve().parents[2] / "config" / "officials.yaml")
    with app_env(tmp_path, TROLY06_ENV="production", TROLY06_OFFICIALS_FILE=example,
                 **strong) as settings:
        with pytest.raises(RuntimeError, match="OFFICIALS_FILE"):  # the repo's example file
            settings.check_production()
        assert not settings.docs_enabled
