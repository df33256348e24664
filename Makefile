# The handbook and its linter: two commands do everything.
#
#   make          set up, lint, build the web site (HTML) and the A4 and Letter PDFs
#   make test     set up, then run the test suite (it builds HTML and PDF itself)
#
# `make help` lists the other targets. Each one is quick when nothing changed.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

# A plain `make` runs its independent steps two at a time (the HTML site alongside the
# PDF route), with each step's output kept together. Other goals run one step at a time
# unless you give -j yourself (`make clean all` must not clean while it builds).
ifeq ($(filter-out all,$(or $(MAKECMDGOALS),all)),)
MAKEFLAGS += -j2 --output-sync=target
LINT_FIRST   := lint
SINGLE_FIRST  = $(BUILDDIR)/singlehtml/index.html
endif

PYTHON    ?= python3
VENV      ?= .venv
BIN       := $(VENV)/bin
SOURCEDIR ?= docs
CONFDIR   ?= docs
BUILDDIR  ?= $(SOURCEDIR)/_build
PDFDIR    := $(BUILDDIR)/pdf
PAPER     ?=
CLINIC    ?=

SETUP_STAMP := $(VENV)/.handbook-setup
NODE_STAMP  := node_modules/.handbook-setup

# Same sources, same bytes: date the edition by the last commit unless told otherwise.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif

# Everything a build reads: the sources, the theme files, the linter (its Sphinx
# extension runs during the build) and the build tools.
DOC_INPUTS := $(shell find $(SOURCEDIR) -path '$(BUILDDIR)' -prune -o -path '*/_build' -prune -o -type f -print 2>/dev/null) \
              $(CONFDIR)/conf.py $(shell find $(addprefix $(CONFDIR)/,_static _templates _ext) -type f -not -name '*.pyc' 2>/dev/null) \
              $(shell find src/handbook_lint styles -type f -not -name '*.pyc' 2>/dev/null) \
              .vale.ini pyproject.toml
DOC_INPUTS := $(sort $(wildcard $(DOC_INPUTS)))
PDF_TOOLS  := tools/build_pdf.py tools/assemble.py tools/clinic.py $(CONFDIR)/_static/print.css

# PDF editions: `make pdf` (and `make`) builds A4 and Letter; PAPER=a4|letter|large-print
# builds one; `make pdf-all` builds all three.
PDF_NAME_a4          := handbook.pdf
PDF_NAME_letter      := handbook-letter.pdf
PDF_NAME_large-print := handbook-large-print.pdf
ifneq ($(filter pdf-all,$(MAKECMDGOALS)),)
ifneq ($(PAPER),)
$(error pdf-all builds every edition; leave out PAPER="$(PAPER)")
endif
EDITIONS := a4 letter large-print
else ifeq ($(PAPER),)
EDITIONS := a4 letter
else ifneq ($(filter $(PAPER),a4 letter large-print),)
EDITIONS := $(PAPER)
else
$(error PAPER must be a4, letter or large-print, not "$(PAPER)")
endif
# A clinic edition goes to its own folder, named after the TOML file, and is always
# rebuilt (its logo may have changed).
ifneq ($(CLINIC),)
OUTDIR := $(PDFDIR)/$(basename $(notdir $(CLINIC)))
CLINIC_ARG := --clinic $(CLINIC)
CLINIC_DEP := FORCE
else
OUTDIR := $(PDFDIR)
endif
PDFS := $(foreach e,$(EDITIONS),$(OUTDIR)/$(PDF_NAME_$(e)))
# The editions the web site's home page offers: those `make` (or `make pdf-all`) builds.
# The list is kept in a file, rewritten only when it changes, so that changing it
# rebuilds the site and nothing else does.
HTML_EDITIONS := $(if $(filter pdf-all,$(MAKECMDGOALS)),a4 letter large-print,a4 letter)
EDITIONS_FILE := $(BUILDDIR)/pdf-editions.txt

# Debian packages the builds and tests need (WeasyPrint: Pango and fonts; spelling:
# aspell; PDF checks: poppler-utils; accessibility test: Chromium and Node.js).
DEBIAN_PACKAGES := ca-certificates python3-venv python3-pip git libpango-1.0-0 libpangoft2-1.0-0 \
                   fonts-open-sans fonts-dejavu-core aspell aspell-en poppler-utils \
                   chromium nodejs

