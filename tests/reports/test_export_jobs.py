"""Exports as jobs: asked for on the dashboard and the drill-down, written by Celery (eager in
tests, one real worker when Redis and PostgreSQL are there), progress at real steps, owner-only
download, never lost when the broker is down, and cleaned up after some days."""

import datetime as dt
import io
import uuid

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from openpyxl import load_workbook

from org.models import Role, Unit
from reports import export_jobs, tasks
from reports.exports import PROGRESS_EVERY_ROWS, dossiers_xlsx
from reports.models import ExportJob
from tests.factories import UserFactory, member

PROVINCE = "000.00.00.H21"
DISTRICT = "000.00.37.H21"
COMMUNE_A = "001.37.H21"
COMMUNE_B = "002.37.H21"
Q1_2021 = "calendar:quarter:2021:1"
REPORT = {"year": 2021, "quarter": 1, "scheme": "calendar", "unit": PROVINCE}
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def committee(client, demo_data):
    client.user = member(PROVINCE)
    client.force_login(client.user)
    return client


@pytest.fixture
def progress_log(monkeypatch):
    """Every (percent, message) a job reports, as it reports it."""
    calls = []
    original = export_jobs._Progress.__call__

    def spy(self, percent, message=None):
        calls.append((int(percent), message))
        return original(self, percent, message)

    monkeypatch.setattr(export_jobs._Progress, "__call__", spy)
    return calls


