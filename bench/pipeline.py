"""The whole platform end to end, started as ``make run`` starts it.

Five service processes and the local broker share the machine; a generated bank file of
``cases`` rows is posted to intake with at least four active phone collectors (one
per 50,000 cases, each with room for its share), and the clock runs
until reporting counts every case imported and assigned. While it runs, each consuming
service's ``events_handled_total`` is sampled from its ``/metrics`` to give its rate;
each process's peak RSS is read from ``/proc`` at the end, and the CPU time each (the
broker too) used from the file's posting to the end: CPU a case is the figure a busy
machine disturbs least.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import databases
from bench.casefile import write_case_file
from bench.intake import peak_rss_mb, raw_baseline
from deploy.run_local import SERVICES, LocalPlatform
from shared.devtools.broker import free_port

CONSUMERS = ("assignment", "contact", "letters", "reporting")
MIN_COLLECTORS = 4
CASES_PER_COLLECTOR = 50_000
STALL_SECONDS = 120
ADMIN = ("admin", "change-me-admin")
_HANDLED = re.compile(r'^events_handled_total\{[^}]*outcome="handled"[^}]*\} ([0-9.e+]+)$', re.M)


@dataclass
class Rate:
    """When a consumer first and last handled events, and how many it handled."""

    first: float | None = None
    last: float = 0.0
    count: float = 0.0

    def observe(self, at: float, count: float) -> None:
        if count > self.count:
            if self.first is None:
                self.first = at
            self.last = at
            self.count = count

    @property
    def per_second(self) -> float:
        if self.first is None or self.last <= self.first:
            return float("nan")
        return self.count / (self.last - self.first)


@dataclass
class PipelineFigures:
    cases: int
    file_mb: float
    baseline_seconds: float
    intake_seconds: float
    total_seconds: float
    consumers: dict[str, Rate] = field(default_factory=dict)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def cpu_ms_per_case(self) -> float:
        return sum(self.cpu_seconds.values()) * 1000 / self.cases

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.total_seconds

    @property
    def baseline_rate(self) -> float:
        return self.cases / self.baseline_seconds

    def as_json(self) -> dict[str, object]:
        return {
            "database": databases.kind(),
            "cases": self.cases,
            "file_mb": round(self.file_mb, 1),
            "baseline_rows_per_second": round(self.baseline_rate),
            "intake_seconds": round(self.intake_seconds, 1),
            "end_to_end_seconds": round(self.total_seconds, 1),
            "end_to_end_cases_per_second": round(self.cases_per_second),
            "ratio": round(self.cases_per_second / self.baseline_rate, 4),
            "consumer_events_per_second": {
                name: round(rate.per_second) for name, rate in self.consumers.items()
            },
            "consumer_events_handled": {
                name: int(rate.count) for name, rate in self.consumers.items()
            },
            "consumer_active_seconds": {
                name: [round(rate.first or 0, 1), round(rate.last, 1)]
                for name, rate in self.consumers.items()
            },
            "peak_rss_mb": {name: round(mb) for name, mb in self.peak_rss_mb.items()},
            "cpu_seconds": {name: round(s, 1) for name, s in self.cpu_seconds.items()},
            "cpu_ms_per_case": round(self.cpu_ms_per_case, 2),
        }


def _handled(http: httpx.Client, base: str) -> float:
    try:
        text = http.get(f"{base}/metrics").text
    except httpx.HTTPError:
        return 0.0
    return sum(float(v) for v in _HANDLED.findall(text))


def _prepare(
    http: httpx.Client, platform: LocalPlatform, cases: int
) -> tuple[dict[str, str], dict[str, str]]:
    """Sign in, add enough phone collectors with room for every case (assignment places a
    case only with a collector under capacity), register the bank and its key."""
    token = http.post(
        f"{platform.url('assignment')}/auth/token",
        data={"username": ADMIN[0], "password": ADMIN[1]},
    )
    token.raise_for_status()
    admin = {"Authorization": f"Bearer {token.json()['access_token']}"}
    collectors = max(MIN_COLLECTORS, math.ceil(cases / CASES_PER_COLLECTOR))
    for n in range(collectors):
        http.post(
            f"{platform.url('assignment')}/staff",
            headers=admin,
            json={
                "username": f"bench.collector{n}",
                "name": f"催收员{n}",
                "role": "phone_collector",
                "password": "a-long-password",
                "team_id": "T1",
                "branch_id": "B1",
                "capacity": math.ceil(cases / collectors) + 1,
            },
        ).raise_for_status()
    intake = platform.url("intake")
    http.post(
        f"{intake}/clients", headers=admin, json={"id": "BENCH", "name": "基准银行"}
    ).raise_for_status()
    key = http.post(f"{intake}/clients/BENCH/api-keys", headers=admin, json={"label": "bench"})
    key.raise_for_status()
    return admin, {"X-API-Key": key.json()["key"]}


def _post(http: httpx.Client, platform: LocalPlatform, bank: dict[str, str], path: Path) -> str:
    """Post the file; returns the batch's address."""
    with path.open("rb") as upload:
        posted = http.post(
            f"{platform.url('intake')}/clients/BENCH/case-files",
            headers=bank,
            files={"file": (path.name, upload, "text/csv")},
        )
    posted.raise_for_status()
    return f"{platform.url('intake')}/clients/BENCH/case-files/{posted.json()['id']}"


