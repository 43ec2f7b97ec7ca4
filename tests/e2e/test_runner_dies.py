"""`make run`'s runner killed outright takes the broker and the services with it, so the
next `make run` finds its ports free instead of a platform nobody supervises."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from deploy.run_local import REPO_ROOT, SERVICES
from shared.devtools.broker import free_port, port_in_use

pytestmark = pytest.mark.e2e


def children_of(pid: int) -> list[int]:
    found = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(line) for line in found.stdout.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def test_killing_the_runners_group_stops_the_broker_and_every_service(tmp_path: Path) -> None:
    ports = {name: free_port() for name in SERVICES}
    env = dict(os.environ)
    env.update({f"{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env.update({"BROKER_PORT": str(free_port()), "DATA_DIR": str(tmp_path)})
    runner = subprocess.Popen(
        [sys.executable, "-m", "deploy.run_local"],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    children: list[int] = []
    try:
        deadline = time.monotonic() + 120
        with httpx.Client(trust_env=False, timeout=2) as http:
            while time.monotonic() < deadline:
                try:
                    if all(
                        http.get(f"http://127.0.0.1:{port}/ready").status_code == 200
                        for port in ports.values()
                    ):
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.5)
            else:
                pytest.fail(f"the platform did not get ready; logs in {tmp_path / 'logs'}")
        children = children_of(runner.pid)
        assert len(children) == len(SERVICES) + 1, "the broker and five services"

        os.killpg(runner.pid, signal.SIGKILL)
        runner.wait(timeout=10)

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(alive(pid) for pid in children):
            time.sleep(0.2)
        assert [pid for pid in children if alive(pid)] == []
        assert [n for n, port in ports.items() if port_in_use("127.0.0.1", port)] == []
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
        for pid in children:
            if alive(pid):
                os.killpg(pid, signal.SIGKILL)
