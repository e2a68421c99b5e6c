"""``POST /webhooks/zalo``: Zalo OA events, verified by ``X-ZEvent-Signature``."""

from __future__ import annotations

import asyncio
import json
import logging
from functools import partial

from fastapi import APIRouter, BackgroundTasks, FastAPI, Header, Request
from fastapi.responses import JSONResponse

from api.deps import SettingsDep, ZaloDep
from api.errors import ApiError
from gateways.zalo import SignatureError, ZaloClient, ZaloWebhook, verify_signature
from troly06.config import Settings
from troly06.dedup import first_time

router = APIRouter(prefix="/webhooks", tags=["channels"])
log = logging.getLogger(__name__)


async def startup(app: FastAPI, settings: Settings) -> None:
    """Create the process's OA client and webhook handler."""
    client = ZaloClient(settings.zalo_api_base, settings.zalo_access_token.get_secret_value())
    url = settings.sqlalchemy_url
    app.state.zalo = ZaloWebhook(app.state.chat, client, publish=app.state.media.publish,
                                 seen_first_time=partial(first_time, url=url),
                                 officials_file=settings.officials_file,
                                 max_chars=settings.max_message_chars)


async def shutdown(app: FastAPI) -> None:
    """Close the OA client."""
    if app.state.zalo is not None:
        await app.state.zalo.client.aclose()


@router.post("/zalo", summary="Zalo OA webhook",
             responses={401: {"description": "Thiếu chữ ký"},
                        403: {"description": "Sai chữ ký hoặc sự kiện quá cũ"},
                        404: {"description": "Chưa cấu hình Zalo OA"}})
async def zalo_webhook(request: Request, background: BackgroundTasks, settings: SettingsDep,
                       handler: ZaloDep,
                       x_zevent_signature: str | None = Header(None)) -> JSONResponse:
    """Verify the event, acknowledge at once, answer ``user_send_text`` in the background."""
    secret = settings.zalo_oa_secret.get_secret_value()
    if not secret or not settings.zalo_app_id:
        raise ApiError(404, "zalo_not_configured", "Kênh Zalo chưa được cấu hình.",
                       "The Zalo channel is not configured (ZALO_APP_ID, ZALO_OA_SECRET).")
    body = await request.body()
    try:
        verify_signature(x_zevent_signature, body, app_id=settings.zalo_app_id, secret=secret,
                         max_skew_s=settings.zalo_max_skew_s)
    except (ValueError, RecursionError) as exc:  # not even JSON: no timestamp to check
        raise ApiError(400, "bad_event", "Sự kiện Zalo không hợp lệ (JSON lỗi).",
                       "Malformed Zalo event (invalid JSON).") from exc
    except SignatureError as exc:
        log.warning("Zalo webhook refused: %s", exc.reason)
        raise ApiError(exc.status, "bad_signature" if exc.status == 403 else "missing_signature",
                       "Chữ ký sự kiện Zalo không hợp lệ hoặc đã hết hạn.",
                       f"Invalid Zalo event signature ({exc.reason}).") from exc
    try:
        event = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, "bad_event", "Sự kiện Zalo không hợp lệ (JSON lỗi).",
                       "Malformed Zalo event (invalid JSON).") from exc
    if not isinstance(event, dict):
        raise ApiError(400, "bad_event", "Sự kiện Zalo không hợp lệ.",
                       "Malformed Zalo event (not a JSON object).")
    if handler is None:
        raise ApiError(404, "zalo_not_configured", "Kênh Zalo chưa được cấu hình.",
                       "The Zalo channel is not configured (ZALO_APP_ID, ZALO_OA_SECRET).")
    try:
        accepted = await asyncio.to_thread(handler.accept, event)
    except (AttributeError, TypeError) as exc:  # right JSON, wrong shape
        raise ApiError(400, "bad_event", "Sự kiện Zalo không hợp lệ.",
                       "Malformed Zalo event.") from exc
    if accepted is not None:
        user_id, text, _ = accepted
        background.add_task(handler.respond, user_id, text)
    return JSONResponse({"ok": True, "handled": accepted is not None})
