# Two commands on a fresh machine: `make review` (the desk on samples/) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: review test compile lint typecheck check-samples bench samples clean

PARSER := $(addprefix mediameta/captions/,catalogue.py credit.py dates.py gazetteer.py parse.py places.py)
COMPILED := $(VENV)/.parser-compiled

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The caption parser compiled with mypyc (about 1.5x faster; never fails: without a C compiler it
# stays pure Python). Rebuilt when its sources change; a stale build is never used (see
# mediameta/captions/__init__.py).
$(COMPILED): $(STAMP) $(PARSER)
	$(BIN)/python -m mediameta.captions._compile
	touch $(COMPILED)

compile: $(COMPILED)

review: $(COMPILED)
	$(BIN)/mediameta review samples/

test: $(COMPILED)
	$(BIN)/python -m pytest -n auto -q
	MEDIAMETA_PURE_PYTHON=1 $(BIN)/python -m pytest -n auto -q tests/test_parse_*.py tests/test_extract_golden.py

lint: $(STAMP)
	$(BIN)/ruff check mediameta tests bench samples
	$(BIN)/ruff format --check mediameta tests bench samples

typecheck: $(STAMP)
	$(BIN)/mypy

check-samples: $(COMPILED)
	$(BIN)/mediameta check samples/

samples: $(STAMP)
	$(BIN)/python samples/make_samples.py

bench: $(COMPILED)
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/parse_accuracy.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	$(PYTHON) -c "import sys; sys.path.insert(0, '.'); from mediameta.captions._compile import remove_build; remove_build()" || true
