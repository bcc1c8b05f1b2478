"""A private Redis server for a test: its own port and folder, nothing written to disk, and
a stop and a start on the same port, so that a test can take Redis away from a running
process (a worker, the web app) and give it back.

    with redis_process() as redis_server:
        ...  # redis_server.url is redis://127.0.0.1:<port>/0
        redis_server.stop()  # connections are refused from here on
        redis_server.start()  # the same port answers PING again (empty: no persistence)

Needs ``redis-server`` on PATH; ``redis_server_available()`` says whether it is there.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .polling import wait_for

REDIS_SERVER = "redis-server"


def redis_server_available() -> bool:
    """Whether a ``redis-server`` binary is on PATH."""
    return shutil.which(REDIS_SERVER) is not None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ping(port: int, *, timeout: float = 0.5) -> bool:
    """Whether a Redis on ``port`` answers PING (raw RESP: no client library needed)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _refused(port: int) -> bool:
    """Whether a connection to ``port`` is refused (nothing listens any more)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False


class RedisProcess:
    """One ``redis-server`` on 127.0.0.1:``port``, started and stopped by the test."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, *, seconds: float = 10) -> None:
        """Start the server on its port (again) and wait until PING answers."""
        if self.running:
            return
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.directory,
        )
        log.close()

        def answers() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"redis-server on port {self.port} exited with {self.process.returncode}: "
                    + self.log_tail()
                )
            return _ping(self.port)

        wait_for(answers, seconds=seconds, what=f"redis-server on port {self.port} to answer")

    def stop(self, *, seconds: float = 10) -> None:
        """Shut the server down without saving, and wait until its port refuses connections."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with (
                suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn,
            ):
                conn.sendall(b"SHUTDOWN NOSAVE\r\n")
                with suppress(OSError):
                    conn.recv(64)  # the server closes the connection as it exits
            try:
                self.process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=seconds)
        self.process = None
        wait_for(lambda: _refused(self.port), seconds=seconds, what=f"port {self.port} to refuse")

    def log_tail(self, lines: int = 20) -> str:
        log = self.directory / "redis.log"
        if not log.exists():
            return ""
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def redis_process() -> Iterator[RedisProcess]:
    """A started private Redis; stopped and its folder removed when the block ends."""
    with tempfile.TemporaryDirectory(prefix="cchc-redis-") as directory:
        for attempt in range(3):
            server = RedisProcess(Path(directory))
            try:
                server.start()
                break
            except RuntimeError:  # the free port was taken meanwhile: try another
                server.process = None
                if attempt == 2:
                    raise
        try:
            yield server
        finally:
            server.stop()
