# Two commands do everything: `make video` and `make test`.
# Each first runs scripts/setup.sh, which installs what is missing and is quick otherwise.
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: setup setup-test test test-fast video lint bench clean

setup:
	@bash scripts/setup.sh

setup-test:
	@bash scripts/setup.sh --test

test: setup-test
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: setup-test
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

video: setup
	$(PY) -m gdviz.parallel scenes/descent.py -q h

lint: setup
	$(VENV)/bin/ruff check gdmath gdviz scenes tests benchmarks

bench: setup
	$(PY) benchmarks/loss_surface.py
	$(PY) benchmarks/render_speed.py

clean:
	rm -rf media/videos media/images media/Tex media/texts media/partial*
