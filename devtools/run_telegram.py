#!/usr/bin/env python
"""Start the Telegram channel of troly06.

* ``TELEGRAM_MODE=polling`` (default): long polling, this process only needs outbound HTTPS.
* ``TELEGRAM_MODE=webhook``: Telegram calls ``$TROLY06_PUBLIC_URL/webhooks/telegram``; the
  FastAPI app owns the bot (built with ``.updater(None)``), so this script starts the API.

Needs ``TELEGRAM_BOT_TOKEN``; Rasa at ``RASA_URL`` (answers come from the knowledge base
when Rasa is unreachable). Ctrl-C stops it.
"""

from __future__ import annotations

import logging
import sys

from telegram import Update  # noqa: E402

from gateways.chat import get_chat_service  # noqa: E402
from gateways.telegram import build_application  # noqa: E402
from troly06.config import get_settings  # noqa: E402
from troly06.pii import install_log_filter  # noqa: E402


def main() -> int:
    """Run the bot until interrupted; return the exit status."""
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its URLs contain the bot token
    install_log_filter()
    settings = get_settings()
    if not settings.telegram_token.get_secret_value():
        print("TELEGRAM_BOT_TOKEN is not set (see docs/channels.md).", file=sys.stderr)
        return 2
    if settings.telegram_mode == "webhook":
        import uvicorn

        print(f"Webhook mode: serving the API on {settings.api_host}:{settings.api_port}; "
              f"Telegram will call {settings.public_base_url}/webhooks/telegram")
        uvicorn.run("api.main:app", host=settings.api_host, port=settings.api_port)
        return 0
    application = build_application(settings, get_chat_service())
    # Polling survives network errors: PTB retries getUpdates with backoff.
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
