"""The committee pages: the standing office records and follows; a unit's staff see and report
only on their own unit's tasks, anything else answers 404."""

import datetime as dt
import io

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committee import services
from committee.models import Conclusion, Meeting, Task, TaskReport
from tests.committee.conftest import assigned

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def test_the_standing_office_records_a_meeting_a_conclusion_and_a_task(
    office, district, commune_a, commune_b
):
    client = client_for(office)
    response = client.post(
        reverse("committee:meeting_create"),
        {
            "unit": district.pk,
            "held_on": "2021-03-25",
            "kind": "quarterly",
            "title": "Họp BCĐ CCHC quý I/2021",
            "chair": "Nay Y Phú",
            "notice_number": "45/TB-UBND",
            "notice_date": "2021-03-26",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("committee:meeting_detail", args=[meeting.pk])
    response = client.post(
        reverse("committee:conclusion_add", args=[meeting.pk]), {"text": "Tăng cường iGate"}
    )
    assert response.status_code == 302
    conclusion = Conclusion.objects.get()
    response = client.post(
        reverse("committee:task_assign", args=[meeting.pk]),
        {
            "conclusion": conclusion.pk,
            "title": "Cập nhật hồ sơ lên iGate",
            "lead_unit": commune_a.pk,
            "supporting_units": [commune_b.pk],
            "deadline_mode": "working_days",
            "working_days": "10",
            "expected_output": "Báo cáo",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.deadline == dt.date(2021, 4, 9)
    page = client.get(reverse("committee:meeting_detail", args=[meeting.pk]))
    assert "Cập nhật hồ sơ lên iGate" in page.content.decode()


def test_a_holiday_deadline_is_refused_with_the_reason_on_the_form(
    office, meeting, conclusion, commune_a
):
    client = client_for(office)
    response = client.post(
        reverse("committee:task_assign", args=[meeting.pk]),
        {
            "conclusion": conclusion.pk,
            "title": "Rà soát",
            "lead_unit": commune_a.pk,
            "deadline_mode": "date",
            "deadline": "2021-04-30",
        },
    )
    assert response.status_code == 400
    assert (
        "30/04/2021 is not a working day (weekend or holiday); choose a working day, "
        "for example 04/05/2021." in response.content.decode()
    )
    assert Task.objects.count() == 0


def test_the_meeting_form_says_what_is_missing(office):
    response = client_for(office).post(reverse("committee:meeting_create"), {"kind": "quarterly"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Meeting.objects.count() == 0


def test_unit_staff_cannot_open_the_meeting_pages(staff_a, meeting):
    client = client_for(staff_a)
    for url in (
        reverse("committee:meeting_list"),
        reverse("committee:meeting_create"),
        reverse("committee:meeting_detail", args=[meeting.pk]),
        reverse("committee:task_list"),
        reverse("committee:overdue_list"),
        reverse("committee:task_export"),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("committee:conclusion_add", args=[meeting.pk]), {"text": "x"})
    assert response.status_code == 404
    assert Conclusion.objects.count() == 0


def test_the_index_sends_each_one_to_their_page(office, staff_a):
    assert client_for(office).get(reverse("committee:index"))["Location"] == reverse(
        "committee:meeting_list"
    )
    assert client_for(staff_a).get(reverse("committee:index"))["Location"] == reverse(
        "committee:unit_tasks"
    )


def test_staff_see_their_unit_tasks_and_not_the_others(task, staff_a, staff_b, staff_c):
    for user in (staff_a, staff_b):
        page = client_for(user).get(reverse("committee:unit_tasks"))
        assert task.title in page.content.decode()
        assert (
            client_for(user).get(reverse("committee:task_detail", args=[task.pk])).status_code
            == 200
        )
    client = client_for(staff_c)
    assert task.title not in client.get(reverse("committee:unit_tasks")).content.decode()
    assert client.get(reverse("committee:task_detail", args=[task.pk])).status_code == 404
    response = client.post(
        reverse("committee:task_report", args=[task.pk]), {"text": "x", "percent": "10"}
    )
    assert response.status_code == 404
    assert TaskReport.objects.count() == 0


def test_a_commune_reports_progress_with_a_file(task, staff_a):
    client = client_for(staff_a)
    upload = SimpleUploadedFile("tien-do.pdf", b"%PDF-1.4 bao cao", content_type="application/pdf")
    response = client.post(
        reverse("committee:task_report", args=[task.pk]),
        {"text": "Đã cập nhật 80% hồ sơ", "percent": "80", "attachment": upload},
    )
    assert response.status_code == 302
    report = TaskReport.objects.get()
    task.refresh_from_db()
    assert task.progress == 80
    download = client.get(reverse("committee:report_attachment", args=[report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_report_form_says_why_it_is_refused(task, staff_a):
    client = client_for(staff_a)
    client.post(reverse("committee:task_report", args=[task.pk]), {"text": "Nửa", "percent": "50"})
    response = client.post(
        reverse("committee:task_report", args=[task.pk]), {"text": "Ít", "percent": "20"}
    )
    assert response.status_code == 400
    assert "already reported 50%; the progress cannot go down." in response.content.decode()
    response = client.post(
        reverse("committee:task_report", args=[task.pk]), {"text": "", "percent": "120"}
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 100." in response.content.decode()


def test_the_report_attachment_is_private_to_those_who_see_the_task(task, staff_a, staff_c, office):
    upload = SimpleUploadedFile("tien-do.png", b"\x89PNG\r\n\x1a\n....")
    report = services.task_report_submit(
        task=task, by=staff_a, text="Ảnh", percent=10, attachment=upload
    )
    url = reverse("committee:report_attachment", args=[report.pk])
    assert client_for(staff_c).get(url).status_code == 404
    assert client_for(office).get(url).status_code == 200


def test_the_follow_up_table_filters_and_the_overdue_list_shows_the_late_task(
    office, conclusion, commune_a, commune_b
):
    late = assigned(conclusion, office, "Việc trễ", commune_a, dt.date(2021, 4, 1))
    assigned(conclusion, office, "Việc còn hạn", commune_b, dt.date(2099, 4, 1))
    client = client_for(office)
    page = client.get(reverse("committee:task_list")).content.decode()
    assert "Việc trễ" in page and "Việc còn hạn" in page
    page = client.get(reverse("committee:task_list"), {"unit": commune_b.pk}).content.decode()
    assert "Việc trễ" not in page and "Việc còn hạn" in page
    page = client.get(reverse("committee:task_list"), {"status": "not_started"}).content.decode()
    assert "Việc trễ" not in page and "Việc còn hạn" in page
    page = client.get(reverse("committee:overdue_list")).content.decode()
    assert "Việc trễ" in page and "Việc còn hạn" not in page
    assert f'data-task="{late.pk}"' in page


def test_a_bad_filter_answers_400_with_the_reason(office):
    client = client_for(office)
    response = client.get(
        reverse("committee:task_list"), {"deadline_from": "2021-05-01", "deadline_to": "2021-04-01"}
    )
    assert response.status_code == 400
    assert "The end of the range is before its start." in response.content.decode()
    assert client.get(reverse("committee:task_list"), {"status": "bogus"}).status_code == 400


def test_the_export_neutralises_formulas(office, conclusion, commune_a, staff_a):
    task = assigned(conclusion, office, '=HYPERLINK("http://x")', commune_a, dt.date(2021, 4, 1))
    services.task_report_submit(task=task, by=staff_a, text="+1 đã xong", percent=40)
    response = client_for(office).get(reverse("committee:task_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[4]]
    assert header[:4] == ["STT", "Cuộc họp / Thông báo kết luận", "Kết luận số", "Nhiệm vụ"]
    row = [cell.value for cell in sheet[5]]
    assert row[3] == '\'=HYPERLINK("http://x")'
    assert row[4] == "UBND xã Lạc Đạo"
    assert row[8] == 40
    assert row[9] == "'+1 đã xong"
    assert row[11] == "Quá hạn, chưa hoàn thành"


def test_a_meeting_attachment_is_uploaded_and_downloaded_by_the_office_only(
    office, meeting, staff_a
):
    client = client_for(office)
    upload = SimpleUploadedFile("thong-bao.pdf", b"%PDF-1.5 thong bao")
    response = client.post(reverse("committee:attachment_add", args=[meeting.pk]), {"file": upload})
    assert response.status_code == 302
    attachment = meeting.attachments.get()
    url = reverse("committee:attachment_download", args=[attachment.pk])
    assert client.get(url).status_code == 200
    assert client_for(staff_a).get(url).status_code == 404
    bad = SimpleUploadedFile("thong-bao.html", b"<script>")
    response = client.post(reverse("committee:attachment_add", args=[meeting.pk]), {"file": bad})
    assert response.status_code == 400
    assert meeting.attachments.count() == 1


def test_other_committees_meetings_answer_404(meeting):
    from org.models import Role
    from tests.committee.conftest import member
    from tests.factories import UnitFactory

    other = UnitFactory(code="000.00.00.H31", level="province")
    outsider = member(other, Role.COMMITTEE_MEMBER, "bcd.khac")
    client = client_for(outsider)
    assert client.get(reverse("committee:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("committee:meeting_update", args=[meeting.pk])).status_code == 404


def test_the_dashboard_shows_the_committee_panel(office, province, task, commune_a):
    response = client_for(office).get(
        reverse("reports:dashboard"), {"year": 2021, "quarter": 2, "unit": province.code}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-panel="committee-tasks"' in page
    assert f'data-unit="{commune_a.code}"' in page


def _many_tasks(conclusion, office, units, count):
    for index in range(count):
        task = services.task_assign(
            conclusion=conclusion,
            by=office,
            title=f"Nhiệm vụ {index}",
            lead_unit=units[index % 2],
            supporting_units=[units[(index + 1) % 2]],
            deadline=dt.date(2021, 4, 1),
        )
        TaskReport.objects.create(
            task=task,
            unit=task.lead_unit,
            at=timezone.now(),
            reported_on=dt.date(2021, 3, 30),
            text="Đang làm",
            percent=10,
        )


@pytest.mark.parametrize(
    "url_name", ["committee:task_list", "committee:overdue_list", "committee:unit_tasks"]
)
def test_the_task_lists_cost_the_same_queries_for_3_or_12_tasks(
    office, conclusion, district, commune_a, url_name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(office)
    counts = []
    for count in (3, 9):
        _many_tasks(conclusion, office, [district, commune_a], count)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_panel_shows_a_commune_only_its_own_row(staff_a, task, province):
    from committee.dashboard import committee_tasks_panel
    from reports.periods import PeriodKind, period_make

    period = period_make(kind=PeriodKind.QUARTER, year=2021, index=2, scheme="calendar")
    context = committee_tasks_panel(user=staff_a, unit=province, period=period)
    assert [row["unit"] for row in context["rows"]] == [task.lead_unit]
    assert context["list_url"] == reverse("committee:unit_tasks")
    assert (
        committee_tasks_panel(user=staff_a, unit=task.lead_unit, period=period)["open_total"] == 1
    )


def test_the_panel_is_left_out_for_a_commune_that_leads_nothing(staff_c, task, province):
    from committee.dashboard import committee_tasks_panel
    from reports.periods import PeriodKind, period_make

    period = period_make(kind=PeriodKind.QUARTER, year=2021, index=2, scheme="calendar")
    assert committee_tasks_panel(user=staff_c, unit=province, period=period) is None


def test_the_panel_counts_as_of_the_period_end(office, task, province):
    from committee.dashboard import committee_tasks_panel
    from reports.periods import PeriodKind, period_make

    q1 = period_make(kind=PeriodKind.QUARTER, year=2021, index=1, scheme="calendar")
    q2 = period_make(kind=PeriodKind.QUARTER, year=2021, index=2, scheme="calendar")
    # Assigned on 25 March, due 14 April: open at the end of Q1, overdue at the end of Q2.
    assert committee_tasks_panel(user=office, unit=province, period=q1)["overdue_total"] == 0
    context = committee_tasks_panel(user=office, unit=province, period=q2)
    assert (context["open_total"], context["overdue_total"]) == (1, 1)
    q4_2020 = period_make(kind=PeriodKind.QUARTER, year=2020, index=4, scheme="calendar")
    assert committee_tasks_panel(user=office, unit=province, period=q4_2020) is None


def test_the_admin_pages_open_and_audit_an_edit(task, meeting):
    from audit.models import AuditEntry
    from tests.factories import UserFactory

    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client = client_for(admin)
    for model in ("meeting", "conclusion", "task", "remindersent"):
        assert client.get(f"/admin/committee/{model}/").status_code == 200, model
    assert client.get(f"/admin/committee/task/{task.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/committee/meeting/{meeting.pk}/change/",
        {
            "unit": meeting.unit_id,
            "held_on": "2021-03-25",
            "kind": "quarterly",
            "title": meeting.title,
            "chair": meeting.chair,
            "attendees": "",
            "minutes": "Sửa trong trang quản trị",
            "notice_number": meeting.notice_number,
            "notice_date": "2021-03-26",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.filter(action="update", object_id=str(meeting.pk)).get()
    assert entry.changes["minutes"] == ["", "Sửa trong trang quản trị"]