def download(client, job: ExportJob) -> bytes:
    response = client.get(reverse("reports:export_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# Asking on the page (htmx) under eager Celery: the link at once ------------------------------


@pytest.mark.django_db
def test_the_xlsx_report_is_ready_at_once_and_the_fragment_links_it(
    committee, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = committee.post(reverse("reports:export", args=["xlsx"]), REPORT, **HTMX)
    assert response.status_code == 200
    job = ExportJob.objects.get()
    assert (job.requested_by, job.kind, job.status, job.progress) == (
        committee.user,
        "report_xlsx",
        "done",
        100,
    )
    assert job.parameters == REPORT
    assert job.filename == "bao-cao-000.00.00.H21-2021-q1.xlsx"
    assert job.attempts == 1 and job.started_at and job.finished_at
    # (The fragment answered is drawn before the test's transaction "commits"; the browser test
    # sees the link in it. Asked again, the fragment links the file.)
    page = committee.get(reverse("reports:export_job", args=[job.pk]), **HTMX).content.decode()
    link = reverse("reports:export_download", args=[job.pk])
    assert f'href="{link}"' in page
    assert 'aria-valuenow="100"' in page
    assert "hx-get" not in page  # finished: it stops asking
    # The file is in the default storage (MEDIA_ROOT), under exports/.
    assert job.file.name.startswith(f"exports/{job.created_at:%Y/%m}/{job.pk}")
    assert (settings.MEDIA_ROOT / job.file.name).exists()

    answer = committee.get(link)
    assert answer["Content-Disposition"] == (
        'attachment; filename="bao-cao-000.00.00.H21-2021-q1.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert workbook.sheetnames == ["Tổng hợp", "Cấp huyện", "Cấp xã", "Cấp tỉnh"]
    assert workbook["Cấp huyện"]["C8"].value == "=SUM(D8:F8)"
    assert workbook["Cấp huyện"]["D8"].value + workbook["Cấp huyện"]["E8"].value == 193


@pytest.mark.django_db
def test_the_xlsx_report_reports_its_progress_per_sheet(
    committee, django_capture_on_commit_callbacks, progress_log
):
    with django_capture_on_commit_callbacks(execute=True):
        committee.post(reverse("reports:export", args=["xlsx"]), REPORT, **HTMX)
    # The figures, then 40 % → 95 % over the summary and the 3 level sheets, then saving.
    assert progress_log == [
        (5, "Reading the figures"),
        (40, "Writing the sheets"),
        (53, None),
        (67, None),
        (81, None),
        (95, None),
        (99, "Saving the file"),
    ]


@pytest.mark.django_db
def test_the_word_report_draws_its_charts_in_steps(
    committee, django_capture_on_commit_callbacks, progress_log
):
    import docx

    with django_capture_on_commit_callbacks(execute=True):
        committee.post(reverse("reports:export", args=["docx"]), REPORT, **HTMX)
    job = ExportJob.objects.get()
    assert (job.kind, job.status, job.filename) == (
        "report_docx",
        "done",
        "bao-cao-000.00.00.H21-2021-q1.docx",
    )
    assert [message for _percent, message in progress_log if message] == [
        "Reading the figures",
        "Drawing the charts",
        "Writing the report",
        "Saving the file",
    ]
    document = docx.Document(io.BytesIO(download(committee, job)))
    assert "3.136" in "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert len(document.inline_shapes) == 2


@pytest.mark.django_db
def test_without_javascript_the_job_has_its_own_page(committee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = committee.post(reverse("reports:export", args=["docx"]), REPORT)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:export_job", args=[job.pk])
    page = committee.get(response["Location"]).content.decode()
    assert reverse("reports:export_download", args=[job.pk]) in page
    assert 'http-equiv="refresh"' not in page  # done: nothing to wait for


@pytest.mark.django_db
def test_the_dashboard_lists_the_users_recent_exports(
    committee, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        committee.post(reverse("reports:export", args=["xlsx"]), REPORT, **HTMX)
    mine = ExportJob.objects.get()
    other = member(PROVINCE)
    ExportJob.objects.create(requested_by=other, kind="report_docx", filename="khac.docx")
    response = committee.get(reverse("reports:dashboard"), {"year": 2021, "quarter": 1})
    assert response.context["export_jobs"] == [mine]
    page = response.content.decode()
    assert reverse("reports:export_download", args=[mine.pk]) in page
    assert "khac.docx" not in page
    assert "django_htmx/htmx-2.min.js" in page  # served locally, no CDN


# The dossiers behind a figure: streamed, per 1,000 rows ---------------------------------------


@pytest.mark.django_db
def test_the_drilldown_exports_every_dossier_behind_the_figure(
    committee, django_capture_on_commit_callbacks, progress_log
):
    params = {"period": Q1_2021, "unit": PROVINCE, "counter": "received_total"}
    page = committee.get(reverse("reports:drilldown"), params)
    assert reverse("reports:drilldown_export") in page.content.decode()
    assert page.context["export_fields"] == params
    with django_capture_on_commit_callbacks(execute=True):
        response = committee.post(reverse("reports:drilldown_export"), params, **HTMX)
    assert response.status_code == 200
    job = ExportJob.objects.get()
    assert (job.kind, job.status) == ("dossiers_xlsx", "done")
    assert job.filename == "ho-so-000.00.00.H21-received_total-2021-quarter1.xlsx"
    # 3,329 rows: 5 % once counted, then every 1,000 rows 5 + 90 × rows / 3,329.
    assert progress_log == [
        (5, "Writing the dossiers"),
        (32, None),
        (59, None),
        (86, None),
        (99, "Saving the file"),
    ]
    workbook = load_workbook(io.BytesIO(download(committee, job)), read_only=True)
    sheet = workbook["Danh sách hồ sơ"]
    rows = list(sheet.iter_rows(values_only=True))
    # The file is a Vietnamese document, whatever the page's language.
    assert rows[0][0] == "Tổng số hồ sơ tiếp nhận"
    assert rows[1][0] == Unit.objects.get(code=PROVINCE).name
    assert rows[2][0] == "Quý 1/2021 (từ 01/01/2021 đến 31/03/2021) · 3.329 hồ sơ"
    header = rows[4]
    assert header[:4] == ("STT", "Mã hồ sơ", "Mã thủ tục", "Tên thủ tục")
    data = rows[5:]
    assert len(data) == 3329
    assert [row[0] for row in data[:3]] == [1, 2, 3]
    codes = [row[1] for row in data]
    assert len(set(codes)) == 3329
    assert sum(1 for row in data if row[11] == "Có") == 307
    # Oldest received first; the last one is the commune dossier received on 31 March.
    assert data[0][7] <= data[1][7] <= data[-1][7]
    assert data[-1][7].date() == dt.date(2021, 3, 31)
    assert isinstance(data[0][7], dt.datetime)


@pytest.mark.django_db
def test_the_dossiers_not_yet_recorded_export_as_a_list(
    committee, django_capture_on_commit_callbacks
):
    params = {"period": Q1_2021, "unit": COMMUNE_B, "counter": "not_digitised", "own": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        committee.post(reverse("reports:drilldown_export"), params, **HTMX)
    job = ExportJob.objects.get()
    assert job.status == "done", job.message
    rows = list(
        load_workbook(io.BytesIO(download(committee, job)), read_only=True)[
            "Danh sách hồ sơ"
        ].iter_rows(values_only=True)
    )[5:]
    listed = committee.get(reverse("reports:drilldown"), params)
    assert len(rows) == listed.context["page_obj"].paginator.count > 0
    assert {row[11] for row in rows} == {"Không"}
    assert {row[5] for row in rows} == {Unit.objects.get(code=COMMUNE_B).name}


def test_the_dossier_list_neutralises_formulas_and_writes_local_times():
    received = dt.datetime(2021, 3, 2, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hà Nội
    rows = [
        (
            "001.37.H21-210302-0001",
            "1.000001",
            '=HYPERLINK("http://x")',
            "+84 912",
            "@Xã A",
            "Trực tiếp",
            received,
            received,
            None,
            "-1",
            "Có",
        )
    ]
    stream = io.BytesIO()
    written = dossiers_xlsx(rows, stream, titles=["=Tiêu đề", "Đơn vị"])
    assert written == 1
    sheet = load_workbook(stream)["Danh sách hồ sơ"]
    assert sheet["A1"].value == "'=Tiêu đề"
    assert [sheet[f"{c}4"].value for c in "ABC"] == ["STT", "Mã hồ sơ", "Mã thủ tục"]
    assert [sheet[f"{c}5"].value for c in "DEFK"] == [
        '\'=HYPERLINK("http://x")',
        "'+84 912",
        "'@Xã A",
        "'-1",
    ]
    assert sheet["H5"].value == dt.datetime(2021, 3, 2, 9, 0)
    assert sheet["H5"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet.freeze_panes == "C5"


def test_the_dossier_list_reports_every_thousand_rows():
    seen = []
    rows = (("X", "1", "T", "A", "U", "K", None, None, None, "S", "Không") for _ in range(2500))
    written = dossiers_xlsx(rows, io.BytesIO(), titles=["T"], progress=seen.append)
    assert written == 2500
    assert PROGRESS_EVERY_ROWS == 1000
    assert seen == [1000, 2000]


@pytest.mark.django_db
def test_the_drilldown_export_checks_its_parameters_and_the_users_units(client, demo_data):
    client.force_login(member(COMMUNE_A, Role.DESK_OFFICER))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("reports:drilldown_export")
    other = {"period": Q1_2021, "unit": COMMUNE_B, "counter": "received_total"}
    assert client.post(url, other).status_code == 404
    bad = client.post(url, {"period": Q1_2021, "unit": COMMUNE_A, "counter": "nope"})
    assert bad.status_code == 400
    assert "Select a valid choice." in bad.content.decode()
    future = client.post(
        url, {"period": "calendar:quarter:2099:1", "unit": COMMUNE_A, "counter": "resolved"}
    )
    assert future.status_code == 400
    assert client.get(url, other).status_code == 405
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_a_refused_export_answers_400_with_its_message_for_the_page(committee):
    committee.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("reports:export", args=["xlsx"])
    fragment = committee.post(url, {**REPORT, "year": "1999"}, **HTMX)
    # htmx puts it where the job would have been (the page's htmx-config swaps a 400).
    assert fragment.status_code == 400
    text = fragment.content.decode()
    assert 'data-testid="bad-request"' in text and "greater than or equal to 2000" in text
    assert "<html" not in text
    page = committee.post(url, {**REPORT, "year": "1999"})
    assert page.status_code == 400 and "<html" in page.content.decode()
    assert not ExportJob.objects.exists()
    dashboard = committee.get(reverse("reports:dashboard"), {"year": 2021, "quarter": 1})
    assert '"code": "400", "swap": true' in dashboard.content.decode()


# Owner only ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_user_who_asked_sees_and_downloads_the_export(
    committee, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        committee.post(reverse("reports:export", args=["xlsx"]), REPORT, **HTMX)
    job = ExportJob.objects.get()
    status = reverse("reports:export_job", args=[job.pk])
    link = reverse("reports:export_download", args=[job.pk])
    assert committee.get(status).status_code == 200
    assert committee.get(link).status_code == 200

    # Another committee member of the same province: as if the job did not exist.
    colleague = member(PROVINCE)
    committee.force_login(colleague)
    assert committee.get(status).status_code == 404
    assert committee.get(link).status_code == 404
    assert committee.get(status, **HTMX).status_code == 404
    missing = reverse("reports:export_download", args=[uuid.uuid4()])
    assert committee.get(missing).status_code == 404

    committee.logout()
    assert committee.get(link).status_code == 302  # to the login page


@pytest.mark.django_db
def test_a_job_not_done_or_whose_file_is_gone_has_nothing_to_download(committee):
    job = ExportJob.objects.create(
        requested_by=committee.user, kind="report_xlsx", parameters=REPORT, filename="a.xlsx"
    )
    link = reverse("reports:export_download", args=[job.pk])
    assert committee.get(link).status_code == 404
    # Without JavaScript the job's page refreshes itself while the job is not finished.
    page = committee.get(reverse("reports:export_job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert link not in page
    ExportJob.objects.filter(pk=job.pk).update(status="done", file="exports/gone.xlsx")
    assert committee.get(link).status_code == 404


# Never lost: broker down, killed worker, duplicate delivery -----------------------------------


@pytest.mark.django_db
def test_with_the_broker_down_the_job_waits_and_the_sweep_sends_it_later(
    committee, django_capture_on_commit_callbacks, monkeypatch
):
    committee.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.export_job_run, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = committee.post(reverse("reports:export", args=["xlsx"]), REPORT, **HTMX)
    # The request succeeded; the job is kept, queued, and the page says why it waits.
    assert response.status_code == 200
    job = ExportJob.objects.get()
    assert (job.status, job.progress) == ("queued", 0)
    page = committee.get(reverse("reports:export_job", args=[job.pk]), **HTMX).content.decode()
    assert "The job queue cannot be reached" in page
    assert f'hx-get="{reverse("reports:export_job", args=[job.pk])}"' in page  # it keeps asking
    assert "export_download" not in page and "tai-ve" not in page

    # Too early for the sweep: a job may wait a little for a busy worker.
    assert export_jobs.export_jobs_sweep() == 0
    monkeypatch.undo()
    later = timezone.now() + export_jobs.QUEUED_GRACE + dt.timedelta(seconds=1)
    assert export_jobs.export_jobs_sweep(now=later) == 1
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    fragment = committee.get(reverse("reports:export_job", args=[job.pk]), **HTMX)
    assert reverse("reports:export_download", args=[job.pk]) in fragment.content.decode()


@pytest.mark.django_db
def test_a_job_left_running_by_a_killed_worker_runs_again_then_gives_up(committee):
    job = ExportJob.objects.create(
        requested_by=committee.user, kind="report_xlsx", parameters=REPORT, filename="a.xlsx"
    )
    started = timezone.now() - dt.timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(status="running", started_at=started, attempts=1)
    # Still within the time limit: left alone.
    assert export_jobs.export_jobs_sweep(now=started + dt.timedelta(minutes=5)) == 0
    assert export_jobs.export_jobs_sweep() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)

    stuck = ExportJob.objects.create(
        requested_by=committee.user, kind="report_xlsx", parameters=REPORT, filename="b.xlsx"
    )
    ExportJob.objects.filter(pk=stuck.pk).update(
        status="running", started_at=started, attempts=export_jobs.MAX_ATTEMPTS
    )
    assert export_jobs.export_jobs_sweep() == 0
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert stuck.message == export_jobs.MESSAGE_GAVE_UP


@pytest.mark.django_db
def test_a_job_delivered_twice_is_written_once(committee):
    job = ExportJob.objects.create(
        requested_by=committee.user, kind="report_xlsx", parameters=REPORT, filename="a.xlsx"
    )
    assert tasks.export_job_run(str(job.pk)) == "done"
    assert tasks.export_job_run(str(job.pk)) is None
    job.refresh_from_db()
    assert job.attempts == 1


# Failures are shown, not hidden ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_for_a_unit_the_user_may_no_longer_see_fails_with_the_reason(client, demo_data):
    user = member(COMMUNE_A, Role.DESK_OFFICER)
    job = ExportJob.objects.create(
        requested_by=user,
        kind="report_xlsx",
        parameters={**REPORT, "unit": COMMUNE_B},
        filename="a.xlsx",
    )
    export_jobs.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.message, job.file.name) == (
        "failed",
        "You may no longer see this unit.",
        "",
    )
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    fragment = client.get(reverse("reports:export_job", args=[job.pk]), **HTMX).content.decode()
    assert "You may no longer see this unit." in fragment
    assert "hx-get" not in fragment


@pytest.mark.django_db
def test_a_job_that_breaks_fails_and_is_logged(committee, monkeypatch, caplog):
    def broken(job, handle, progress):
        raise RuntimeError("disk full")

    monkeypatch.setitem(export_jobs.WRITERS, "report_xlsx", broken)
    job = ExportJob.objects.create(
        requested_by=committee.user, kind="report_xlsx", parameters=REPORT, filename="a.xlsx"
    )
    assert tasks.export_job_run(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.message == export_jobs.MESSAGE_FAILED
    assert job.finished_at is not None
    assert "disk full" in caplog.text


@pytest.mark.django_db
def test_bad_parameters_fail_the_job(committee):
    job = ExportJob.objects.create(
        requested_by=committee.user,
        kind="report_docx",
        parameters={**REPORT, "quarter": "x"},
        filename="a.docx",
    )
    export_jobs.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", export_jobs.MESSAGE_INVALID)


# Old files are cleaned up ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_cleanup_deletes_old_jobs_and_their_files():
    user = UserFactory()
    now = timezone.now()

    def job_of(days: int, name: str) -> ExportJob:
        stored = default_storage.save(f"exports/test/{name}", ContentFile(b"x"))
        return ExportJob.objects.create(
            requested_by=user,
            kind="report_xlsx",
            filename=name,
            status="done",
            file=stored,
            created_at=now - dt.timedelta(days=days),
        )

    old, older, recent = job_of(8, "old.xlsx"), job_of(30, "older.xlsx"), job_of(6, "new.xlsx")
    never_written = ExportJob.objects.create(
        requested_by=user,
        kind="report_xlsx",
        filename="failed.xlsx",
        status="failed",
        created_at=now - dt.timedelta(days=9),
    )
    assert export_jobs.export_jobs_cleanup(older_than_days=7, now=now) == 3
    assert list(ExportJob.objects.all()) == [recent]
    assert not default_storage.exists(old.file.name)
    assert not default_storage.exists(older.file.name)
    assert default_storage.exists(recent.file.name)
    assert not ExportJob.objects.filter(pk=never_written.pk).exists()


@pytest.mark.django_db
def test_the_cleanup_keeps_a_week_unless_told(settings):
    user = UserFactory()
    ExportJob.objects.create(
        requested_by=user,
        kind="report_xlsx",
        filename="a.xlsx",
        created_at=timezone.now() - dt.timedelta(days=8),
    )
    ExportJob.objects.create(
        requested_by=user,
        kind="report_xlsx",
        filename="b.xlsx",
        created_at=timezone.now() - dt.timedelta(days=3),
    )
    assert tasks.export_jobs_cleanup() == 1
    settings.EXPORT_JOBS_KEEP_DAYS = 2
    assert tasks.export_jobs_cleanup() == 1
    assert not ExportJob.objects.exists()