.PHONY: all setup debian lint vale spelling html singlehtml pdf pdf-all test bench clean help FORCE

## all: the default: set up, lint, then build the HTML site and the A4 and Letter PDFs
all: setup lint pdf html
	@if [ -z "$(CLINIC)" ]; then mkdir -p $(BUILDDIR)/html/pdf && cp $(PDFS) $(BUILDDIR)/html/pdf/; fi
	@echo
	@echo "Web site: $(BUILDDIR)/html/index.html"
	@for f in $(PDFS); do echo "PDF:      $$f"; done

## setup: create .venv, install the package and its tools, and the Debian packages
setup: $(SETUP_STAMP) $(if $(wildcard package.json),$(NODE_STAMP))

$(SETUP_STAMP): pyproject.toml | debian
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[docs,test,dev]'
	@touch $@

# Debian 12 ships Node.js 18; playwright-core (the accessibility test) needs 20 or newer.
# Where the system's is older, setup installs Node.js from the npm registry (the `node`
# package) into .venv/node and links it as .venv/bin/node; `make test` puts .venv/bin
# first on PATH.
NODE_MIN := 20
NODE_PIN := 20.19.5
$(NODE_STAMP): package.json $(wildcard package-lock.json) | debian $(SETUP_STAMP)
	@if ! PATH="$(abspath $(BIN)):$$PATH" node -e 'process.exit(+process.versions.node.split(".")[0] >= $(NODE_MIN) ? 0 : 1)' 2>/dev/null; then \
	  echo "setup: Node.js $$(node --version 2>/dev/null || echo '(none)') is older than $(NODE_MIN); installing Node.js $(NODE_PIN) from the npm registry into $(VENV)/node"; \
	  npm install --no-save --no-audit --no-fund --loglevel=error --prefix $(VENV)/node node@$(NODE_PIN); \
	  ln -sf ../node/node_modules/.bin/node $(BIN)/node; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Installs what is missing when run as root, else prints the one command to run.
debian:
	@if ! command -v dpkg-query >/dev/null; then \
	  echo "setup: not a Debian system; install these (or their equivalents) yourself: $(DEBIAN_PACKAGES)"; \
	  exit 0; fi; \
	missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if ! command -v npm >/dev/null; then missing="$$missing npm"; fi; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "setup: installing Debian packages:$$missing"; \
	  apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "setup: missing Debian packages. Run this, then run make again:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$$missing"; \
	  exit 1; \
	fi

## lint: check the handbook's Markdown with handbook-lint
# The absolute path: the Sphinx builds lint the same files by absolute path during the
# build, and then find them in handbook-lint's cache instead of linting them again.
lint: setup
	$(BIN)/handbook-lint $(abspath $(SOURCEDIR))

## vale: run the real Vale with .vale.ini (skipped, with a note, where it cannot be had)
vale: setup
	@$(BIN)/python tools/run_vale.py $(SOURCEDIR)

## spelling: check the spelling of the built text with aspell (wordlist: docs/spelling_wordlist.txt)
spelling: setup $(BUILDDIR)/singlehtml/index.html
	@mkdir -p $(BUILDDIR)/spelling
	@sed -e 's|docs/_build/|$(BUILDDIR)/|' .pyspelling.yml > $(BUILDDIR)/spelling/pyspelling.yml
	$(BIN)/pyspelling --config $(BUILDDIR)/spelling/pyspelling.yml

## html: build the web site into docs/_build/html (any warning fails the build)
html: setup $(BUILDDIR)/html/index.html
	@echo "Web site: $(BUILDDIR)/html/index.html"

# Both Sphinx builds share one doctree folder: whichever runs second does not read the
# sources again. In a plain `make`, lint runs first (the builds then find their lint
# results in its cache), then the singlehtml build that the PDFs wait for, then the
# HTML build, alongside the PDFs.
$(BUILDDIR)/html/index.html: $(DOC_INPUTS) tools/sphinx_build.py $(EDITIONS_FILE) | $(LINT_FIRST) $(SINGLE_FIRST)
	$(BIN)/python tools/sphinx_build.py html $(SOURCEDIR) $(BUILDDIR)/html \
	  --conf $(CONFDIR) --doctrees $(BUILDDIR)/doctrees --downloads $(PDFDIR) \
	  -- -A pdf_editions="$(HTML_EDITIONS)"

