# fogwatch task runner: the same commands locally and in .ci/run.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= fogwatch.db

.PHONY: install run test lint bench bench-memory fuzz audit clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
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

# Known vulnerabilities in requirements.lock (pip-audit, pinned in the script; needs PyPI).
audit:
	scripts/audit.sh requirements.lock

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
