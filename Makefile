# Two commands for a new user: `make generate` and `make test`.
# Each sets up .venv by itself (pinned by constraints.txt).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: generate check test test-slow lint bench update-models clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

generate: $(STAMP)
	$(PY) -m codegen generate

check: $(STAMP)
	$(PY) -m codegen check

test: $(STAMP)
	$(PY) -m pytest -q -n auto

test-slow: $(STAMP)
	$(PY) -m pytest -q -m slow

lint: $(STAMP)
	$(PY) -m ruff check codegen tests generated bench
	$(PY) -m mypy codegen generated

bench: $(STAMP)
	$(PY) -m bench

update-models: $(STAMP)
	$(PY) -m codegen update-models

clean:
	rm -rf $(VENV) .cache .mypy_cache .ruff_cache
