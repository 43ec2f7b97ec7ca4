"""Intake end to end against a raw baseline, on the same generated rows.

End to end: the file is posted over HTTP to a running intake process (SQLite, local
broker), and the clock stops when the batch is complete and every event has left the
outbox with the broker's acknowledgement. Baseline: the same CSV parsed with the csv
module and bulk-inserted into SQLite, nothing else.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.casefile import HEADER, write_case_file
from shared.auth.keys import generate_key_pair
from shared.auth.principal import Principal, Role
from shared.auth.tokens import issue_token
from shared.devtools.broker import LocalBroker, free_port, stop_process_groups

# End-to-end rows/s before issue #9 (commit 2ea023e, as reported in the issue), so a run
# shows the new figure beside the old one. Machines differ: compare on one machine.
BEFORE_ISSUE_9 = {100_000: 2_838}


@dataclass(frozen=True)
class IntakeFigures:
    rows: int
    file_mb: float
    baseline_seconds: float
    intake_seconds: float
    intake_peak_rss_mb: float

    @property
    def baseline_rate(self) -> float:
        return self.rows / self.baseline_seconds

    @property
    def intake_rate(self) -> float:
        return self.rows / self.intake_seconds

    @property
    def ratio(self) -> float:
        return self.intake_rate / self.baseline_rate


def raw_baseline(path: Path, db_path: Path) -> float:
    started = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    columns = ", ".join(f"c{i} TEXT" for i in range(len(HEADER)))
    conn.execute(f"CREATE TABLE cases ({columns})")
    marks = ", ".join("?" for _ in HEADER)
    with path.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        next(reader)
        batch: list[list[str]] = []
        for row in reader:
            batch.append(row)
            if len(batch) == 10_000:
                conn.executemany(f"INSERT INTO cases VALUES ({marks})", batch)
                conn.commit()
                batch.clear()
        conn.executemany(f"INSERT INTO cases VALUES ({marks})", batch)
        conn.commit()
    conn.close()
    return time.perf_counter() - started


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory so far, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _pending_events(db_path: Path) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL").fetchone()[0]
    finally:
        conn.close()


def _wait_ready(http: httpx.Client, base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if http.get(f"{base}/ready").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("intake did not become ready")


def end_to_end(path: Path, work: Path, rows: int) -> tuple[float, float]:
    key = generate_key_pair(work / "keys")
    admin = Principal(subject="bench-admin", kind="staff", role=Role.ADMIN)
    token = issue_token(key, admin, datetime.now(UTC), timedelta(hours=4))
    port = free_port()
    db_path = work / "intake.db"
    env = {
        **os.environ,
        "INTAKE_DATABASE_URL": f"sqlite:///{db_path}",
        "INTAKE_DATA_DIR": str(work / "data"),
        "INTAKE_AUTH_KEY_DIR": str(work / "keys"),
        "INTAKE_LOG_LEVEL": "WARNING",
        "INTAKE_MAX_FILE_BYTES": str(4 * 1024**3),
    }
    with LocalBroker(log_path=work / "broker.log") as broker:
        env["INTAKE_KAFKA_BOOTSTRAP_SERVERS"] = broker.bootstrap_servers
        log = (work / "intake.log").open("wb")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "services.intake.main:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        staff = {"Authorization": f"Bearer {token}"}
        try:
            with httpx.Client(timeout=httpx.Timeout(3600, connect=10), trust_env=False) as http:
                _wait_ready(http, base)
                http.post(
                    f"{base}/clients", headers=staff, json={"id": "BENCH", "name": "基准银行"}
                ).raise_for_status()
                bank_key = http.post(
                    f"{base}/clients/BENCH/api-keys", headers=staff, json={"label": "bench"}
                ).json()["key"]
                bank = {"X-API-Key": bank_key}
                started = time.perf_counter()
                with path.open("rb") as upload:
                    answer = http.post(
                        f"{base}/clients/BENCH/case-files",
                        headers=bank,
                        files={"file": (path.name, upload, "text/csv")},
                    )
                answer.raise_for_status()
                batch_url = f"{base}/clients/BENCH/case-files/{answer.json()['id']}"
                while True:
                    batch = http.get(batch_url, headers=bank).json()
                    if batch["state"] in ("completed", "failed"):
                        break
                    time.sleep(0.2)
                if batch["state"] != "completed" or batch["rows_imported"] != rows:
                    raise RuntimeError(f"import did not complete cleanly: {batch}")
                while _pending_events(db_path):
                    time.sleep(0.1)
                elapsed = time.perf_counter() - started
                return elapsed, peak_rss_mb(proc.pid)
        finally:
            stop_process_groups([proc])
            log.close()


def measure(rows: int) -> IntakeFigures:
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as scratch:
        work = Path(scratch)
        path = write_case_file(work / f"cases-{rows}.csv", rows)
        baseline = raw_baseline(path, work / "baseline.db")
        intake_seconds, peak = end_to_end(path, work, rows)
        return IntakeFigures(rows, path.stat().st_size / 1024**2, baseline, intake_seconds, peak)


def report(figures: IntakeFigures) -> str:
    before = BEFORE_ISSUE_9.get(figures.rows)
    was = f"  (before #9: {before:,} rows/s)" if before else ""
    return (
        f"intake  rows={figures.rows:>9,}  file={figures.file_mb:7.1f} MB  "
        f"baseline={figures.baseline_rate:>9,.0f} rows/s ({figures.baseline_seconds:6.1f} s)  "
        f"end-to-end={figures.intake_rate:>8,.0f} rows/s ({figures.intake_seconds:6.1f} s)"
        f"{was}  ratio={figures.ratio:5.2f}  intake peak RSS={figures.intake_peak_rss_mb:6.0f} MB"
    )
