# Smart Clusters — the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
# Use uv from PATH; otherwise bootstrap it with pip into .uv/ (outside the project venv).
UV ?= $(shell command -v uv 2>/dev/null || echo .uv/bin/uv)
export UV_PROJECT_ENVIRONMENT := .venv
RUN := $(UV) run --frozen --no-sync
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-browser test-fast lint format migrate seed worker beat clean bench bench-jobs

.uv/bin/uv:
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv

# --compile-bytecode: every Python process (each test worker, the servers and checks the
# tests start, the linters) loads the packages' .pyc instead of compiling them again, which
# it would do each time where PYTHONDONTWRITEBYTECODE is set (import of Django, Celery,
# Faker and Playwright: 5.2 s of CPU without, 2.2 s with). Later syncs skip what is compiled.
install: $(if $(filter .uv/bin/uv,$(UV)),.uv/bin/uv) node_modules/.package-lock.json
	$(UV) sync --frozen --quiet --compile-bytecode

# The browser suite's HTML checker (npm's vnu-jar, run on Java), pinned in package-lock.json.
# Its postinstall would fetch a Java of its own when none is found: Debian's is used instead.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent --ignore-scripts; \
	else echo "npm not found: the browser suite cannot check HTML (apt-get install npm)"; fi

migrate: install
	$(RUN) python manage.py migrate --noinput

seed: migrate
	$(RUN) python manage.py seed_demo --if-empty

## make run: virtualenv, install, migrate, demo data, serve on http://127.0.0.1:8000 (SQLite, no services)
run: seed
	@echo "Serving on http://$(HOST):$(PORT)/ — demo password: $${DEMO_PASSWORD:-smartclusters-demo}"
	$(RUN) python manage.py runserver $(HOST):$(PORT)

# The suite runs in TEST_WORKERS processes (pytest-xdist): "auto" is one per CPU core,
# 0 runs it in this process alone. Each worker has its own test database and Redis
# database (smartclusters/settings/test.py). With --dist loadscope a module's tests stay
# together in one worker, so a module-wide fixture (seed_demo, the shared world, the
# Celery worker of the integration tests) is built once; tests/scheduling.py hands out
# each browser journey alone instead and the longest units first, which
# --no-loadscope-reorder (xdist's own order: most tests first) leaves as they are.
TEST_WORKERS ?= auto
PYTEST_PARALLEL := $(if $(filter 0,$(TEST_WORKERS)),-p no:xdist,-n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder)

## make test: virtualenv, install, run the whole suite (PostgreSQL when DATABASE_URL is set)
test: install
	$(RUN) pytest $(PYTEST_PARALLEL)

test-fast: install
	$(RUN) pytest $(PYTEST_PARALLEL) -m "not browser and not services"

test-browser: install
	$(RUN) pytest $(PYTEST_PARALLEL) -m browser

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) djlint templates $(wildcard */templates) --lint
	$(RUN) lint-imports --no-cache
	$(RUN) mypy

format: install
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

worker: install
	$(RUN) celery -A smartclusters worker -l info

beat: install
	$(RUN) celery -A smartclusters beat -l info

## make bench: every page under load (wrk, gunicorn, PostgreSQL, Redis) beside a bare Django view;
## BENCH_ARGS="--quick" for a small try, BENCH_DATABASE_URL / BENCH_REDIS_URL to choose where
bench: install
	$(RUN) python -W ignore::UserWarning bench/run.py $(BENCH_ARGS)

## make bench-jobs: the reminder sweeps, the outbox sweep and the daily digest at scale
## (bench/sweeps.py, in <DATABASE_URL's database>_jobs), then e-mail delivery throughput to
## an aiosmtpd sink with a real worker, default concurrency and 1. Needs PostgreSQL and Redis.
## DATABASE_URL and REDIS_URL default to this machine's (database sc_bench, Redis db 12).
BENCH_JOBS_ENV := DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sc_bench} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/12}
bench-jobs: install
	$(BENCH_JOBS_ENV) $(RUN) python -W ignore::UserWarning bench/sweeps.py $(BENCH_JOBS_ARGS)
	$(BENCH_JOBS_ENV) $(RUN) python -W ignore::UserWarning bench/delivery.py --throughput 2000 --concurrency 0
	$(BENCH_JOBS_ENV) $(RUN) python -W ignore::UserWarning bench/delivery.py --throughput 2000 --concurrency 1

clean:
	rm -rf .venv .uv staticfiles .pytest-media node_modules