$(EDITIONS_FILE): FORCE
	@mkdir -p $(@D)
	@echo "$(HTML_EDITIONS)" | cmp -s - $@ || echo "$(HTML_EDITIONS)" > $@

singlehtml: setup $(BUILDDIR)/singlehtml/index.html

# The one-page build the PDF is made from; if it fails, no PDF is left either.
$(BUILDDIR)/singlehtml/index.html: $(DOC_INPUTS) tools/sphinx_build.py | $(LINT_FIRST)
	$(BIN)/python tools/sphinx_build.py singlehtml $(SOURCEDIR) $(BUILDDIR)/singlehtml \
	  --conf $(CONFDIR) --doctrees $(BUILDDIR)/doctrees -- -t print \
	  || { rm -f $(PDFS); exit 1; }

## pdf: build the A4 and Letter PDFs into docs/_build/pdf (PAPER=a4|letter|large-print for one; CLINIC=clinic.toml)
pdf: setup $(PDFS)
	@if [ -z "$(CLINIC)" ] && [ -d $(BUILDDIR)/html ]; then \
	  mkdir -p $(BUILDDIR)/html/pdf && cp $(PDFS) $(BUILDDIR)/html/pdf/; fi
	@for f in $(PDFS); do echo "PDF: $$f"; done

## pdf-all: build every PDF edition: A4, Letter and large print (CLINIC=clinic.toml too), and the site that offers them
pdf-all: pdf $(if $(CLINIC),,html)
	@if [ -z "$(CLINIC)" ]; then mkdir -p $(BUILDDIR)/html/pdf && cp $(PDFS) $(BUILDDIR)/html/pdf/; fi

# One run of build_pdf.py writes all the editions asked for (a grouped target): it
# assembles the print document once and lays the editions out in parallel processes.
$(PDFS) &: $(BUILDDIR)/singlehtml/index.html $(PDF_TOOLS) $(CLINIC) $(CLINIC_DEP)
	$(BIN)/python tools/build_pdf.py $(BUILDDIR)/singlehtml \
	  $(foreach e,$(EDITIONS),--edition $(e)=$(OUTDIR)/$(PDF_NAME_$(e))) $(CLINIC_ARG)

## test: set up, then run the test suite (it builds the handbook into a temporary folder)
# The tests' folders live outside the repository: a test's tmp_path inside it would be
# linted with this repository's pyproject.toml settings.
TEST_TMP ?= $(or $(TMPDIR),/tmp)/handbook-tests-$(shell id -u)
test: setup
	@mkdir -p $(BUILDDIR)
	@rc=0; PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest --basetemp=$(TEST_TMP) \
	  --junitxml=$(BUILDDIR)/test-results.xml $(PYTEST_ARGS) || rc=$$?; \
	echo; \
	echo "Test report: $(BUILDDIR)/test-results.xml"; \
	echo "Test builds: $(TEST_TMP)/ (HTML and PDF of the handbook, fixture projects)"; \
	if [ $$rc = 5 ]; then echo "test: pytest collected no tests; that is a failure"; fi; \
	exit $$rc

## bench: time handbook-lint against proselint and textlint, and the builds (BENCH_ARGS="--sizes 10000 --repeat 1")
bench: setup
	@$(BIN)/python -c 'import proselint' 2>/dev/null || \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

## clean: remove everything the builds made (keeps .venv and node_modules)
clean:
	rm -rf $(BUILDDIR) .pytest_cache .handbook-lint-cache

## help: list the targets
help:
	@echo "Usage: make [target] [PAPER=a4|letter|large-print] [CLINIC=path/to/clinic.toml]"
	@echo
	@sed -n 's/^## \([a-z-]*\): \(.*\)/  \1\t\2/p' $(MAKEFILE_LIST) | expand -t 14

FORCE:
