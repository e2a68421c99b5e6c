"""Fuzzing of the two webhooks over real HTTP (uvicorn in a thread, like test_attacks_api.py).

Hypothesis generates, for ``POST /webhooks/zalo``: arbitrary JSON (deep, wide, wrong types,
huge strings, any Unicode including lone surrogates, nulls), Zalo-looking events with random
fields and timestamps, non-JSON, empty and invalid-UTF-8 bodies, wrong content types, each
sent with the right ``X-ZEvent-Signature`` (computed as the route does), a wrong one, one
made with another secret, one with non-ASCII bytes, or none; for ``POST /webhooks/telegram``:
updates and garbage with the right, a wrong, a non-ASCII or no
``X-Telegram-Bot-Api-Secret-Token``. Every answer must be < 500 and the one the route
documents: no or wrong signature/secret → 401/403, malformed → 400/422, over the 64 KB JSON
limit → 413. Afterwards the server still serves and still answers a genuine event.

The outside world is faked on localhost (the OA message API accepts everything; the Telegram
Bot API is tests/channels/fake_telegram.py); Rasa is unreachable (degraded answers).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.main import create_app
from api.middleware import JSON_BODY_LIMIT
from gateways.zalo import compute_signature
from tests.api.api_testlib import LiveServer, app_env, serving, wait_for
from tests.channels.fake_telegram import FakeBotApi, message

ZALO_APP, ZALO_SECRET = "fuzz-app", "zalo-fuzz-secret-" + "z" * 32
TG_SECRET = "tg-fuzz-secret-" + "t" * 32
MAX_SKEW_S = 300
# CI runs the same examples every time (derandomize); TROLY06_FUZZ_RANDOM=1 explores new ones
FUZZ = settings(max_examples=int(os.environ.get("TROLY06_FUZZ_EXAMPLES", "150")),
                deadline=None, database=None, suppress_health_check=list(HealthCheck),
                derandomize=os.environ.get("TROLY06_FUZZ_RANDOM") != "1")


class AcceptingOA:
    """Zalo's OA message API: accepts and counts every message."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.app = Starlette(routes=[Route("/v3.0/oa/message/cs", self.message,
                                           methods=["POST"])])

    async def message(self, request: Request) -> JSONResponse:
        self.sent.append(await request.json())
        return JSONResponse({"error": 0, "message": "Success", "data": {"message_id": "m"}})


class Live:
    """The running API, its fakes and one keep-alive HTTP client."""

    def __init__(self, url: str, app: Any, oa: AcceptingOA, tg: FakeBotApi) -> None:
        self.url, self.app, self.oa, self.tg = url, app, oa, tg
        self.http = httpx.Client(base_url=url, timeout=30)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with serving(AcceptingOA()) as oa, serving(FakeBotApi()) as tg, app_env(
            tmp_path_factory.mktemp("webhook_fuzz"), ZALO_APP_ID=ZALO_APP,
            ZALO_OA_SECRET=ZALO_SECRET, ZALO_ACCESS_TOKEN="oa-token",
            ZALO_API_BASE=oa.url, ZALO_MAX_SKEW_SECONDS=str(MAX_SKEW_S),
            TELEGRAM_BOT_TOKEN="123456:FUZZ-TOKEN", TELEGRAM_BASE_URL=f"{tg.url}/bot",
            TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_SECRET=TG_SECRET,
            TROLY06_PUBLIC_URL="https://portal.example") as s:
        app = create_app(s)
        with LiveServer(app) as server:
            wait_for(lambda: tg.calls_of("setWebhook"))
            live = Live(server.url, app, oa, tg)
            yield live
            live.http.close()


# ---------------------------------------------------------------- generators -------------

# any code point, lone surrogates included (json.dumps writes them as "\ud800")
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)
HUGE_TEXT = st.builds(lambda c, n: c * n, st.sampled_from(["x", "é", "😀", "\x00", "\\"]),
                      st.integers(1, 90_000))
SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(-2**70, 2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | ANY_TEXT)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=8)
                    | st.dictionaries(ANY_TEXT, inner, max_size=8), max_leaves=40)


def _nest(depth: int, leaf: Any) -> Any:
    for i in range(depth):
        leaf = [leaf] if i % 2 else {"a": leaf}
    return leaf


WIDE = st.builds(lambda n, v: {f"k{i}": v for i in range(n)}, st.integers(50, 3000), SCALARS)
DEEP = st.builds(_nest, st.integers(1, 200), SCALARS)  # deeper: RAW_BODIES below


def _dumps(value: Any, ascii_only: bool) -> bytes:
    text = json.dumps(value, ensure_ascii=ascii_only)
    return text.encode("utf-8", "surrogatepass")  # lone surrogates: invalid UTF-8 bytes


def _now_ms() -> int:
    return int(time.time() * 1000)


