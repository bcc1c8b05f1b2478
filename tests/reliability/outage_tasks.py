"""Tasks that only the reliability tests' worker processes load (``celery worker --include
tests.reliability.outage_tasks``): a task that holds its worker for a while, so that a test
can take the broker away while a message is being worked on. Each run leaves a line in a
file the test reads, since the tests run with no result backend."""

from __future__ import annotations

import os
import time
from pathlib import Path

from celery import shared_task


def _note(path: str, line: str) -> None:
    with Path(path).open("a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())


@shared_task(name="tests.reliability.outage_tasks.hold", acks_late=True)
def hold(log_path: str, label: str, seconds: float) -> str:
    """Write "started <label>", sleep ``seconds``, write "finished <label>"."""
    _note(log_path, f"started {label}")
    time.sleep(seconds)
    _note(log_path, f"finished {label}")
    return label
