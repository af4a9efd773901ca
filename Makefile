# supajobs — the two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
# Checkout runs use the pinned CLI that `make install` puts in .tools (wheel users bring their own).
export SUPABASE_BIN := $(CURDIR)/.tools/node_modules/.bin/supabase
SUPABASE_CLI_VERSION := 2.117.0
# freee's accounting API description the tests check their mocks against (tests/support/freee_contract.py).
FREEE_MCP_VERSION := 0.35.2
FREEE_OPENAPI := .tools/freee-openapi/$(FREEE_MCP_VERSION)/accounting.json
DEBIAN_PACKAGES := postgresql-15-cron pgbouncer tesseract-ocr tesseract-ocr-jpn tesseract-ocr-eng \
	dovecot-imapd fonts-ipafont-gothic poppler-utils openssl chromium \
	fonts-ipaexfont-gothic fonts-vlgothic fonts-motoya-l-cedar

.PHONY: install system-deps demo test lint pytest bench bench-matching bench-queue bench-search bench-limits bench-receipts bench-accuracy chaos load schema-doc sql-baseline clean

install: .venv/.installed .tools/.installed $(FREEE_OPENAPI)

# Debian packages the demo and the tests use; installs only what is missing (needs root
# then, as on this machine kind and in CI).
system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

.venv/.installed: pyproject.toml dev/pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]' -e ./dev
	touch $@

# The Supabase CLI from npm, pinned; the npm package ships the binary.
.tools/.installed:
	mkdir -p .tools
	cd .tools && npm install --no-audit --no-fund --silent supabase@$(SUPABASE_CLI_VERSION)
	touch $@

# Only the JSON file of the npm package (npm pack: none of its code is installed or run).
$(FREEE_OPENAPI):
	mkdir -p $(@D)
	cd $(@D) && npm pack --silent freee-mcp@$(FREEE_MCP_VERSION) >/dev/null \
	  && tar xzf freee-mcp-$(FREEE_MCP_VERSION).tgz package/dist/openapi/minimal/accounting.json \
	  && mv package/dist/openapi/minimal/accounting.json accounting.json \
	  && rm -rf package freee-mcp-$(FREEE_MCP_VERSION).tgz

demo: system-deps install
	$(PY) -m supajobs_dev.demo

lint: system-deps install
	.venv/bin/ruff check .
	.venv/bin/mypy
	.venv/bin/lint-imports

pytest: system-deps install
	.venv/bin/pytest -q -p no:cacheprovider --cov --cov-report=term --cov-fail-under=85 tests

test: lint pytest

# Side by side with pgqueuer and procrastinate (docs/benchmarks.md); BENCH_QUICK=1 for ~90 s.
bench: system-deps install
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) benchmarks/compare.py

# The claim+complete functions against a bare SKIP LOCKED loop (docs/benchmarks.md, part 2).
bench-queue: system-deps install
	$(PY) benchmarks/queue_throughput.py

# Throughput of 4 workers under rate limits, as a share of the limit (docs/benchmarks.md, ~50 s).
bench-limits: system-deps install
	$(PY) benchmarks/rate_limits.py

# receipts.search_receipts on 100,000 receipts, every combination of keys (docs/benchmarks.md).
bench-search: system-deps install
	$(PY) benchmarks/receipt_search.py

# The receipt-to-freee-deal matcher on its tuning and held-out corpus (docs/freee.md).
bench-matching: install
	$(PY) benchmarks/matching_accuracy.py

# Receipts read per minute against Tesseract alone on the same images, on every core
# (docs/benchmarks.md, part 4); BENCH_QUICK=1 skips the old sequential way (~1 min instead of ~3).
bench-receipts: system-deps install
	$(PY) benchmarks/receipt_reading.py

# Field accuracy of the reader on the generated corpus, tuning and held-out parts side by side
# (BENCH_TUNE_COUNT / BENCH_HELDOUT_COUNT receipts, 120 each); exit 1 below the held-out targets.
bench-accuracy: system-deps install
	$(PY) benchmarks/reading_accuracy.py

# 10,000 jobs, 3 webhook workers, SIGKILLs, a PostgreSQL restart, lossy relay (docs/reliability.md).
chaos: system-deps install
	SUPAJOBS_CHAOS=full .venv/bin/pytest -q -p no:cacheprovider -m chaos tests/chaos -s

# 10,000 jobs/min for 5 minutes through the webhook path (SUPAJOBS_LOAD=short: 60 s).
load: system-deps install
	SUPAJOBS_LOAD=$${SUPAJOBS_LOAD:-1} .venv/bin/pytest -q -p no:cacheprovider -m load tests/load -s

schema-doc: install
	$(PY) tests/support/schema_doc.py

# The squashed baseline migrations from supabase/schemas and supabase/data (docs/sql-changes.md);
# `make sql-baseline ARGS=--check` fails if the committed ones differ.
sql-baseline: install
	$(PY) tests/support/sql_baseline.py $(ARGS)

clean:
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache .coverage
