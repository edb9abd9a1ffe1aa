# Two commands on a fresh machine: `make review` (the desk on samples/) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: review test lint typecheck check-samples bench samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

review: $(STAMP)
	$(BIN)/mediameta review samples/

test: $(STAMP)
	$(BIN)/python -m pytest -n auto -q

lint: $(STAMP)
	$(BIN)/ruff check mediameta tests bench samples
	$(BIN)/ruff format --check mediameta tests bench samples

typecheck: $(STAMP)
	$(BIN)/mypy

check-samples: $(STAMP)
	$(BIN)/mediameta check samples/

samples: $(STAMP)
	$(BIN)/python samples/make_samples.py

bench: $(STAMP)
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/parse_accuracy.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
