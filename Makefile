# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint messages translations setup chromium pdf-libs node-deps redis-server clean

## run: install, migrate, load places and demo accounts, serve at http://127.0.0.1:8000
run: setup
	$(PY) manage.py prepare_site
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: the whole suite (SQLite, Celery tasks in-process unless DATABASE_URL/CELERY_BROKER_URL say otherwise)
test: setup chromium pdf-libs node-deps redis-server
	$(VENV)/bin/pytest --ds=cms.settings.test $(PYTEST_ARGS)

# Browser tests drive Debian's chromium (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# The cache-outage tests start and freeze a Redis server of their own (tests/test_cache_outage.py).
redis-server:
	@command -v redis-server >/dev/null || { echo "Installing Debian's redis-server for the cache-outage tests"; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server >/dev/null; }

# Certificates: HarfBuzz subsetting for WeasyPrint, zbar to decode QR codes and poppler's pdftoppm in tests.
PDF_DEBS := libharfbuzz-subset0 libzbar0 poppler-utils
pdf-libs:
	@missing=$$(for pkg in $(PDF_DEBS); do dpkg -s $$pkg >/dev/null 2>&1 || echo $$pkg; done); \
	[ -z "$$missing" ] || { echo "Installing $$missing"; apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }

# axe-core for the accessibility checks in tests/browser (test-only, never served), pinned by package-lock.json.
node-deps: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Installing Node.js and npm"; apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

lint: setup
	$(VENV)/bin/ruff check .

setup: $(VENV)/.installed translations

$(VENV)/.installed: pyproject.toml uv.lock
	@command -v msgfmt >/dev/null || { echo "Installing gettext (msgfmt)"; apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --frozen --inexact --quiet
	touch $@

# Compiled catalogues are rebuilt whenever a .po file changes.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po locale-vendor/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
translations: $(MO_FILES)
%.mo: %.po
	msgfmt --check-format -o $@ $<

## messages: refresh locale/*/django.po from the source after changing user-facing text
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l vi -l en --ignore=.venv --ignore=var --no-obsolete

clean:
	rm -rf $(VENV) var node_modules
