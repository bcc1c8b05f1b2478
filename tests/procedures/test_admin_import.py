"""Importing the catalogue from the admin: upload, a background job, progress, error report."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from kombu.exceptions import OperationalError
from openpyxl import Workbook

from procedures import services
from procedures.imports import PROCEDURE_REQUIRED_COLUMNS
from procedures.models import ImportJobStatus, Procedure, ProcedureImportJob, ProcedureVersion

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:procedures_import")
CHANGELIST = reverse("admin:procedures_procedureversion_changelist")

HEADER = [*PROCEDURE_REQUIRED_COLUMNS, "valid_from"]
BIRTH = [
    "1.000948",
    "Đăng ký khai sinh",
    "HT",
    "Hộ tịch",
    "commune",
    "4",
    "3",
    "working_days",
    "2021-01-01",
]
LAND = [
    "1.001234",
    "Cấp giấy chứng nhận quyền sử dụng đất",
    "DD",
    "Đất đai",
    "district;province",
    "partial",
    "0,5",
    "calendar_days",
    "2021-01-01",
]


def job_url(job: ProcedureImportJob, name: str = "procedures_import_job") -> str:
    return reverse(f"admin:{name}", args=[job.pk])


def csv_upload(rows: list[list[str]], name: str = "thu-tuc.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows: list[list[str]], name: str = "thu-tuc.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return SimpleUploadedFile(name, content.getvalue())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client: Client, file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(IMPORT, {"upload": file})


def test_it_links_the_import_from_the_catalogue_list(admin_client):
    response = admin_client.get(CHANGELIST)

    assert IMPORT in response.content.decode()


def test_it_imports_a_good_file(admin_client, admin_user, django_capture_on_commit_callbacks):
    response = upload(
        admin_client, csv_upload([HEADER, BIRTH, LAND]), django_capture_on_commit_callbacks
    )

    job = ProcedureImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_url(job)
    assert job.status == ImportJobStatus.SUCCEEDED
    assert (job.created, job.updated, job.unchanged) == (2, 0, 0)
    assert (job.rows_total, job.rows_done) == (2, 2)
    assert job.filename == "thu-tuc.csv"
    assert job.created_by == admin_user
    assert job.finished_at is not None
    assert sorted(Procedure.objects.values_list("code", flat=True)) == ["1.000948", "1.001234"]
    assert set(ProcedureVersion.objects.values_list("published_by", flat=True)) == {admin_user.pk}


def test_it_imports_an_xlsx_file(admin_client, django_capture_on_commit_callbacks):
    upload(admin_client, xlsx_upload([HEADER, BIRTH, LAND]), django_capture_on_commit_callbacks)

    job = ProcedureImportJob.objects.get()
    assert (job.status, job.created, job.filename) == (ImportJobStatus.SUCCEEDED, 2, "thu-tuc.xlsx")


def test_it_shows_the_counts_of_a_finished_job(admin_client, django_capture_on_commit_callbacks):
    upload(admin_client, csv_upload([HEADER, BIRTH, LAND]), django_capture_on_commit_callbacks)
    job = ProcedureImportJob.objects.get()

    response = admin_client.get(job_url(job))

    assert response.status_code == 200
    assert 'data-testid="import-counts"' in response.content.decode()
    assert "<script>" not in response.content.decode()  # finished: nothing to poll


def test_it_writes_nothing_from_a_bad_file_and_reports_every_error(
    admin_client, django_capture_on_commit_callbacks
):
    bad = list(LAND)
    bad[HEADER.index("online_level")] = "5"
    nameless = list(BIRTH)
    nameless[HEADER.index("name")] = ""

    upload(admin_client, csv_upload([HEADER, nameless, bad]), django_capture_on_commit_callbacks)

    job = ProcedureImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert not Procedure.objects.exists()
    expected = [
        "row 2: name: là bắt buộc",
        "row 3: online_level: '5' không thuộc các giá trị 1|2|3|4|partial|full",
    ]
    assert job.error_lines() == expected
    page = admin_client.get(job_url(job)).content.decode()
    assert job_url(job, "procedures_import_errors") in page
    assert "row 2: name: là bắt buộc" in page


def test_it_downloads_the_error_report_as_csv(admin_client, django_capture_on_commit_callbacks):
    bad = list(LAND)
    bad[HEADER.index("online_level")] = "5"
    upload(admin_client, csv_upload([HEADER, BIRTH, bad]), django_capture_on_commit_callbacks)
    job = ProcedureImportJob.objects.get()

    response = admin_client.get(job_url(job, "procedures_import_errors"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["row", "column", "message"],
        ["3", "online_level", "'5' không thuộc các giá trị 1|2|3|4|partial|full"],
    ]
    assert [f"row {r}: {c}: {m}" for r, c, m in rows[1:]] == job.error_lines()


def test_it_fails_a_file_without_required_columns(admin_client, django_capture_on_commit_callbacks):
    upload(
        admin_client, csv_upload([["code", "name"], BIRTH[:2]]), django_capture_on_commit_callbacks
    )

    job = ProcedureImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert len(job.error_lines()) == 1
    assert "sector_code" in job.errors
    assert not Procedure.objects.exists()
    rows = list(
        csv.reader(
            io.StringIO(
                admin_client.get(job_url(job, "procedures_import_errors")).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[1][:2] == ["", ""]


def test_it_refuses_a_file_that_is_not_csv_or_xlsx(
    admin_client, django_capture_on_commit_callbacks
):
    file = SimpleUploadedFile("thu-tuc.pdf", b"%PDF-1.4", content_type="application/pdf")

    response = upload(admin_client, file, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert response.context["form"].errors["upload"] == [
        "'thu-tuc.pdf' không phải tệp CSV hoặc XLSX; hãy lưu tệp dưới dạng .csv hoặc .xlsx."
    ]
    assert not ProcedureImportJob.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(
    admin_client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("procedures.admin.IMPORT_MAX_BYTES", 10)

    response = upload(admin_client, csv_upload([HEADER, BIRTH]), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "upload" in response.context["form"].errors
    assert not ProcedureImportJob.objects.exists()


@pytest.mark.parametrize(
    "name", ["procedures_import_job", "procedures_import_status", "procedures_import_errors"]
)
def test_it_hides_jobs_from_a_desk_officer(desk_client, admin_user, name):
    job = ProcedureImportJob.objects.create(
        upload="imports/x.csv", filename="x.csv", created_by=admin_user
    )

    assert desk_client.get(job_url(job, name)).status_code == 403


def test_it_does_not_let_a_desk_officer_upload(desk_client, django_capture_on_commit_callbacks):
    assert desk_client.get(IMPORT).status_code == 403
    response = upload(desk_client, csv_upload([HEADER, BIRTH]), django_capture_on_commit_callbacks)

    assert response.status_code == 403
    assert not ProcedureImportJob.objects.exists()
    assert not Procedure.objects.exists()


def test_it_reports_the_status_as_json(admin_client, admin_user):
    job = ProcedureImportJob.objects.create(
        upload="imports/x.csv",
        filename="x.csv",
        created_by=admin_user,
        status=ImportJobStatus.RUNNING,
        rows_total=400,
        rows_done=200,
    )

    response = admin_client.get(job_url(job, "procedures_import_status"))

    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "id",
        "status",
        "phase",
        "message",
        "finished",
        "rows_total",
        "rows_done",
        "percent",
        "created",
        "updated",
        "unchanged",
        "error_count",
    }
    assert (data["status"], data["phase"], data["percent"]) == ("running", "checking", 50)
    assert (data["rows_total"], data["rows_done"], data["finished"]) == (400, 200, False)


def test_it_polls_while_the_job_runs(admin_client, admin_user):
    job = ProcedureImportJob.objects.create(
        upload="imports/x.csv", filename="x.csv", created_by=admin_user
    )

    page = admin_client.get(job_url(job)).content.decode()

    assert job_url(job, "procedures_import_status") in page
    assert "fetch(" in page
    assert admin_client.get(job_url(job, "procedures_import_status")).json()["phase"] == "queued"


def test_it_reports_progress_while_checking_rows(admin_user, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_PROGRESS_EVERY", 2)
    seen: list[tuple[int | None, int]] = []
    real_update = services._rows_with_progress

    def spying(rows, *, jobs):
        for row in real_update(rows, jobs=jobs):
            seen.append(jobs.values_list("rows_total", "rows_done").get())
            yield row

    monkeypatch.setattr(services, "_rows_with_progress", spying)
    rows = [HEADER] + [[f"1.00{number:04d}", *BIRTH[1:]] for number in range(1, 6)]
    job = ProcedureImportJob.objects.create(
        upload=csv_upload(rows), filename="thu-tuc.csv", created_by=admin_user
    )

    job = services.procedure_import_job_run(job_id=job.pk)

    assert job.status == ImportJobStatus.SUCCEEDED
    assert seen == [(5, 0), (5, 0), (5, 2), (5, 2), (5, 4)]
    assert (job.rows_total, job.rows_done, job.created) == (5, 5, 5)


def test_it_runs_a_finished_job_only_once(admin_user):
    job = ProcedureImportJob.objects.create(
        upload=csv_upload([HEADER, BIRTH]), filename="thu-tuc.csv", created_by=admin_user
    )
    first = services.procedure_import_job_run(job_id=job.pk)

    again = services.procedure_import_job_run(job_id=job.pk)

    assert (again.status, again.created, again.unchanged) == (ImportJobStatus.SUCCEEDED, 1, 0)
    assert again.finished_at == first.finished_at


def test_it_leaves_the_job_queued_saying_why_when_the_broker_is_down(
    admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    # The export jobs' rule (cchc_portal.jobs): nothing runs in the request; the sweep sends
    # the job once the queue is back (tests/test_jobs.py).
    def broker_down(**kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr("procedures.tasks.procedure_import_job_run.delay", broker_down)

    upload(admin_client, csv_upload([HEADER, BIRTH]), django_capture_on_commit_callbacks)

    job = ProcedureImportJob.objects.get()
    assert (job.status, job.message) == (
        ImportJobStatus.QUEUED,
        services.MESSAGE_IMPORT_QUEUE_DOWN,
    )
    assert not Procedure.objects.exists()
