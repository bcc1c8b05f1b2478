"""Waiting for another process: poll a condition until it holds or time runs out."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(
    condition: Callable[[], T],
    *,
    seconds: float,
    what: str,
    interval: float = 0.1,
    detail: Callable[[], str] | None = None,
) -> T:
    """The first true value of ``condition()``, polled every ``interval`` seconds; after
    ``seconds`` an AssertionError naming ``what`` (and ``detail()``, e.g. a log's tail)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    message = f"gave up after {seconds} s waiting for {what}"
    raise AssertionError(f"{message}\n{detail()}" if detail else message)
