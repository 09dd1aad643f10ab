# Mongolia defense partnerships report. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
JOBS   ?=
KERNEL := $(VENV)/share/jupyter/kernels/partnerships/kernel.json

.PHONY: help setup report test lint lab preview outputs bench validate clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The project's own kernel, inside .venv (a 'python3' kernelspec elsewhere cannot take over).
$(KERNEL): $(STAMP)
	$(PY) -m ipykernel install --sys-prefix --name partnerships --display-name "Python (partnerships)" >/dev/null

setup: $(STAMP) $(KERNEL)  ## create .venv from pyproject.toml (only if missing or pyproject changed) and the notebooks' kernel

report: $(STAMP)  ## build report/<name>.html and report/<name>.pdf (cached, parallel)
	$(VENV)/bin/partnerships build $(if $(JOBS),--jobs $(JOBS),)

test: $(STAMP)  ## run every test: unit, data, build/render, browser, PDF, nbval on notebooks/
	$(PY) -m pytest tests --nbval notebooks --nbval-current-env --nbval-sanitize-with tests/nbval-sanitize.cfg -p no:cacheprovider

lint: $(STAMP)  ## ruff: lint src/, tests/, bench/ and notebooks/ (config in pyproject.toml)
	$(VENV)/bin/ruff check .

lab: $(STAMP) $(KERNEL)  ## open JupyterLab on notebooks/ with the project's kernel
	JUPYTER_PREFER_ENV_PATH=1 $(VENV)/bin/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks \
	  $(if $(filter 0,$(shell id -u)),--allow-root,)

preview: $(STAMP) $(KERNEL)  ## serve the report on localhost and rebuild + reload it when notebooks/, data/, src/ or report.yml change
	$(VENV)/bin/partnerships preview

outputs: $(STAMP)  ## refresh the committed outputs of notebooks/ (and their .txt views) after a data or code change
	$(VENV)/bin/partnerships outputs $(if $(JOBS),--jobs $(JOBS),)

validate: $(STAMP)  ## check every table in data/ (file:row: column: problem)
	$(VENV)/bin/partnerships validate

bench: $(STAMP)  ## time the naive route vs the build, a no-op rebuild and a one-table change
	$(PY) bench/bench_build.py

clean:  ## remove build/ and report/ (keeps .venv)
	rm -rf build report
