# The two commands: `make run` and `make test` (see README).
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
HOST ?= 127.0.0.1
DEMO ?= 1
BIN := $(VENV)/bin
PY := $(BIN)/python


.PHONY: run test serve install install-dev lock lint messages ci clean

# DEMO=0: the office set-up (learning/settings/office.py): a secret key kept in
# .env, DEBUG off, gunicorn on HOST:PORT, the first coordinator's account.
OFFICE := DJANGO_SETTINGS_MODULE=learning.settings.office

run: install
ifeq ($(DEMO),0)
	$(PY) -m learning.office secret-key
	$(OFFICE) $(PY) manage.py migrate --noinput
	$(OFFICE) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(OFFICE) $(PY) manage.py prepare_site
	$(OFFICE) HOST=$(HOST) PORT=$(PORT) PY=$(PY) BIN=$(BIN) sh bin/serve office
else
	$(PY) manage.py migrate --noinput
	$(PY) manage.py prepare_site --demo
	PORT=$(PORT) PY=$(PY) BIN=$(BIN) sh bin/serve
endif

# One pytest-xdist worker per core (TEST_WORKERS=0 runs in this process alone).
# Tests go out in pytest-django's order (tests that commit and empty the tables
# last), never grouped by file: a file's committing tests would empty the
# database under the next file's tests on the same worker.
TEST_WORKERS ?= auto
test: install-dev
	$(BIN)/pytest --ds learning.settings.test -m "not browser and not services and not fuzz" \
	  -n $(TEST_WORKERS) $(PYTEST_ARGS)

$(PY):
	@$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || { \
	  echo "Python's venv module is missing. Install it with:"; \
	  echo "  sudo apt-get install python$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(PY)
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.lock
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Recompile both lock files after changing pyproject.toml's pins.
lock: install-dev
	$(BIN)/pip-compile --quiet --no-emit-index-url --no-emit-find-links --strip-extras \
	  --output-file requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --no-emit-index-url --no-emit-find-links --strip-extras \
	  --extra dev --output-file requirements-dev.lock pyproject.toml

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Needs GNU gettext (apt-get install gettext); the compiled .mo files are committed.
messages: install-dev
	$(PY) manage.py makemessages --locale en --no-location --no-obsolete --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --locale en --locale id --ignore '.venv/*'

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var staticfiles