def end_to_end(path: Path, work: Path, cases: int, figures: PipelineFigures) -> None:
    with databases.service_databases(work / "var", *SERVICES) as urls:
        env = {"INTAKE_MAX_FILE_BYTES": str(4 * 1024**3)}
        env.update({f"{name.upper()}_DATABASE_URL": url for name, url in urls.items()})
        _run_platform(path, work, cases, figures, env)


@contextmanager
def running_platform(work: Path, env: dict[str, str]) -> Iterator[LocalPlatform]:
    """The whole platform as `make run` starts it, on free ports in ``work``, ready."""
    platform = LocalPlatform({s: free_port() for s in SERVICES}, free_port(), work / "var", env)
    platform.start()
    try:
        not_ready = platform.wait_ready(timeout=180)
        if not_ready:
            raise RuntimeError(f"not ready: {not_ready}; logs in {platform.log_dir}")
        yield platform
    finally:
        platform.stop()


def _run_platform(
    path: Path, work: Path, cases: int, figures: PipelineFigures, env: dict[str, str]
) -> None:
    with running_platform(work, env) as platform:
        with httpx.Client(timeout=httpx.Timeout(3600, connect=10), trust_env=False) as http:
            admin, bank = _prepare(http, platform, cases)
            rates = {name: Rate() for name in CONSUMERS}
            pids = {name: s.proc.pid for name, s in platform.services.items() if s.proc}
            if platform.broker.pid is not None:
                pids["broker"] = platform.broker.pid
            cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
            started = time.perf_counter()
            # Posted from another thread: a small file is imported within the request,
            # and the consumers are sampled meanwhile.
            with ThreadPoolExecutor(1) as poster:
                posting = poster.submit(_post, http, platform, bank, path)
                counts_url = f"{platform.url('reporting')}/reports/case-counts/BENCH"
                intake_done: float | None = None
                batch_url: str | None = None
                last_seen: dict[str, int] = {}
                last_change = 0.0
                while True:
                    now = time.perf_counter() - started
                    for name in CONSUMERS:
                        rates[name].observe(now, _handled(http, platform.url(name)))
                    if batch_url is None and posting.done():
                        batch_url = posting.result()
                    if intake_done is None and batch_url is not None:
                        batch = http.get(batch_url, headers=bank).json()
                        if batch["state"] == "failed":
                            raise RuntimeError(f"import failed: {batch}")
                        if batch["state"] == "completed":
                            intake_done = now
                    answer = http.get(counts_url, headers=admin)
                    seen = answer.json() if answer.status_code == 200 else {}
                    if seen.get("cases_imported") == seen.get("cases_assigned") == cases:
                        figures.total_seconds = time.perf_counter() - started
                        break
                    if seen != last_seen:
                        last_seen, last_change = seen, now
                    elif now - last_change > STALL_SECONDS:
                        raise RuntimeError(
                            f"no progress for {STALL_SECONDS} s: reporting counts {seen}; "
                            f"logs in {platform.log_dir}"
                        )
                    time.sleep(0.5)
            figures.intake_seconds = intake_done or figures.total_seconds
            time.sleep(2)
            for name in CONSUMERS:
                rates[name].observe(
                    time.perf_counter() - started, _handled(http, platform.url(name))
                )
            figures.consumers = rates
            figures.cpu_seconds = {
                name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()
            }
        figures.peak_rss_mb = {
            name: peak_rss_mb(service.proc.pid)
            for name, service in platform.services.items()
            if service.proc is not None
        }


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(cases: int) -> PipelineFigures:
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as scratch:
        work = Path(scratch)
        path = write_case_file(work / f"cases-{cases}.csv", cases)
        baseline = raw_baseline(path, work / "baseline.db")
        figures = PipelineFigures(cases, path.stat().st_size / 1024**2, baseline, 0.0, 0.0)
        end_to_end(path, work, cases, figures)
        return figures


def report(figures: PipelineFigures) -> str:
    data = figures.as_json()
    lines = [
        f"pipeline ({databases.label()})  cases={figures.cases:,}  file={figures.file_mb:.1f} MB  "
        f"end-to-end={figures.cases_per_second:,.0f} cases/s ({figures.total_seconds:.1f} s; "
        f"intake done at {figures.intake_seconds:.1f} s)  "
        f"raw baseline={figures.baseline_rate:,.0f} rows/s  ratio={data['ratio']}",
    ]
    for name, rate in figures.consumers.items():
        lines.append(
            f"  consumer {name:<11} {rate.per_second:>8,.0f} events/s ({int(rate.count):,} handled"
            f" between {rate.first or 0:.1f} s and {rate.last:.1f} s)"
        )
    lines.append(
        "  peak RSS  "
        + "  ".join(f"{name}={mb:.0f} MB" for name, mb in figures.peak_rss_mb.items())
    )
    lines.append(
        f"  CPU {figures.cpu_ms_per_case:.2f} ms a case  "
        + "  ".join(f"{name}={sec:.1f} s" for name, sec in figures.cpu_seconds.items())
    )
    return "\n".join(lines)
