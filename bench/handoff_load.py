#!/usr/bin/env python
"""Load on the human handoff: N concurrent citizen conversations over real HTTP, K of them
handed to a person, no message lost (every one read back from the database).

One API (uvicorn, SQLite in a temporary directory, Rasa unreachable so the bot answers from
the real KB). ``--conversations`` widget citizens write at the same time, ``--messages``
messages each; ``--handoff`` of them first ask for a person. Meanwhile an operator logs in
to the console, takes each handed-off conversation as it appears and sends ``--replies``
replies; the citizens poll their inbox. Then the database is read: every citizen message
of a handed-off conversation is in ``handoff_messages``, every other message is a turn in
``chat_turns``, every operator reply reached the citizen's inbox. Prints JSON.

    .venv/bin/python bench/handoff_load.py [--conversations 50] [--handoff 5]
        [--messages 4] [--replies 3] [--json results/handoff_load.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-mat-khau-dai-1"
QUESTIONS = ["Quên mật khẩu VNeID thì làm sao?", "Làm thẻ căn cước cần giấy tờ gì?",
             "Đăng ký thường trú online được không?", "Kích hoạt VNeID mức 2 ở đâu?",
             "Cấp đổi căn cước mất bao lâu?", "Đăng ký tạm trú cần gì?"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _citizen(http: httpx.AsyncClient, sender: str, handoff: bool, messages: int,
                   latencies: dict[str, list[float]]) -> None:
    texts = (["Cho mình gặp cán bộ hỗ trợ"] if handoff else []) + [
        f"{QUESTIONS[i % len(QUESTIONS)]} (lần {i + 1})" for i in range(messages)]
    for text in texts:
        t0 = time.perf_counter()
        resp = await http.post("/api/chat", json={"sender": sender, "message": text})
        latencies["handoff" if handoff else "bot"].append(time.perf_counter() - t0)
        resp.raise_for_status()


async def _operator(http: httpx.AsyncClient, expected: int, replies: int) -> list[int]:
    resp = await http.post("/console/api/login", json={"username": "bench.op",
                                                       "password": PASSWORD})
    resp.raise_for_status()
    headers = {"X-CSRF-Token": resp.json()["csrf_token"]}
    done: list[int] = []
    deadline = time.monotonic() + 300
    while len(done) < expected and time.monotonic() < deadline:
        queue = (await http.get("/console/api/queue")).json()["conversations"]
        for conv in queue:
            if conv["status"] != "queued":
                continue
            cid = conv["id"]
            (await http.post(f"/console/api/conversations/{cid}/take", headers=headers)
             ).raise_for_status()
            for n in range(replies):
                (await http.post(f"/console/api/conversations/{cid}/reply", headers=headers,
                                 json={"text": f"Trả lời số {n + 1} của cán bộ"})
                 ).raise_for_status()
            done.append(cid)
        await asyncio.sleep(0.2)
    return done


async def _drive(url: str, n: int, k: int, messages: int, replies: int) -> dict[str, Any]:
    latencies: dict[str, list[float]] = {"bot": [], "handoff": []}
    limits = httpx.Limits(max_connections=n + 10)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http, \
            httpx.AsyncClient(base_url=url, timeout=120) as console:
        t0 = time.perf_counter()
        op = asyncio.create_task(_operator(console, k, replies))
        await asyncio.gather(*(_citizen(http, f"load-{i}", i < k, messages, latencies)
                               for i in range(n)))
        taken = await op
        wall = time.perf_counter() - t0
        inbox = {}
        for i in range(k):
            got = (await http.get("/api/chat/inbox", params={"sender": f"load-{i}"})).json()
            inbox[f"web:load-{i}"] = [m for m in got["messages"] if m["author"] == "operator"]
    return {"latencies": latencies, "wall_s": wall, "taken": taken, "inbox": inbox}


def _read_back(url: str, n: int, k: int, messages: int) -> dict[str, int]:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from handoff.db import engine
    from handoff.models import Conversation, Message, Turn
    from handoff.turns import sender_hash

    lost_citizen = lost_turns = 0
    with Session(engine(url)) as s:
        for i in range(n):
            sender = f"web:load-{i}"
            if i < k:
                stored = s.scalar(select(func.count()).select_from(Message).join(
                    Conversation, Conversation.id == Message.conversation_id).where(
                    Conversation.sender == sender, Message.author == "citizen")) or 0
                lost_citizen += max(0, messages + 1 - stored)
            else:
                turns = s.scalar(select(func.count()).select_from(Turn).where(
                    Turn.sender_hash == sender_hash(sender))) or 0
                lost_turns += max(0, messages - turns)
        operator = s.scalar(select(func.count()).select_from(Message).where(
            Message.author == "operator")) or 0
    return {"lost_citizen_messages": lost_citizen, "lost_bot_turns": lost_turns,
            "operator_messages_stored": int(operator)}


def run(conversations: int = 50, handoff: int = 5, messages: int = 4,
        replies: int = 3) -> dict[str, Any]:
    """Run the load once; the figures (``lost`` must be 0)."""
    from api.main import create_app
    from console.accounts import create_account
    from troly06.config import settings_env

    tmp = Path(tempfile.mkdtemp(prefix="troly06-handoff-load-"))
    env = {"TROLY06_DATA_DIR": str(tmp / "var"), "DATABASE_URL": f"sqlite:///{tmp / 'h.db'}",
           "TROLY06_INDEX_DIR": str(ROOT / "var" / "index"),
           "RASA_URL": f"http://127.0.0.1:{_port()}", "TROLY06_RATE_LIMIT_PER_MINUTE": "1000000",
           "TROLY06_HANDOFF_HOURS": "mon-sun 00:00-24:00", "TROLY06_HANDOFF_HOLIDAYS": ""}
    with settings_env(env) as settings:
        from knowledge import answer, build_index

        build_index()
        answer("khởi động")  # load the index and the encoder before timing
        url = settings.sqlalchemy_url
        create_account(url, "bench.op", PASSWORD, "operator")
        port = _port()
        # Keep-alive longer than the clients' timeout: with uvicorn's 5 s default, a citizen
        # whose pooled connection sat idle while slower ones finished could send just as the
        # server closed it (httpx.ReadError), a lost request that is the bench's, not the app's.
        server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1",
                                               port=port, log_level="warning", ws="none",
                                               timeout_keep_alive=150))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            out = asyncio.run(_drive(f"http://127.0.0.1:{port}", conversations, handoff,
                                     messages, replies))
        finally:
            server.should_exit = True
            thread.join(15)
        back = _read_back(url, conversations, handoff, messages)
    def pct(values: list[float], q: float) -> float:
        values = sorted(values)
        return round(values[int(q * (len(values) - 1))] * 1000, 1) if values else 0.0

    bot, human = out["latencies"]["bot"], out["latencies"]["handoff"]
    missing_replies = sum(max(0, replies - len(v)) for v in out["inbox"].values())
    sent = conversations * messages + handoff
    return {
        "conversations": conversations, "in_handoff": handoff, "taken": len(out["taken"]),
        "citizen_messages": sent, "operator_replies": handoff * replies,
        "wall_s": round(out["wall_s"], 2),
        "messages_per_s": round(sent / out["wall_s"], 1),
        "bot_p50_ms": pct(bot, 0.5), "bot_p95_ms": pct(bot, 0.95),
        "handoff_p50_ms": pct(human, 0.5), "handoff_p95_ms": pct(human, 0.95),
        **back, "replies_missing_in_inbox": missing_replies,
        "lost": back["lost_citizen_messages"] + back["lost_bot_turns"] + missing_replies,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--handoff", type=int, default=5)
    parser.add_argument("--messages", type=int, default=4)
    parser.add_argument("--replies", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = run(args.conversations, args.handoff, args.messages, args.replies)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if result["lost"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
