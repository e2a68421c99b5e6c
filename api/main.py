"""FastAPI application of troly06: public HTTP API, webhooks, widget and demo portal.

``create_app()`` builds a fresh app (tests build several); ``app`` is the instance for
``uvicorn api.main:app``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api.errors import install_error_handlers
from api.metrics import ApiMetrics
from api.middleware import (
    GuardMiddleware,
    Limiter,
    RedisLimiter,
    SlidingWindowLimiter,
    parse_networks,
)
from api.routes import (
    ask,
    chat,
    console,
    console_insights,
    console_kb,
    console_queue,
    health,
    media,
    metrics,
    reports,
    stats,
    telegram,
    widget,
    zalo,
)
from gateways.chat import ChatService
from gateways.digest import DigestPusher
from gateways.handoff import HandoffGate
from gateways.handoff_delivery import Deliverer
from gateways.media import SqlMediaStore
from gateways.rasa_client import RasaClient
from stats.access import get_store
from troly06.config import Settings, get_settings
from troly06.pii import install_log_masking

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent / "static"

DESCRIPTION = """API công khai của **Trợ lý Đề án 06** (VNeID, thẻ căn cước, cư trú, dịch vụ công
thiết yếu, số liệu thống kê Đề án 06).

* `POST /api/chat` — hội thoại với trợ lý (qua Rasa; tự trả lời từ cơ sở tri thức khi Rasa
  tạm thời không sẵn sàng).
* `POST /api/ask` — tra cứu cơ sở tri thức, trả về câu trả lời kèm nguồn.
* `GET /api/stats`, `POST /api/reports` — dành cho cán bộ (tiêu đề `X-API-Key`).
* Lỗi luôn là JSON: `{"error", "message" (tiếng Việt), "message_en"}`.
"""


def create_app(settings: Settings | None = None, *,
               chat_service: ChatService | None = None) -> FastAPI:
    """Build the FastAPI app from ``settings`` (default: the process settings)."""
    settings = settings or get_settings()
    settings.check_production()
    install_log_masking()
    for name in ("uvicorn", "uvicorn.access", "uvicorn.error"):  # own handlers, no propagation
        install_log_masking(logging.getLogger(name))
    metrics_ = ApiMetrics(settings.sqlalchemy_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owns_chat = app.state.chat is None
        gate = HandoffGate.from_settings(settings)
        app.state.handoff = gate
        if owns_chat:
            app.state.chat = ChatService(RasaClient(settings.rasa_url),
                                         identity_key=settings.secret("identity"),
                                         on_event=metrics_.on_event, handoff=gate)
        elif getattr(app.state.chat, "handoff", None) is None:
            app.state.chat.handoff = gate
        metrics_.rasa_client = getattr(app.state.chat, "rasa", None)
        await zalo.startup(app, settings)
        await telegram.startup(app, settings)
        zalo_client = app.state.zalo.client if app.state.zalo is not None else None
        app.state.deliverer = Deliverer(
            gate.store, telegram_base=settings.telegram_base_url,
            telegram_token=settings.telegram_token.get_secret_value(), zalo=zalo_client)
        sweeper = asyncio.create_task(_sweep(app.state.deliverer))
        digests = DigestPusher(settings, get_store(settings.officials_file), zalo=zalo_client,
                               media=app.state.media)
        pushing = (asyncio.create_task(digests.loop()) if settings.digest_day and (
            settings.telegram_token.get_secret_value() or zalo_client is not None) else None)
        try:
            yield
        finally:
            sweeper.cancel()
            if pushing is not None:
                pushing.cancel()
            await digests.aclose()
            await app.state.deliverer.aclose()
            await telegram.shutdown(app)
            await zalo.shutdown(app)
            if owns_chat:
                await app.state.chat.aclose()

    docs = {} if settings.docs_enabled else {"docs_url": None, "redoc_url": None,
                                            "openapi_url": None}
    app = FastAPI(title="Trợ lý Đề án 06 — API", version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan, **docs)
    app.state.settings = settings
    app.state.metrics = metrics_
    app.state.chat = chat_service
    if chat_service is not None and chat_service.on_event is None:
        chat_service.on_event = metrics_.on_event
    app.state.telegram_app = None
    app.state.media = SqlMediaStore(settings.public_base_url, url=settings.sqlalchemy_url)
    app.state.zalo = None
    app.state.handoff = None
    app.state.deliverer = None

    install_error_handlers(app)
    # Added last = outermost: even 413/429 answers carry the CORS headers.
    limiter: Limiter = (RedisLimiter(settings.redis_url, settings.rate_limit_per_minute)
                        if settings.redis_url else
                        SlidingWindowLimiter(settings.rate_limit_per_minute))
    app.add_middleware(GuardMiddleware, metrics=metrics_, limiter=limiter,
                       max_upload_bytes=settings.max_upload_bytes,
                       trusted_proxies=parse_networks(settings.trusted_proxies))
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origin_list,
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Content-Type", "X-API-Key", "X-CSRF-Token"],
        max_age=600,
    )
    for module in (chat, ask, stats, reports, health, metrics, widget, media, zalo, telegram,
                   console, console_queue, console_insights, console_kb):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


async def _sweep(deliverer: Deliverer, every_s: float = 5.0) -> None:
    """Retry operator messages a channel did not take (any replica may send them)."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await deliverer.sweep()
        except Exception:  # noqa: BLE001 - keep sweeping
            log.exception("handoff delivery sweep failed")


_APP: FastAPI | None = None


def __getattr__(name: str) -> FastAPI:
    """``app``, built lazily on first access, so importing this module never reads settings."""
    global _APP
    if name == "app":
        if _APP is None:
            _APP = create_app()
        return _APP
    raise AttributeError(name)