TIMESTAMPS = st.one_of(
    st.just("now"), st.just("now-int"), st.sampled_from(["stale", "future"]),
    st.sampled_from(["²", "١٢٣", "9" * 400, "-5", "1e3", " 12 ", "", "0x10", "0" * 30]),
    st.integers(), st.floats(), ANY_TEXT, st.none(), st.booleans(), st.lists(st.integers()))


def _timestamp(spec: Any) -> Any:
    now = _now_ms()
    return {"now": str(now), "now-int": now, "stale": str(now - 2_000 * MAX_SKEW_S),
            "future": str(now + 2_000 * MAX_SKEW_S)}.get(spec, spec) if isinstance(
        spec, str) else spec


def _fresh(ts: Any) -> bool:
    """Would the route accept this timestamp (ASCII digits, within the allowed skew)?"""
    text = "" if ts is None else str(ts).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 16:
        return False
    return abs(time.time() - int(text) / 1000) <= MAX_SKEW_S


ZALO_EVENTS = st.fixed_dictionaries(
    {"app_id": st.sampled_from([ZALO_APP, "other-app"]) | JSON,
     "event_name": st.sampled_from(["user_send_text", "user_send_image", "follow",
                                    "oa_send_text"]) | JSON,
     "sender": st.fixed_dictionaries({}, optional={"id": JSON | st.just("zu-1")}) | JSON,
     "recipient": st.fixed_dictionaries({"id": st.just("oa-1")}) | JSON,
     "message": st.fixed_dictionaries({}, optional={
         "text": st.sampled_from(["xin chào", "Làm căn cước cần gì?", "   "]) | JSON | HUGE_TEXT,
         "msg_id": st.uuids().map(str) | JSON}) | JSON,
     "timestamp": TIMESTAMPS},
    optional={"user_id_by_app": JSON, "follower": JSON, "extra": WIDE | DEEP})

SIGNATURES = st.sampled_from(["correct", "upper", "missing", "empty", "wrong", "other-secret",
                              "non-ascii", "truncated"])
WRONG_HEADER = st.text(st.characters(min_codepoint=0x21, max_codepoint=0xFF,
                                     exclude_characters="\x7f"), min_size=1, max_size=80)
CONTENT_TYPES = st.sampled_from([None, "application/json", "application/json; charset=utf-8",
                                 "text/plain", "application/x-www-form-urlencoded",
                                 "multipart/form-data; boundary=x", "application/xml", "",
                                 "application/json; charset=latin-1"])


def _parsed(body: bytes) -> Any:
    """The body as the routes read it (``ValueError`` when it is no JSON to them)."""
    try:
        return json.loads(body)
    except RecursionError as exc:
        raise ValueError("too deep") from exc


def _route_timestamp(body: bytes) -> str:
    """The timestamp the route signs with: the body's ``timestamp`` field, as written."""
    try:
        data = _parsed(body)
    except ValueError:
        return ""
    ts = data.get("timestamp") if isinstance(data, dict) else None
    return "" if ts is None else str(ts).strip()


def _base_headers(body: bytes, ctype: str | None) -> list[tuple[bytes, bytes]]:
    headers = [] if ctype is None else [(b"content-type", ctype.encode())]
    if len(body) > JSON_BODY_LIMIT:  # refused unread: the server then drops the connection
        headers.append((b"connection", b"close"))
    return headers


def _zalo_headers(body: bytes, mode: str, ctype: str | None, wrong: str) -> list[tuple[bytes,
                                                                                   bytes]]:
    correct = compute_signature(ZALO_APP, body, _route_timestamp(body), ZALO_SECRET)
    value = {"correct": correct, "upper": correct.upper(), "empty": "", "wrong": wrong,
             "other-secret": compute_signature(ZALO_APP, body, _route_timestamp(body),
                                               "another-secret"),
             "truncated": correct[:-1]}.get(mode)
    headers = _base_headers(body, ctype)
    if mode == "non-ascii":
        headers.append((b"x-zevent-signature", b"mac=\xe9\xff" + correct[6:].encode()))
    elif value is not None:
        headers.append((b"x-zevent-signature", value.encode("latin-1")))
    return headers


def _send(live: Live, path: str, body: bytes, headers: list[tuple[bytes, bytes]]
          ) -> httpx.Response:
    """POST ``body``; whatever it is, the answer is never a 5xx."""
    try:
        resp = live.http.post(path, content=body, headers=headers)
    except httpx.RemoteProtocolError:
        # a keep-alive connection the server closed (idle timeout) as the request left: once
        # more on a new connection; a server that drops this request again fails the test
        with httpx.Client(base_url=live.url, timeout=30) as fresh:
            resp = fresh.post(path, content=body, headers=headers)
    assert resp.status_code < 500, (resp.status_code, resp.text[:300], body[:200])
    return resp


