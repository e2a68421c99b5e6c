"""The local multi-process cluster, for real: PostgreSQL tracker store, Redis lock store,
nginx, two Rasa replicas, one action server and the API (``devtools/cluster.py``).

One conversation hops between the replicas turn by turn, one is hammered on both at once, a
message is re-sent after a "failure", and a replica is killed and restarted — each time the
PostgreSQL trackers are read back.
"""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from devtools.cluster import Cluster, ClusterPorts
from tests.rasa.conftest import free_port, latest_model, need_rasa_env
from tests.scale.conftest import need_cluster_packages, private_workdir

pytestmark = [pytest.mark.rasa, pytest.mark.slow, pytest.mark.postgres]
WEBHOOK = "/webhooks/rest/webhook"
OFFICIAL = "telegram:100000002"  # province-wide sample official in config/officials.yaml


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    need_rasa_env()
    need_cluster_packages()
    model = latest_model()
    workdir = private_workdir("troly06-cluster-test-")
    ports = ClusterPorts(public=free_port(), rasa_lb=free_port(), actions_lb=free_port(),
                         rasa=(free_port(), free_port()), actions=(free_port(),),
                         api=free_port(), postgres=free_port(), redis=free_port())
    env = {"TROLY06_TODAY": "2023-07-19", "TROLY06_RATE_LIMIT_PER_MINUTE": "10000"}
    running = Cluster(ports, models=str(model), workdir=workdir, env=env, fresh_db=True,
                      probe_interval=0.5)
    with running:
        yield running
    shutil.rmtree(workdir, ignore_errors=True)


def say(url: str, sender: str, text: str, **extra: object) -> httpx.Response:
    resp = httpx.post(url + WEBHOOK, json={"sender": sender, "message": text,
                                           "message_id": uuid.uuid4().hex, **extra},
                      timeout=60)
    assert resp.status_code == 200, resp.text
    return resp


def text_of(resp: httpx.Response) -> str:
    return "\n".join(m.get("text") or "" for m in resp.json())


def test_stats_form_hops_between_replicas_and_the_tracker_has_every_turn(
        cluster: Cluster) -> None:
    replica = [f"http://127.0.0.1:{port}" for port in cluster.ports.rasa]
    turns = ["thống kê số CCCD", "Ngã Bảy", "so với tuần trước thế nào?", "cảm ơn"]
    # signed as the Telegram gateway would: the actions trust nothing else
    from troly06.identity import METADATA_KEY, Identity, sign_identity

    who = Identity("telegram", "100000002", "haugiang-telegram")
    key = cluster.env["TROLY06_IDENTITY_KEY"]
    replies = [say(replica[i % 2], OFFICIAL, text,
                   metadata={METADATA_KEY: sign_identity(who, key)})
               for i, text in enumerate(turns)]
    assert "địa bàn nào" in text_of(replies[0])        # replica 1 asks where
    latest = text_of(replies[1])                        # replica 2 knows what was asked:
    assert "Ngã Bảy" in latest and "tuần 29/2023" in latest and "Nguồn" in latest  # latest
    compare = text_of(replies[2])                       # replica 1 knows which week it was
    assert "tuần 29/2023" in compare and "so với tuần 28/2023" in compare, compare
    stored = cluster.user_turns(OFFICIAL)
    assert [t.text for t in stored] == turns
    assert all(t.bot_messages >= 1 for t in stored)
    assert len({t.message_id for t in stored}) == len(turns)


def test_concurrent_messages_of_one_conversation_are_serialised_across_replicas(
        cluster: Cluster) -> None:
    sender, count = "conc-" + uuid.uuid4().hex[:8], 16

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=cluster.rasa_url, timeout=60) as client:
            return await asyncio.gather(*[client.post(WEBHOOK, json={
                "sender": sender, "message": f"cảm ơn {i}", "message_id": uuid.uuid4().hex})
                for i in range(count)])

    responses = asyncio.run(burst())
    assert [r.status_code for r in responses] == [200] * count
    upstreams = {r.headers.get("x-upstream") for r in responses}
    assert len(upstreams) == 2, upstreams              # nginx used both replicas
    stored = cluster.user_turns(sender)
    assert sorted(t.text for t in stored) == sorted(f"cảm ơn {i}" for i in range(count))
    # with the shared lock every turn is answered exactly once, never interleaved
    assert [t.bot_messages for t in stored] == [1] * count


