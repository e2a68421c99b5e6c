"""Request and response models shared by the routes (they make the OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.errors import ErrorBody


class Button(BaseModel):
    """A quick-reply button: ``payload`` is sent back as the next message."""

    title: str
    payload: str


class BotMessage(BaseModel):
    """One bot message, in Rasa's REST output format."""

    recipient_id: str | None = None
    text: str | None = None
    buttons: list[Button] | None = None
    image: str | None = None
    custom: dict[str, Any] | None = None


class ChatRequest(BaseModel):
    """A user message."""

    sender: str = Field(..., min_length=1, max_length=128,
                        description="Mã phiên/người dùng do kênh tạo (ví dụ mã phiên widget)",
                        examples=["web-3f2a9c"])
    message: str = Field(..., min_length=1, description="Nội dung tin nhắn",
                         examples=["Làm thẻ căn cước cần giấy tờ gì?"])
    unit: str | None = Field(None, max_length=40, pattern=r"^[a-z0-9_-]*$",
                             description="Đơn vị của cổng thông tin nhúng widget (hàng chờ "
                                         "cán bộ khi chuyển người thật)")


class ChatResponse(BaseModel):
    """Bot replies to one user message."""

    sender: str
    replies: list[BotMessage]
    degraded: bool = Field(False, description="True khi trả lời trực tiếp từ cơ sở tri thức "
                                              "vì Rasa tạm thời không sẵn sàng")
    handoff: dict[str, Any] | None = Field(None, description="Trạng thái chuyển cán bộ "
                                           "(conversation, status, position, wait_minutes)")


class InboxMessage(BaseModel):
    """A message of the operator (or the handoff system) for the citizen."""

    id: int
    author: str
    text: str
    at: str


class InboxResponse(BaseModel):
    """New messages of the handed-off conversation, and its status."""

    status: str | None
    messages: list[InboxMessage]


class AskRequest(BaseModel):
    """A question for the knowledge base."""

    question: str = Field(..., min_length=1, examples=["Đăng ký tài khoản VNeID mức 2 ở đâu?"])


class Source(BaseModel):
    """Where an answer comes from, when it was published and when it was last checked."""

    title: str
    ref: str
    date: str = Field("", description="publication date of the source (YYYY-MM-DD)")
    verified: str = Field("", description="when the entry was last verified (YYYY-MM-DD)")
    official_page: str = Field("", description="the official page for the procedure or rule")


class AnswerOut(BaseModel):
    """Knowledge-base answer (``knowledge.answer(...).to_dict()``)."""

    answer: str
    sources: list[Source]
    score: float
    entry_id: str | None = None
    status: str = Field(..., description="answered | not_sure | refused")
    suggestions: list[str] = Field(default_factory=list,
                                   description="not sure: entry titles to offer as choices")


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": desc}
    for code, desc in {
        413: "Nội dung quá lớn / Payload too large",
        422: "Dữ liệu không hợp lệ / Invalid input",
        429: "Quá nhiều yêu cầu / Rate limited",
    }.items()
}
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu khóa API / Missing API key"},
    403: {"model": ErrorBody, "description": "Khóa API không hợp lệ / Invalid API key"},
}
