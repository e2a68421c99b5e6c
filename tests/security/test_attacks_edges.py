"""Attacks on the API's edge over real HTTP (uvicorn in a thread): forged X-Forwarded-For,
rotating IPv6 addresses, a flood of spoofed clients, and a limit spread over two replicas
that share Redis (security issue, item 7)."""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from api.main import create_app
from api.middleware import SlidingWindowLimiter
from tests.api.api_testlib import LiveServer, app_env

LIMIT = 3


def _codes(url: str, forwarded: list[str | None]) -> list[int]:
    """``GET /health`` sent with each X-Forwarded-For value (None: none): 429 when limited,
    else 200 (the health answer itself is 503 here: Rasa is not running)."""
    with httpx.Client(base_url=url, timeout=30) as client:
        codes = [client.get("/health", headers={"X-Forwarded-For": f} if f else {}).status_code
                 for f in forwarded]
    assert set(codes) <= {200, 503, 429}, codes
    return [429 if c == 429 else 200 for c in codes]


def _live(stack: ExitStack, tmp: Path, **env: str) -> str:
    settings = stack.enter_context(app_env(tmp, TROLY06_RATE_LIMIT_PER_MINUTE=str(LIMIT),
                                           **env))
    return stack.enter_context(LiveServer(create_app(settings))).url


def test_forged_forwarded_for_from_an_untrusted_peer_is_ignored(tmp_path: Path) -> None:
    """With no trusted proxy, a client rotating X-Forwarded-For is still one client."""
    with ExitStack() as stack:
        url = _live(stack, tmp_path)
        forged = [f"203.0.113.{n}, 198.51.100.{n}" for n in range(1, 7)]
        assert _codes(url, forged) == [200] * LIMIT + [429] * 3


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(
        tmp_path: Path) -> None:
    """Behind the proxy (127.0.0.1 here), what the client wrote on the left of the header
    cannot make it a new client; the hop the proxy appended decides."""
    with ExitStack() as stack:
        url = _live(stack, tmp_path, TROLY06_TRUSTED_PROXIES="127.0.0.1/32, 10.0.0.0/8")
        client = "198.51.100.7"
        spoofed = [f"{uuid.uuid4().int % 250 + 1}.0.0.{n}, {client}" for n in range(5)]
        assert _codes(url, spoofed) == [200] * LIMIT + [429] * 2
        # another real client behind the same proxy is not affected
        assert _codes(url, ["198.51.100.8"]) == [200]
        # a chain through a second trusted proxy: the client is left of it
        chain = ["198.51.100.9, 10.1.2.3"] * (LIMIT + 1)
        assert _codes(url, chain) == [200] * LIMIT + [429]
        # garbage in the header never becomes a fresh key per request
        junk = [f"not-an-ip-{n}, {client}" for n in range(2)]
        assert _codes(url, junk) == [429, 429]


def test_ipv6_clients_are_limited_by_their_64(tmp_path: Path) -> None:
    """One subscriber holds a whole /64: rotating the interface id does not escape."""
    with ExitStack() as stack:
        url = _live(stack, tmp_path, TROLY06_TRUSTED_PROXIES="127.0.0.1/32")
        rotating = [f"2001:db8:1:2::{n:x}" for n in range(1, LIMIT + 3)]
        assert _codes(url, rotating) == [200] * LIMIT + [429] * 2
        assert _codes(url, ["2001:db8:1:3::1"]) == [200]  # the next /64 is another client
        # an IPv4-mapped address is the IPv4 client
        mapped = ["::ffff:192.0.2.5"] * 2 + ["192.0.2.5"] * 2
        assert _codes(url, mapped) == [200] * LIMIT + [429]


def test_a_flood_of_spoofed_clients_cannot_grow_the_limiter() -> None:
    """At most ``max_keys`` clients are remembered; the least recently seen go first."""
    limiter = SlidingWindowLimiter(LIMIT, max_keys=100)
    for _ in range(LIMIT):
        assert limiter.check("regular") == 0.0
    for n in range(10_000):
        limiter.check(f"spoofed-{n}")
        if n % 50 == 0:  # the regular client keeps coming back
            assert limiter.check("regular") > 0, "a flood must not reset a busy client"
    assert len(limiter) <= 100


def test_the_api_tracks_each_spoofed_client_once_and_stays_bounded(tmp_path: Path) -> None:
    """Over HTTP: 300 distinct forged hops behind the trusted proxy each cost one slot, and the
    server keeps answering."""
    with ExitStack() as stack:
        url = _live(stack, tmp_path, TROLY06_TRUSTED_PROXIES="127.0.0.1/32")
        hops = [f"198.18.{n // 250}.{n % 250 + 1}" for n in range(300)]
        assert set(_codes(url, hops)) == {200}
        assert _codes(url, [hops[0]] * LIMIT) == [200] * (LIMIT - 1) + [429]


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A throwaway redis-server (Debian's package, as the scale-out tests use)."""
    from devtools.cluster import ensure_system_packages, start_redis
    from devtools.run_all import stop_parts
    from tests.rasa.conftest import free_port
    from tests.scale.conftest import private_workdir

    try:
        ensure_system_packages()
    except RuntimeError as exc:
        pytest.skip(f"the shared limiter test needs redis-server: {exc}")
    port = free_port()
    workdir = private_workdir("troly06-rl-redis-")
    redis = start_redis(port, workdir)
    yield f"redis://127.0.0.1:{port}/0"
    stop_parts([redis])
    shutil.rmtree(workdir, ignore_errors=True)


def test_two_replicas_share_one_limit_through_redis(tmp_path: Path, redis_url: str) -> None:
    """A client spreading its requests over two API replicas gets the limit once, not twice."""
    if time.time() % 60 > 50:  # the Redis window is a fixed minute: do not straddle it
        time.sleep(61 - time.time() % 60)
    with ExitStack() as stack:
        a = _live(stack, tmp_path / "a", REDIS_URL=redis_url)
        b = _live(stack, tmp_path / "b", REDIS_URL=redis_url)
        codes = (_codes(a, [None]) + _codes(b, [None]) + _codes(a, [None])
                 + _codes(b, [None]) + _codes(a, [None]))
        assert codes == [200] * LIMIT + [429, 429]


def test_docs_are_not_served_in_production_unless_configured(tmp_path: Path) -> None:
    """/docs and /openapi.json map the whole API: off in production by default (over HTTP)."""
    from tests.api.api_testlib import OFFICIALS

    strong = {"TROLY06_IDENTITY_KEY": "i" * 40, "TROLY06_SESSION_KEY": "s" * 40,
              "RASA_AUTH_TOKEN": "r" * 40, "TROLY06_ACTION_TOKEN": "a" * 40,
              "TROLY06_OFFICIALS_FILE": str(OFFICIALS)}
    for flag, expected in ((None, 404), ("true", 200)):
        extra = {**strong, "TROLY06_ENV": "production"}
        if flag:
            extra["TROLY06_DOCS_PUBLIC"] = flag
        with ExitStack() as stack:
            url = _live(stack, tmp_path / str(flag), **extra)
            paths = ("/docs", "/openapi.json") + (("/redoc",) if expected == 404 else ())
            for path in paths:
                assert httpx.get(url + path, timeout=30).status_code == expected, path
