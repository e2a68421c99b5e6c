"""A fake Telegram Bot API server (real HTTP on localhost) for the channel tests.

python-telegram-bot talks to it through ``base_url``/``base_file_url``. Tests queue updates
(served by long-polling ``getUpdates``), read the recorded calls, and can make the next call
of a method fail (e.g. 429 with ``retry_after``, or a 502 network error).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

BOT_USER = {"id": 777000, "is_bot": True, "first_name": "Trợ lý Đề án 06",
            "username": "troly06_test_bot", "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False}


class FakeBotApi:
    """State and routes of the fake server."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.updates: list[dict[str, Any]] = []
        self.calls: list[tuple[str, dict[str, Any], float]] = []
        self.failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self.app = Starlette(routes=[
            Route("/bot{token}/{method}", self.handle, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", self.download, methods=["GET"]),
        ])

    # ---- test side ------------------------------------------------------------------------
    def push(self, update: dict[str, Any]) -> int:
        """Queue an update (its ``update_id`` is assigned here)."""
        with self.lock:
            update = {"update_id": next(self._update_ids), **update}
            self.updates.append(update)
            return update["update_id"]

    def fail_next(self, method: str, status: int, body: dict[str, Any]) -> None:
        """Answer the next call of ``method`` with ``status`` and ``body``."""
        with self.lock:
            self.failures.setdefault(method, []).append((status, body))

    def add_file(self, file_id: str, name: str, content: bytes) -> None:
        """Make a document downloadable via getFile + the file URL."""
        self.files[file_id] = (f"documents/{name}", content)

    def calls_of(self, method: str, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Recorded parameters of every call of ``method`` (optionally to one chat)."""
        with self.lock:
            return [p for m, p, _ in self.calls if m == method
                    and (chat_id is None or str(p.get("chat_id")) == str(chat_id))]

    def call_times(self, method: str) -> list[float]:
        with self.lock:
            return [t for m, _, t in self.calls if m == method]

    # ---- server side ----------------------------------------------------------------------
    async def _params(self, request: Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query_params)
        ctype = request.headers.get("content-type", "")
        if "application/json" in ctype:
            params.update(await request.json())
            return params
        form = await request.form()
        for key, value in form.multi_items():
            if hasattr(value, "read"):
                params[key] = {"filename": value.filename, "bytes": await value.read()}
                continue
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        return params

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        return {"message_id": next(self._message_ids), "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": BOT_USER, **extra}

    async def handle(self, request: Request) -> Response:
        method = request.path_params["method"]
        params = await self._params(request)
        with self.lock:
            self.calls.append((method, params, time.monotonic()))
            failure = self.failures.get(method, [])
            status_body = failure.pop(0) if failure else None
        if status_body is not None:
            status, body = status_body
            return JSONResponse(body, status_code=status)
        if method == "getUpdates":
            return JSONResponse({"ok": True, "result": await self._updates(params)})
        result: Any = True
        if method == "getMe":
            result = BOT_USER
        elif method == "sendMessage":
            result = self._message(params, text=params.get("text", ""))
        elif method == "sendPhoto":
            result = self._message(params, photo=[{"file_id": "p1", "file_unique_id": "u1",
                                                   "width": 10, "height": 10}])
        elif method == "getFile":
            path, content = self.files[params["file_id"]]
            result = {"file_id": params["file_id"], "file_unique_id": "u-" + params["file_id"],
                      "file_size": len(content), "file_path": path}
        return JSONResponse({"ok": True, "result": result})

    async def _updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        while True:
            with self.lock:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                ready = list(self.updates)
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.02)

    async def download(self, request: Request) -> Response:
        wanted = request.path_params["path"]
        for path, content in self.files.values():
            if path == wanted:
                return Response(content, media_type="application/octet-stream")
        return Response(status_code=404)


def user(uid: int, first_name: str = "Dân") -> dict[str, Any]:
    """A Telegram user object."""
    return {"id": uid, "is_bot": False, "first_name": first_name, "language_code": "vi"}


def message(uid: int, text: str | None = None, *, chat_id: int | None = None,
            chat_type: str = "private", **extra: Any) -> dict[str, Any]:
    """A ``message`` object from user ``uid`` (private chat unless ``chat_id`` is given)."""
    chat = {"id": chat_id if chat_id is not None else uid, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = "Dân"
    else:
        chat["title"] = "Nhóm thử"
    msg = {"message_id": int(time.time() * 1000) % 10**9, "date": int(time.time()),
           "chat": chat, "from": user(uid), **extra}
    if text is not None:
        msg["text"] = text
    return msg
