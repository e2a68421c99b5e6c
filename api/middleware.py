"""ASGI guard in front of every route: body-size limit, per-client rate limit, metrics.

Written as plain ASGI (not ``BaseHTTPMiddleware``) so uploads stream through untouched and
the limits are enforced while the body is read, not only from ``Content-Length``.
"""

from __future__ import annotations

import json
import math
import time
from collections import deque
from collections.abc import Callable

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import _DEFAULTS
from api.metrics import ApiMetrics

# Any JSON body (a chat message, a question) stays far below this; uploads get their own limit.
JSON_BODY_LIMIT = 64 * 1024
UPLOAD_PATHS = ("/api/reports",)
RATE_LIMITED_PREFIX = "/api/"


class SlidingWindowLimiter:
    """At most ``limit`` requests per client in any 60-second window (in memory)."""

    def __init__(self, limit: int, window_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}

    def check(self, key: str) -> float:
        """Record a hit; return 0 when allowed, else the seconds until the next free slot."""
        if self.limit <= 0:
            return 0.0
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.window_s:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(0.1, self.window_s - (now - hits[0]))
        hits.append(now)
        if len(self._hits) > 10000:  # forget idle clients so memory stays bounded
            for k in [k for k, v in self._hits.items() if not v][:5000]:
                del self._hits[k]
        return 0.0


class _TooLarge(StarletteHTTPException):
    """Raised while reading a body past its limit (FastAPI re-raises HTTP exceptions as-is)."""

    def __init__(self) -> None:
        super().__init__(413)


def _json_error(status: int, extra_headers: list[tuple[bytes, bytes]] | None = None,
                message: str | None = None, message_en: str | None = None
                ) -> tuple[Message, Message]:
    code, msg, en = _DEFAULTS[status]
    body = json.dumps({"error": code, "message": message or msg,
                       "message_en": message_en or en}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())] + (extra_headers or [])
    return ({"type": "http.response.start", "status": status, "headers": headers},
            {"type": "http.response.body", "body": body})


class GuardMiddleware:
    """Enforce size and rate limits and record Prometheus metrics for every HTTP request."""

    def __init__(self, app: ASGIApp, *, metrics: ApiMetrics, limiter: SlidingWindowLimiter,
                 max_upload_bytes: int) -> None:
        self.app = app
        self.metrics = metrics
        self.limiter = limiter
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        path: str = scope.get("path", "")
        status_holder = {"status": 500, "started": False}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
            await send(message)

        try:
            rejected = await self._precheck(scope, path, send_wrapper)
            if not rejected:
                limit = (self.max_upload_bytes + 1024 * 1024 if path in UPLOAD_PATHS
                         else JSON_BODY_LIMIT)
                received = 0

                async def receive_wrapper() -> Message:
                    nonlocal received
                    message = await receive()
                    if message["type"] == "http.request":
                        received += len(message.get("body", b""))
                        if received > limit:
                            raise _TooLarge()
                    return message

                try:
                    await self.app(scope, receive_wrapper, send_wrapper)
                except _TooLarge:
                    if not status_holder["started"]:
                        for m in _json_error(413):
                            await send_wrapper(m)
        finally:
            route = scope.get("route")
            route_path = getattr(route, "path", None) or ("static" if path.startswith(
                "/static/") else "unmatched")
            status = str(status_holder["status"])
            self.metrics.requests.labels(scope.get("method", ""), route_path, status).inc()
            self.metrics.latency.labels(route_path).observe(time.perf_counter() - start)

    async def _precheck(self, scope: Scope, path: str, send: Send) -> bool:
        """Reject oversized or rate-limited requests before they reach a route."""
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        limit = self.max_upload_bytes + 1024 * 1024 if path in UPLOAD_PATHS else JSON_BODY_LIMIT
        if length is not None:
            try:
                too_large = int(length) > limit
            except ValueError:
                too_large = False
            if too_large:
                for m in _json_error(413):
                    await send(m)
                return True
        if path.startswith(RATE_LIMITED_PREFIX) and scope.get("method") != "OPTIONS":
            client = scope.get("client")
            key = client[0] if client else "unknown"
            wait = self.limiter.check(key)
            if wait:
                self.metrics.rate_limited.inc()
                retry = str(math.ceil(wait)).encode()
                for m in _json_error(429, [(b"retry-after", retry)]):
                    await send(m)
                return True
        return False
