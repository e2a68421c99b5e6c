"""``POST /api/chat``: one user message in, the assistant's replies out."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ChatDep, SettingsDep
from api.errors import ApiError
from api.schemas import ERRORS, ChatRequest, ChatResponse

router = APIRouter(prefix="/api", tags=["chat"])

# Web senders are namespaced so a web visitor can never pose as a Telegram/Zalo user id.
WEB_PREFIX = "web:"


def check_message_length(text: str, max_chars: int) -> None:
    """Refuse messages longer than ``max_chars`` with a clear bilingual 413."""
    if len(text) > max_chars:
        raise ApiError(413, "message_too_long",
                       f"Tin nhắn quá dài (tối đa {max_chars} ký tự), bạn vui lòng rút gọn.",
                       f"Message too long (at most {max_chars} characters).")


@router.post("/chat", response_model=ChatResponse, responses=ERRORS,
             summary="Hội thoại với trợ lý / Chat with the assistant")
async def post_chat(body: ChatRequest, chat: ChatDep, settings: SettingsDep) -> ChatResponse:
    """Forward the message to Rasa and return its replies (knowledge base if Rasa is down)."""
    check_message_length(body.message, settings.max_message_chars)
    if not body.message.strip():
        raise ApiError(422, "empty_message", "Tin nhắn trống.", "Empty message.")
    result = await chat.reply(WEB_PREFIX + body.sender, body.message, channel="web")
    return ChatResponse.model_validate(
        {"sender": body.sender, "replies": result.messages, "degraded": result.degraded})
