"""Throw-away PostgreSQL servers on loopback, for tests and local work.

Services run on PostgreSQL in production but on SQLite by default, so code that leans on
PostgreSQL behaviour (row locks, SKIP LOCKED, isolation) is only proven against a real
server. `LocalPostgres` gives one with no setup beyond Debian's packages: its own data
directory in a temp dir, its own port, nothing left behind on stop.

    with LocalPostgres() as pg:
        url = pg.create_database("billing")  # postgresql+psycopg://postgres@127.0.0.1:PORT/billing

`python -m shared.devtools.postgres` starts one and prints its URL until Ctrl-C.
"""

from __future__ import annotations

import argparse
import atexit
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

__all__ = ["LocalPostgres", "PostgresError", "find_bin_dir"]

ENSURE_SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "ensure_postgres.sh"
BIN_DIR_ENV = "POSTGRES_BIN_DIR"
TEMP_PARENT_ENV = "LOCALPG_TMPDIR"
SHM_MIN_FREE = 1 << 30
HOST = "127.0.0.1"
SUPERUSER = "postgres"
OS_USER = "postgres"

# Durability buys nothing for a server whose data is deleted on stop.
SERVER_SETTINGS: dict[str, str] = {
    "listen_addresses": f"'{HOST}'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "logging_collector": "off",
    "log_min_messages": "warning",
}

_DB_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_START_ATTEMPTS = 5


class PostgresError(RuntimeError):
    """A PostgreSQL tool failed; the message carries its output."""


def _version_key(bin_dir: str) -> tuple[int, ...]:
    version = Path(bin_dir).parent.name
    return tuple(int(part) for part in re.findall(r"\d+", version)) or (0,)


