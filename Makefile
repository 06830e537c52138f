# Verify: `make run` (the app) and `make test` (the whole suite) do all set-up.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTEST_ARGS ?=

# The first interpreter that is Python 3.12 or newer (Django 6 needs it).
PYTHON_BOOT := $(shell for p in python3.13 python3.12 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	command -v $$p; break; fi; done)

.PHONY: run test bench lint format app-deps system-deps speedups clean-venv

$(VENV)/.installed: requirements/base.txt requirements/prod.txt requirements/dev.txt requirements/constraints.txt
	@test -n "$(PYTHON_BOOT)" || { echo "Python 3.12+ not found: install it (pyenv install 3.12) and retry." >&2; exit 1; }
	@test -x $(PY) && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { rm -rf $(VENV); $(PYTHON_BOOT) -m venv $(VENV); }
	$(PIP) install -q --disable-pip-version-check -r requirements/dev.txt -c requirements/constraints.txt
	@touch $@

# Debian packages, installed with apt where missing and possible; never fatal here
# (the browser tests themselves fail under CI=true when no browser could be had).
# PDF_DEBS: Pango, a font and HarfBuzz subsetting for WeasyPrint (the app needs them);
# TEST_DEBS: Chromium for the browser tests.
PDF_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
TEST_DEBS := chromium

define apt_install
	@missing=""; \
	for pkg in $(1); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null 2>&1; } || \
	    echo "Could not install$$missing."; \
	  else echo "Missing Debian packages:$$missing (not root or no apt-get)."; fi; \
	fi
endef

# The extraction engine's C speed-ups, built in place (skipped when up to date). Without a C
# compiler the engine runs its pure-Python path (same output); under CI=true that is an error. Run as
# a script, not with -m: importing the package would load the old extensions it is about to replace.
speedups: $(VENV)/.installed
	$(PY) articles/extraction/build_speedups.py $(if $(filter true,$(CI)),--require)

app-deps:
	$(call apt_install,$(PDF_DEBS))

system-deps: app-deps
	$(call apt_install,$(TEST_DEBS))

run: $(VENV)/.installed app-deps speedups
	$(PY) -m verify.run serve

test: $(VENV)/.installed system-deps speedups
	CELERY_QUEUE=verify-test-$$$$ $(PY) -m verify.run wrap -- $(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed speedups
	$(PY) -m verify.run wrap -- $(PY) -m pytest tests/benchmarks -o python_files='bench_*.py' -s -q $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean-venv:
	rm -rf $(VENV)
