# Every entry point of the collection. `make` alone lists them.
# A fresh clone needs only Python 3.10+ and make: each target that runs code
# depends on the virtual environment, which is built from requirements.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.DEFAULT_GOAL := help
.PHONY: help venv lab lint test test-unit test-notebooks test-variants execute handouts slides clean e2e accessibility test-oldest bench

help:  ## list the targets
	@echo "Targets:"
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | \
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

test: lint test-unit test-notebooks  ## every test: lint, the helpers' unit tests, then nbval over every notebook

lint: $(STAMP)  ## ruff's lint rules and formatter over the Python code (configured in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-unit: $(STAMP)  ## unit and hygiene tests only (warnings are errors)
	$(BIN)/python -m pytest -W error tests

# Strict nbval: every notebook re-run in a fresh kernel, every output compared.
NBVAL := -m pytest -p no:cacheprovider --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg

test-notebooks: $(STAMP)  ## re-run every notebook and compare with its committed outputs (strict nbval)
	$(BIN)/python $(NBVAL) $(NOTEBOOKS)

# Committed outputs must survive another CPU, BLAS kernel or libm: strict nbval
# again with NumPy's AVX-512 or AVX2 kernels off, another OpenBLAS kernel, and
# the last bit of the weights or of tanh/sigmoid changed (tests/run_variants.py).
VARIANTS ?=
test-variants: $(STAMP)  ## strict nbval under other code paths and last-bit changes (VARIANTS=ci: all at once)
	$(BIN)/python tests/run_variants.py $(VARIANTS)

# No timing metadata, no widget state or live-widget ids, and each cell's
# printed text as one stream (the kernel flushes in timing-dependent chunks):
# what would change from run to run stays out, so committed outputs are
# exactly reproducible.
execute: $(STAMP)  ## re-execute every notebook in place, so committed outputs are regenerated
	PYTHONPATH=$(CURDIR) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.record_timing=False \
	  --ExecutePreprocessor.store_widget_state=False \
	  --ExecutePreprocessor.kernel_name=python3 \
	  --NotebookExporter.preprocessors=tools.notebook_filters.StableOutputs $(NOTEBOOKS)

clean:  ## remove the virtual environment, build outputs and caches
	rm -rf $(VENV) $(OLDEST) build .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +

handouts: $(STAMP)  ## student (no solutions) and teacher handouts, HTML and PDF, and student notebooks, in build/handouts/
	$(BIN)/python tools/build_handouts.py --out build/handouts $(NOTEBOOKS)

slides: $(STAMP)  ## a reveal.js deck per notebook, from the slide types in the notebooks, in build/slides/ (offline)
	$(BIN)/python tools/build_slides.py --out build/slides $(NOTEBOOKS)

# A real browser: JupyterLab runs every notebook in headless Chromium (the
# system's; Debian/Ubuntu: apt-get install chromium), driven by Playwright,
# which goes into .venv from tests/e2e-requirements.txt (not requirements.txt:
# Binder and teachers do not need it).
CHROMIUM   ?= /usr/bin/chromium
E2E_STAMP  := $(VENV)/.e2e-installed

$(E2E_STAMP): $(STAMP) tests/e2e-requirements.txt
	$(BIN)/python -m pip install --quiet -r tests/e2e-requirements.txt
	@touch $@

e2e: $(E2E_STAMP)  ## run every notebook in JupyterLab in headless Chromium and check what renders (build/e2e/)
	@test -x $(CHROMIUM) || { echo "error: make e2e needs Chromium at $(CHROMIUM)" \
	  "(Debian/Ubuntu: apt-get install chromium; elsewhere: make e2e CHROMIUM=/path/to/chromium)"; exit 1; }
	E2E_CHROMIUM=$(CHROMIUM) $(BIN)/python tests/e2e/run_e2e.py $(NOTEBOOKS)
	E2E_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -p no:cacheprovider -W error tests/e2e/test_cleanup.py

# The built pages in the same browser: axe-core's WCAG 2.1 A/AA rules over every
# HTML handout and deck, one screenshot per deck, and the printed student PDFs'
# length and text size (pdfinfo and pdfimages: apt-get install poppler-utils).
accessibility: $(E2E_STAMP)  ## check the built handouts and slides: WCAG 2.1 AA (axe-core in Chromium), PDF pages and text size
	@test -x $(CHROMIUM) || { echo "error: make accessibility needs Chromium at $(CHROMIUM)" \
	  "(Debian/Ubuntu: apt-get install chromium; elsewhere: make accessibility CHROMIUM=/path/to/chromium)"; exit 1; }
	E2E_CHROMIUM=$(CHROMIUM) $(BIN)/python tests/e2e/check_pages.py build/handouts build/slides

# The lower bounds of requirements.txt, installed for real in a second venv.
# NumPy 1.25 has wheels for Python 3.10 and 3.11 only: pick one with OLDEST_PYTHON.
OLDEST        := .venv-oldest
OLDEST_PYTHON ?= $(PYTHON)
OLDEST_STAMP  := $(OLDEST)/.installed

$(OLDEST_STAMP): requirements.txt pyproject.toml tests/constraints-oldest.txt
	@$(OLDEST_PYTHON) -c 'import sys; sys.exit(not (3, 10) <= sys.version_info < (3, 12))' || \
	  { echo "error: the oldest versions (NumPy 1.25) need Python 3.10 or 3.11;" \
	  "$(OLDEST_PYTHON) is not (try make test-oldest OLDEST_PYTHON=python3.11)"; exit 1; }
	@test -x $(OLDEST)/bin/python || $(OLDEST_PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST)/bin/python -m pip install --quiet -r requirements.txt -c tests/constraints-oldest.txt
	@touch $@

test-oldest: $(OLDEST_STAMP)  ## make test with the oldest versions requirements.txt admits (strict nbval too)
	$(OLDEST)/bin/python -m pytest -p no:cacheprovider -W error tests
	$(OLDEST)/bin/python $(NBVAL) $(NOTEBOOKS)

bench: $(STAMP)  ## Playground engine throughput; notebooks 06 and 07 against an import-only notebook (BENCH_ARGS=--pools: also the pools)
	$(BIN)/python tests/benchmark_playground.py $(BENCH_ARGS)
