"""No client name or file name can steer where a raw file is stored."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from services.intake.importing.archive import FileArchive


@pytest.mark.parametrize("client_id", ["../../etc", "..", "a/../../b", "/abs", "C:\\x", "名字"])
def test_hostile_client_ids_stay_inside_the_archive(tmp_path: Path, client_id: str) -> None:
    primary, backup = tmp_path / "primary", tmp_path / "backup"
    content = b"row\n"
    sha = hashlib.sha256(content).hexdigest()
    received = tmp_path / "received.csv"
    received.write_bytes(content)
    paths = FileArchive(primary, backup).store_file(client_id, sha, received)
    for path, root in zip(paths, (primary, backup), strict=True):
        assert path.resolve().is_relative_to(root.resolve())
        assert path.read_bytes() == content


def test_both_copies_are_byte_exact(tmp_path: Path) -> None:
    content = "卡号,姓名\nA1,张三\n".encode("gb18030")
    sha = hashlib.sha256(content).hexdigest()
    received = tmp_path / "received.csv"
    received.write_bytes(content)
    first, second = FileArchive(tmp_path / "p", tmp_path / "b").store_file("BANK", sha, received)
    assert first.read_bytes() == second.read_bytes() == content
    assert first != second
