# Mongolia defense partnerships report. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# test-only JavaScript (axe-core for the accessibility test), pinned in package-lock.json
NODE_STAMP := node_modules/.installed
JOBS   ?=

.PHONY: help setup sysdeps report test lint lab preview outputs bench validate clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name partnerships --display-name "Python (partnerships)" >/dev/null
	@touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)  ## create .venv from pyproject.toml (with the `partnerships` kernel) and node_modules/ (axe-core) from package-lock.json, only if missing or changed

sysdeps:  ## install the system tools the tests need (chromium, chromium-driver, poppler-utils; sudo if not root)
	@.ci/sysdeps

report: $(STAMP)  ## build report/<name>.html and report/<name>.pdf (cached, parallel)
	$(VENV)/bin/partnerships build $(if $(JOBS),--jobs $(JOBS),)

test: $(STAMP) sysdeps $(NODE_STAMP)  ## run every test: unit, data, build/render, browser, PDF, nbval on notebooks/
	$(PY) -m pytest tests --nbval notebooks --nbval-current-env --nbval-sanitize-with tests/nbval-sanitize.cfg -p no:cacheprovider

lint: $(STAMP)  ## ruff: lint and check the format of src/, tests/, bench/ and notebooks/ (config in pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

lab: $(STAMP)  ## open JupyterLab on notebooks/ with the project's kernel
	JUPYTER_PREFER_ENV_PATH=1 $(VENV)/bin/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks \
	  $(if $(filter 0,$(shell id -u)),--allow-root,)

preview: $(STAMP)  ## serve the report on localhost and rebuild + reload it when notebooks/, data/, src/ or report.yml change
	$(VENV)/bin/partnerships preview

outputs: $(STAMP)  ## refresh the committed outputs of notebooks/ (and their .txt views) after a data or code change
	$(VENV)/bin/partnerships outputs $(if $(JOBS),--jobs $(JOBS),)

validate: $(STAMP)  ## check every table in data/ (file:row: column: problem)
	$(VENV)/bin/partnerships validate

bench: $(STAMP)  ## time the naive route vs a cold build, a no-op rebuild, a one-table change, a one-chapter edit and the PDF alone
	$(PY) bench/bench_build.py

clean:  ## remove build/ and report/ (keeps .venv)
	rm -rf build report
