#!/usr/bin/env python3
"""Scale-out benchmark: 1 vs 2 Rasa replicas behind nginx, then a replica killed mid-run.

Starts the local cluster of ``devtools/cluster.py`` (PostgreSQL, Redis lock store, nginx,
two action servers, two Rasa servers, the API; fresh database) and drives many concurrent
multi-turn conversations through nginx:

* citizens (3 in 4 users) through the public entry ``:8080/api/chat`` (nginx → API → nginx →
  Rasa): greeting, two knowledge questions (with and without diacritics), feedback, thanks;
* officials (1 in 4) where the Telegram/Zalo gateways hand messages over, nginx ``:5080``
  (→ Rasa), with the project's own client (message ids + retries): the statistics form over
  three turns (what → which district → which week), then thanks.

Each user is a closed loop (the next message leaves when the reply arrived, after
``--think`` seconds). Phases:

1. ``1 replica``  — the balancer may use rasa-1 only; replies/s and p50/p95 latency;
2. ``2 replicas`` — both; the same load;
3. ``kill``       — both; at a third of the phase rasa-2 gets SIGKILL and is restarted at
   once: it needs tens of seconds to load its model, and the balancer must route around it
   until its ``/status`` answers, then take it back.

Afterwards every conversation of every phase is read back from the PostgreSQL tracker store:
the stored user messages must be exactly the ones sent, in order (lost = sent but not
stored, duplicated = stored twice), each answered by at least one bot message.

Usage: ``.venv/bin/python bench/scale_load.py [--users 24] [--duration 45] [--kill-duration 100]
[--think 0]``. Saves ``results/scale_load.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.chat_latency import percentile  # noqa: E402
from devtools.cluster import Cluster, ClusterPorts  # noqa: E402
from gateways.rasa_client import RasaClient, RasaUnavailable  # noqa: E402

CITIZEN_QUESTIONS = [
    "kich hoat vneid muc 2 the nao",
    "Cấp đổi thẻ căn cước cần giấy tờ gì?",
    "le phi cap doi cccd bao nhieu",
    "dang ky tam tru online o dau",
    "Trẻ em dưới 14 tuổi có phải làm căn cước không?",
    "25 dich vu cong thiet yeu la gi",
    "mất thẻ căn cước thì làm lại thế nào",
    "Độ tuổi phải đổi thẻ căn cước là bao nhiêu?",
]


def citizen_script(rng: random.Random) -> list[str]:
    """A citizen's conversation: greeting, two questions, feedback, thanks."""
    first, second = rng.sample(CITIZEN_QUESTIONS, 2)
    return ["xin chào", first, "đúng", second, "cảm ơn"]


def official_script(rng: random.Random) -> list[str]:
    """An official's conversation: the statistics form over three turns, then thanks."""
    week = rng.choice(["tuần 27 năm 2023", "tuần 28 năm 2023", "tuần 29 năm 2023"])
    return ["thống kê số CCCD", "Ngã Bảy", week, "cảm ơn"]


@dataclass
class Conversation:
    """One conversation the load generator held: what it sent and what happened."""

    sender: str          # the sender id as stored by Rasa
    kind: str            # citizen | official
    sent: list[str] = field(default_factory=list)
    failed: int = 0      # turns that got no reply even after retries
    empty: int = 0       # turns answered with no message at all


@dataclass
class PhaseResult:
    """Figures of one load phase."""

    name: str
    users: int
    seconds: float
    turns: int
    failed: int
    replies_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    conversations: int
    timeline: list[tuple[float, str]] = field(default_factory=list)


