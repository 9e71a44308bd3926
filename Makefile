# Termwise: `make run` to try it, `make test` for everything CI checks.
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.12 || command -v python3)
CHROMIUM := /usr/bin/chromium
POSTGRES_URL := postgres://postgres@127.0.0.1:5432/test
# The PostgreSQL leg keeps the cache and sessions in Redis when it answers (docs/operations.md).
REDIS_TEST_URL := redis://127.0.0.1:6379/5
# Dummy secrets: enough for `check --deploy` to judge the production settings.
DEPLOY_ENV := DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=check-deploy-$(shell printf '%064d' 0) ALLOWED_HOSTS=termwise.example

.PHONY: run test lint deploy-check pytest pytest-postgres bench bench-parts clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(CHROMIUM):
	apt-get update && apt-get install -y chromium

run: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable
	$(PY) manage.py load_content
	$(PY) manage.py load_demo_data
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

deploy-check: $(VENV)/.installed
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

POSTGRES_ANSWERS := $(PY) -c "import psycopg; psycopg.connect('$(POSTGRES_URL)', connect_timeout=3).close()" 2>/dev/null

pytest: $(VENV)/.installed $(CHROMIUM)
	$(PY) -m pytest

# The suite again on PostgreSQL (and Redis), when a server answers on the usual port. The
# browser journeys drive the same pages whatever the database and run in the SQLite leg,
# where the live server's database is emptied after each in a fraction of the time: so make
# test stays within CI's 15 minutes on two slow CPUs.
pytest-postgres: $(VENV)/.installed
	@if $(POSTGRES_ANSWERS); then \
		redis_url=; \
		if $(PY) -c "import redis; redis.Redis.from_url('$(REDIS_TEST_URL)', socket_timeout=3).ping()" 2>/dev/null; then \
			redis_url=$(REDIS_TEST_URL); \
			echo "PostgreSQL and Redis answer: running the suite against them"; \
		else \
			echo "PostgreSQL answers (Redis does not): running the suite against it"; \
		fi; \
		DATABASE_URL=$(POSTGRES_URL) REDIS_URL=$$redis_url $(PY) -m pytest --ignore=tests/browser; \
	else \
		echo "PostgreSQL not reachable on 127.0.0.1:5432: skipping the PostgreSQL leg"; \
	fi

# The SQLite and PostgreSQL legs share nothing (each its own database, Redis only in the
# second), so they run side by side on two CPUs. Each leg's output is shown whole when it
# ends.
test: lint deploy-check
	$(MAKE) --no-print-directory -j2 --output-sync=target pytest pytest-postgres

# Issue 13's figures at 10,000 learners and 1,000,000 responses, on SQLite and PostgreSQL,
# as one table (docs/performance.md); 15–20 minutes.
bench: $(VENV)/.installed
	$(PY) -m tests.bench.scale

# The glossary at 2,000 terms and the admin's import at 5,000 rows, with query counts.
bench-parts: $(VENV)/.installed
	$(PY) -m pytest tests/bench -s

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
