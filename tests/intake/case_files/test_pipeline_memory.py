"""A large upload streams: the service never holds the file whole, so its memory stays well
below the file's size. The service runs under uvicorn in this process, the upload streams
from disk over real HTTP, and tracemalloc measures everything allocated meanwhile."""

from __future__ import annotations

import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.intake.main import create_app
from tests.intake.conftest import intake_settings

TARGET_BYTES = 30 * 1024 * 1024
NOTE = "备注" * 400  # about 2.4 KB of UTF-8 per row


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_big_csv(path: Path) -> int:
    with path.open("w", encoding="utf-8") as out:
        out.write("卡号,姓名,欠款总额,备注\n")
        row = 0
        while out.tell() < TARGET_BYTES:
            row += 1
            out.write(f"S-{row},张三,{row % 997 + 1}.50,{NOTE}\n")
    return row


@pytest.fixture
def served(
    database_url: str, tmp_path: Path, key_dir: Path, signing_key: Ed25519PrivateKey
) -> Iterator[str]:
    settings = intake_settings(database_url, tmp_path, key_dir, sync_max_bytes=1024)
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not (server.started and app.state.runtime.migrated):
        assert time.monotonic() < deadline, "intake did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


def _finished(http: httpx.Client, url: str, bank: dict[str, str]) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + 300
    while True:
        batch = http.get(url, headers=bank).json()
        if batch["state"] in ("completed", "failed"):
            return batch
        assert time.monotonic() < deadline, batch
        time.sleep(0.5)


def test_a_30_mb_upload_keeps_memory_well_below_the_file_size(
    served: str, tmp_path: Path, admin: dict[str, str]
) -> None:
    big = tmp_path / "big.csv"
    rows = _write_big_csv(big)
    size = big.stat().st_size
    with httpx.Client(base_url=served, timeout=120) as http:
        assert http.post("/clients", json={"id": "BIG", "name": "Big bank"}, headers=admin)
        key = http.post("/clients/BIG/api-keys", json={"label": "x"}, headers=admin).json()
        bank = {"X-API-Key": key["key"]}
        warm = "卡号,姓名,欠款总额,备注\n" + "".join(f"W-{i},李四,1,{NOTE}\n" for i in range(3))
        first = http.post(
            "/clients/BIG/case-files", files={"file": ("w.csv", warm.encode())}, headers=bank
        )
        assert _finished(http, first.headers["location"], bank)["state"] == "completed"
        tracemalloc.start()
        try:
            with big.open("rb") as handle:
                answer = http.post(
                    "/clients/BIG/case-files", files={"file": ("big.csv", handle)}, headers=bank
                )
            assert answer.status_code == 202, answer.text
            batch = _finished(http, answer.headers["location"], bank)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert batch["state"] == "completed", batch
    assert batch["rows_imported"] == rows
    assert peak < size / 3, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"
