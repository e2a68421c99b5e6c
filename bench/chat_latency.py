#!/usr/bin/env python3
"""Chat latency over Rasa's REST channel with N simulated users (1, 5, 20 concurrent).

Each simulated user has its own sender id and sends a short conversation (greeting, citizen
questions with and without diacritics, thanks, an out-of-scope question, feedback); the next
message leaves when the previous reply arrived, after a think time. Two load shapes are
measured: ``closed`` (no think time: each user fires the next message the moment a reply
arrives, the worst case, which measures the server's saturation throughput) and ``chat``
(1–3 s think time, random per message: a person reading the reply and typing the next
question — still far faster than real users on Zalo/Telegram). Prints p50/p95/p99 reply
latency, replies/s and the RSS of each server process; saves ``results/chat_latency.json``.

By default it starts its own stack (devtools/run_all.py's :class:`Stack`, API left out) on
free ports; ``--url http://127.0.0.1:5005`` measures an already running Rasa instead.

Usage: ``.venv/bin/python bench/chat_latency.py [--users 1 5 20] [--rounds 2] [--url URL]
[--think closed chat]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.run_all import Ports, Stack  # noqa: E402

CONVERSATION = [
    "xin chào",
    "kich hoat vneid muc 2 the nao",
    "Cấp đổi thẻ căn cước cần giấy tờ gì?",
    "đúng",
    "dang ky tam tru online o dau",
    "thời tiết hôm nay thế nào",
    "cảm ơn",
    "menu",
]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants that still exist, from /proc."""
    found: list[int] = []
    pending, seen = [pid], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        found.append(current)
        pending += [int(c) for c in children]
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (MiB), from /proc."""
    total = 0
    for current in process_tree(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User+system CPU time of a process and its children so far (seconds), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for current in process_tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (FileNotFoundError, ProcessLookupError, PermissionError, IndexError):
            continue
    return total


def load_average() -> float:
    """1-minute load average of the machine (other work competes for the CPUs)."""
    return round(os.getloadavg()[0], 2)


# Think time (seconds, uniform) between a reply and the user's next message, per load shape.
THINK = {"closed": (0.0, 0.0), "chat": (1.0, 3.0)}


async def user(client: httpx.AsyncClient, url: str, sender: str, rounds: int,
               latencies: list[float], errors: list[str],
               think: tuple[float, float] = (0.0, 0.0)) -> None:
    """One simulated user: the conversation ``rounds`` times, pausing ``think`` s between."""
    rng = random.Random(sender)
    for _ in range(rounds):
        for message in CONVERSATION:
            if think[1] > 0:
                await asyncio.sleep(rng.uniform(*think))
            start = time.perf_counter()
            try:
                resp = await client.post(url, json={"sender": sender, "message": message})
                resp.raise_for_status()
                if not resp.json():
                    errors.append(f"empty reply to {message!r}")
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append((time.perf_counter() - start) * 1000)


async def level(url: str, users: int, rounds: int, shape: str = "closed") -> dict:
    """Run ``users`` concurrent users with the ``shape`` think time; latency stats in ms."""
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=users + 5)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        stamp = int(time.time() * 1000)
        start = time.perf_counter()
        await asyncio.gather(*(user(client, url, f"bench-{stamp}-{shape}-{users}-{i}", rounds,
                                    latencies, errors, THINK[shape]) for i in range(users)))
        wall = time.perf_counter() - start
    return {"shape": shape, "users": users, "requests": len(latencies), "errors": len(errors),
            "first_error": errors[0] if errors else None,
            "p50_ms": round(percentile(latencies, 50), 1),
            "p95_ms": round(percentile(latencies, 95), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
            "replies_per_s": round(len(latencies) / wall, 1), "wall_s": round(wall, 1)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def measure(url: str, levels: list[int], rounds: int, pids: dict[str, int],
            shapes: tuple[str, ...] = ("closed", "chat")) -> dict:
    """Warm up, then every load shape at every concurrency level."""
    webhook = url.rstrip("/") + "/webhooks/rest/webhook"
    asyncio.run(level(webhook, 1, 1))  # warm-up: first parse / first KB query
    results = []
    for shape, users in ((s, u) for s in shapes for u in levels):
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        row = asyncio.run(level(webhook, users, rounds, shape))
        row["rss_mb"] = {name: round(rss_mb(pid), 1) for name, pid in pids.items()}
        row["cpu_ms_per_reply"] = {
            name: round(1000 * (cpu_seconds(pid) - cpu_before[name]) / max(1, row["requests"]), 1)
            for name, pid in pids.items()}
        row["load_average_1m"] = load_average()
        results.append(row)
        print(f"{shape:>6} {users:>3} users: p50 {row['p50_ms']:7.1f} ms  "
              f"p95 {row['p95_ms']:7.1f} ms  "
              f"p99 {row['p99_ms']:7.1f} ms  {row['replies_per_s']:6.1f} replies/s  "
              f"({row['requests']} requests, {row['errors']} errors)  RSS "
              + ", ".join(f"{k} {v:.0f} MiB" for k, v in row["rss_mb"].items())
              + "; CPU/reply " + ", ".join(f"{k} {v:.0f} ms"
                                          for k, v in row.get("cpu_ms_per_reply", {}).items())
              + f"; load avg {row.get('load_average_1m')}", flush=True)
    return {"levels": results, "conversation": CONVERSATION, "rounds": rounds,
            "think_s": {k: THINK[k] for k in shapes}}


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--rounds", type=int, default=2, help="conversations per user")
    parser.add_argument("--url", help="an already running Rasa server")
    parser.add_argument("--think", nargs="+", choices=sorted(THINK), default=["closed", "chat"],
                        help="load shapes: closed (no think time), chat (1-3 s think time)")
    parser.add_argument("--out", default=str(ROOT / "results" / "chat_latency.json"))
    args = parser.parse_args(argv)
    if args.url:
        report = measure(args.url, args.users, args.rounds, {}, tuple(args.think))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            ports = Ports(rasa=_free_port(), actions=_free_port(), api=None)
            stack = Stack(ports, log_dir=Path(tmp) / "logs", with_api=False,
                          env={"RASA_TRACKER_DB": str(Path(tmp) / "tracker.db")})
            with stack:
                report = measure(stack.rasa_url, args.users, args.rounds, stack.pids(),
                                 tuple(args.think))
                report["ready_s"] = {k: round(v or 0, 1) for k, v in stack.ready_times().items()}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