def test_a_resent_message_is_answered_again_but_stored_once(cluster: Cluster) -> None:
    sender, message_id = "retry-" + uuid.uuid4().hex[:8], uuid.uuid4().hex
    first_url, second_url = (f"http://127.0.0.1:{port}" for port in cluster.ports.rasa)
    body = {"sender": sender, "message": "kich hoat vneid muc 2 the nao",
            "message_id": message_id}
    first = httpx.post(first_url + WEBHOOK, json=body, timeout=60)
    again = httpx.post(second_url + WEBHOOK, json={**body, "attempt": 2}, timeout=60)
    assert first.status_code == again.status_code == 200
    assert again.headers.get("x-troly06-replayed") == "1"
    assert text_of(again) == text_of(first) and "Nguồn" in text_of(first)
    stored = cluster.user_turns(sender)
    assert [t.message_id for t in stored] == [message_id]
    # a retry whose first attempt never arrived is processed normally, once
    lost_id = uuid.uuid4().hex
    fresh = httpx.post(second_url + WEBHOOK, json={"sender": sender, "message": "cảm ơn",
                                                   "message_id": lost_id, "attempt": 2},
                       timeout=60)
    assert fresh.status_code == 200 and "x-troly06-replayed" not in fresh.headers
    assert [t.message_id for t in cluster.user_turns(sender)] == [message_id, lost_id]


def test_bad_retry_fields_are_rejected_clearly(cluster: Cluster) -> None:
    for extra in ({"message_id": "có dấu"}, {"message_id": "x" * 129}, {"attempt": "two"}):
        resp = httpx.post(cluster.rasa_url + WEBHOOK,
                          json={"sender": "bad", "message": "xin chào", **extra}, timeout=30)
        assert resp.status_code == 400 and resp.json()["error"]
    assert cluster.user_turns("bad") == []


def test_public_entry_goes_through_nginx_and_the_api(cluster: Cluster) -> None:
    resp = httpx.post(cluster.public_url + "/api/chat",
                      json={"sender": "pub-1", "message": "quen mat khau vneid thi lam sao"},
                      timeout=60)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["degraded"] is False and "Nguồn:" in body["replies"][0]["text"]
    assert [t.text for t in cluster.user_turns("web:pub-1")] == [
        "quen mat khau vneid thi lam sao"]


def test_balancer_routes_around_a_killed_then_loading_replica(cluster: Cluster) -> None:
    sender = "kill-" + uuid.uuid4().hex[:8]
    port_1, port_2 = cluster.ports.rasa
    cluster.kill("rasa-2")
    sent = []
    for i in range(6):  # right after the kill: passive failover, then the watcher
        text = f"cảm ơn {i}"
        resp = say(cluster.rasa_url, sender, text)
        assert resp.json(), "a turn got no answer"
        sent.append(text)
    deadline = time.monotonic() + 5  # the watcher takes it out at its next probe
    while "rasa-2" in cluster.routed() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "rasa-2" not in cluster.routed()
    cluster.restart("rasa-2")
    while_loading = []
    for i in range(6, 12):  # rasa-2 is loading its model: everything goes to rasa-1
        text = f"cảm ơn {i}"
        resp = say(cluster.rasa_url, sender, text)
        while_loading.append(resp.headers.get("x-upstream"))
        sent.append(text)
    assert set(while_loading) == {f"127.0.0.1:{port_1}"}
    waited = cluster.wait_routed(["rasa-2"], 300)
    assert waited > 1.0  # it really was loading for a while
    upstreams = {say(cluster.rasa_url, sender, f"cảm ơn {i}").headers.get("x-upstream")
                 for i in range(12, 16)}
    sent += [f"cảm ơn {i}" for i in range(12, 16)]
    assert f"127.0.0.1:{port_2}" in upstreams  # taken back once ready
    stored = cluster.user_turns(sender)
    assert [t.text for t in stored] == sent  # nothing lost, nothing twice, in order
    assert all(t.bot_messages == 1 for t in stored)
    events = [e for _, e in cluster.timeline.events]
    assert "balancer: rasa-2 out (not ready)" in events
    assert events[-1] == "balancer: rasa-2 in (ready)" or "balancer: rasa-2 in (ready)" in \
        events[events.index("rasa-2 killed (SIGKILL)"):]
