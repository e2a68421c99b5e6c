#!/usr/bin/env python3
"""Run the production topology on one machine, without containers.

Everything binds to 127.0.0.1; the Debian packages (PostgreSQL, Redis, nginx) are installed by
``scripts/install_system_deps.sh`` when missing::

    nginx :8080  public   → API :8000 (uvicorn; the app trusts nginx's X-Forwarded-For)
    nginx :5080  internal → Rasa replicas :5005, :5006   (channel gateways, the API)
    nginx :5060  internal → action servers :5055, :5056  (Rasa → actions)
    PostgreSQL :5433  tracker store + statistics DB (database ``troly06``)
    Redis      :6380  Rasa lock store (``bot.plugins.lock_store.AtomicRedisLockStore``)

Open-source nginx has no active health checks, so a watcher thread polls every replica
(Rasa ``/webhooks/rest/``, actions ``/health``) each ``--probe-interval`` seconds and rewrites the
upstream list — a replica that is down or still loading its model is marked ``down`` and
nginx is reloaded (graceful, no dropped connection). Between two probes nginx's passive checks
(``proxy_next_upstream error``) send a refused connection to the other replica; a request
that was inside a replica when it died is re-sent by the client with the same message id
(see ``gateways/rasa_client.py``).

``python -m devtools.cluster`` runs until Ctrl-C. Tests and ``bench/scale_load.py`` use
:class:`Cluster` as a context manager and call :meth:`Cluster.kill`, :meth:`Cluster.restart`
and :meth:`Cluster.use_rasa` (which replicas the balancer may use).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from devtools.cluster_parts import (
    DEMO_REPORTS,
    FAILURE_THRESHOLD,
    ClusterPorts,
    Replica,
    Timeline,
    Turn,
    _nginx,
    ensure_system_packages,
    nginx_conf,
    pg_bindir,
    probe,
    read_user_turns,
    start_redis,
    upstreams_conf,
)
from devtools.run_all import (
    HOST,
    RASA_READY_PATH,
    ROOT,
    SERVER_ENV,
    Part,
    _http_ok,
    actions_cmd,
    api_cmd,
    rasa_cmd,
    shared_secrets,
    signal_group,
    spawn,
    stop_parts,
)


class Cluster:
    """PostgreSQL + Redis + nginx + N Rasa + M action servers + the API (context manager)."""

    def __init__(self, ports: ClusterPorts | None = None, *, models: str = "models",
                 workdir: Path | None = None, env: dict[str, str] | None = None,
                 fresh_db: bool = False, probe_interval: float = 1.0,
                 timeout: float = 600.0) -> None:
        """Configure; nothing starts before :meth:`start`.

        ``fresh_db``: drop and recreate the ``troly06`` database (tests, benchmarks).
        ``env``: extra environment for the Rasa, action-server and API processes.
        """
        self.ports = ports or ClusterPorts()
        self.models = models
        self.workdir = (workdir or ROOT / "var" / "cluster").resolve()
        self.fresh_db = fresh_db
        self.probe_interval = probe_interval
        self.timeout = timeout
        self.timeline = Timeline()
        self.replicas: list[Replica] = []
        self.api: Part | None = None
        self.nginx: Part | None = None
        self.redis: Part | None = None
        self._pg_started = False
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        self._lock = threading.Lock()
        self.db_url = f"postgresql://postgres@{HOST}:{self.ports.postgres}/troly06"
        self.env = {**os.environ, **SERVER_ENV}
        self.env.update(shared_secrets({**self.env, **(env or {})}))
        self.env.update({
            "DATABASE_URL": self.db_url.replace("postgresql://", "postgresql+psycopg://"),
            "REDIS_URL": f"redis://{HOST}:{self.ports.redis}/1",
            "TICKET_LOCK_LIFETIME": "10",
            "ACTION_SERVER_URL": f"http://{HOST}:{self.ports.actions_lb}",
            "RASA_URL": f"http://{HOST}:{self.ports.rasa_lb}",
            # nginx on this host is the only proxy: the API reads X-Forwarded-For itself
            "TROLY06_TRUSTED_PROXIES": f"{HOST}/32",
        })
        self.env.update(env or {})

    # ---------------------------------------------------------------- URLs --------------
    @property
    def public_url(self) -> str:
        """nginx → API."""
        return f"http://{HOST}:{self.ports.public}"

    @property
    def rasa_url(self) -> str:
        """nginx → Rasa replicas (where channel gateways send messages)."""
        return f"http://{HOST}:{self.ports.rasa_lb}"

    # ---------------------------------------------------------------- start/stop --------
    def start(self) -> Cluster:
        """Start every part; return when each replica is routed (RuntimeError on failure)."""
        ensure_system_packages()
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "logs").mkdir(exist_ok=True)
        try:
            self._start_postgres()
            self._start_redis()
            self._prepare_stats_db()
            self._build_replicas()
            for rep in self.replicas:
                self._spawn(rep.part)
            self._start_nginx()
            self.api = Part("api", api_cmd(self.ports.api),
                            f"http://{HOST}:{self.ports.api}/health")
            self._spawn(self.api)
            self._watcher = threading.Thread(target=self._watch, name="cluster-watcher",
                                             daemon=True)
            self._watcher.start()
            self.wait_routed([r.part.name for r in self.replicas], self.timeout)
            self._wait_url(self.api, self.timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop every process, then Redis and PostgreSQL."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
        stop_parts([r.part for r in self.replicas]
                   + [p for p in (self.api, self.nginx, self.redis) if p])
        if self._pg_started:
            self._pg(["pg_ctl", "-D", str(self._pg_data), "-m", "fast", "stop"], check=False)
            self._pg_started = False

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- operations --------
    def kill(self, name: str) -> None:
        """SIGKILL one replica (no graceful shutdown: as if its machine died)."""
        rep = self._replica(name)
        signal_group(rep.part, signal.SIGKILL)
        if rep.part.process:
            rep.part.process.wait()
        self.timeline.note(f"{name} killed (SIGKILL)")

    def restart(self, name: str) -> None:
        """Start a stopped replica again; the watcher routes to it once it is ready."""
        rep = self._replica(name)
        if rep.part.process and rep.part.process.poll() is None:
            raise RuntimeError(f"{name} is still running")
        if rep.part.log:
            rep.part.log.close()
        self._spawn(rep.part)
        self.timeline.note(f"{name} restarting (not routed until {rep.part.ready_url} is 200)")

    def use_rasa(self, count: int) -> None:
        """Let the balancer use only the first ``count`` Rasa replicas (and wait for it)."""
        names = []
        for i, rep in enumerate(r for r in self.replicas if r.kind == "rasa"):
            rep.enabled = i < count
            if rep.enabled:
                names.append(rep.part.name)
        self._refresh(force=True)
        self.wait_routed(names, self.timeout)

    def routed(self) -> list[str]:
        """Names of the replicas nginx routes to now."""
        return [r.part.name for r in self.replicas if r.routed]

    def wait_routed(self, names: list[str], timeout: float) -> float:
        """Block until every named replica is routed; return the seconds waited."""
        start = time.perf_counter()
        while not set(names) <= set(self.routed()):
            for rep in self.replicas:
                proc = rep.part.process
                if rep.part.name in names and proc is not None and proc.poll() is not None:
                    raise RuntimeError(f"{rep.part.name} exited with code {proc.returncode} "
                                       f"(see {self.workdir}/logs/{rep.part.name}.log)")
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"not routed after {timeout:.0f} s: "
                                   f"{sorted(set(names) - set(self.routed()))}")
            time.sleep(0.2)
        return time.perf_counter() - start

    def user_turns(self, sender: str) -> list[Turn]:
        """The user turns of ``sender`` as stored in the PostgreSQL tracker store, in order."""
        return read_user_turns(self.db_url, sender)

    # ---------------------------------------------------------------- internals ---------
    def _replica(self, name: str) -> Replica:
        for rep in self.replicas:
            if rep.part.name == name:
                return rep
        raise KeyError(name)

    def _build_replicas(self) -> None:
        self.replicas = [
            Replica(Part(f"actions-{i}", actions_cmd(port), f"http://{HOST}:{port}/health"),
                    port, "actions") for i, port in enumerate(self.ports.actions, 1)]
        self.replicas += [
            Replica(Part(f"rasa-{i}", rasa_cmd(port, self.models, "deploy/endpoints.yml"),
                         f"http://{HOST}:{port}{RASA_READY_PATH}"), port, "rasa")
            for i, port in enumerate(self.ports.rasa, 1)]

    def _spawn(self, part: Part) -> None:
        spawn(part, self.env, open(self.workdir / "logs" / f"{part.name}.log", "ab"))  # noqa: SIM115

    def _wait_url(self, part: Part, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while not _http_ok(part.ready_url):
            if part.process and part.process.poll() is not None:
                raise RuntimeError(f"{part.name} exited with code {part.process.returncode} "
                                   f"(see {self.workdir}/logs/{part.name}.log)")
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{part.name} not ready after {timeout:.0f} s")
            time.sleep(0.3)
        part.ready_after = time.perf_counter() - part.started_at
        self.timeline.note(f"{part.name} ready in {part.ready_after:.1f} s")

    def _watch(self) -> None:
        """Probe every replica; reroute nginx when the set of ready replicas changes."""
        while not self._stop.is_set():
            self._refresh()
            self._stop.wait(self.probe_interval)

    def _refresh(self, force: bool = False) -> None:
        with self._lock:
            changed = force
            def check(rep: Replica) -> str:
                alive = rep.part.process is not None and rep.part.process.poll() is None
                return probe(rep.part.ready_url) if alive else "refused"

            with ThreadPoolExecutor(max_workers=max(1, len(self.replicas))) as pool:
                states = list(pool.map(check, self.replicas))  # all probes at once
            for rep, state in zip(self.replicas, states, strict=True):
                # a busy replica answers its probe late: only FAILURE_THRESHOLD slow probes
                # in a row take it out; a refused connection (dead, loading) does at once
                rep.failures = 0 if state == "ok" else rep.failures + 1
                ready = state == "ok" or (rep.routed and state == "failed"
                                          and rep.failures < FAILURE_THRESHOLD)
                if state == "ok" and rep.part.ready_after is None:
                    rep.part.ready_after = time.perf_counter() - rep.part.started_at
                    self.timeline.note(f"{rep.part.name} ready in {rep.part.ready_after:.1f} s")
                want = ready and rep.enabled
                if want != rep.routed:
                    rep.routed = want
                    changed = True
                    why = "ready" if want else ("disabled" if ready else "not ready")
                    self.timeline.note(f"balancer: {rep.part.name} {'in' if want else 'out'} "
                                       f"({why})")
            if changed and self.nginx is not None:
                (self.workdir / "upstreams.conf").write_text(
                    upstreams_conf(self.ports, self.replicas), encoding="utf-8")
                subprocess.run([_nginx() or "nginx", "-c", str(self.workdir / "nginx.conf"),
                                "-s", "reload"], capture_output=True, timeout=10)

    def _start_nginx(self) -> None:
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.workdir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        (self.workdir / "nginx.conf").write_text(nginx_conf(self.workdir, self.ports),
                                                 encoding="utf-8")
        (self.workdir / "upstreams.conf").write_text(upstreams_conf(self.ports, self.replicas),
                                                     encoding="utf-8")
        conf = str(self.workdir / "nginx.conf")
        test = subprocess.run([_nginx() or "nginx", "-t", "-c", conf], capture_output=True,
                              text=True, timeout=30)
        if test.returncode != 0:
            raise RuntimeError(f"nginx configuration invalid: {test.stderr[-800:]}")
        self.nginx = Part("nginx", [_nginx() or "nginx", "-c", conf], "")
        self._spawn(self.nginx)
        deadline = time.perf_counter() + 20
        while not (self.workdir / "nginx.pid").exists():
            if time.perf_counter() > deadline or self.nginx.process.poll() is not None:
                raise RuntimeError(f"nginx did not start (see {self.workdir}/error.log)")
            time.sleep(0.1)
        self.timeline.note(f"nginx up: public :{self.ports.public}, Rasa :{self.ports.rasa_lb},"
                           f" actions :{self.ports.actions_lb}")

    def _start_redis(self) -> None:
        self.redis = start_redis(self.ports.redis, self.workdir / "redis",
                                 open(self.workdir / "logs" / "redis.log", "ab"))  # noqa: SIM115
        self.timeline.note(f"redis up on :{self.ports.redis}")

    # PostgreSQL runs as the 'postgres' system user when we are root (it refuses root).
    @property
    def _pg_data(self) -> Path:
        return self.workdir / "pg" / "data"

    def _pg(self, args: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        bindir = pg_bindir()
        assert bindir is not None
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(prefix + [str(bindir / args[0]), *args[1:]], check=check,
                              capture_output=True, text=True, timeout=120)

    def _start_postgres(self) -> None:
        pg = self.workdir / "pg"
        pg.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(pg, "postgres")
            os.chmod(pg, 0o700)
        if not (self._pg_data / "PG_VERSION").exists():
            self._pg(["initdb", "-D", str(self._pg_data), "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--locale=C", "--no-sync"])
        opts = (f"-p {self.ports.postgres} -k {pg} -c listen_addresses={HOST} "
                "-c max_connections=200 -c fsync=on")
        self._pg(["pg_ctl", "-D", str(self._pg_data), "-o", opts, "-l", str(pg / "log"),
                  "-w", "start"])
        self._pg_started = True
        psql = ["psql", "-h", HOST, "-p", str(self.ports.postgres), "-U", "postgres", "-tAc"]
        if self.fresh_db:
            self._pg(psql + ["DROP DATABASE IF EXISTS troly06 WITH (FORCE)"])
        exists = self._pg(psql + ["SELECT 1 FROM pg_database WHERE datname='troly06'"])
        if exists.stdout.strip() != "1":
            self._pg(psql + ["CREATE DATABASE troly06"])
        self.timeline.note(f"postgresql up on :{self.ports.postgres} (database troly06)")

    def _prepare_stats_db(self) -> None:
        """Create/upgrade the statistics schema and load the demo reports (idempotent)."""
        cli = [str(ROOT / ".venv/bin/troly06"), "stats"]
        subprocess.run(cli + ["init-db"], cwd=ROOT, env=self.env, check=True,
                       capture_output=True, timeout=300)
        reports = [str(ROOT / "tests" / "data" / "reports" / n) for n in DEMO_REPORTS]
        subprocess.run(cli + ["ingest", *reports], cwd=ROOT, env=self.env,
                       capture_output=True, timeout=300)  # duplicates are reported, not errors


def main(argv: list[str] | None = None) -> int:
    """Run until Ctrl-C / SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh-db", action="store_true", help="recreate the database")
    parser.add_argument("--probe-interval", type=float, default=1.0)
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    cluster = Cluster(fresh_db=args.fresh_db, probe_interval=args.probe_interval)
    try:
        cluster.start()
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    print(f"\n==> cluster up: {cluster.public_url} (demo: {cluster.public_url}/demo); "
          f"Rasa via {cluster.rasa_url}; logs in {cluster.workdir}/logs. Ctrl-C to stop.\n",
          flush=True)
    stop.wait()
    print("==> stopping…", flush=True)
    cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
