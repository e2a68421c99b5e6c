"""The operator console: the page (``/console``, HTML/JS/CSS from the repository, no CDN),
login and logout, who am I, and live updates by Server-Sent Events.

SSE (``GET /console/api/events``) polls the database version of the queue once a second, so
a change made through any API replica reaches every console; nginx must not buffer it
(``X-Accel-Buffering: no``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, StreamingResponse
from pydantic import BaseModel, Field

from api.console_auth import COOKIE, RESPONSES, ReaderDep, console_error, state
from api.deps import SettingsDep
from console.accounts import authenticate, csrf_for, issue_session
from console.audit import audit

router = APIRouter(prefix="/console", tags=["console"], responses=RESPONSES)
STATIC = Path(__file__).resolve().parent.parent / "static" / "console"
ASSETS = {"console.js": "text/javascript; charset=utf-8", "console.css": "text/css; charset=utf-8"}
SECURITY_HEADERS = {"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                    "frame-ancestors 'none'; form-action 'self'",
                    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


class Login(BaseModel):
    username: str = Field(..., min_length=1, max_length=80)
    password: str = Field(..., min_length=1, max_length=1024)


def _me(operator: object, csrf: str) -> dict[str, object]:
    return {"username": operator.username, "name": operator.display_name,  # type: ignore[attr-defined]
            "role": operator.role, "unit": operator.unit, "csrf_token": csrf}  # type: ignore[attr-defined]


@router.get("", response_class=HTMLResponse, include_in_schema=False)
async def page() -> HTMLResponse:
    """The console's single page."""
    return HTMLResponse((STATIC / "console.html").read_text(encoding="utf-8"),
                        headers=SECURITY_HEADERS)


@router.get("/static/{name}", include_in_schema=False)
async def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise console_error(404, "not_found")
    return FileResponse(STATIC / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "no-cache"})


@router.post("/api/login", summary="Đăng nhập bảng điều khiển / Console login")
async def login(body: Login, response: Response, settings: SettingsDep) -> dict[str, object]:
    """Check the password (argon2id) and set the session cookie; returns the CSRF token."""
    operator = await asyncio.to_thread(authenticate, settings.sqlalchemy_url,
                                       body.username.strip(), body.password)
    if operator is None:
        await asyncio.to_thread(audit, settings.sqlalchemy_url, body.username.strip()[:80],
                                "login_failed")
        raise console_error(401, "login_failed")
    token, csrf = issue_session(operator.username, settings.secret("session"),
                                settings.console_session_ttl_s)
    response.set_cookie(COOKIE, token, max_age=settings.console_session_ttl_s, httponly=True,
                        samesite="strict", path="/console",
                        secure=settings.public_base_url.startswith("https://"))
    await asyncio.to_thread(audit, settings.sqlalchemy_url, operator.username, "login")
    return _me(operator, csrf)


@router.post("/api/logout", status_code=204, summary="Đăng xuất / Log out")
async def logout(response: Response) -> Response:
    response.status_code = 204
    response.delete_cookie(COOKIE, path="/console")
    return response


@router.get("/api/me", summary="Tài khoản đang đăng nhập / Current account")
async def me(request: Request, operator: ReaderDep, settings: SettingsDep) -> dict[str, object]:
    """The account and its CSRF token (readable by the console's own origin only)."""
    return _me(operator, csrf_for(request.state.console_token, settings.secret("session")))


@router.get("/api/events", summary="Cập nhật trực tiếp (SSE) / Live updates")
async def events(request: Request, operator: ReaderDep) -> StreamingResponse:
    """``event: queue`` whenever the queue or a conversation changes (any replica)."""
    store = state(request, "handoff").store

    async def stream() -> AsyncIterator[str]:
        last = None
        yield "retry: 2000\n\n"
        for _ in range(3600):  # the browser reconnects after an hour
            if await request.is_disconnected():
                return
            version = await asyncio.to_thread(store.version)
            if version != last:
                last = version
                yield f"event: queue\ndata: {json.dumps({'version': version})}\n\n"
            else:
                yield ": ping\n\n"
            await asyncio.sleep(1.0)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
