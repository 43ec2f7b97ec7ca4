"""Run the whole platform on one machine: a local broker plus the five services.

Used by ``make run`` and by end-to-end tests (through :class:`LocalPlatform`).
The broker keeps everything in memory, so whenever it has to be restarted the
services are restarted too: their consumers and outbox relays then start from
a clean slate instead of trusting offsets the new broker never saw.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from shared.devtools.broker import (
    BrokerError,
    LocalBroker,
    dies_with_this_process,
    port_in_use,
    stop_process_groups,
)

log = logging.getLogger("deploy.run_local")

SERVICES = ("intake", "assignment", "contact", "letters", "reporting")
DEFAULT_PORTS = {
    "intake": 8001,
    "assignment": 8002,
    "contact": 8003,
    "letters": 8004,
    "reporting": 8005,
}
DEFAULT_BROKER_PORT = 9092
HOST = "127.0.0.1"
REPO_ROOT = Path(__file__).resolve().parents[1]

_TICK = 0.5
_MAX_BACKOFF = 30.0
_STABLE_AFTER = 30.0  # a service that ran this long is healthy again: reset its backoff
_SERVICE_GRACE = 10.0


class PlatformError(RuntimeError):
    """The platform could not be started."""


@dataclass
class _Service:
    name: str
    port: int
    proc: subprocess.Popen[bytes] | None = None
    log_file: IO[bytes] | None = None
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None
    ready: bool = False


class LocalPlatform:
    """Starts, watches and stops the broker and the five service processes.

    Every process runs in its own process group, so stopping a group also
    stops whatever it forked, and is told to stop when the runner dies, however it
    dies (a SIGKILL to the runner's group included). ``app`` is the uvicorn factory path, with
    ``{name}`` standing for the service name.
    """

    def __init__(
        self,
        ports: dict[str, int],
        broker_port: int,
        data_dir: Path,
        extra_env: dict[str, str] | None = None,
        app: str = "services.{name}.main:create_app",
    ) -> None:
        missing = set(SERVICES) - set(ports)
        if missing:
            raise ValueError(f"no port given for: {', '.join(sorted(missing))}")
        self.data_dir = Path(data_dir).resolve()
        self.log_dir = self.data_dir / "logs"
        self.extra_env = dict(extra_env or {})
        self.app = app
        self.broker = LocalBroker(broker_port, HOST, self.log_dir / "broker.log")
        self.services = {name: _Service(name, ports[name]) for name in SERVICES}
        self._lock = threading.RLock()
        self._stop_requested = threading.Event()
        self._broker_failures = 0
        self._broker_retry_at = 0.0

    @property
    def bootstrap_servers(self) -> str:
        return self.broker.bootstrap_servers

    def url(self, name: str) -> str:
        return f"http://{HOST}:{self.services[name].port}"

    def start(self) -> None:
        """Start the broker, then every service; raise if a port is taken."""
        busy = [f"{s.name}:{s.port}" for s in self.services.values() if port_in_use(HOST, s.port)]
        if busy:
            raise PlatformError(f"ports already in use: {', '.join(busy)}")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._stop_requested.clear()
        with self._lock:
            try:
                self.broker.start()
            except BrokerError as exc:
                raise PlatformError(str(exc)) from exc
            log.info("broker serving on %s", self.bootstrap_servers)
            for service in self.services.values():
                self._spawn(service)

    def wait_ready(self, timeout: float = 90) -> list[str]:
        """Poll ``GET /ready`` until every service answers 200; return the ones that did not.

        Supervision continues meanwhile, so a service that crashes during
        start-up is restarted instead of eating the whole timeout.
        """
        deadline = time.monotonic() + timeout
        with httpx.Client(trust_env=False, timeout=2.0) as client:
            while not self._stop_requested.is_set():
                pending = [s for s in self.services.values() if not s.ready]
                for service in pending:
                    service.ready = self._answers_ready(client, service)
                pending = [s.name for s in self.services.values() if not s.ready]
                if not pending or time.monotonic() >= deadline:
                    return pending
                self.supervise_once()
                self._stop_requested.wait(_TICK)
        return [s.name for s in self.services.values() if not s.ready]

    def supervise_once(self) -> None:
        """Restart the broker (and then all services) or single services that died."""
        with self._lock:
            if self._stop_requested.is_set():
                return
            if not self.broker.is_running():
                self._recover_broker()
                return
            now = time.monotonic()
            for service in self.services.values():
                self._check_service(service, now)

    def run(self) -> None:
        """Supervise until :meth:`request_stop` is called (e.g. from a signal handler)."""
        while not self._stop_requested.wait(_TICK):
            self.supervise_once()

    @property
    def stopping(self) -> bool:
        return self._stop_requested.is_set()

    def request_stop(self) -> None:
        """Ask :meth:`run` and :meth:`wait_ready` to return; safe from signal handlers."""
        self._stop_requested.set()

    def stop(self) -> None:
        """Stop the services first, so they can flush and leave their groups, then the broker."""
        self._stop_requested.set()
        with self._lock:
            self._stop_services(self.services.values())
            self.broker.stop()

    def restart(self, name: str, env: dict[str, str] | None = None) -> None:
        """Stop one service and start it again, with ``env`` added to every later start
        (e.g. a moved clock); call :meth:`wait_ready` after."""
        with self._lock:
            self.extra_env.update(env or {})
            service = self.services[name]
            self._stop_services([service])
            self._spawn(service)

    def _spawn(self, service: _Service) -> None:
        service.log_file = open(self.log_dir / f"{service.name}.log", "ab")  # noqa: SIM115
        service.log_file.write(f"--- starting {service.name} at {time.ctime()}\n".encode())
        service.log_file.flush()
        cmd = [
            sys.executable, "-m", "uvicorn", "--factory", self.app.format(name=service.name),
            "--host", HOST, "--port", str(service.port),
        ]  # fmt: skip
        service.proc = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=self._service_env(service),
            stdin=subprocess.DEVNULL,
            stdout=service.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=dies_with_this_process(),
        )
        service.started_at = time.monotonic()
        service.restart_at = None
        service.ready = False

    def _service_env(self, service: _Service) -> dict[str, str]:
        prefix = service.name.upper()
        env = dict(os.environ)
        env.update(
            {
                f"{prefix}_DATABASE_URL": f"sqlite:///{self.data_dir / service.name}.db",
                f"{prefix}_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
                f"{prefix}_PORT": str(service.port),
                f"{prefix}_DATA_DIR": str(self.data_dir),
                f"{prefix}_AUTH_TOKEN_URL": f"{self.url('assignment')}/auth/token",
            }
        )
        # The docs pages and the desk (served by assignment) call every service from the browser.
        origins = [self.url(name) for name in self.services]
        env[f"{prefix}_CORS_ORIGINS"] = json.dumps(origins)
        if service.name == "assignment":
            env["ASSIGNMENT_DESK_URLS"] = json.dumps({n: self.url(n) for n in self.services})
        env.update(self.extra_env)
        return env

    def _check_service(self, service: _Service, now: float) -> None:
        if service.restart_at is not None:
            if now >= service.restart_at:
                log.info("restarting %s", service.name)
                self._spawn(service)
            return
        if service.proc is None or service.proc.poll() is None:
            return
        code = service.proc.returncode
        self._stop_services([service])
        if now - service.started_at >= _STABLE_AFTER:
            service.failures = 0
        service.failures += 1
        delay = _backoff(service.failures)
        service.restart_at = now + delay
        log.warning(
            "%s exited with code %s; restarting in %.0fs (log: %s)",
            service.name,
            code,
            delay,
            self.log_dir / f"{service.name}.log",
        )

    def _recover_broker(self) -> None:
        now = time.monotonic()
        if now < self._broker_retry_at:
            return
        log.warning("broker is down; restarting it and then every service (it forgot all data)")
        self._stop_services(self.services.values())
        try:
            self.broker.restart()
        except BrokerError as exc:
            self._broker_failures += 1
            delay = _backoff(self._broker_failures)
            self._broker_retry_at = now + delay
            log.error("broker restart failed (%s); retrying in %.0fs", exc, delay)
            return
        self._broker_failures = 0
        for service in self.services.values():
            service.failures = 0
            self._spawn(service)

    def _stop_services(self, services: Iterable[_Service]) -> None:
        chosen = [s for s in services if s.proc is not None]
        stop_process_groups([s.proc for s in chosen if s.proc is not None], grace=_SERVICE_GRACE)
        for service in chosen:
            service.proc = None
            service.ready = False
            if service.log_file is not None:
                service.log_file.close()
                service.log_file = None

    @staticmethod
    def _answers_ready(client: httpx.Client, service: _Service) -> bool:
        if service.proc is None or service.proc.poll() is not None:
            return False
        try:
            return client.get(f"http://{HOST}:{service.port}/ready").status_code == 200
        except httpx.HTTPError:
            return False


def _backoff(failures: int) -> float:
    return min(2.0 ** (failures - 1), _MAX_BACKOFF)


def _env_port(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def local_url(name: str) -> str:
    """Where ``make run`` serves a service, from the same ``<NAME>_PORT`` it reads: what the
    command-line tools call."""
    return f"http://{HOST}:{_env_port(f'{name.upper()}_PORT', DEFAULT_PORTS[name])}"


def platform_from_env() -> LocalPlatform:
    """Build the platform from ``*_PORT``, ``BROKER_PORT`` and ``DATA_DIR``."""
    ports = {name: _env_port(f"{name.upper()}_PORT", DEFAULT_PORTS[name]) for name in SERVICES}
    data_dir = Path(os.environ.get("DATA_DIR") or REPO_ROOT / "var")
    return LocalPlatform(ports, _env_port("BROKER_PORT", DEFAULT_BROKER_PORT), data_dir)


def _print_summary(platform: LocalPlatform, not_ready: list[str]) -> None:
    print(f"\n{'service':<12}{'port':>6}  docs")
    for service in platform.services.values():
        mark = "" if service.name not in not_ready else "   (not ready)"
        print(f"{service.name:<12}{service.port:>6}  {platform.url(service.name)}/docs{mark}")
    print(f"{'broker':<12}{platform.broker.port:>6}  {platform.bootstrap_servers} (memory only)")
    print(f"\ndata: {platform.data_dir}   logs: {platform.log_dir}   Ctrl-C to stop\n", flush=True)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s run_local %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    platform = platform_from_env()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda signum, frame: platform.request_stop())
    try:
        platform.start()
        not_ready = platform.wait_ready()
        if not platform.stopping:
            if not_ready:
                log.warning("not ready after timeout: %s (see their logs)", ", ".join(not_ready))
            _print_summary(platform, not_ready)
            platform.run()
    except PlatformError as exc:
        log.error("%s", exc)
        return 1
    finally:
        log.info("stopping services, then broker")
        platform.stop()
        log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
