"""An export written by one real Celery worker (Redis + PostgreSQL) and downloaded by its owner.

A module of its own: the test commits (a transactional test), which it cannot do while the
module-scoped demo of ``test_export_jobs.py`` holds its transaction open.
"""

import datetime as dt
import io
import time

import pytest
from openpyxl import load_workbook

from org.models import Role
from reports import export_jobs, tasks
from tests.factories import MembershipFactory, UnitFactory, UserFactory, received_dossier
from tests.reports.test_export_jobs import download


@pytest.fixture
def worker_media(tmp_path, settings, monkeypatch):
    """The worker process writes into the same throw-away MEDIA_ROOT as this test."""
    folder = tmp_path / "worker-media"
    monkeypatch.setenv("MEDIA_ROOT", str(folder))
    settings.MEDIA_ROOT = folder
    return folder


@pytest.fixture
def export_worker(worker_media, celery_worker_process):
    return celery_worker_process


@pytest.mark.worker
def test_a_real_worker_writes_the_file_and_the_owner_downloads_it(
    export_worker, monkeypatch, client, worker_media
):
    send = tasks.export_job_run.apply_async
    monkeypatch.setattr(
        tasks.export_job_run,
        "apply_async",
        lambda *args, **kwargs: send(*args, queue=export_worker, **kwargs),
    )
    desk = UnitFactory(code="H32")
    for day in (2, 3):
        received_dossier(desk=desk, received_at=dt.datetime(2021, 3, day, 9, tzinfo=dt.UTC))
    user = UserFactory()
    MembershipFactory(user=user, unit=desk, role=Role.COMMITTEE_MEMBER)

    job = export_jobs.export_job_request(  # commits: a transactional test
        user=user,
        kind="report_xlsx",
        parameters={"year": 2021, "quarter": 1, "scheme": "calendar", "unit": "H32"},
        filename="bao-cao-H32-2021-q1.xlsx",
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.3)
    assert job.status == "done", (job.status, job.message)
    assert (worker_media / job.file.name).exists()
    client.force_login(user)
    workbook = load_workbook(io.BytesIO(download(client, job)))
    sheet = workbook["Tổng hợp"]
    assert sheet["C8"].value == "=SUM(D8:F8)"
    assert sheet["E8"].value == 2  # two dossiers received at the desk
