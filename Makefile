# Mongolia defense partnerships report. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
JOBS   ?=

.PHONY: help setup sysdeps report test outputs bench validate clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name partnerships --display-name "Python (partnerships)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv from pyproject.toml (only if missing or pyproject changed), with the `partnerships` kernel

sysdeps:  ## install the system tools the tests need (chromium, chromium-driver, poppler-utils; sudo if not root)
	@.ci/sysdeps

report: $(STAMP)  ## build report/<name>.html and report/<name>.pdf (cached, parallel)
	$(VENV)/bin/partnerships build $(if $(JOBS),--jobs $(JOBS),)

test: $(STAMP) sysdeps  ## run every test: unit, data, build/render, browser, PDF, nbval on notebooks/
	$(PY) -m pytest tests --nbval notebooks --nbval-current-env --nbval-sanitize-with tests/nbval-sanitize.cfg -p no:cacheprovider

outputs: $(STAMP)  ## refresh the committed outputs of notebooks/ after a data or code change
	$(VENV)/bin/partnerships outputs $(if $(JOBS),--jobs $(JOBS),)

validate: $(STAMP)  ## check every table in data/ (file:row: column: problem)
	$(VENV)/bin/partnerships validate

bench: $(STAMP)  ## time the naive route vs the build, a no-op rebuild and a one-table change
	$(PY) bench/bench_build.py

clean:  ## remove build/ and report/ (keeps .venv)
	rm -rf build report
