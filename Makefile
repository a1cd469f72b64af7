# The two entry points a newcomer needs (see README.md):
#   make lab   set everything up and open JupyterLab on the bundled data (offline)
#   make test  set everything up and run every test
# Each step leaves a stamp in .cache/stamps, so a second run skips what is done and up to date.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
STAMPS := .cache/stamps
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
# The UI tests and browser_check use Debian's Chromium; Playwright's own download cannot work here.
export CHROMIUM ?= /usr/lib/chromium/chromium

JS_SOURCES := $(shell find extension kernel-helpers/src kernel-helpers/bin kernel-helpers/assembly kernel-helpers/scripts style schema -type f 2>/dev/null) \
	package.json tsconfig.json kernel-helpers/package.json kernel-helpers/tsconfig.json

.PHONY: help setup lab test chromium clean release

help:
	@echo "make lab    set up and open JupyterLab with opendata-lab on the bundled data"
	@echo "make test   set up and run lint, typecheck, jest, notebooks, python and UI tests"
	@echo "make setup  only set up (venv, npm install, build, extension, tslab kernel)"
	@echo "make release  build the wheel, the sdist and the helpers' npm tarball into dist/"

$(STAMPS):
	@mkdir -p $@

$(STAMPS)/venv: requirements-dev.txt | $(STAMPS)
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

$(STAMPS)/npm: package.json package-lock.json kernel-helpers/package.json | $(STAMPS)
	npm ci --no-audit --no-fund
	@touch $@

$(STAMPS)/build: $(STAMPS)/npm $(STAMPS)/venv $(JS_SOURCES)
	npm run build
	@touch $@

# pip install -e also installs the server extension's config (jupyter-config/ → etc/jupyter).
$(STAMPS)/extension: $(STAMPS)/build pyproject.toml $(wildcard opendata_lab/*.py) $(wildcard jupyter-config/*/*.json)
	$(VENV)/bin/python -m pip install --quiet --no-build-isolation --no-deps -e .
	jupyter builder develop --overwrite .
	@touch $@

$(STAMPS)/kernel: $(STAMPS)/npm $(STAMPS)/venv scripts/install-kernel.mjs
	node scripts/install-kernel.mjs $(VENV)
	@touch $@

setup: $(STAMPS)/extension $(STAMPS)/kernel

# Root (containers, CI machines) must say so explicitly to Jupyter.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: setup
	jupyter lab --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/notebooks/01-zmumu-mass.ipynb $(ALLOW_ROOT)

chromium:
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium for the UI tests"; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) bash -c "apt-get update -qq && apt-get install -y --no-install-recommends chromium"; }

test: setup chromium
	bash scripts/test-all.sh

# The wheel (production labextension), the sdist and the helpers' npm tarball, into dist/
# (scripts/release.mjs builds them from a staged copy: the development labextension stays).
release: $(STAMPS)/npm $(STAMPS)/venv
	node scripts/release.mjs

clean:
	npm run clean
	rm -rf $(STAMPS) build
