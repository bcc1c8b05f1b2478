"""A dossier change reaches the rollups through a real Celery worker (Redis + PostgreSQL;
skipped without them, failed when CCHC_REQUIRE_SERVICES=1)."""

import time

import pytest
from django.utils import timezone

from reports.models import Rollup, RollupDirty
from reports.periods import periods_containing
from reports.tasks import rollups_refresh_dirty
from tests.factories import UnitFactory, received_dossier


@pytest.mark.worker
def test_an_intake_reaches_the_rollups_through_the_worker(celery_worker_process, monkeypatch):
    send = rollups_refresh_dirty.apply_async
    # The worker of this test listens on its own queue only.
    monkeypatch.setattr(
        rollups_refresh_dirty,
        "apply_async",
        lambda *args, **kwargs: send(*args, queue=celery_worker_process, **kwargs),
    )
    desk = UnitFactory(code="H31")

    received_dossier(desk=desk, received_at=timezone.now())  # commits: transactional test

    quarter = periods_containing(timezone.localdate(), scheme="calendar", kinds=["quarter"])[0]
    assert RollupDirty.objects.filter(period_key=quarter.key, unit=desk).exists()
    deadline = time.monotonic() + 60  # the task runs after its 6-second debounce
    row = None
    while row is None and time.monotonic() < deadline:
        time.sleep(0.5)
        row = Rollup.objects.filter(period_key=quarter.key, unit=desk).first()
    assert row is not None, "the worker did not refresh the rollups within 60 s"
    assert (row.received_direct, row.received_in_period, row.received_total) == (1, 1, 1)
    assert (row.in_progress, row.in_progress_within, row.resolved) == (1, 1, 0)
    deadline = time.monotonic() + 30
    while RollupDirty.objects.filter(unit=desk).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not RollupDirty.objects.filter(unit=desk).exists()