def _check_error(resp: httpx.Response, *allowed: int) -> None:
    assert resp.status_code in allowed, (resp.status_code, resp.text[:300])
    body = resp.json()
    assert body["error"] and body["message"] and body["message_en"], body


def _post_zalo(live: Live, body: bytes, mode: str, ctype: str | None = None,
               wrong: str = "x") -> httpx.Response:
    """Send one event with the signature ``mode`` and check the answer."""
    try:
        shaped = isinstance(_parsed(body), dict)
    except ValueError:
        shaped = False
    resp = _send(live, "/webhooks/zalo", body, _zalo_headers(body, mode, ctype, wrong))
    if len(body) > JSON_BODY_LIMIT:
        _check_error(resp, 413)
    elif mode in ("missing", "empty"):
        _check_error(resp, 401)
    elif mode not in ("correct", "upper"):
        _check_error(resp, 400, 403)  # 400: not even JSON to read a timestamp from
    elif not shaped or not _fresh(_route_timestamp(body)):
        _check_error(resp, 400, 403)
    elif resp.status_code == 200:
        assert isinstance(resp.json()["handled"], bool)
    else:
        _check_error(resp, 400, 422)  # the right signature on a malformed event
    return resp


# ---------------------------------------------------------------- Zalo -------------------

@FUZZ
@given(value=JSON | WIDE | DEEP | HUGE_TEXT, ts=TIMESTAMPS, put_ts=st.booleans(),
       mode=SIGNATURES, ctype=CONTENT_TYPES, wrong=WRONG_HEADER, ascii_only=st.booleans())
def test_zalo_arbitrary_json(live: Live, value: Any, ts: Any, put_ts: bool, mode: str,
                             ctype: str | None, wrong: str, ascii_only: bool) -> None:
    if put_ts:
        value = {"timestamp": _timestamp(ts), "payload": value}
    _post_zalo(live, _dumps(value, ascii_only), mode, ctype, wrong)


@FUZZ
@given(event=ZALO_EVENTS, mode=SIGNATURES, ctype=CONTENT_TYPES, wrong=WRONG_HEADER,
       ascii_only=st.booleans())
def test_zalo_events_with_random_fields(live: Live, event: dict[str, Any], mode: str,
                                        ctype: str | None, wrong: str,
                                        ascii_only: bool) -> None:
    event = {**event, "timestamp": _timestamp(event["timestamp"])}
    _post_zalo(live, _dumps(event, ascii_only), mode, ctype, wrong)


RAW_BODIES = st.one_of(
    st.just(b""), st.binary(max_size=300), st.text(max_size=200).map(str.encode),
    st.sampled_from([b"{", b'{"timestamp": "1", "x": ', b"[]", b"null", b"\xff\xfe{}",
                     b'{"timestamp": NaN}', b"\xef\xbb\xbf{}", b'"str"', b"1" * 5000,
                     b'{"timestamp": ' + b"9" * 5000 + b"}"]),
    st.integers(1, 60_000).map(lambda n: b'{"timestamp": "1", "a": ' + b"[" * n + b"]" * n
                               + b"}"),
    st.integers(1, 30_000).map(lambda n: b'{"a": ' * n + b"1" + b"}" * n),
    st.integers(JSON_BODY_LIMIT - 10, JSON_BODY_LIMIT * 3).map(lambda n: b"x" * n))


@FUZZ
@given(body=RAW_BODIES, mode=SIGNATURES, ctype=CONTENT_TYPES, wrong=WRONG_HEADER)
def test_zalo_non_json_empty_and_deep_bodies(live: Live, body: bytes, mode: str,
                                             ctype: str | None, wrong: str) -> None:
    _post_zalo(live, body, mode, ctype, wrong)


# ---------------------------------------------------------------- Telegram ---------------

def _update(uid: int, text: Any, extra: dict[str, Any], kind: str) -> dict[str, Any]:
    msg = message(uid, None, **extra)
    msg["text"] = text
    return {"update_id": uid, kind: msg}


TG_UPDATES = st.one_of(
    st.builds(_update, st.integers(1, 2**40), JSON | st.sampled_from(["/start", "/help"]),
              st.dictionaries(st.sampled_from(["document", "photo", "sticker", "entities",
                                               "reply_to_message", "chat", "from", "date"]),
                              JSON, max_size=3),
              st.sampled_from(["message", "edited_message", "callback_query",
                               "channel_post", "inline_query"])),
    st.fixed_dictionaries({"update_id": JSON | st.integers()},
                          optional={"message": JSON, "callback_query": JSON}),
    JSON, WIDE, DEEP)
TG_SECRETS = st.sampled_from(["correct", "missing", "empty", "wrong", "prefix", "non-ascii",
                              "case"])


