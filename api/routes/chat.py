"""``POST /api/chat``: one user message in, the assistant's replies out.

Who is talking is decided here, once: an official's ``X-API-Key``, an official's widget
session (cookie + CSRF header, :mod:`api.session`), or else an anonymous web visitor whose
``sender`` only names the conversation. The identity is signed for Rasa by the chat service.
``POST /api/session`` logs an official in to the widget; ``DELETE /api/session`` logs out.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from api import session
from api.deps import (
    ChatDep,
    OfficialsDep,
    SettingsDep,
    api_key_header,
    official_from_key,
    session_official,
)
from api.errors import ApiError
from api.schemas import AUTH_ERRORS, ERRORS, ChatRequest, ChatResponse, InboxResponse
from troly06.identity import Identity
from troly06.wording import say

router = APIRouter(prefix="/api", tags=["chat"])


def check_message_length(text: str, max_chars: int) -> None:
    """Refuse messages longer than ``max_chars`` with a clear bilingual 413."""
    if len(text) > max_chars:
        raise ApiError(413, "message_too_long",
                       say("api.message_too_long", max_chars=max_chars),
                       f"Message too long (at most {max_chars} characters).")


@router.post("/chat", response_model=ChatResponse, responses={**ERRORS, **AUTH_ERRORS},
             summary="Hội thoại với trợ lý / Chat with the assistant")
async def post_chat(body: ChatRequest, request: Request, chat: ChatDep, settings: SettingsDep,
                    officials: OfficialsDep,
                    api_key: Annotated[str | None, Depends(api_key_header)] = None
                    ) -> ChatResponse:
    """Forward the message to Rasa and return its replies (knowledge base if Rasa is down).

    With an official's ``X-API-Key`` (or widget session) the conversation runs as that
    official; otherwise as an anonymous citizen.
    """
    check_message_length(body.message, settings.max_message_chars)
    if not body.message.strip():
        raise ApiError(422, "empty_message", "Tin nhắn trống.", "Empty message.")
    official = official_from_key(api_key, officials) if api_key else \
        session_official(request, settings, officials)
    if official is not None:
        # the official's conversation is theirs, whatever the client calls it
        who = Identity("api", official.id, official.id)
    else:
        who = Identity("web", body.sender)
    result = await chat.reply(who, body.message,
                              metadata={"unit": body.unit} if body.unit else None)
    return ChatResponse.model_validate(
        {"sender": body.sender, "replies": result.messages, "degraded": result.degraded,
         "handoff": result.handoff})


@router.get("/chat/inbox", response_model=InboxResponse, responses=ERRORS,
            summary="Tin nhắn của cán bộ cho widget / Operator messages for the widget")
async def chat_inbox(request: Request,
                     sender: Annotated[str, Query(min_length=1, max_length=128)],
                     after: Annotated[int, Query(ge=0, le=2**62)] = 0) -> InboxResponse:
    """The widget's messages from a person (a handed-off conversation) newer than ``after``.

    The widget's random conversation id names the conversation, as on ``POST /api/chat``.
    """
    gate = getattr(request.app.state, "handoff", None)
    if gate is None:
        return InboxResponse(status=None, messages=[])
    messages, status = await asyncio.to_thread(gate.store.inbox, f"web:{sender}", after)
    return InboxResponse(status=status, messages=[
        {"id": m.id, "author": m.author, "text": m.text, "at": m.at.isoformat()}
        for m in messages])


class LoginRequest(BaseModel):
    """An official's key, typed into the widget's login box."""

    api_key: str = Field(..., min_length=1, max_length=512)


class LoginResponse(BaseModel):
    """Who is logged in, the CSRF token to send as ``X-CSRF-Token``, and for how long."""

    official: str
    csrf_token: str
    expires_in: int


@router.post("/session", response_model=LoginResponse, responses={**ERRORS, **AUTH_ERRORS},
             summary="Cán bộ đăng nhập widget / Official widget login")
async def post_session(body: LoginRequest, response: Response, settings: SettingsDep,
                       officials: OfficialsDep) -> LoginResponse:
    """Check the key and set a short-lived HttpOnly, SameSite=Strict session cookie."""
    official = official_from_key(body.api_key, officials)
    token, csrf = session.issue(official.id, settings.secret("session"), settings.session_ttl_s)
    response.set_cookie(session.COOKIE, token, max_age=settings.session_ttl_s, httponly=True,
                        samesite="strict", path="/api",
                        secure=settings.public_base_url.startswith("https://"))
    return LoginResponse(official=official.name, csrf_token=csrf,
                         expires_in=settings.session_ttl_s)


@router.delete("/session", status_code=204, summary="Đăng xuất / Log out")
async def delete_session(response: Response) -> Response:
    """Clear the session cookie."""
    response.status_code = 204
    response.delete_cookie(session.COOKIE, path="/api")
    return response
