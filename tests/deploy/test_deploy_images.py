"""The container images: what their build contexts let in (dockerignore), that the app
image builds the KB index and the Rasa image trains its model, and that the Rasa image
carries every module the Rasa side imports."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ENDPOINTS = DEPLOY / "endpoints.yml"


def _ignore_rules(path: Path) -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex, i = regex + "(?:.*/)?", i + 3
            elif pattern.startswith("**", i):
                regex, i = regex + ".*", i + 2
            elif pattern[i] == "*":
                regex, i = regex + "[^/]*", i + 1
            elif pattern[i] == "?":
                regex, i = regex + "[^/]", i + 1
            else:
                regex, i = regex + re.escape(pattern[i]), i + 1
        rules.append((negate, re.compile(regex + "(?:/.*)?$")))
    return rules


def _ignored(rules: list[tuple[bool, re.Pattern[str]]], rel: str) -> bool:
    """Docker semantics: the last matching rule wins; a rule on a folder covers its files."""
    ignored = False
    for negate, regex in rules:
        if regex.match(rel):
            ignored = not negate
    return ignored


@pytest.mark.parametrize("image", ["app", "rasa"])
def test_dockerignore_keeps_environments_and_caches_out_but_copied_files_in(image: str) -> None:
    dockerfile = DEPLOY / "docker" / f"Dockerfile.{image}"
    rules = _ignore_rules(DEPLOY / "docker" / f"Dockerfile.{image}.dockerignore")
    for rel in (".venv/bin/python", ".venv-rasa/bin/rasa", ".git/HEAD", "var/index/dense.faiss",
                "models/troly06-abc.tar.gz", ".env", "bot/nlu/__pycache__/x.pyc",
                "results/train_time.json", "test-artifacts/x.png", "tests/data/x.txt"):
        assert _ignored(rules, rel), f"{image}: {rel} enters the build context"
    sources = []
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        m = re.match(r"COPY\s+(?!--from)(.+)\s+\S+$", line.strip())
        if m:
            sources += m.group(1).split()
    assert sources, "no COPY in " + dockerfile.name
    for src in sources:
        rel = src.rstrip("/")
        assert not _ignored(rules, rel), f"{image}: COPY {src} is excluded by its dockerignore"
        if rel == "deploy/endpoints.yml" and not ENDPOINTS.is_file():
            continue  # the lead's file; test_deploy_endpoints_uses_the_redis_lock_store skips
        assert (ROOT / rel).exists(), f"{image}: COPY {src} does not exist"


def test_app_image_builds_the_kb_index_and_rasa_image_trains_its_model() -> None:
    app = (DEPLOY / "docker" / "Dockerfile.app").read_text(encoding="utf-8")
    rasa = (DEPLOY / "docker" / "Dockerfile.rasa").read_text(encoding="utf-8")
    assert "python:3.11" in app and "python:3.10" in rasa
    assert "troly06.cli kb build" in app and "manifest.json" in app
    assert "torch" not in app.replace("No torch", "")
    assert "bot/requirements-rasa.txt" in rasa
    assert re.search(r"rasa train\b.*--fixed-model-name", rasa.replace("\\\n", ""), re.S)
    assert "COPY --from=train /app/models/" in rasa
    assert re.search(r"^USER \w+", app, re.M) and re.search(r"^USER \w+", rasa, re.M)


def test_rasa_image_carries_every_troly06_module_the_rasa_side_imports() -> None:
    """bot/ (run inside Rasa) may import only what Dockerfile.rasa copies and its dockerignore
    lets through; a new import from troly06 would otherwise crash the image at start."""
    root = ROOT
    needed = set()
    for path in (root / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("troly06."):
                needed.add("troly06/" + node.module.split(".")[1] + ".py")
    data = {"troly06/commands.py": "troly06/commands.yaml",
            "troly06/vitext.py": "troly06/vi_abbreviations.yaml"}
    needed |= {data[m] for m in needed if m in data}
    dockerfile = (root / "deploy/docker/Dockerfile.rasa").read_text(encoding="utf-8")
    allowed = (root / "deploy/docker/Dockerfile.rasa.dockerignore").read_text(encoding="utf-8")
    copies = " ".join(line for line in dockerfile.replace("\\\n", " ").splitlines()
                      if line.startswith("COPY troly06"))
    assert needed and all(f in copies and f"!{f}" in allowed for f in needed), needed
