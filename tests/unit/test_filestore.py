"""No owner name or file name can steer where a stored file goes; both copies are exact."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from shared.filestore import StoredFileMissing, TwoCopyStore


@pytest.mark.parametrize("client_id", ["../../etc", "..", "a/../../b", "/abs", "C:\\x", "名字"])
def test_hostile_client_ids_stay_inside_the_archive(tmp_path: Path, client_id: str) -> None:
    primary, backup = tmp_path / "primary", tmp_path / "backup"
    content = b"row\n"
    sha = hashlib.sha256(content).hexdigest()
    received = tmp_path / "received.csv"
    received.write_bytes(content)
    paths = TwoCopyStore(primary, backup, "case-files").store_file(client_id, sha, received)
    for path, root in zip(paths, (primary, backup), strict=True):
        assert path.resolve().is_relative_to(root.resolve())
        assert path.read_bytes() == content


def test_both_copies_are_byte_exact(tmp_path: Path) -> None:
    content = "卡号,姓名\nA1,张三\n".encode("gb18030")
    sha = hashlib.sha256(content).hexdigest()
    received = tmp_path / "received.csv"
    received.write_bytes(content)
    first, second = TwoCopyStore(tmp_path / "p", tmp_path / "b", "case-files").store_file(
        "BANK", sha, received
    )
    assert first.read_bytes() == second.read_bytes() == content
    assert first != second


def test_bytes_are_named_by_their_hash_and_a_damaged_first_copy_is_served_from_the_second(
    tmp_path: Path,
) -> None:
    store = TwoCopyStore(tmp_path / "p", tmp_path / "b", "letters")
    sha, (first, _second) = store.store_bytes("client-1", b"%PDF-1.7 letter")
    assert sha == hashlib.sha256(b"%PDF-1.7 letter").hexdigest()
    assert store.verified("client-1", sha) == first
    first.write_bytes(b"tampered")
    assert store.verified("client-1", sha).read_bytes() == b"%PDF-1.7 letter"
    store.verified("client-1", sha).unlink()
    with pytest.raises(StoredFileMissing):
        store.verified("client-1", sha)