class Load:
    """Closed-loop virtual users against the cluster."""

    def __init__(self, cluster: Cluster, run_id: str, think: float) -> None:
        self.cluster = cluster
        self.run_id = run_id
        self.think = think
        self.conversations: list[Conversation] = []
        self.latencies: list[float] = []
        self.turns = 0
        self.failed = 0
        self.resent = {"gateway": 0, "gateway_replayed": 0}

    async def run(self, phase: str, users: int, seconds: float,
                  during: asyncio.Future | None = None) -> PhaseResult:
        """Run ``users`` virtual users for ``seconds``; ``during`` runs alongside (the kill)."""
        self.latencies, self.turns, self.failed = [], 0, 0
        first = len(self.conversations)
        start = time.perf_counter()
        deadline = start + seconds
        api = httpx.AsyncClient(base_url=self.cluster.public_url,
                                timeout=httpx.Timeout(60.0, connect=5.0),
                                limits=httpx.Limits(max_connections=users + 4))
        gateway = RasaClient(self.cluster.rasa_url, timeout=60.0, attempts=6)
        try:
            tasks = [self._user(phase, i, deadline, api, gateway) for i in range(users)]
            if during is not None:
                tasks.append(during)
            await asyncio.gather(*tasks)
        finally:
            await api.aclose()
            await gateway.aclose()
            self.resent["gateway"] += gateway.retries
            self.resent["gateway_replayed"] += gateway.replayed
        elapsed = time.perf_counter() - start
        return PhaseResult(
            name=phase, users=users, seconds=round(elapsed, 1), turns=self.turns,
            failed=self.failed, replies_per_s=round(self.turns / elapsed, 2),
            p50_ms=round(percentile(self.latencies, 50) * 1000, 1),
            p95_ms=round(percentile(self.latencies, 95) * 1000, 1),
            p99_ms=round(percentile(self.latencies, 99) * 1000, 1),
            conversations=len(self.conversations) - first)

    async def _user(self, phase: str, index: int, deadline: float, api: httpx.AsyncClient,
                    gateway: RasaClient) -> None:
        rng = random.Random(f"{self.run_id}-{phase}-{index}")
        official = index % 4 == 3
        count = 0
        while time.perf_counter() < deadline:
            count += 1
            name = f"{self.run_id}-{phase.replace(' ', '')}-u{index}-c{count}"
            if official:
                # an official keeps one Telegram id: their conversations follow each other
                # in one tracker (checked as one long conversation)
                conv = Conversation(f"telegram:{official_id(self.run_id, phase, index)}",
                                    "official")
                script = official_script(rng)
            else:
                conv = Conversation(f"web:{name}", "citizen")
                script = citizen_script(rng)
            self.conversations.append(conv)
            for text in script:  # a conversation started is always finished
                await self._turn(conv, text, api, gateway, name)
                if self.think:
                    await asyncio.sleep(rng.uniform(0.5, 1.5) * self.think)

    async def _turn(self, conv: Conversation, text: str, api: httpx.AsyncClient,
                    gateway: RasaClient, name: str) -> None:
        conv.sent.append(text)
        start = time.perf_counter()
        replies: list[dict] = []
        try:
            if conv.kind == "official":
                replies = await gateway.send(conv.sender, text)
            else:
                resp = await api.post("/api/chat", json={"sender": name, "message": text})
                resp.raise_for_status()
                body = resp.json()
                if body.get("degraded"):
                    raise RasaUnavailable("API answered in degraded mode")
                replies = body.get("replies") or []
        except (httpx.HTTPError, RasaUnavailable):
            conv.failed += 1
            self.failed += 1
            return
        self.latencies.append(time.perf_counter() - start)
        self.turns += 1
        if not replies:
            conv.empty += 1


def official_id(run_id: str, phase: str, index: int) -> str:
    """Telegram user id of the bench's ``index``-th official in ``phase``."""
    return f"9{run_id}-{phase.replace(' ', '')}-u{index}"


def verify(cluster: Cluster, conversations: list[Conversation]) -> dict:
    """Compare what was sent with what the PostgreSQL tracker store holds, per sender."""
    sent_by: dict[str, list[str]] = {}
    for conv in conversations:  # one sender's conversations never overlap in time
        sent_by.setdefault(conv.sender, []).extend(conv.sent)
    lost = duplicated = reordered = unanswered = 0
    bad: list[str] = []
    for sender, sent_texts in sent_by.items():
        stored = cluster.user_turns(sender)
        texts = [t.text for t in stored]
        sent, have = Counter(sent_texts), Counter(texts)
        conv_lost = sum((sent - have).values())
        conv_dup = sum((have - sent).values())
        ids = [t.message_id for t in stored if t.message_id]
        conv_dup += len(ids) - len(set(ids))
        lost += conv_lost
        duplicated += conv_dup
        if not conv_lost and not conv_dup and texts != sent_texts:
            reordered += 1
        unanswered += sum(1 for t in stored if t.bot_messages == 0)
        if (conv_lost or conv_dup or texts != sent_texts) and len(bad) < 5:
            bad.append(f"{sender}: sent {sent_texts} stored {texts}")
    return {"conversations": len(conversations), "senders": len(sent_by),
            "turns_sent": sum(len(c.sent) for c in conversations),
            "turns_failed_at_client": sum(c.failed for c in conversations),
            "turns_without_reply_at_client": sum(c.empty for c in conversations),
            "turns_lost": lost, "turns_duplicated": duplicated,
            "conversations_reordered": reordered, "stored_turns_unanswered": unanswered,
            "examples": bad}


def api_resent(cluster: Cluster) -> dict[str, int]:
    """The API's own re-sent / replayed counters (Prometheus text at ``/metrics``)."""
    text = httpx.get(f"http://127.0.0.1:{cluster.ports.api}/metrics", timeout=10).text
    out = {}
    for name, key in (("troly06_rasa_resent_total", "api"),
                      ("troly06_rasa_replayed_total", "api_replayed")):
        line = next((ln for ln in text.splitlines() if ln.startswith(name + " ")), "")
        out[key] = int(float(line.split()[1])) if line else -1
    return out


