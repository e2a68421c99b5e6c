#!/usr/bin/env python3
"""Train the Rasa model only when its inputs changed (content hash).

Inputs hashed: ``bot/config.yml``, ``bot/domain.yml``, every file under ``nlu_data/``, the
custom NLU components (``bot/nlu/``; the serving plug-ins in ``bot/plugins/`` are not
model inputs) and the personal-data masking the tokenizer uses (``troly06/pii.py``). The
model is written as ``models/troly06-<hash>.tar.gz``; when that file exists nothing is
trained. Older ``troly06-*.tar.gz`` models are removed after a successful training.
Training time is printed and saved to ``results/train_time.json``.

Usage: ``.venv/bin/python -m devtools.train [--force] [--out models]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
INPUTS = ["bot/config.yml", "bot/domain.yml", "nlu_data", "bot/nlu", "troly06/pii.py",
          "troly06/commands.py", "troly06/commands.yaml", "troly06/vitext.py",
          "troly06/vi_abbreviations.yaml"]


def input_files(root: Path = ROOT) -> list[Path]:
    """Every file whose content defines the model, in a stable order."""
    files: list[Path] = []
    for rel in INPUTS:
        path = root / rel
        if path.is_dir():
            files += [p for p in path.rglob("*")
                      if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
        elif path.is_file():
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def content_hash(root: Path = ROOT) -> str:
    """SHA-256 (first 12 hex digits) over the relative paths and contents of the inputs."""
    digest = hashlib.sha256()
    for path in input_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def model_path(out: Path, digest: str) -> Path:
    """Where the model for ``digest`` lives."""
    return out / f"troly06-{digest}.tar.gz"


def train(out: Path, digest: str) -> float:
    """Run ``rasa train`` (progress bars shown) and return the seconds it took."""
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
               PYTHONWARNINGS="ignore", SQLALCHEMY_SILENCE_UBER_WARNING="1")
    cmd = [str(RASA), "train", "--domain", "bot/domain.yml", "--config", "bot/config.yml",
           "--data", "nlu_data", "--out", str(out), "--fixed-model-name", f"troly06-{digest}"]
    print(f"==> training Rasa model troly06-{digest} (a few minutes on 2 cores)…", flush=True)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="train even if nothing changed")
    parser.add_argument("--out", default="models", help="model directory (default: models)")
    args = parser.parse_args(argv)
    out = (ROOT / args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    digest = content_hash()
    target = model_path(out, digest)
    if target.exists() and not args.force:
        print(f"==> Rasa model up to date: {target.relative_to(ROOT)}")
        return 0
    try:
        seconds = train(out, digest)
    except subprocess.CalledProcessError as exc:
        print(f"ERROR: rasa train failed (exit {exc.returncode})", file=sys.stderr)
        return exc.returncode or 1
    for old in out.glob("troly06-*.tar.gz"):
        if old != target:
            old.unlink()
    results = ROOT / "results"
    results.mkdir(exist_ok=True)
    (results / "train_time.json").write_text(json.dumps(
        {"model": target.name, "seconds": round(seconds, 1), "cpus": os.cpu_count()}, indent=2))
    print(f"==> trained {target.relative_to(ROOT)} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
