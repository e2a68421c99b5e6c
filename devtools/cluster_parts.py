"""The pieces of the local production topology (:mod:`devtools.cluster`): ports, replicas,
the readiness probe, Redis, the PostgreSQL binaries, the system packages and the nginx
configuration (public listener, internal listeners, the upstream lists the watcher rewrites).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path
from typing import IO

from devtools.run_all import (  # noqa: E402
    HOST,
    ROOT,
    Part,
    spawn,
    stop_parts,
)

DEMO_REPORTS = ("ngabay_2023-07-05.txt", "ngabay_2023-07-12_seed.txt", "ngabay_2023-07-19.txt")


@dataclass
class ClusterPorts:
    """Ports of every part (all on 127.0.0.1)."""

    public: int = 8080
    rasa_lb: int = 5080
    actions_lb: int = 5060
    rasa: tuple[int, ...] = (5005, 5006)
    actions: tuple[int, ...] = (5055, 5056)
    api: int = 8000
    postgres: int = 5433
    redis: int = 6380


@dataclass
class Replica:
    """A balanced process: its part, its port, whether it is routed now."""

    part: Part
    port: int
    kind: str  # "rasa" | "actions"
    enabled: bool = True
    routed: bool = False
    failures: int = 0  # consecutive failed probes


@dataclass
class Timeline:
    """What happened when (seconds since the cluster started), for logs and the benchmark."""

    t0: float = field(default_factory=time.perf_counter)
    events: list[tuple[float, str]] = field(default_factory=list)

    def note(self, text: str) -> None:
        """Record and print one event."""
        at = time.perf_counter() - self.t0
        self.events.append((at, text))
        print(f"[cluster {at:7.1f}s] {text}", flush=True)


@dataclass
class Turn:
    """One stored user message and how many bot messages answered it."""

    text: str
    message_id: str | None
    bot_messages: int


def read_user_turns(db_url: str, sender: str) -> list[Turn]:
    """Read a conversation back from Rasa's SQL tracker store (table ``events``)."""
    import json

    import psycopg

    turns: list[Turn] = []
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT type_name, data FROM events WHERE sender_id = %s "
                            "ORDER BY id", (sender,)).fetchall()
    for type_name, data in rows:
        if type_name == "user":
            event = json.loads(data)
            turns.append(Turn(event.get("text") or "", event.get("message_id"), 0))
        elif type_name == "bot" and turns:
            turns[-1].bot_messages += 1
    return turns


PROBE_TIMEOUT_S = 3.0
FAILURE_THRESHOLD = 3  # like a Kubernetes readinessProbe's failureThreshold


def probe(url: str, timeout: float = PROBE_TIMEOUT_S) -> str:
    """``"ok"`` (2xx), ``"refused"`` (nothing listens: dead or still loading) or ``"failed"``."""
    from urllib.error import HTTPError, URLError
    from urllib.request import urlopen

    try:
        with urlopen(url, timeout=timeout) as resp:  # noqa: S310 - local URLs only
            return "ok" if 200 <= resp.status < 300 else "failed"
    except HTTPError:
        return "failed"
    except URLError as exc:
        return "refused" if isinstance(exc.reason, ConnectionRefusedError) else "failed"
    except ConnectionRefusedError:
        return "refused"
    except (OSError, ValueError):
        return "failed"


def start_redis(port: int, data_dir: Path, log: IO[bytes] | None = None) -> Part:
    """A throwaway redis-server on 127.0.0.1:``port`` (no persistence); returns once it
    answers PING (RuntimeError if it does not within 20 s)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    part = Part("redis", [shutil.which("redis-server") or "redis-server", "--bind", HOST,
                          "--port", str(port), "--save", "", "--appendonly", "no",
                          "--dir", str(data_dir)], "")
    spawn(part, dict(os.environ), log or open(os.devnull, "wb"))  # noqa: SIM115
    deadline = time.perf_counter() + 20
    while subprocess.run(["redis-cli", "-h", HOST, "-p", str(port), "ping"],
                         capture_output=True, text=True).stdout.strip() != "PONG":
        if time.perf_counter() > deadline or (part.process and part.process.poll() is not None):
            stop_parts([part])
            raise RuntimeError(f"redis-server did not start on port {port}")
        time.sleep(0.1)
    return part


def pg_bindir() -> Path | None:
    """Newest Debian PostgreSQL bin directory, or None."""
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def ensure_system_packages() -> None:
    """Install PostgreSQL, Redis and nginx from Debian when missing; raise if impossible."""
    if pg_bindir() and shutil.which("redis-server") and _nginx():
        return
    subprocess.run(["bash", str(ROOT / "scripts" / "install_system_deps.sh")], check=False)
    missing = [name for name, ok in (("postgresql", pg_bindir()),
                                     ("redis-server", shutil.which("redis-server")),
                                     ("nginx", _nginx())) if not ok]
    if missing:
        raise RuntimeError(f"could not install {', '.join(missing)} (apt-get install them)")


def _nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                     else None)


def nginx_conf(workdir: Path, ports: ClusterPorts) -> str:
    """The balancer's configuration (the upstream lists live in ``upstreams.conf``)."""
    return f"""# generated by devtools/cluster.py
worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/tmp/body;
    proxy_temp_path {workdir}/tmp/proxy;
    fastcgi_temp_path {workdir}/tmp/fastcgi;
    uwsgi_temp_path {workdir}/tmp/uwsgi;
    scgi_temp_path {workdir}/tmp/scgi;
    client_max_body_size 26m;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_connect_timeout 2s;
    proxy_read_timeout 60s;
    # a refused or reset connection goes to the next replica (a POST only when it was not
    # sent yet: nginx never re-sends a request a replica may have processed)
    proxy_next_upstream error timeout http_502 http_503;
    proxy_next_upstream_tries 2;
    include {workdir}/upstreams.conf;
    server {{
        listen {HOST}:{ports.public};
        location = /metrics {{ return 404; }}  # scraped on the API port, never public
        location / {{
            proxy_pass http://api;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
    server {{
        listen {HOST}:{ports.rasa_lb};
        location / {{
            proxy_pass http://rasa;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
    server {{
        listen {HOST}:{ports.actions_lb};
        location / {{ proxy_pass http://actions; }}
    }}
}}
"""


def upstreams_conf(ports: ClusterPorts, replicas: list[Replica]) -> str:
    """``upstream`` blocks; replicas not routed are marked ``down``."""
    lines = [f"upstream api {{ server {HOST}:{ports.api}; keepalive 32; }}"]
    for kind in ("rasa", "actions"):
        servers = [r for r in replicas if r.kind == kind]
        lines.append(f"upstream {kind} {{")
        for rep in servers:
            state = "" if rep.routed else " down"
            lines.append(f"    server {HOST}:{rep.port} max_fails=1 fail_timeout=5s{state};")
        lines.append("    keepalive 32;\n}")
    return "\n".join(lines) + "\n"
