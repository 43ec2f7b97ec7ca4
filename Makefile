# The interface to the project: every target does its own set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The packages `make lint` holds to mypy --strict (append yours: MYPY_STRICT += services/x).
MYPY_STRICT := shared

.PHONY: install run test test-postgres lint format events keys bench bench-quick clean letter-samples rebuild-reports lock dead-letters purge-preview purges backup restore backup-recordings

# The versions come from the lock files (requirements-dev.lock here, requirements.lock in
# the image); the project itself is installed on top without resolving anything again.
$(STAMP): pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## The virtual environment, and the letters' font for rare characters (deploy/ensure_fonts.sh;
## without root or sudo it warns and letters naming such characters are refused).
install: $(STAMP)
	@bash deploy/ensure_fonts.sh >/dev/null || [ $$? -eq 3 ]

## Pin every dependency again after changing pyproject.toml (any platform, Python 3.11+).
lock: install
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --extra dev \
	  -c requirements.lock -o requirements-dev.lock

## Start the broker and the five services on SQLite under var/ (Ctrl-C stops everything).
run: install
	$(BIN)/python -m deploy.run_local

## Rebuild reporting's read models from offset zero on the running platform (make run).
rebuild-reports: install
	$(BIN)/python -m services.reporting.rebuild_cli

## List every service's waiting dead letters on the running platform (STATUS=all for all).
dead-letters: install
	$(BIN)/python -m deploy.dead_letters_cli

## The 5-year purge's dry run for CLIENT=<id>, per service (nothing changes).
purge-preview: install
	$(BIN)/python -m deploy.purges_cli preview

## Every service's purge runs (CLIENT=<id> for one client's).
purges: install
	$(BIN)/python -m deploy.purges_cli runs

## One consistent backup of every database and file store into BACKUP_DIR (backups/).
backup: install
	$(BIN)/python -m deploy.backup backup

## Restore FROM=<backup folder> into an empty platform (APPROVAL_TOKEN of HQ, APPROVAL_REASON).
restore: install
	FROM="$(FROM)" $(BIN)/python -m deploy.backup restore

## One backup round of recordings for every branch with a custodian (CONTACT_* settings).
backup-recordings: install
	$(BIN)/python -m services.contact.custody.cli

## Unit, integration and end-to-end tests on SQLite and the local broker.
test: install
	$(BIN)/python -m pytest -q

## Every database-touching test again, on a PostgreSQL server the tests start on loopback.
test-postgres: install
	bash deploy/ensure_postgres.sh >/dev/null
	TEST_POSTGRES=1 $(BIN)/python -m pytest -q tests/integration tests/intake tests/assignment tests/contact tests/letters tests/reporting tests/security tests/e2e tests/faults

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict $(MYPY_STRICT)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## A rendered sample of each letter type (PDF + PNG of its first page) under docs/letters.
letter-samples: install
	$(BIN)/python -m services.letters.rendering.samples --out docs/letters

## Make the token key pairs (staff: assignment; banks: intake) for docker compose (deploy/keys/, not in git).
keys: install
	$(BIN)/python -m deploy.make_keys --out deploy/keys

## Regenerate the event catalogue (JSON Schema per event + AsyncAPI) under docs/events.
events: install
	$(BIN)/python -m shared.events.schema --out docs/events

## The whole pipeline (BENCH_CASES, 100k), each consumer alone, intake alone; figures in bench/results (bench-quick: 20k).
bench: install
	$(BIN)/python -m bench

bench-quick: install
	$(BIN)/python -m bench --quick

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
