# PaidUp developer tasks.
#
#   make run       start the app (default SQLite books in the user data folder)
#   make test      system packages + venv, then every test tier (scripts/run-tests.sh)
#   make lint      ruff + import-linter + no import circles + mypy
#   make bench     benchmarks
#   make messages  extract the window's texts and update every window.po (pybabel)
#   make stress    the window tests three times in a row with both cores busy (stress-ng)
#   make package   the installer for this system, in dist/ (installers/make_installer.py)
#   make deps      Debian packages the window and the tests need (installs as root, else
#                  names them); make window-deps: the window's only (make run)
#   make clean     build outputs and caches;  make distclean  also the venv
#
# PYTEST_ARGS="-x -k invoice" make test   passes arguments to every pytest tier.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
LINT_DIRS := $(wildcard desktop_app tests benchmarks installers)

# Steps depend on each other's side effects (deps before the venv, for python3-venv).
.NOTPARALLEL:
.PHONY: venv deps window-deps run test lint bench stress package clean distclean messages

venv: $(STAMP)

$(STAMP): requirements/lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

deps:
	scripts/install-system-deps.sh

window-deps:
	scripts/install-system-deps.sh --window

run: window-deps venv
	$(BIN)/paidup

test: deps venv
	scripts/run-tests.sh $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check $(LINT_DIRS)
	$(BIN)/lint-imports
	$(BIN)/python scripts/no_import_circles.py
	$(BIN)/mypy

messages: venv
	$(BIN)/python scripts/messages.py

bench: deps venv
	$(BIN)/python -m benchmarks

stress: deps venv
	scripts/stress-window-tests.sh

# On Linux the bundle needs Debian packages too (objdump, X11 libraries); macOS has its own.
package: $(if $(filter Linux,$(shell uname -s)),deps) venv
	$(BIN)/python installers/make_installer.py

clean:
	rm -rf build dist .pytest_cache .ruff_cache .hypothesis .import_linter_cache .mypy_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
