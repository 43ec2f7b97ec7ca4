"""Every migration step's name fits the `schema_migrations.name` column (200 characters):
PostgreSQL refuses a longer one where SQLite would keep it."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("service", ["intake", "assignment", "contact", "letters", "reporting"])
def test_every_migration_name_fits_its_column(service: str) -> None:
    steps = importlib.import_module(f"services.{service}.migrations").MIGRATIONS
    assert [m.version for m in steps if len(m.name) > 200] == []
