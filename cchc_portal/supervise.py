"""``make serve``'s process supervisor: runs every process of a Procfile and keeps it running.

A process that exits is started again after a pause that doubles with each quick failure
(1 s, 2 s, 4 s … at most 30 s; back to 1 s once a process has run for a minute), and its
siblings carry on: a worker that dies while Redis is away does not take the web server down
with it (honcho, used before, stopped everything when one process ended). SIGTERM, SIGINT or
SIGHUP stop every process (SIGTERM, then SIGKILL after the grace period) and end the
supervisor with status 0.

    python -m cchc_portal.supervise [-f Procfile] [--env .env]

Each Procfile line is ``name: command``, run by ``/bin/sh -c`` in its own process group (so
``${PORT:-8000}`` expands); a simple command replaces the shell (``exec``), so that SIGTERM
reaches gunicorn's or Celery's main process, which stops its own children gracefully (as
systemd's ``KillMode=mixed``); what is left of the group after the grace period is killed.
Output lines are prefixed with the time and the process name. Variables of the ``--env``
file (default ``.env`` when it exists) are added to the environment without overriding what
is set already. Production can use systemd instead (docs/deployment-systemd.md).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

POLL_SECONDS = 0.1
# Shell syntax that makes a command more than one simple command: such a line keeps its shell.
COMPOUND = re.compile(r"[;&|\n`]|\$\(")


def procfile_read(path: Path) -> list[tuple[str, str]]:
    """The (name, command) pairs of a Procfile, in file order; blank lines and # comments
    are skipped."""
    entries = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, separator, command = line.partition(":")
        if not separator or not name.strip() or not command.strip():
            raise ValueError(f"{path}:{number}: expected 'name: command', got {raw!r}")
        entries.append((name.strip(), command.strip()))
    if not entries:
        raise ValueError(f"{path}: no process to run")
    return entries


def env_file_read(path: Path) -> dict[str, str]:
    """``KEY=value`` lines of an env file (``export`` and surrounding quotes allowed)."""
    values = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


@dataclass
class Child:
    """One Procfile process and its restart bookkeeping."""

    name: str
    command: str
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    starts: int = 0
    delay: float = 0.0  # the pause before the next start after a failure
    restart_at: float | None = None
    readers: list[threading.Thread] = field(default_factory=list)


class Supervisor:
    """Starts the children, restarts the ones that exit, stops them all on request."""

    def __init__(
        self,
        entries: list[tuple[str, str]],
        *,
        env: dict[str, str],
        backoff: float = 1.0,
        backoff_max: float = 30.0,
        stable_after: float = 60.0,
        grace: float = 30.0,
        out: TextIO = sys.stdout,
    ) -> None:
        self.children = [Child(name=name, command=command) for name, command in entries]
        self.env = env
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.stable_after = stable_after
        self.grace = grace
        self.out = out
        self.width = max(len(child.name) for child in [*self.children, Child("system", "")])
        self.stopping = threading.Event()
        self._lock = threading.RLock()  # the signal handler may write while main holds it

    def say(self, name: str, line: str) -> None:
        with self._lock:
            self.out.write(f"{time.strftime('%H:%M:%S')} {name:<{self.width}} | {line}\n")
            self.out.flush()

    def start(self, child: Child) -> None:
        command = child.command if COMPOUND.search(child.command) else f"exec {child.command}"
        child.process = subprocess.Popen(
            ["/bin/sh", "-c", command],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: signals reach its children too
        )
        child.started_at = time.monotonic()
        child.starts += 1
        child.restart_at = None
        reader = threading.Thread(target=self._relay, args=(child, child.process), daemon=True)
        reader.start()
        child.readers = [thread for thread in child.readers if thread.is_alive()] + [reader]
        self.say("system", f"{child.name} started (pid {child.process.pid})")

    def _relay(self, child: Child, process: subprocess.Popen) -> None:
        for raw in iter(process.stdout.readline, b""):
            self.say(child.name, raw.decode("utf-8", errors="replace").rstrip("\n"))
        process.stdout.close()

    def check(self, child: Child, now: float) -> None:
        """Notice an exit and schedule the restart; start the child when its pause is over."""
        if child.process is not None:
            code = child.process.poll()
            if code is None:
                return
            ran = now - child.started_at
            # What the dead process left running in its group (e.g. a worker's pool) goes too.
            self._signal_group(child, signal.SIGKILL)
            child.delay = (
                self.backoff
                if ran >= self.stable_after or not child.delay
                else min(child.delay * 2, self.backoff_max)
            )
            child.process = None
            child.restart_at = now + child.delay
            self.say(
                "system",
                f"{child.name} exited with status {code} after {ran:.1f} s; "
                f"restarting in {child.delay:g} s",
            )
        if child.restart_at is not None and now >= child.restart_at:
            self.start(child)

    def run(self) -> int:
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(number, self._on_signal)
        for child in self.children:
            self.start(child)
        while not self.stopping.is_set():
            now = time.monotonic()
            for child in self.children:
                self.check(child, now)
            self.stopping.wait(POLL_SECONDS)
        self.stop_all()
        return 0

    def _on_signal(self, number: int, _frame) -> None:
        if not self.stopping.is_set():
            self.say("system", f"{signal.Signals(number).name} received: stopping every process")
        self.stopping.set()

    def _signal_group(self, child: Child, number: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.process.pid, number)

    def stop_all(self) -> None:
        """SIGTERM to every main process, SIGKILL to what is left of their process groups after
        the grace period."""
        running = [child for child in self.children if child.process is not None]
        for child in running:
            with contextlib.suppress(ProcessLookupError):
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for child in running:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say("system", f"{child.name} still running after {self.grace:g} s: killed")
                self._signal_group(child, signal.SIGKILL)
                child.process.wait()
            # Anything the command left behind in its group goes too.
            self._signal_group(child, signal.SIGKILL)
            self.say("system", f"{child.name} stopped (status {child.process.returncode})")
        for child in self.children:
            for reader in child.readers:
                reader.join(timeout=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-f", "--procfile", type=Path, default=Path("Procfile"))
    parser.add_argument("--env", type=Path, default=Path(".env"), help="env file, if it exists")
    parser.add_argument("--backoff", type=float, default=1.0, help="first restart pause (s)")
    parser.add_argument("--backoff-max", type=float, default=30.0, help="longest pause (s)")
    parser.add_argument(
        "--stable-after", type=float, default=60.0, help="run time that resets the pause (s)"
    )
    parser.add_argument("--grace", type=float, default=30.0, help="SIGTERM to SIGKILL (s)")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    if args.env.exists():
        for key, value in env_file_read(args.env).items():
            env.setdefault(key, value)
    supervisor = Supervisor(
        procfile_read(args.procfile),
        env=env,
        backoff=args.backoff,
        backoff_max=args.backoff_max,
        stable_after=args.stable_after,
        grace=args.grace,
    )
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
