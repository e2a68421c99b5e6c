"""REST input channel that keeps personal numbers out of Rasa and accepts slash commands.

Registered in ``bot/credentials.yml`` as ``bot.components.channels.SafeRestInput``; its name is
still ``rest`` so the webhook stays ``/webhooks/rest/webhook``.

* ID/phone numbers are masked (``troly06.pii.mask_pii``) before the ``UserMessage`` is built,
  so the tracker, the logs and the action server only ever see the placeholder.
* Telegram-style commands with arguments (``/thongke Ngã Bảy tuần này``) would otherwise be
  read by Rasa as an intent literally called "thongke Ngã Bảy tuần này"; they are rewritten to
  plain text ("thongke Ngã Bảy tuần này") that the NLU is trained on. ``/start``, ``/menu`` and
  ``/help`` become the ``start`` / ``help`` intents.
"""

# Rasa 3.6 validates component signatures by their typing annotations: keep typing.List/Dict.
# ruff: noqa: UP006, UP019, UP035, UP037, UP045

from __future__ import annotations

import re
from typing import Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.request import Request

from troly06.pii import mask_pii

# command word -> replacement text (None: keep "/intent" so Rasa triggers it directly)
_COMMANDS: dict[str, str] = {
    "start": "/start", "menu": "/start", "batdau": "/start",
    "help": "/help", "trogiup": "/help", "huongdan": "/help",
    "thongke": "thongke", "sosanh": "sosanh", "xuhuong": "xuhuong",
    "hotro": "gặp cán bộ hỗ trợ", "lienhe": "gặp cán bộ hỗ trợ",
}
_COMMAND_RE = re.compile(r"^\s*/(\w+)(?:@\w+)?\s*(.*)$", re.DOTALL)


def rewrite_command(text: str) -> str:
    """Turn a slash command into text the assistant understands; other text is unchanged."""
    match = _COMMAND_RE.match(text)
    if not match:
        return text
    command, rest = match.group(1).lower(), match.group(2).strip()
    if command not in _COMMANDS:
        return text
    target = _COMMANDS[command]
    if target.startswith("/"):
        return target
    return f"{target} {rest}".strip()


def clean_user_text(text: Optional[Text]) -> Optional[Text]:
    """Mask personal numbers and rewrite slash commands (``None`` stays ``None``)."""
    if text is None:
        return None
    return rewrite_command(mask_pii(str(text)))


class SafeRestInput(RestInput):
    """``rest`` channel with PII masking and slash-command rewriting."""

    def _extract_message(self, req: Request) -> Optional[Text]:
        return clean_user_text(req.json.get("message", None))
