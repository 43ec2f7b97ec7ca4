"""The blacklist's secret as a file (a docker secret), made once by `make keys`."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.make_keys import BLACKLIST_KEY_FILE, make_keys
from services.assignment.settings import DEV_BLACKLIST_KEY, AssignmentSettings


def _production(tmp_path: Path, **values: object) -> AssignmentSettings:
    return AssignmentSettings(
        environment="production",
        data_dir=tmp_path,
        **values,  # type: ignore[arg-type]
    )


def test_make_keys_makes_the_blacklist_secret_once_and_keeps_it(tmp_path: Path) -> None:
    make_keys(tmp_path)
    first = (tmp_path / BLACKLIST_KEY_FILE).read_text(encoding="utf-8")
    make_keys(tmp_path)
    assert (tmp_path / BLACKLIST_KEY_FILE).read_text(encoding="utf-8") == first
    assert len(first.strip()) >= 40
    assert (tmp_path / BLACKLIST_KEY_FILE).stat().st_mode & 0o077 == 0


def test_the_secret_is_read_from_its_file(tmp_path: Path) -> None:
    make_keys(tmp_path)
    path = tmp_path / BLACKLIST_KEY_FILE
    settings = _production(tmp_path, blacklist_key_file=path)
    assert settings.blacklist_secret() == path.read_text(encoding="utf-8").strip().encode()


@pytest.mark.parametrize("content", ["", f"{DEV_BLACKLIST_KEY}\n"])
def test_production_refuses_an_empty_or_default_secret_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "blacklist-key"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuntimeError, match="BLACKLIST_KEY"):
        _production(tmp_path, blacklist_key_file=path).blacklist_secret()