async def kill_and_restart(cluster: Cluster, after: float) -> None:
    """SIGKILL rasa-2 after ``after`` seconds and restart it at once."""
    await asyncio.sleep(after)
    await asyncio.to_thread(cluster.kill, "rasa-2")
    await asyncio.to_thread(cluster.restart, "rasa-2")


def write_officials(path: Path, run_id: str, users: int, phases: list[str]) -> None:
    """An officials file listing the bench's official senders (province-wide scope)."""
    import yaml

    ids = [official_id(run_id, phase, index) for phase in phases
           for index in range(3, users, 4)]
    path.write_text(yaml.safe_dump({"officials": [
        {"name": f"bench official {i}", "channel": "telegram", "user_id": uid,
         "localities": ["Hậu Giang/*"]} for i, uid in enumerate(ids)]}, allow_unicode=True),
        encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the three phases and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=24)
    parser.add_argument("--duration", type=float, default=45.0, help="seconds per phase")
    parser.add_argument("--kill-duration", type=float, default=100.0)
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean think time between turns (0 = closed loop)")
    parser.add_argument("--warmup", type=float, default=8.0)
    parser.add_argument("--out", default=str(ROOT / "results" / "scale_load.json"))
    args = parser.parse_args(argv)

    run_id = uuid.uuid4().hex[:6]
    phases = ["warmup", "1 replica", "2 replicas", "kill"]
    workdir = Path(tempfile.mkdtemp(prefix="troly06-scale-"))
    workdir.chmod(0o755)
    officials = workdir / "officials.yaml"
    write_officials(officials, run_id, args.users, phases)
    env = {"TROLY06_RATE_LIMIT_PER_MINUTE": "1000000",
           "TROLY06_OFFICIALS_FILE": str(officials), "TROLY06_TODAY": "2023-07-19"}
    results: list[PhaseResult] = []
    with Cluster(ClusterPorts(), workdir=workdir, env=env, fresh_db=True) as cluster:
        load = Load(cluster, run_id, args.think)

        async def drive() -> dict:
            await load.run("warmup", args.users, args.warmup)
            cluster.use_rasa(1)
            results.append(await load.run("1 replica", args.users, args.duration))
            cluster.use_rasa(2)
            results.append(await load.run("2 replicas", args.users, args.duration))
            mark = len(cluster.timeline.events)
            kill = asyncio.ensure_future(kill_and_restart(cluster, args.kill_duration / 3))
            res = await load.run("kill", args.users, args.kill_duration, during=kill)
            res.timeline = [(round(t, 1), e) for t, e in cluster.timeline.events[mark:]]
            results.append(res)
            # the restarted replica must be back before we call the run done
            await asyncio.to_thread(cluster.wait_routed, ["rasa-2"], 300)
            check = verify(cluster, load.conversations)
            check["resent_after_failure"] = {**load.resent, **api_resent(cluster)}
            return check

        check = asyncio.run(drive())

    one, two = results[0], results[1]
    ratio = two.replies_per_s / one.replies_per_s if one.replies_per_s else float("nan")
    print(f"\nScale-out benchmark, {args.users} concurrent users, think {args.think:g} s")
    print(f"{'phase':12} {'turns':>6} {'failed':>6} {'replies/s':>10} {'p50 ms':>8} "
          f"{'p95 ms':>8} {'p99 ms':>8}")
    for r in results:
        print(f"{r.name:12} {r.turns:6d} {r.failed:6d} {r.replies_per_s:10.2f} "
              f"{r.p50_ms:8.0f} {r.p95_ms:8.0f} {r.p99_ms:8.0f}")
    print(f"throughput ratio 2 replicas / 1 replica: {ratio:.2f}")
    print("kill phase timeline:")
    for at, event in results[2].timeline:
        print(f"  {at:7.1f} s  {event}")
    print("tracker check (PostgreSQL, every conversation of every phase):")
    for key, value in check.items():
        if key != "examples":
            print(f"  {key}: {value}")
    for example in check["examples"]:
        print(f"  ! {example}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"users": args.users, "think": args.think,
                               "phases": [asdict(r) for r in results], "ratio": ratio,
                               "tracker_check": check}, ensure_ascii=False, indent=2),
                   encoding="utf-8")
    ok = check["turns_lost"] == 0 and check["turns_duplicated"] == 0 \
        and check["conversations_reordered"] == 0
    print("RESULT:", "no turn lost or duplicated" if ok else "TURNS LOST OR DUPLICATED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
