"""Static checks of the production deployment files under ``deploy/`` (no Docker, no cluster).

What runs for real elsewhere: the same topology (several Rasa and action-server processes
behind a balancer, Redis lock store, PostgreSQL) is started by ``devtools/cluster.py``.
Here: every YAML parses, probes and replicas are what docs/deploy.md promises, secrets only
come from the environment / Kubernetes Secrets, nginx accepts its configuration, and the
Dockerfiles only copy what their ignore files let into the build context.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE = DEPLOY / "compose.yaml"
NGINX_COMPOSE = DEPLOY / "nginx" / "nginx.conf"
NGINX_K8S = K8S / "nginx.conf"
ENDPOINTS = DEPLOY / "endpoints.yml"
NGINX_BIN = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)

RASA_CMD = ["rasa", "run", "-i", "0.0.0.0", "-p", "5005", "-m", "models",
            "--credentials", "bot/credentials.yml", "--endpoints", "deploy/endpoints.yml"]
LOCK_STORE = "bot.plugins.lock_store.AtomicRedisLockStore"
# Deployment -> (readiness path, liveness path, port): what docs/deploy.md describes.
PROBES = {
    "rasa": ("/webhooks/rest/", "/", 5005),
    "actions": ("/health", "/health", 5055),
    "api": ("/health/ready", "/health/live", 8000),
    "nginx": ("/nginx-health", "/nginx-health", 80),
}
SECRET_NAME = re.compile(r"(PASSWORD|TOKEN|SECRET|DATABASE_URL|REDIS_URL)", re.I)
LONG_RUNNING = {"postgres", "redis", "actions", "rasa", "api", "nginx"}


def _yaml_files() -> list[Path]:
    return sorted(p for p in DEPLOY.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def _k8s_objects(include_examples: bool = False) -> list[dict[str, Any]]:
    objs: list[dict[str, Any]] = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml" or (".example" in path.name and not include_examples):
            continue
        objs += _docs(path)
    return objs


def _by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in _k8s_objects() if o["kind"] == kind}


def _compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _default(value: Any) -> str:
    """``${VAR:-2}`` -> ``2``; other values unchanged (as text)."""
    m = re.fullmatch(r"\$\{\w+:-([^}]*)\}", str(value))
    return m.group(1) if m else str(value)


def _containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    return obj["spec"]["template"]["spec"]["containers"]


def _port_number(container: dict[str, Any], port: int | str) -> int:
    if isinstance(port, int):
        return port
    return next(p["containerPort"] for p in container["ports"] if p.get("name") == port)


# --- YAML ----------------------------------------------------------------------------------

def test_every_yaml_file_parses() -> None:
    files = _yaml_files()
    assert COMPOSE in files and (K8S / "kustomization.yaml") in files
    for path in files:
        assert _docs(path), f"{path.relative_to(ROOT)} is empty"


# --- Kubernetes ----------------------------------------------------------------------------

def test_kustomization_lists_existing_files_and_not_the_secret_template() -> None:
    kust = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    assert kust["namespace"] == "troly06"
    resources = kust["resources"]
    for name in resources:
        assert (K8S / name).is_file(), f"kustomization lists missing {name}"
    assert "secret.example.yaml" not in resources
    optional = {"secret.example.yaml", "hpa-rasa.yaml", "kustomization.yaml"}
    unlisted = {p.name for p in K8S.glob("*.yaml")} - set(resources) - optional
    assert not unlisted, f"manifests not in kustomization.yaml: {unlisted}"
    generated = [f for g in kust.get("configMapGenerator", []) for f in g.get("files", [])]
    assert "nginx.conf" in generated


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl not installed: "
                    "kustomize rendering not checked")
def test_kustomize_renders_every_object_in_the_namespace() -> None:
    out = subprocess.run(["kubectl", "kustomize", str(K8S)], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    objs = [d for d in yaml.safe_load_all(out.stdout) if d]
    kinds = {o["kind"] for o in objs}
    assert {"Deployment", "Service", "Job", "NetworkPolicy", "PodDisruptionBudget",
            "ConfigMap"} <= kinds
    assert "Secret" not in kinds  # real Secrets are created out of band
    for o in objs:
        if o["kind"] != "Namespace":
            assert o["metadata"].get("namespace") == "troly06", o["metadata"]["name"]


def test_every_deployment_has_readiness_and_liveness_on_the_right_path_and_port() -> None:
    deployments = _by_kind("Deployment")
    assert set(PROBES) <= set(deployments)
    for name, dep in deployments.items():
        for c in _containers(dep):
            assert "readinessProbe" in c and "livenessProbe" in c, f"{name}/{c['name']}"
        if name not in PROBES:
            continue
        ready, live, port = PROBES[name]
        c = _containers(dep)[0]
        for probe, path in (("readinessProbe", ready), ("livenessProbe", live)):
            get = c[probe]["httpGet"]
            assert get["path"] == path, f"{name} {probe} path {get['path']} != {path}"
            assert _port_number(c, get["port"]) == port, f"{name} {probe} port"


def test_rasa_readiness_is_status_and_startup_allows_slow_model_loading() -> None:
    c = _containers(_by_kind("Deployment")["rasa"])[0]
    assert c["readinessProbe"]["httpGet"]["path"] == "/webhooks/rest/"
    startup = c["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 120
    mem = c["resources"]["requests"]["memory"]
    assert mem.endswith("Mi") and int(mem[:-2]) >= 1024 or mem.endswith("Gi"), mem


def test_rasa_and_actions_run_at_least_two_replicas_everywhere() -> None:
    deployments = _by_kind("Deployment")
    services = _compose()["services"]
    for name in ("rasa", "actions"):
        assert deployments[name]["spec"]["replicas"] >= 2, f"k8s {name}"
        assert int(_default(services[name]["deploy"]["replicas"])) >= 2, f"compose {name}"
    pdb = _by_kind("PodDisruptionBudget")["rasa"]
    assert pdb["spec"]["minAvailable"] == 1
    assert pdb["spec"]["selector"]["matchLabels"] == \
        deployments["rasa"]["spec"]["selector"]["matchLabels"]


def test_rasa_command_uses_deploy_endpoints_everywhere() -> None:
    k8s_cmd = _containers(_by_kind("Deployment")["rasa"])[0]["command"]
    compose_cmd = _compose()["services"]["rasa"]["command"]
    assert k8s_cmd == RASA_CMD and compose_cmd == RASA_CMD
    dockerfile = (DEPLOY / "docker" / "Dockerfile.rasa").read_text(encoding="utf-8")
    cmd = re.search(r"^CMD (\[.*?\])\s*$", dockerfile.replace("\\\n", ""), re.M | re.S)
    assert cmd and yaml.safe_load(cmd.group(1)) == RASA_CMD


def test_deploy_endpoints_uses_the_redis_lock_store() -> None:
    if not ENDPOINTS.is_file():
        pytest.skip("deploy/endpoints.yml not written yet (the lead's file): lock store "
                    "type not checked")
    text = ENDPOINTS.read_text(encoding="utf-8")
    endpoints = yaml.safe_load(text)
    assert endpoints["lock_store"]["type"] == LOCK_STORE
    assert endpoints["action_endpoint"]["url"] == "${ACTION_SERVER_URL}/webhook"


def test_secrets_come_from_secret_refs_in_kubernetes() -> None:
    for obj in _k8s_objects():
        assert obj["kind"] != "Secret", f"Secret {obj['metadata']['name']} committed"
        if obj["kind"] == "ConfigMap" and "data" in obj and obj["metadata"]["name"] != \
                "nginx-conf":
            leaked = [k for k in obj["data"] if SECRET_NAME.search(k)]
            assert not leaked, f"secret-like keys in ConfigMap: {leaked}"
        if obj["kind"] not in ("Deployment", "StatefulSet", "Job"):
            continue
        for c in _containers(obj):
            for env in c.get("env", []):
                if SECRET_NAME.search(env["name"]):
                    assert "value" not in env, f"{obj['metadata']['name']}: literal {env['name']}"
                    assert "secretKeyRef" in env["valueFrom"], env["name"]
    secret_keys = {d["metadata"]["name"]: set(d["stringData"])
                   for d in _docs(K8S / "secret.example.yaml")}
    for obj in _k8s_objects():
        if obj["kind"] in ("Deployment", "StatefulSet", "Job"):
            for c in _containers(obj):
                for env in c.get("env", []):
                    ref = env.get("valueFrom", {}).get("secretKeyRef")
                    if ref:
                        assert ref["key"] in secret_keys[ref["name"]], \
                            f"{ref} missing from secret.example.yaml"


def test_rasa_http_api_is_reachable_only_from_api_and_nginx() -> None:
    policies = _by_kind("NetworkPolicy")
    deny = [p for p in policies.values() if p["spec"]["podSelector"] == {}
            and not p["spec"].get("ingress")]
    assert deny, "no default-deny ingress policy"
    rasa = [p for p in policies.values()
            if p["spec"]["podSelector"].get("matchLabels") == {"app.kubernetes.io/name": "rasa"}]
    assert len(rasa) == 1
    sources = {peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
               for rule in rasa[0]["spec"]["ingress"] for peer in rule["from"]}
    ports = {p["port"] for rule in rasa[0]["spec"]["ingress"] for p in rule["ports"]}
    assert sources == {"api", "nginx"} and ports == {5005}


# --- compose -------------------------------------------------------------------------------

def test_compose_long_running_services_have_healthchecks_and_ordered_start() -> None:
    services = _compose()["services"]
    assert set(services) == LONG_RUNNING | {"migrate"}
    for name in LONG_RUNNING:
        test = services[name].get("healthcheck", {}).get("test")
        assert test and test[0] in ("CMD", "CMD-SHELL"), f"{name} has no healthcheck"
    for name, svc in services.items():
        for dep, cond in svc.get("depends_on", {}).items():
            expected = ("service_completed_successfully" if dep == "migrate"
                        else "service_healthy")
            assert cond["condition"] == expected, f"{name} -> {dep}"
    assert services["migrate"]["command"] == ["troly06", "stats", "init-db"]
    assert {"postgres", "redis", "migrate"} <= set(services["rasa"]["depends_on"])
    published = [n for n, s in services.items() if s.get("ports")]
    assert published == ["nginx"]


def test_compose_takes_every_secret_from_the_environment() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    for var in ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "TROLY06_OFFICIALS_SECRET_FILE"):
        assert re.search(r"\$\{" + var + r":\?[^}]+\}", text), f"{var} must be required (:?)"
    for name, svc in _compose()["services"].items():
        env = svc.get("environment", {})
        assert isinstance(env, dict), f"{name}: use a mapping for environment"
        for key, value in env.items():
            if SECRET_NAME.search(key):
                assert "${" in str(value), f"{name}: {key} is a literal"
    env_example = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^([A-Z0-9_]+)=", env_example, re.M))
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    assert used <= listed, f"not in deploy/.env.example: {used - listed}"


def test_no_literal_secret_in_deploy_files() -> None:
    """Passwords/tokens only as ${VAR} / $(VAR) / secret refs; placeholders in *.example*."""
    url_password = re.compile(r"://[^:/\s]*:([^@\s]+)@")
    assignment = re.compile(r"(?i)\b[\w-]*(password|passwd|token|secret)[\w-]*\b\s*[:=]\s*"
                            r"[\"']?([^\s\"',}]+)")
    placeholder = re.compile(r"^(<[^>]+>|change-me[\w-]*|\$\{.*|\$\(.*|\$\$.*|\"?\$.*)$")
    checked = 0
    for path in sorted(DEPLOY.rglob("*")):
        if not path.is_file() or path.suffix in (".md",):
            continue
        example = ".example" in path.name
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            where = f"{path.relative_to(ROOT)}:{lineno}"
            line = re.sub(r"\$\{[^}]*\}", "$VAR", line)  # compose interpolation is a reference
            for m in url_password.finditer(line):
                value = m.group(1)
                ok = value.startswith(("$VAR", "$(", "<")) or (example and placeholder.match(value))
                assert ok, f"literal password in URL at {where}"
            for m in assignment.finditer(line):
                value = m.group(2)
                if value.startswith(("{", "[", "valueFrom", "secretKeyRef", "/")):
                    continue  # YAML structure, a reference, or a file path (not a secret)
                if example:
                    assert placeholder.match(value) or value == "", f"not a placeholder: {where}"
                else:
                    assert value.startswith(("$", "/run/secrets", "troly06-")), \
                        f"literal secret at {where}: {line.strip()}"
            checked += 1
    assert checked > 100


# --- nginx ---------------------------------------------------------------------------------

def _public_server(text: str) -> str:
    m = re.search(r"# BEGIN public-server.*?# END public-server", text, re.S)
    assert m, "public server markers missing"
    return m.group(0)


def test_nginx_public_server_overwrites_forwarded_for_and_limits_uploads() -> None:
    text = NGINX_COMPOSE.read_text(encoding="utf-8")
    public = _public_server(text)
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in public
    assert "proxy_add_x_forwarded_for" not in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in public
    size = re.search(r"client_max_body_size (\d+)m;", public)
    assert size and 25 <= int(size.group(1)) <= 32
    assert "location = /api/reports" in public
    assert public == _public_server(NGINX_K8S.read_text(encoding="utf-8")), \
        "deploy/k8s/nginx.conf's public server differs from deploy/nginx/nginx.conf's"


def test_nginx_balances_replicas_with_passive_failover_and_re_resolution() -> None:
    text = NGINX_COMPOSE.read_text(encoding="utf-8")
    assert re.search(r"resolver 127\.0\.0\.11 valid=10s", text)
    for host, port in (("api", 8000), ("rasa", 5005), ("actions", 5055)):
        assert re.search(rf"server {host}:{port} resolve max_fails=1 fail_timeout=5s;", text), host
    for listen in (80, 5080, 5060):
        assert re.search(rf"listen {listen}\b", text), listen
    assert text.count("proxy_next_upstream error timeout http_502 http_503;") >= 3
    assert text.count("proxy_next_upstream_tries 2;") >= 3
    directives = "\n".join(line.split("#")[0] for line in text.splitlines())
    assert "non_idempotent" not in directives  # a chat message is never processed twice


def _nginx_version() -> tuple[int, ...]:
    assert NGINX_BIN
    out = subprocess.run([NGINX_BIN, "-v"], capture_output=True, text=True, timeout=10)
    m = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", out.stderr + out.stdout)
    assert m, out.stderr
    return tuple(int(x) for x in m.groups())


@pytest.mark.skipif(NGINX_BIN is None, reason="nginx not installed (apt-get install nginx): "
                    "`nginx -t` on deploy/nginx/nginx.conf and deploy/k8s/nginx.conf skipped")
@pytest.mark.parametrize("conf", [NGINX_COMPOSE, NGINX_K8S], ids=["compose", "k8s"])
def test_nginx_accepts_the_configuration(conf: Path, tmp_path: Path) -> None:
    text = conf.read_text(encoding="utf-8")
    for host in ("api", "rasa", "actions"):
        text = re.sub(rf"\bserver {host}:", "server 127.0.0.1:", text)
    if _nginx_version() < (1, 27, 3):  # `server … resolve` is open source since 1.27.3
        text = text.replace(" resolve max_fails", " max_fails")
    (tmp_path / "nginx.conf").write_text(text, encoding="utf-8")
    out = subprocess.run([NGINX_BIN, "-t", "-e", "/dev/stderr", "-p", str(tmp_path),
                          "-c", str(tmp_path / "nginx.conf")],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "test is successful" in out.stderr


# --- images --------------------------------------------------------------------------------


def test_uvicorn_never_rewrites_the_client_from_forwarded_headers() -> None:
    """One implementation of "who is the client": the app's trusted-proxy rule. Every way the
    API is launched turns uvicorn's own X-Forwarded-For handling off (with it on and ``*``
    trusted, any client could pick its rate-limit key)."""
    from devtools.run_all import api_cmd

    launches = {
        "deploy/k8s/api.yaml": (ROOT / "deploy" / "k8s" / "api.yaml").read_text("utf-8"),
        "deploy/compose.yaml": (ROOT / "deploy" / "compose.yaml").read_text("utf-8"),
        "Dockerfile.app": (ROOT / "deploy" / "docker" / "Dockerfile.app").read_text("utf-8"),
        "devtools": " ".join(api_cmd(8000)),
    }
    for name, text in launches.items():
        commands = [m for m in re.findall(r"uvicorn[^\n]*(?:\n[^\n]*){0,2}", text)
                    if "api.main" in m]
        assert commands, name
        for cmd in commands:
            assert "--no-proxy-headers" in cmd, (name, cmd)
        assert "forwarded-allow-ips" not in text and '"--proxy-headers"' not in text, name
    config = (ROOT / "deploy" / "k8s" / "configmap.yaml").read_text("utf-8")
    assert re.search(r"TROLY06_TRUSTED_PROXIES: \"[0-9a-f.:/]+\"", config)