def find_bin_dir(install: bool = True) -> Path:
    """Directory holding initdb and pg_ctl, newest Debian version first.

    `POSTGRES_BIN_DIR` wins so machines laid out differently (Homebrew, source builds)
    need no code change. When nothing is found and `install` is true, the deploy
    script installs Debian's packages, the same path a fresh machine or CI takes.
    """
    override = os.environ.get(BIN_DIR_ENV)
    if override:
        path = Path(override)
        if not (path / "initdb").exists():
            raise PostgresError(f"{BIN_DIR_ENV}={override} has no initdb")
        return path

    found = sorted(
        (os.path.dirname(p) for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=_version_key,
    )
    if found:
        return Path(found[-1])
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    if not install:
        raise PostgresError("PostgreSQL binaries not found (no initdb)")
    if not ENSURE_SCRIPT.exists():
        raise PostgresError(f"PostgreSQL binaries not found and {ENSURE_SCRIPT} is missing")

    result = subprocess.run(
        ["bash", str(ENSURE_SCRIPT)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise PostgresError(f"{ENSURE_SCRIPT} failed:\n{result.stderr[-4000:]}")
    lines = result.stdout.strip().splitlines()
    if not lines or not (Path(lines[-1]) / "initdb").exists():
        raise PostgresError(f"{ENSURE_SCRIPT} printed no usable bin dir: {result.stdout!r}")
    return Path(lines[-1])


def _temp_parent(as_root: bool) -> str | None:
    """Where the server's temp dir goes: RAM-backed /dev/shm when it has room.

    CREATE DATABASE opens about a thousand files; on a disk-backed /tmp here that took
    ~290 ms per database against ~25 ms on tmpfs. Containers often cap /dev/shm at 64 MiB,
    too small for a cluster, hence the free-space check. Under root the parent must be
    world-traversable for the `postgres` user.
    """
    override = os.environ.get(TEMP_PARENT_ENV)
    if override:
        return override
    shm = "/dev/shm"
    try:
        if (
            os.access(shm, os.W_OK | os.X_OK)
            and shutil.disk_usage(shm).free >= SHM_MIN_FREE
            and os.stat(shm).st_mode & stat.S_IXOTH
        ):
            return shm
    except OSError:
        pass
    return "/tmp" if as_root else None


def _server_os_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(OS_USER)
    except KeyError as exc:
        raise PostgresError(
            f"running as root needs the '{OS_USER}' OS user (Debian's postgresql package "
            "creates it)"
        ) from exc


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class LocalPostgres:
    """A private PostgreSQL server in a temp dir, trust auth, loopback only.

    PostgreSQL refuses to run as root, so under root the server tools run as the
    `postgres` OS user (created by Debian's package) and the temp dir, made where that
    user can reach it (/dev/shm or /tmp), is handed to it.
    """

    def __init__(self, bin_dir: Path | str | None = None, startup_timeout: float = 60.0) -> None:
        self._bin_dir = Path(bin_dir) if bin_dir is not None else None
        self._startup_timeout = startup_timeout
        self._base_dir: Path | None = None
        self._port: int | None = None
        self._running = False

    @property
    def bin_dir(self) -> Path:
        if self._bin_dir is None:
            self._bin_dir = find_bin_dir()
        return self._bin_dir

    @property
    def port(self) -> int:
        if self._port is None or not self._running:
            raise PostgresError("server is not running")
        return self._port

    @property
    def host(self) -> str:
        return HOST

    @property
    def base_dir(self) -> Path:
        if self._base_dir is None:
            raise PostgresError("server is not running")
        return self._base_dir

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "server.log"

    def url(self, name: str = "postgres") -> str:
        """SQLAlchemy URL for database `name` on this server (the database may not exist)."""
        return f"postgresql+psycopg://{SUPERUSER}@{HOST}:{self.port}/{name}"

    def start(self) -> LocalPostgres:
        if self._running:
            return self
        bin_dir = self.bin_dir
        as_root = os.geteuid() == 0
        owner = _server_os_user() if as_root else None
        base = Path(tempfile.mkdtemp(prefix="localpg-", dir=_temp_parent(as_root)))
        if owner is not None:
            os.chown(base, owner.pw_uid, owner.pw_gid)
        self._base_dir = base
        atexit.register(self.stop)
        try:
            self._run(
                [
                    str(bin_dir / "initdb"),
                    "--pgdata",
                    str(self.data_dir),
                    "--username",
                    SUPERUSER,
                    "--auth",
                    "trust",
                    "--encoding",
                    "UTF8",
                    "--locale",
                    "C",
                    "--no-sync",
                ]
            )
            settings = {**SERVER_SETTINGS, "unix_socket_directories": f"'{base}'"}
            with (self.data_dir / "postgresql.conf").open("a") as conf:
                conf.write("\n# LocalPostgres\n")
                conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
            self._start_server(bin_dir)
            self._wait_until_accepting()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_server(self, bin_dir: Path) -> None:
        """pg_ctl start on a fresh free port, retried because another process may grab the
        port between picking and binding it."""
        last_error: PostgresError | None = None
        for _ in range(_START_ATTEMPTS):
            port = _free_port()
            try:
                self._run(
                    [
                        str(bin_dir / "pg_ctl"),
                        "start",
                        "--pgdata",
                        str(self.data_dir),
                        "--log",
                        str(self.log_file),
                        "--wait",
                        "--timeout",
                        str(int(self._startup_timeout)),
                        "--options",
                        f"-p {port}",
                    ]
                )
            except PostgresError as exc:
                last_error = exc
                if "could not bind" not in self._log_tail():
                    raise
                continue
            self._port = port
            self._running = True
            return
        raise last_error or PostgresError("could not start PostgreSQL")

    def _wait_until_accepting(self) -> None:
        deadline = time.monotonic() + self._startup_timeout
        while True:
            try:
                with self._admin_connection():
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise PostgresError(
                        f"server did not accept connections:\n{self._log_tail()}"
                    ) from None
                time.sleep(0.05)

    def create_database(self, name: str) -> str:
        """Create database `name` and return its SQLAlchemy URL."""
        with self._admin_connection() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_checked(name))))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop database `name`, ending any sessions still connected to it."""
        with self._admin_connection() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(_checked(name))
                )
            )

    def stop(self) -> None:
        """Stop the server and delete its files; safe to call more than once."""
        atexit.unregister(self.stop)
        base, self._base_dir = self._base_dir, None
        self._running = False
        # The pid file, not _running, decides: a start that timed out may still leave a server.
        if base is not None and (base / "data" / "postmaster.pid").exists():
            subprocess.run(
                self._as_server_user(
                    [
                        str(self.bin_dir / "pg_ctl"),
                        "stop",
                        "--pgdata",
                        str(base / "data"),
                        "--mode",
                        "fast",
                        "--wait",
                    ]
                ),
                cwd=base,
                capture_output=True,
                check=False,
            )
        if base is not None:
            shutil.rmtree(base, ignore_errors=True)

    def __enter__(self) -> LocalPostgres:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _admin_connection(self) -> psycopg.Connection:
        return psycopg.connect(
            host=HOST,
            port=self.port,
            user=SUPERUSER,
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        )

    def _as_server_user(self, args: list[str]) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", OS_USER, "--", *args]
        return args

    def _run(self, args: list[str]) -> None:
        # cwd matters under runuser: the server user may not be able to enter ours.
        result = subprocess.run(
            self._as_server_user(args),
            cwd=self.base_dir,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise PostgresError(
                f"{Path(args[0]).name} failed ({result.returncode}):\n"
                f"{result.stdout[-2000:]}{result.stderr[-2000:]}\n{self._log_tail()}"
            )

    def _log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_file.read_text(errors="replace")[-chars:]
        except (OSError, PostgresError):
            return ""


def _checked(name: str) -> str:
    """Database names go into URLs unquoted, so keep them to plain identifiers."""
    if not _DB_NAME.fullmatch(name):
        raise ValueError(f"database name must match {_DB_NAME.pattern}: {name!r}")
    return name


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m shared.devtools.postgres",
        description="Start a throw-away PostgreSQL on loopback and print its URL until Ctrl-C.",
    )
    parser.add_argument("--database", default="dev", help="database to create (default: dev)")
    args = parser.parse_args(argv)

    # SIGINT is set explicitly because shells start background jobs with it ignored.
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    with LocalPostgres() as pg:
        print(pg.create_database(args.database), flush=True)
        while not stopping.wait(1.0):
            pass


if __name__ == "__main__":
    main()
