"""The recordings' scheduled backup: a dated copy with a manifest every interval, none
sooner, and only the newest N kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from services.contact.recordings.scheduled_backup import MANIFEST, back_up, copies
from shared.filestore import TwoCopyStore, sha256_of

START = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def test_recordings_are_backed_up_once_per_interval_and_the_newest_kept(tmp_path: Path) -> None:
    store = TwoCopyStore(tmp_path / "recordings", tmp_path / "backup", "recordings")
    sha, _ = store.store_bytes("case-1", b"RIFF call one" * 100)
    root = tmp_path / "recordings-backups"

    first = back_up(tmp_path / "recordings", root, START, DAY, keep=2)
    assert first is not None
    (line,) = (first / MANIFEST).read_text().splitlines()
    digest, name = line.split("  ")
    assert digest == sha and sha256_of(first / name) == sha
    assert back_up(tmp_path / "recordings", root, START + timedelta(hours=23), DAY, 2) is None

    store.store_bytes("case-2", b"RIFF call two" * 100)
    second = back_up(tmp_path / "recordings", root, START + DAY, DAY, keep=2)
    third = back_up(tmp_path / "recordings", root, START + 2 * DAY, DAY, keep=2)
    assert second is not None and third is not None
    assert copies(root) == [second, third], "only the newest two are kept"
    assert len((third / MANIFEST).read_text().splitlines()) == 2
