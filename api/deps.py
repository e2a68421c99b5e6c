"""FastAPI dependencies, exposed as ``Annotated`` aliases for the route signatures."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from api.errors import ApiError
from api.metrics import ApiMetrics
from gateways.chat import ChatService
from stats.access import Official, OfficialStore, get_store
from troly06.config import Settings
from troly06.wording import say


def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


def get_chat(request: Request) -> ChatService:
    """The app's single chat service (one Rasa client per process)."""
    return request.app.state.chat


def get_metrics(request: Request) -> ApiMetrics:
    """The app's Prometheus metrics."""
    return request.app.state.metrics


def get_media(request: Request) -> Any:
    """The short-lived chart store (:class:`gateways.media.MediaStore`)."""
    return request.app.state.media


def get_zalo(request: Request) -> Any:
    """The Zalo webhook handler (None when Zalo is not configured)."""
    return getattr(request.app.state, "zalo", None)


def get_telegram_app(request: Request) -> Any:
    """The python-telegram-bot application fed by the webhook (None unless webhook mode)."""
    return getattr(request.app.state, "telegram_app", None)


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ChatDep = Annotated[ChatService, Depends(get_chat)]
MetricsDep = Annotated[ApiMetrics, Depends(get_metrics)]
MediaDep = Annotated[Any, Depends(get_media)]
ZaloDep = Annotated[Any, Depends(get_zalo)]
TelegramAppDep = Annotated[Any, Depends(get_telegram_app)]

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="Khóa API của cán bộ (config/officials.yaml)")


def get_officials(settings: SettingsDep) -> OfficialStore:
    """The validated officials store (cached; reloaded when the file changes)."""
    return get_store(settings.officials_file)


OfficialsDep = Annotated[OfficialStore, Depends(get_officials)]


def official_from_key(api_key: str | None, officials: OfficialStore) -> Official:
    """The official owning ``api_key`` (401 missing, 403 unknown)."""
    if not api_key:
        raise ApiError(401, "api_key_required", say("api.api_key_required"),
                       "An official's API key is required (X-API-Key header).")
    official = officials.for_api_key(api_key.strip())
    if official is None:
        raise ApiError(403, "api_key_invalid", say("api.api_key_invalid"),
                       "Invalid API key or not allowed.")
    return official


def require_official(api_key: Annotated[str | None, Depends(api_key_header)],
                     officials: OfficialsDep) -> Official:
    """Authenticate an official by the ``X-API-Key`` header (401 missing, 403 unknown)."""
    return official_from_key(api_key, officials)


OfficialDep = Annotated[Official, Depends(require_official)]


def session_official(request: Request, settings: Settings,
                     officials: OfficialStore) -> Official | None:
    """The official of a valid widget session cookie + CSRF header, or None.

    A cookie without a matching CSRF token is refused (403), never silently ignored: the
    request would otherwise run as an anonymous citizen and hide a forged attempt.
    """
    from api import session

    token = request.cookies.get(session.COOKIE)
    if not token:
        return None
    official_id = session.verify(token, request.headers.get(session.CSRF_HEADER),
                                 settings.secret("session"))
    official = officials.get(official_id) if official_id else None
    if official is None:
        raise ApiError(403, "session_invalid", say("api.session_invalid"),
                       "Invalid or expired session (or CSRF token).")
    return official
