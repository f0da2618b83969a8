# fogwatch task runner: the same commands locally and in .ci/run.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= fogwatch.db

.PHONY: install run test lint bench bench-memory fuzz audit clean

# Hash-checked install: every file must match a sha256 in requirements.lock (scripts/lock.sh
# writes it), nothing is resolved (--no-deps: the lock names every package), and fogwatch
# itself is built with the locked setuptools (--no-build-isolation: no unpinned build deps).
# The lock's pip goes first, on its own, and then installs the rest.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	awk '/^[^ #]/ { keep = /^pip==/ } keep' requirements.lock > $(VENV)/pip.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(VENV)/pip.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

SAMPLES := samples/txt samples/jsonl samples/csv samples/html samples/feeds samples/warc
HOST ?= 127.0.0.1
PORT ?= 8000

# Ingest the bundled samples (exit 1 = some input failed: reported, not fatal), print the summary, serve the UI.
run: $(STAMP)
	rc=0; $(BIN)/fogwatch --db $(DB) ingest --no-progress $(SAMPLES) || rc=$$?; test $$rc -le 1
	$(BIN)/fogwatch --db $(DB) stats --format table --limit 12
	@echo "serving http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/fogwatch --db $(DB) serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Speed against the plain spaCy pipeline, dev F1 of the full and fast parse, --jobs 1 vs 2.
# BENCH_ARGS="--articles 500" for a bigger corpus; see bench/run.py --help.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Peak memory of streaming ingest at 5,000 and 50,000 articles (long; not part of `make test`).
bench-memory: $(STAMP)
	$(BIN)/python bench/run.py --memory 5000,50000

lint: $(STAMP)
	$(BIN)/ruff check src tests

# The fuzz tests with ~25x the examples of `make test` (tests/test_fuzz_support.py profiles).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -q tests/test_fuzz_readers.py tests/test_fuzz_extract.py

# Known vulnerabilities in requirements.lock: offline against the vendored advisory snapshot
# (security/advisories.json; also a test in `make test`), then live with pip-audit where
# PyPI's per-version JSON API answers (skipped with a note where it does not).
audit: $(STAMP)
	$(BIN)/python scripts/audit_offline.py
	AUDIT_IF_REACHABLE=1 PYTHON=$(BIN)/python scripts/audit.sh requirements.lock --strict

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
