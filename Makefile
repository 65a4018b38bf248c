# Two commands matter: `make run` and `make test`. Everything else is here for them.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
WORKERS ?= 4

.PHONY: run test serve lint bench install assets clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# Local development: SQLite, eager Celery, local-memory cache, email on the console.
run: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Both cores: pytest-xdist runs the suite in two processes, each with its own test database.
test: install
	$(PY) -m pytest -n auto

# The house rules (docs/architecture.md): ruff (with PLC0415), the layer order and no cycles
# (import-linter, .importlinter), every model change migrated, and bandit.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/bandit -q -r core reference accounts bids trusts monitoring insights config -x '*/migrations/*' --severity-level high

# The production shape on one machine: nginx buffering in front of gunicorn (4 workers), a
# Celery worker and Celery beat against DATABASE_URL and REDIS_URL, static files through
# whitenoise, DEBUG off (deploy/serve.sh, deploy/nginx.conf). Needs nginx (Debian: nginx-light).
serve: install
	@test -n "$$DATABASE_URL" || (echo "Set DATABASE_URL (PostgreSQL) for make serve" && exit 1)
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL for make serve" && exit 1)
	@test -n "$$SECRET_KEY" || (echo "Set SECRET_KEY for make serve" && exit 1)
	@command -v nginx >/dev/null || (echo "make serve needs nginx: apt-get install nginx-light" && exit 1)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	# Plain HTTP on 127.0.0.1: TLS is a proxy's job in a real deployment (see README).
	PORT=$(PORT) WORKERS=$(WORKERS) bash deploy/serve.sh

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules var db.sqlite3
