# ecogov — two commands on a fresh machine:
#   make demo   install everything, build the demo database, serve http://127.0.0.1:8000
#   make test   install everything, lint, type-check and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
VENDOR := src/ecogov/web/static/vendor
NODE_STAMP := node_modules/.package-lock.json

.PHONY: install assets browser demo serve test lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml setup.py $(wildcard src/ecogov/*/*/*.c) | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Front-end libraries come from the npm registry at build time; nothing is committed or loaded
# from a CDN. Install scripts are not run: we only copy files out of the packages (and
# swagger-ui-dist's dependency @scarf/scarf would otherwise report the install to scarf.sh).
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

$(VENDOR)/echarts.min.js: $(NODE_STAMP)
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js $@

# Swagger UI for /api/v1/docs, served by us so the API docs work without internet.
SWAGGER_UI := $(VENDOR)/swagger-ui
SWAGGER_FILES := swagger-ui-bundle.js swagger-ui.css favicon-32x32.png

$(SWAGGER_UI)/%: $(NODE_STAMP)
	mkdir -p $(SWAGGER_UI)
	cp node_modules/swagger-ui-dist/$* $@

assets: $(VENDOR)/echarts.min.js $(addprefix $(SWAGGER_UI)/,$(SWAGGER_FILES))

install: $(STAMP) assets

# Headless Chromium for the end-to-end browser tests (Debian package; needs root to install).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1 || \
	   (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)); \
	else echo "notice: chromium not installed; the browser test will be skipped"; fi

demo: install
	$(BIN)/ecogov demo load
	@echo "ecogov serving on http://127.0.0.1:8000  (Ctrl-C to stop)"
	$(BIN)/ecogov serve --host 127.0.0.1 --port 8000

serve: install
	$(BIN)/ecogov serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy src tests $(wildcard benchmarks/*.py)

test: install browser lint typecheck
	$(BIN)/pytest

bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	@set -e; for script in benchmarks/*.py; do \
	  [ -e "$$script" ] || { echo "no benchmarks yet"; break; }; \
	  echo "== $$script"; $(BIN)/python "$$script"; done

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var test-artifacts .mypy_cache .ruff_cache .pytest_cache
