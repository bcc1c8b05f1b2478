"""``make serve``'s supervisor (issue 17): a process that dies is started again with a growing
pause and its siblings keep running; SIGTERM stops them all. Real processes, cheap commands
(sh and sleep), no portal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cchc_portal.supervise import env_file_read, procfile_read
from tests.conftest import ROOT

from .polling import wait_for


def _supervise(procfile: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cchc_portal.supervise", "-f", str(procfile), *options],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_it_restarts_a_process_that_dies_and_leaves_its_siblings_alone(tmp_path):
    crashes, steady = tmp_path / "crashes", tmp_path / "steady"
    procfile = tmp_path / "Procfile"
    procfile.write_text(
        f"crasher: echo $$ >> {crashes}; sleep 0.2; exit 3\n"
        f"steady: echo $$ >> {steady}; exec sleep 60\n"
    )
    supervisor = _supervise(procfile, "--backoff", "0.2", "--backoff-max", "0.8", "--grace", "5")
    try:
        # Pauses 0.2, 0.4, 0.8, 0.8 s after each 0.2 s run: five starts in about 3.2 s.
        wait_for(lambda: len(_lines(crashes)) >= 5, seconds=20, what="five starts of crasher")
        assert supervisor.poll() is None, "the supervisor must outlive a crashing child"
        assert len(set(_lines(crashes))) == len(_lines(crashes)), "each start is a new process"
        (steady_pid,) = map(int, _lines(steady))  # started once, never restarted
        assert _alive(steady_pid)
    finally:
        supervisor.send_signal(signal.SIGTERM)
        output, _ = supervisor.communicate(timeout=20)
    assert supervisor.returncode == 0, output
    assert not _alive(steady_pid), "SIGTERM to the supervisor stops its children"
    assert "crasher exited with status 3" in output
    pauses = [
        line.rsplit("restarting in ", 1)[1] for line in output.splitlines() if "restarting" in line
    ]
    assert pauses[:4] == ["0.2 s", "0.4 s", "0.8 s", "0.8 s"], output
    assert "steady stopped" in output


def test_a_process_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path):
    pid_file = tmp_path / "stubborn"
    procfile = tmp_path / "Procfile"
    procfile.write_text(
        f"stubborn: trap '' TERM; echo $$ > {pid_file}; while :; do sleep 0.1; done\n"
    )
    supervisor = _supervise(procfile, "--grace", "1")
    wait_for(lambda: _lines(pid_file), seconds=10, what="the stubborn process to start")
    (pid,) = map(int, _lines(pid_file))
    started = time.monotonic()
    supervisor.send_signal(signal.SIGTERM)
    output, _ = supervisor.communicate(timeout=20)
    took = time.monotonic() - started
    assert supervisor.returncode == 0, output
    assert 1 <= took < 10, took
    assert "still running after 1 s: killed" in output
    assert not _alive(pid)


def test_it_reads_the_procfile_and_the_env_file(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text(
        "# the portal\nweb: gunicorn app --bind ${HOST:-127.0.0.1}:8000\n\nbeat:  celery beat \n"
    )
    assert procfile_read(procfile) == [
        ("web", "gunicorn app --bind ${HOST:-127.0.0.1}:8000"),
        ("beat", "celery beat"),
    ]
    procfile.write_text("web gunicorn\n")
    with pytest.raises(ValueError, match="expected 'name: command'"):
        procfile_read(procfile)
    env = tmp_path / ".env"
    env.write_text("# secrets\nexport SECRET_KEY='a=b'\nPORT=8001\nBROKEN\n")
    assert env_file_read(env) == {"SECRET_KEY": "a=b", "PORT": "8001"}


def test_the_project_procfile_names_web_worker_and_beat():
    assert [name for name, _command in procfile_read(ROOT / "Procfile")] == [
        "web",
        "worker",
        "beat",
    ]


def test_a_simple_command_replaces_its_shell_so_sigterm_reaches_it(tmp_path):
    # gunicorn and Celery get SIGTERM themselves and stop their own children gracefully.
    procfile = tmp_path / "Procfile"
    procfile.write_text("single: sleep 60\n")
    supervisor = _supervise(procfile, "--grace", "5")
    try:
        line = wait_for(lambda: supervisor.stdout.readline(), seconds=10, what="the start line")
        pid = int(line.rsplit("(pid ", 1)[1].rstrip(")\n"))
        wait_for(
            lambda: Path(f"/proc/{pid}/comm").read_text().strip() == "sleep",
            seconds=10,
            what="the shell to exec sleep",
        )
    finally:
        supervisor.send_signal(signal.SIGTERM)
        output, _ = supervisor.communicate(timeout=20)
    assert supervisor.returncode == 0, output
    assert "single stopped (status -15)" in output  # sleep itself ended by SIGTERM