def _tg_headers(body: bytes, mode: str, ctype: str | None, wrong: str
                ) -> list[tuple[bytes, bytes]]:
    value = {"correct": TG_SECRET.encode(), "empty": b"", "wrong": wrong.encode("latin-1"),
             "prefix": TG_SECRET[:-1].encode(), "non-ascii": TG_SECRET.encode() + b"\xe9",
             "case": TG_SECRET.upper().encode()}.get(mode)
    headers = _base_headers(body, ctype)
    if value is not None:
        headers.append((b"x-telegram-bot-api-secret-token", value))
    return headers


def _post_telegram(live: Live, body: bytes, mode: str, ctype: str | None, wrong: str) -> None:
    """Send one update with the secret ``mode`` and check the answer."""
    try:
        data = _parsed(body)
        # an object with an integer (not boolean) update_id: PTB's Update.de_json decides
        maybe = isinstance(data, dict) and type(data.get("update_id")) is int
    except ValueError:
        maybe = False
    resp = _send(live, "/webhooks/telegram", body, _tg_headers(body, mode, ctype, wrong))
    if len(body) > JSON_BODY_LIMIT:
        _check_error(resp, 413)
    elif mode != "correct" and not (mode == "wrong" and wrong == TG_SECRET):
        _check_error(resp, 401, 403)
    elif not maybe or resp.status_code != 200:
        _check_error(resp, 400, 422)


@FUZZ
@given(update=TG_UPDATES, mode=TG_SECRETS, ctype=CONTENT_TYPES, wrong=WRONG_HEADER,
       ascii_only=st.booleans())
def test_telegram_updates_and_secrets(live: Live, update: Any, mode: str, ctype: str | None,
                                      wrong: str, ascii_only: bool) -> None:
    _post_telegram(live, _dumps(update, ascii_only), mode, ctype, wrong)


@FUZZ
@given(body=RAW_BODIES, mode=TG_SECRETS, ctype=CONTENT_TYPES, wrong=WRONG_HEADER)
def test_telegram_non_json_empty_and_deep_bodies(live: Live, body: bytes, mode: str,
                                                 ctype: str | None, wrong: str) -> None:
    _post_telegram(live, body, mode, ctype, wrong)


# ---------------------------------------------------------------- afterwards -------------

def test_the_server_is_still_healthy_and_serving(live: Live) -> None:
    assert live.http.get("/health/live").status_code == 200
    answered = {(s.labels["route"], s.labels["status"]): s.value
                for metric in live.app.state.metrics.requests.collect()
                for s in metric.samples if s.name.endswith("_total")}
    assert not [k for k in answered if k[1].startswith("5")], answered
    assert sum(answered.values()) > 5 * FUZZ.max_examples  # the cases really reached the app
    # a genuine Zalo event is still answered through the OA API
    before = len(live.oa.sent)
    event = {"app_id": ZALO_APP, "event_name": "user_send_text", "timestamp": str(_now_ms()),
             "sender": {"id": "zu-after"}, "message": {"text": "Làm căn cước cần giấy tờ gì?",
                                                      "msg_id": f"after-{_now_ms()}"}}
    resp = _post_zalo(live, _dumps(event, False), "correct", "application/json")
    assert resp.json() == {"ok": True, "handled": True}
    wait_for(lambda: any(m["recipient"]["user_id"] == "zu-after" for m in live.oa.sent[before:]))
    # ... and a genuine Telegram update through the Bot API
    update = {"update_id": 4242, "message": message(5550042, "Làm căn cước cần giấy tờ gì?")}
    ok = live.http.post("/webhooks/telegram", json=update,
                        headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET})
    assert ok.status_code == 200
    wait_for(lambda: live.tg.calls_of("sendMessage", chat_id=5550042))
    # no forged update made a handler raise (PTB would log it and carry on: a hidden crash)
    assert live.app.state.telegram_app.bot_data.get("handler_errors", 0) == 0


def test_event_ids_that_cannot_be_stored_as_text_are_still_deduplicated(tmp_path: Path
                                                                       ) -> None:
    """NUL (PostgreSQL text refuses it), lone surrogates (no UTF-8) and ids longer than the
    column: each is recorded once, and ids sharing their first 200 characters stay apart."""
    from troly06.dedup import first_time, stored_key

    url = f"sqlite:///{tmp_path}/dedup.db"
    keys = ["zalo:a\x00b", "zalo:\ud800", "zalo:" + "x" * 300, "zalo:" + "x" * 300 + "y"]
    assert [first_time(k, url=url) for k in keys] == [True] * 4
    assert [first_time(k, url=url) for k in keys] == [False] * 4
    assert all(len(stored_key(k)) <= 200 and "\x00" not in stored_key(k) for k in keys)
    assert stored_key("zalo:m-1") == "zalo:m-1"  # ordinary ids are stored as they are
