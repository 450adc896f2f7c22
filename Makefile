# Two commands on a fresh machine (Python 3.11+ and make): `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful install, so the virtualenv is rebuilt only when
# pyproject.toml changes, not on every run.
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: venv run test lint format migrate seed backup restore messages compilemessages

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

migrate: venv
	$(BIN)/python manage.py migrate --noinput

# Loads the seed and then the world's twin-town record (data/) into an empty database
# only, so a restart never reverts staff edits. SEED_ONLY=1: the seed alone.
seed: migrate
	$(BIN)/python manage.py load_seed $(if $(SEED_ONLY),,--with-world)

# The translations (locale/*/LC_MESSAGES/django.po) compiled to the .mo files Django
# reads. The .mo files are committed too, so a machine without gettext still runs the
# site in every language; with gettext (msgfmt) they are rebuilt from the .po files.
compilemessages: venv
	@if command -v msgfmt >/dev/null; then \
		$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0; \
	else \
		echo "gettext (msgfmt) is not installed: using the committed .mo files."; \
	fi

# After changing a marked string: extract every message into the catalogues (needs
# gettext), then translate the new entries (tests/test_i18n_catalogues.py fails until
# each language has them all, none fuzzy) and run `make compilemessages`.
MESSAGE_SOURCES_IGNORED := --ignore=.venv --ignore=tests --ignore=benchmarks --ignore=fixtures \
	--ignore=static --ignore=staticfiles --ignore=docs --ignore=test-artifacts --ignore=backups
messages: venv
	$(BIN)/python manage.py makemessages --no-obsolete --add-location=file \
		$(MESSAGE_SOURCES_IGNORED) -l en -l zh_Hans -l he

run: seed compilemessages
	@echo
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "To create an admin user, in another terminal run:"
	@echo "    $(BIN)/python manage.py createsuperuser"
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Extra pytest arguments: make test PYTEST_ARGS="-k seed -x"
test: venv
	$(BIN)/pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Every record, its history, users, groups and API tokens, gzipped, to
# backups/twinning-<UTC time>.json.gz (or FILE=...). Keep backups private: they
# hold password hashes and API tokens.
backup: venv
	$(BIN)/python manage.py backup --gzip $(if $(FILE),--output $(FILE),)

# Into an empty database (migrated first): make restore FILE=backups/....json.gz
# A database that already holds records is refused unless FORCE=1.
restore: venv
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/twinning-....json.gz [FORCE=1]"; exit 2; }
	$(BIN)/python manage.py restore $(FILE) $(if $(FORCE),--force,)
