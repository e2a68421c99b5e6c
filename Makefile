# Trợ lý Đề án 06 — every step a newcomer needs. `make help` lists them.
SHELL := /bin/bash
export RASA_TELEMETRY_ENABLED := false
export PYTHONUNBUFFERED := 1
PY := .venv/bin/python
RASA := .venv-rasa/bin/rasa
RASA_DATA := nlu_data
RASA_ARGS := --domain bot/domain.yml --config bot/config.yml

.PHONY: help install system-deps run cluster test test-fast lint validate train kb-build bench bench-scale clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

install: ## Create/refresh both Python environments (.venv 3.11, .venv-rasa 3.10)
	@scripts/setup_envs.sh

system-deps: ## Debian packages the tests use (chromium, PostgreSQL, Redis, nginx)
	@scripts/install_system_deps.sh

kb-build: install ## Build the knowledge-base FAISS index if the data changed
	@$(PY) -m troly06.cli kb build

train: install ## Train the Rasa model if the NLU/dialogue data changed
	@$(PY) -m devtools.train

run: install kb-build train ## Set up and run the whole assistant (Rasa :5005, actions :5055, API :8000)
	@$(PY) -m devtools.run_all

cluster: install system-deps kb-build train ## Production topology on localhost: PostgreSQL, Redis, nginx, 2 Rasa, 2 actions, API
	@$(PY) -m devtools.cluster

validate: install ## rasa data validate
	@$(RASA) data validate $(RASA_ARGS) --data $(RASA_DATA) --fail-on-warnings

test: install system-deps kb-build train ## Set up and run every test (unit, Rasa, end-to-end, browser)
	@$(PY) -m pytest -p no:cacheprovider -ra

test-fast: ## Only the fast tests (no real servers)
	@$(PY) -m pytest -p no:cacheprovider -m "not slow" -q

lint: ## ruff + mypy
	@$(PY) -m ruff check . && $(PY) -m mypy

bench: install kb-build train ## Run every benchmark under bench/ and print the figures
	@for b in bench/kb_eval.py bench/ingest_bench.py bench/nlu_eval.py bench/chat_latency.py \
	    bench/hostile_upload_latency.py bench/kb_speed.py bench/stats_query_scale.py \
	    bench/handoff_load.py "bench/kb_eval.py --real heldout --ablate"; do \
	  echo "== $$b"; $(PY) $$b || exit 1; done

bench-scale: install system-deps kb-build train ## 1 vs 2 Rasa replicas behind nginx, replica killed mid-run
	@$(PY) bench/scale_load.py

clean: ## Remove build artefacts (indexes, models, databases) — environments stay
	rm -rf var models results test-artifacts
