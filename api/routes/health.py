"""Health: ``/health`` (every part), ``/health/ready`` (this replica can serve),
``/health/live`` (the process answers).

Answers are booleans only (no internal URLs, errors or timings), cached for
``CACHE_S`` seconds so that a flood of health requests costs one check per period, and
rate-limited like every other public path (:mod:`api.middleware`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from functools import lru_cache
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import ChatDep, SettingsDep
from gateways.chat import ChatService
from troly06.config import Settings

router = APIRouter(tags=["ops"])
log = logging.getLogger(__name__)
CHECK_TIMEOUT_S = 10.0
CACHE_S = 5.0


class HealthOut(BaseModel):
    """Overall status and whether each part answers."""

    status: str
    parts: dict[str, bool]


@lru_cache(maxsize=4)
def _engine(url: str) -> Any:
    from sqlalchemy import create_engine

    return create_engine(url, pool_pre_ping=True)


def _check_db(url: str) -> str:
    from sqlalchemy import text

    with _engine(url).connect() as conn:
        conn.execute(text("SELECT 1"))
    return "SELECT 1 ok"


def _check_kb() -> str:
    from knowledge import search

    hits = search("tài khoản định danh điện tử VNeID", k=1)
    if not hits:
        raise RuntimeError("knowledge index returned no hit")
    return f"{len(hits)} hit"


async def _check_action_server(url: str) -> str:
    async with httpx.AsyncClient(timeout=3.0) as client:
        resp = await client.get(url.rstrip("/") + "/health")
    if resp.status_code != 200:
        raise RuntimeError(f"HTTP {resp.status_code}")
    return "ok"


async def _timed(name: str, coro: Any) -> tuple[str, bool]:
    try:
        await asyncio.wait_for(coro, CHECK_TIMEOUT_S)
    except Exception:  # noqa: BLE001 - any failure marks the part down
        log.info("health check %s failed", name, exc_info=True)
        return name, False
    return name, True


async def _cached(request: Request, key: str, compute: Any) -> dict[str, bool]:
    """``compute()`` at most once per CACHE_S seconds per app (concurrent callers share it)."""
    cache = request.app.state.__dict__.setdefault("health_cache", {})
    now = time.monotonic()
    hit = cache.get(key)
    if hit is not None and now - hit[0] < CACHE_S:
        return await hit[1]
    task = asyncio.ensure_future(compute())
    cache[key] = (now, task)
    return await task


async def _rasa(chat: ChatService, settings: Settings) -> str:
    if chat.rasa is None or not await chat.rasa.ping():
        raise RuntimeError(f"no answer from {settings.rasa_url}")
    return "ok"


def _answer(parts: dict[str, bool]) -> JSONResponse:
    """200 with every part up, else 503 "degraded", listing each part."""
    healthy = all(parts.values())
    body = HealthOut(status="ok" if healthy else "degraded", parts=parts)
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)


@router.get("/health", response_model=HealthOut,
            responses={503: {"model": HealthOut, "description": "Một phần chưa sẵn sàng"}},
            summary="Tình trạng hệ thống / Health")
async def get_health(request: Request, settings: SettingsDep, chat: ChatDep) -> JSONResponse:
    """Check every part concurrently; 503 when any of them does not answer."""

    async def compute() -> dict[str, bool]:
        return dict(await asyncio.gather(
            _timed("rasa", _rasa(chat, settings)),
            _timed("action_server", _check_action_server(settings.action_url)),
            _timed("database", asyncio.to_thread(_check_db, settings.sqlalchemy_url)),
            _timed("knowledge_base", asyncio.to_thread(_check_kb)),
        ))

    return _answer(await _cached(request, "all", compute))


@router.get("/health/ready", response_model=HealthOut,
            responses={503: {"model": HealthOut, "description": "Chưa sẵn sàng"}},
            summary="Sẵn sàng nhận yêu cầu / Readiness")
async def get_ready(request: Request, settings: SettingsDep) -> JSONResponse:
    """Readiness of this API replica: its database and knowledge base answer.

    Rasa and the action server are left out on purpose: when they are down the API still
    answers from the knowledge base (degraded mode), so a balancer or Kubernetes must keep
    sending it traffic. ``/health`` checks everything.
    """

    async def compute() -> dict[str, bool]:
        return dict(await asyncio.gather(
            _timed("database", asyncio.to_thread(_check_db, settings.sqlalchemy_url)),
            _timed("knowledge_base", asyncio.to_thread(_check_kb)),
        ))

    return _answer(await _cached(request, "ready", compute))


@router.get("/health/live", summary="Tiến trình còn chạy / Liveness")
async def get_live() -> dict[str, str]:
    """200 while the process serves HTTP (depends on nothing else)."""
    return {"status": "ok"}
