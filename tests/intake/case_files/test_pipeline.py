"""An import cut short by a stopped process carries on when intake starts again,
storing each row once and announcing each new case once."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.intake.case_files import pipeline
from tests.intake.conftest import intake_settings, outbox_types, register_bank, running


class ProcessStopped(BaseException):
    """Stands for the process dying mid-import: nothing below catches it."""


def _file(rows: int, repeat_first_at: int | None = None) -> bytes:
    lines = ["卡号,姓名,欠款总额"]
    lines += [f"R{n:05d},客户{n},{n}.00" for n in range(1, rows + 1)]
    if repeat_first_at is not None:
        lines.insert(repeat_first_at, "R00001,重复,1.00")
    return ("\n".join(lines) + "\n").encode()


def _stop_after_chunks(monkeypatch: pytest.MonkeyPatch, chunks: int) -> None:
    real = pipeline._store_chunk
    calls = {"n": 0}

    def store(runtime: Any, job: Any, chunk: Any) -> None:
        calls["n"] += 1
        if calls["n"] > chunks:
            raise ProcessStopped
        real(runtime, job, chunk)

    monkeypatch.setattr(pipeline, "_store_chunk", store)


def _batch(client: Any, bank: dict[str, str], batch_id: str, state: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        batch = client.get(f"/clients/BANK-R/case-files/{batch_id}", headers=bank).json()
        if batch["state"] == state or time.monotonic() > deadline:
            return batch
        time.sleep(0.1)


@pytest.mark.parametrize("all_or_nothing", [False, True])
def test_an_interrupted_import_resumes_at_start_up(
    database_url: str,
    tmp_path: Path,
    key_dir: Path,
    signing_key: Ed25519PrivateKey,
    admin: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    all_or_nothing: bool,
) -> None:
    settings = intake_settings(database_url, tmp_path, key_dir)
    # all-or-nothing imports only a clean file; the partial mode also gets a repeated row
    content = _file(2_500, repeat_first_at=None if all_or_nothing else 2_200)

    for client in running(settings):
        bank = register_bank(client, admin, "BANK-R")
        monkeypatch.setattr(pipeline, "run", lambda runtime, job: None)  # received, not run
        posted = client.post(
            "/clients/BANK-R/case-files",
            files={"file": ("big.csv", content, "text/csv")},
            data={"all_or_nothing": "true"} if all_or_nothing else {},
            headers=bank,
        )
        assert posted.status_code in (201, 202), posted.text
        batch_id = posted.json()["id"]
        monkeypatch.undo()
        _stop_after_chunks(monkeypatch, 1)
        (job,) = pipeline.unfinished_jobs(client.app.state.runtime)
        # The stopped process stored chunks of 1,000 rows; the one that resumes reads in
        # chunks of its own size, which straddle that boundary, and still starts after them.
        job = replace(job, chunk_rows=1_000)
        assert 1_000 % pipeline.CHUNK_ROWS, "the resumed chunks straddle the stop"
        with pytest.raises(ProcessStopped):
            pipeline.run(client.app.state.runtime, job)
        monkeypatch.undo()
        stopped = client.get(f"/clients/BANK-R/case-files/{batch_id}", headers=bank).json()
        assert stopped["state"] == "running"

    for client in running(settings):
        batch = _batch(client, bank, batch_id, "completed")
        counts = Counter(outbox_types(client))

    rejected = 0 if all_or_nothing else 1
    assert stopped["rows_imported"] == 1_000, "one chunk was stored before the stop"
    assert batch["state"] == "completed", batch
    assert batch["rows_imported"] == 2_500
    assert batch["rows_rejected"] == rejected, "a repeat is still caught after resuming"
    assert batch["rows_total"] == 2_500 + rejected
    assert counts["CaseImported"] == 2_500
    assert counts["ImportCompleted"] == 1
