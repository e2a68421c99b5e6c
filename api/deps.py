"""FastAPI dependencies, exposed as ``Annotated`` aliases for the route signatures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from api.errors import ApiError
from api.metrics import ApiMetrics
from bot.channels.chat import ChatService
from troly06.config import Settings

if TYPE_CHECKING:
    from stats.access import Official


def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


def get_chat(request: Request) -> ChatService:
    """The app's single chat service (one Rasa client per process)."""
    return request.app.state.chat


def get_metrics(request: Request) -> ApiMetrics:
    """The app's Prometheus metrics."""
    return request.app.state.metrics


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ChatDep = Annotated[ChatService, Depends(get_chat)]
MetricsDep = Annotated[ApiMetrics, Depends(get_metrics)]

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="Khóa API của cán bộ (config/officials.yaml)")


def require_official(api_key: Annotated[str | None, Depends(api_key_header)],
                     settings: SettingsDep) -> Official:
    """Authenticate an official by the ``X-API-Key`` header (401 missing, 403 unknown)."""
    if not api_key:
        raise ApiError(401, "api_key_required", "Cần khóa API của cán bộ (tiêu đề X-API-Key).",
                       "An official's API key is required (X-API-Key header).")
    from stats.access import official_for_api_key

    official = official_for_api_key(api_key.strip(), path=settings.officials_file)
    if official is None:
        raise ApiError(403, "api_key_invalid", "Khóa API không hợp lệ hoặc không có quyền.",
                       "Invalid API key or not allowed.")
    return official


OfficialDep = Annotated["Official", Depends(require_official)]
