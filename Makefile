# Every target works on a fresh machine with Python 3.11: it makes .venv and installs into it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PROFILE ?= cpu
DEVICE ?= auto
SEED ?= 0
SEEDS ?= 0 1 2 3
CHAPTERS ?=
# trained weights and long simulations are cached here, keyed by configuration and code
export EMERGENCE_CACHE_DIR ?= $(CURDIR)/_build/cache

.PHONY: help install book seeds check notebooks test benchmark lint clean

help:
	@echo "make book   execute every chapter (PROFILE=$(PROFILE), DEVICE=$(DEVICE)) and build the HTML book"
	@echo "            one chapter: make book CHAPTERS=convolutions_from_data"
	@echo "make test   run the whole test suite"
	@echo "make seeds  execute the chapters for SEEDS=\"$(SEEDS)\" (same PROFILE, CHAPTERS); robustness table"
	@echo "            for the scorecard (make book afterwards shows it)"
	@echo "make check  check a built book (pages, clean notebooks, widget state, results)"
	@echo "make notebooks  write clean book/<chapter>.ipynb copies (for Colab and Binder)"
	@echo "make benchmark  print throughput figures"
	@echo "make clean  remove .venv and _build"

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -c constraints.txt -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name emergence --display-name "Python (emergence)"
	touch $@

book: install
	$(BIN)/python -m emergence.book.pipeline build --profile "$(PROFILE)" --device "$(DEVICE)" \
		--seed "$(SEED)" $(if $(CHAPTERS),--chapters $(CHAPTERS))

seeds: install
	$(BIN)/python -m emergence.book.pipeline seeds --profile "$(PROFILE)" --device "$(DEVICE)" \
		--seeds $(SEEDS) $(if $(CHAPTERS),--chapters $(CHAPTERS))

notebooks: install
	$(BIN)/python -m emergence.book.pipeline notebooks

check: install
	$(BIN)/python -m emergence.book.pipeline check $(if $(CHAPTERS),--chapters $(CHAPTERS))

test: install $(VENV)/.installed-test
	$(BIN)/python -m pytest

# test-only tools (playwright drives the system's Chromium: apt-get install chromium)
$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -c constraints.txt -e '.[test]'
	touch $@

benchmark: install
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/mirror_throughput.py
	$(BIN)/python benchmarks/lie_throughput.py
	$(BIN)/python benchmarks/machine_speed.py

lint: install
	$(BIN)/python -m pip install -q -c constraints.txt ruff
	$(BIN)/ruff check src tests benchmarks book

clean:
	rm -rf $(VENV) _build
