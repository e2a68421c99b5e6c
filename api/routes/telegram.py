"""``POST /webhooks/telegram``: Telegram updates in webhook mode (``TELEGRAM_MODE=webhook``).

The PTB application is built with ``.updater(None)``; this route verifies Telegram's
``X-Telegram-Bot-Api-Secret-Token`` header and puts each update on the application's queue.
"""

from __future__ import annotations

import hmac
import logging

from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from telegram import Update

from api.deps import SettingsDep, TelegramAppDep
from api.errors import ApiError
from gateways.telegram import build_application, register_commands
from troly06.config import MIN_SECRET_CHARS, Settings, is_placeholder

router = APIRouter(prefix="/webhooks", tags=["channels"])
log = logging.getLogger(__name__)
WEBHOOK_PATH = "/webhooks/telegram"


async def startup(app: FastAPI, settings: Settings) -> None:
    """In webhook mode: start the PTB application and register the webhook with Telegram."""
    if settings.telegram_mode != "webhook" or not settings.telegram_token.get_secret_value():
        return
    check_webhook_secret(settings)
    application = build_application(settings, app.state.chat, webhook=True)
    await application.initialize()
    await register_commands(application)
    await application.start()
    app.state.telegram_app = application
    url = settings.public_base_url.rstrip("/") + WEBHOOK_PATH
    try:
        await application.bot.set_webhook(
            url=url, secret_token=settings.telegram_webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES)
        log.info("Telegram webhook set to %s", url)
    except Exception:  # noqa: BLE001 - the API must still start; the log says what failed
        log.exception("could not register the Telegram webhook at %s", url)


def check_webhook_secret(settings: Settings) -> None:
    """Refuse webhook mode without a strong secret: an open webhook lets anyone forge updates
    "from" any Telegram user, officials included."""
    secret = settings.telegram_webhook_secret.get_secret_value()
    if len(secret) < MIN_SECRET_CHARS or is_placeholder(secret):
        raise RuntimeError(f"TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET of at least "
                           f"{MIN_SECRET_CHARS} characters (Telegram allows A-Z a-z 0-9 _ -)")


async def shutdown(app: FastAPI) -> None:
    """Stop the PTB application."""
    application = app.state.telegram_app
    if application is not None:
        await application.stop()
        await application.shutdown()
        app.state.telegram_app = None


@router.post("/telegram", summary="Telegram webhook",
             responses={403: {"description": "Sai secret token"},
                        404: {"description": "Chế độ webhook chưa bật"}})
async def telegram_webhook(
    request: Request,
    settings: SettingsDep,
    application: TelegramAppDep,
    x_telegram_bot_api_secret_token: str | None = Header(None),
) -> JSONResponse:
    """Queue one Telegram update for the PTB application."""
    if application is None:
        raise ApiError(404, "telegram_webhook_off", "Kênh Telegram (webhook) chưa được bật.",
                       "Telegram webhook mode is not enabled (TELEGRAM_MODE=webhook).")
    secret = settings.telegram_webhook_secret.get_secret_value()
    # always compared (fails closed: an empty secret matches nothing), in constant time
    if not secret or not hmac.compare_digest((x_telegram_bot_api_secret_token or "").encode(),
                                             secret.encode()):
        raise ApiError(403, "bad_secret_token", "Sai mã bí mật webhook Telegram.",
                       "Invalid Telegram webhook secret token.")
    try:
        data = await request.json()
        # Telegram's update_id is an integer; a JSON true/false is not one (bool is an int
        # to Python, and PTB would accept it)
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            raise ValueError("not an update")
        update = Update.de_json(data, application.bot)
    except Exception as exc:  # noqa: BLE001 - malformed updates are the sender's problem
        raise ApiError(400, "bad_update", "Bản tin Telegram không hợp lệ.",
                       "Malformed Telegram update.") from exc
    await application.update_queue.put(update)
    return JSONResponse({"ok": True})
