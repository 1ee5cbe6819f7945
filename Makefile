# Every entry point of the collection. `make` alone lists them.
# A fresh clone needs only Python 3.10+ and make: each target that runs code
# depends on the virtual environment, which is built from requirements.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.DEFAULT_GOAL := help
.PHONY: help venv lab test test-unit test-notebooks execute clean

help:  ## list the targets
	@echo "Targets:"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "} {printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
	  { echo "error: these notebooks need Python 3.10 or newer ($(PYTHON) is older)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
	  { echo "error: '$(PYTHON) -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

venv: $(STAMP)  ## create .venv from requirements.txt (other targets do it for you)

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)  ## open JupyterLab on notebooks/ (extra options: make lab LAB_ARGS=--no-browser)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(ROOT_FLAG) $(LAB_ARGS)

test: test-unit test-notebooks  ## every test: the helpers' unit tests, then nbval over every notebook

test-unit: $(STAMP)  ## unit and hygiene tests only (warnings are errors)
	$(BIN)/python -m pytest -W error tests

test-notebooks: $(STAMP)  ## re-run every notebook and compare with its committed outputs (strict nbval)
	$(BIN)/python -m pytest -p no:cacheprovider --nbval --nbval-current-env \
	  --sanitize-with tests/sanitize.cfg $(NOTEBOOKS)

execute: $(STAMP)  ## re-execute every notebook in place, so committed outputs are regenerated
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.record_timing=False \
	  --ExecutePreprocessor.kernel_name=python3 $(NOTEBOOKS)

clean:  ## remove the virtual environment, build outputs and caches
	rm -rf $(VENV) build .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +
