# fogwatch task runner: the same commands locally and in .ci/run.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= fogwatch.db

.PHONY: install run test lint bench fuzz clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/fogwatch --db $(DB) ingest samples/txt samples/jsonl samples/csv samples/html samples/feeds samples/warc
	$(BIN)/fogwatch --db $(DB) stats

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
