# wijkkit: twee commando's / two commands
#   make demo   installeer alles en open het kenniskring-dashboard op het demoproject
#   make test   installeer alles en draai de tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8866
STAMP  := $(VENV)/.installed

.PHONY: demo test install notebooks bench server clean

# Quiet and Dutch: pip says only what goes wrong (-qq), and setuptools' English notes on an editable install are
# Python warnings (PYTHONWARNINGS=ignore for the install only).
QUIET_PIP := PYTHONWARNINGS=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip install -qq

# The name model (deduce's lookup structures, about 90 s of CPU) is built from the source tree while pip installs
# the rest: deduce goes in first, and on two cores the two overlap. The recipe waits for both and fails if either does.

$(STAMP): pyproject.toml constraints.txt
	@echo "wijkkit installeren in $(VENV) (eenmalig; een paar minuten)…"
	@$(PYTHON) -m venv $(VENV)
	@$(QUIET_PIP) --upgrade pip
	@$(QUIET_PIP) -c constraints.txt deduce
	@PYTHONPATH=. $(BIN)/python -m wijkkit.privacy.model & model=$$!; \
	  $(QUIET_PIP) -c constraints.txt -e ".[test]"; pip=$$?; wait $$model && exit $$pip
	@touch $(STAMP)

install: $(STAMP)

notebooks: $(STAMP)
	$(BIN)/jupytext --sync notebooks/*.py >/dev/null

demo: $(STAMP)
	@$(BIN)/wijkkit tellen cijfers --project .
	@$(BIN)/wijkkit vertellen importeer stories --project . --alleen-nieuw --door demo
	@$(BIN)/wijkkit demo codering --project .
	@$(BIN)/wijkkit schouw importeer data/schouw/lindehoven-schouw-2023-odk-central.csv --project . --door demo
	@$(BIN)/wijkkit schouw importeer data/schouw/lindehoven-schouw-2024-kobotoolbox.csv --project . --door demo
	@$(BIN)/wijkkit kenniskring dashboard --project . --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# De teamserver uitproberen op het demoproject (als root): http://127.0.0.1:$(SERVER_POORT)
SERVER_POORT ?= 8000
SERVER_MAP   ?= /srv/wijkkit-demo
RUNTIME      ?= /opt/wijkkit
server: $(STAMP)
	$(BIN)/python -m wijkkit.server.proef --poort $(SERVER_POORT) --map $(SERVER_MAP) --runtime $(RUNTIME)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_tellen.py
	$(BIN)/python benchmarks/bench_tagger.py
	$(BIN)/python benchmarks/bench_malformed.py
	$(BIN)/python benchmarks/bench_dashboard.py
	$(BIN)/python benchmarks/bench_kenniskring_load.py
	$(BIN)/python benchmarks/bench_server.py

clean:
	rm -rf $(VENV) .wijkkit-cache .pytest_cache
