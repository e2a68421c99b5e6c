"""ASGI guard in front of every route: body-size limit, per-client rate limit, metrics.

Written as plain ASGI (not ``BaseHTTPMiddleware``) so uploads stream through untouched and
the limits are enforced while the body is read, not only from ``Content-Length``.
"""

from __future__ import annotations

import ipaddress
import json
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Protocol

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import defaults
from api.metrics import ApiMetrics

# Any JSON body (a chat message, a question) stays far below this; uploads get their own limit.
JSON_BODY_LIMIT = 64 * 1024
UPLOAD_PATHS = ("/api/reports",)
# Everything a client can call is limited: the API, the webhooks and the health checks.
RATE_LIMITED_PREFIXES = ("/api/", "/webhooks/", "/health", "/console/api/login")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Limiter(Protocol):
    """Something that records a hit for a key and says how long to wait (0: allowed)."""

    def check(self, key: str) -> float: ...


def parse_networks(text: str) -> list[Network]:
    """``"10.0.0.0/8, 127.0.0.1"`` → networks (the trusted reverse proxies)."""
    return [ipaddress.ip_network(part.strip(), strict=False)
            for part in text.split(",") if part.strip()]


def _key_of(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        # one subscriber usually holds a whole /64: limit the prefix, not each address
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_key(scope: Scope, trusted: list[Network]) -> str:
    """The rate-limit key of the real client.

    ``X-Forwarded-For`` is read only when the TCP peer is a trusted proxy, and then from the
    right: the first hop that is not a trusted proxy is the client (the left part of the
    header is whatever the client wrote). IPv6 clients are keyed by their /64.
    """
    client = scope.get("client")
    try:
        peer = ipaddress.ip_address(client[0]) if client else None
    except ValueError:
        return str(client[0])[:64] if client else "unknown"
    if peer is None:
        return "unknown"
    if not any(peer in net for net in trusted):
        return _key_of(peer)
    forwarded = b",".join(v for k, v in scope.get("headers") or [] if k == b"x-forwarded-for")
    hop = peer
    for part in reversed(forwarded.decode("latin-1").split(",")[-20:]):
        try:
            hop = ipaddress.ip_address(part.strip())
        except ValueError:
            break  # garbage: stop at the last hop we could read
        if not any(hop in net for net in trusted):
            break
    return _key_of(hop)


class SlidingWindowLimiter:
    """At most ``limit`` requests per client in any 60-second window (in memory, bounded).

    At most ``max_keys`` clients are tracked; the least recently seen are forgotten first,
    so a flood of spoofed or rotating addresses cannot grow memory.
    """

    def __init__(self, limit: int, window_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 20000) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self.max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def check(self, key: str) -> float:
        """Record a hit; return 0 when allowed, else the seconds until the next free slot."""
        if self.limit <= 0:
            return 0.0
        now = self.clock()
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
        else:
            self._hits.move_to_end(key)
        while hits and now - hits[0] >= self.window_s:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(0.1, self.window_s - (now - hits[0]))
        hits.append(now)
        return 0.0

    def __len__(self) -> int:
        return len(self._hits)


class RedisLimiter:
    """The same limit shared by every API replica: a fixed 60-s window counter in Redis."""

    def __init__(self, url: str, limit: int, window_s: int = 60) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=0.5)
        self.limit = limit
        self.window_s = window_s
        self.fallback = SlidingWindowLimiter(limit, float(window_s))

    def check(self, key: str) -> float:
        """Record a hit; 0 when allowed, else seconds to wait (local limiter if Redis fails)."""
        if self.limit <= 0:
            return 0.0
        now = time.time()
        bucket = int(now // self.window_s)
        name = f"troly06:rl:{key}:{bucket}"
        try:
            pipe = self.redis.pipeline()
            pipe.incr(name)
            pipe.expire(name, self.window_s + 1)
            count = int(pipe.execute()[0])
        except Exception:  # noqa: BLE001 - Redis down: keep limiting, per replica
            return self.fallback.check(key)
        if count > self.limit:
            return max(0.1, (bucket + 1) * self.window_s - now)
        return 0.0


class _TooLarge(StarletteHTTPException):
    """Raised while reading a body past its limit (FastAPI re-raises HTTP exceptions as-is)."""

    def __init__(self) -> None:
        super().__init__(413)


def _json_error(status: int, extra_headers: list[tuple[bytes, bytes]] | None = None,
                message: str | None = None, message_en: str | None = None
                ) -> tuple[Message, Message]:
    code, msg, en = defaults(status)
    body = json.dumps({"error": code, "message": message or msg,
                       "message_en": message_en or en}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())] + (extra_headers or [])
    return ({"type": "http.response.start", "status": status, "headers": headers},
            {"type": "http.response.body", "body": body})


class GuardMiddleware:
    """Enforce size and rate limits and record Prometheus metrics for every HTTP request."""

    def __init__(self, app: ASGIApp, *, metrics: ApiMetrics, limiter: Limiter,
                 max_upload_bytes: int, trusted_proxies: list[Network] | None = None) -> None:
        self.app = app
        self.metrics = metrics
        self.limiter = limiter
        self.max_upload_bytes = max_upload_bytes
        self.trusted_proxies = trusted_proxies or []

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
        if path.startswith(RATE_LIMITED_PREFIXES) and scope.get("method") != "OPTIONS":
            wait = self.limiter.check(client_key(scope, self.trusted_proxies))
            if wait:
                self.metrics.rate_limited.inc()
                retry = str(math.ceil(wait)).encode()
                for m in _json_error(429, [(b"retry-after", retry)]):
                    await send(m)
                return True
        return False
