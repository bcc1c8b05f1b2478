"""The one background-job pattern (cchc_portal.jobs) as the catalogue import job lives it: the
same broker-down answer, claim and sweep as the export jobs (tests/reports/test_export_*.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from kombu.exceptions import OperationalError

from cchc_portal import jobs
from procedures import services, tasks
from procedures.imports import PROCEDURE_REQUIRED_COLUMNS
from procedures.models import ImportJobStatus, Procedure, ProcedureImportJob

pytestmark = pytest.mark.django_db

ROW = "1.000948,Đăng ký khai sinh,HT,Hộ tịch,commune,4,3,working_days"
QUEUE_DOWN_TEXT = "The job queue cannot be reached; the import will start as soon as it is back."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def catalogue_file() -> SimpleUploadedFile:
    text = ",".join(PROCEDURE_REQUIRED_COLUMNS) + "\n" + ROW + "\n"
    return SimpleUploadedFile("thu-tuc.csv", text.encode("utf-8"), content_type="text/csv")


def broker_down(**kwargs):
    raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")


def test_an_import_with_the_broker_down_waits_says_so_and_the_sweep_runs_it_later(
    admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with monkeypatch.context() as patch:
        patch.setattr(tasks.procedure_import_job_run, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                reverse("admin:procedures_import"), {"upload": catalogue_file()}
            )
    assert response.status_code == 302
    job = ProcedureImportJob.objects.get()
    assert (job.status, job.message) == ("queued", services.MESSAGE_IMPORT_QUEUE_DOWN)
    assert not Procedure.objects.exists()  # nothing ran in the request
    status = admin_client.get(reverse("admin:procedures_import_status", args=[job.pk])).json()
    assert (status["phase"], status["message"]) == ("queued", QUEUE_DOWN_TEXT)

    # The queue is back (eager in tests): the sweep sends the job once its grace has passed.
    assert services.procedure_import_jobs_sweep() == 0
    later = timezone.now() + jobs.QUEUED_GRACE + dt.timedelta(seconds=1)
    assert services.procedure_import_jobs_sweep(now=later) == 1
    job.refresh_from_db()
    assert (job.status, job.message, job.attempts, job.created) == ("succeeded", "", 1, 1)
    assert Procedure.objects.filter(code="1.000948").exists()


def test_the_import_sweep_leaves_the_job_queued_while_the_broker_is_still_down(
    admin_user, monkeypatch
):
    job = ProcedureImportJob.objects.create(
        upload=catalogue_file(), filename="thu-tuc.csv", created_by=admin_user
    )
    monkeypatch.setattr(tasks.procedure_import_job_run, "delay", broker_down)
    later = timezone.now() + jobs.QUEUED_GRACE + dt.timedelta(seconds=1)
    assert services.procedure_import_jobs_sweep(now=later) == 1
    job.refresh_from_db()
    assert (job.status, job.message) == ("queued", services.MESSAGE_IMPORT_QUEUE_DOWN)


def test_an_import_job_is_claimed_once(admin_user):
    job = ProcedureImportJob.objects.create(
        upload=catalogue_file(), filename="thu-tuc.csv", created_by=admin_user
    )
    assert tasks.procedure_import_job_run(job_id=job.pk) == ImportJobStatus.SUCCEEDED
    # A second delivery of the same message finds the job finished and leaves it alone.
    assert services.IMPORT_JOBS.claim(job.pk) is False
    assert tasks.procedure_import_job_run(job_id=job.pk) == ImportJobStatus.SUCCEEDED
    job.refresh_from_db()
    assert (job.attempts, job.created, Procedure.objects.count()) == (1, 1, 1)


def test_an_import_left_running_by_a_killed_worker_runs_again_then_gives_up(admin_user):
    job = ProcedureImportJob.objects.create(
        upload=catalogue_file(), filename="thu-tuc.csv", created_by=admin_user
    )
    started = timezone.now() - dt.timedelta(hours=1)
    ProcedureImportJob.objects.filter(pk=job.pk).update(
        status="running", started_at=started, attempts=1
    )
    # Still within the time limit: left alone.
    assert services.procedure_import_jobs_sweep(now=started + dt.timedelta(minutes=5)) == 0
    assert services.procedure_import_jobs_sweep() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.created) == ("succeeded", 2, 1)

    stuck = ProcedureImportJob.objects.create(
        upload=catalogue_file(), filename="b.csv", created_by=admin_user
    )
    ProcedureImportJob.objects.filter(pk=stuck.pk).update(
        status="running", started_at=started, attempts=jobs.MAX_ATTEMPTS
    )
    assert services.procedure_import_jobs_sweep() == 0
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert stuck.finished_at is not None
    with translation.override(settings.LANGUAGE_CODE):
        assert stuck.errors == gettext(services.MESSAGE_IMPORT_GAVE_UP)
