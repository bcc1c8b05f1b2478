"""Recording meetings, conclusions, tasks and progress reports: validation, derived task
fields, the audit trail, and who may write."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from committee import services
from committee.models import Conclusion, Meeting, Task, TaskReport
from org.models import CalendarOverride
from tests.committee.conftest import assigned, meeting_fields

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=HCM)


def review(conclusion, office, lead_unit, **fields):
    """The office assigns a review ("Rà soát") of ``conclusion`` to ``lead_unit``."""
    return services.task_assign(
        conclusion=conclusion, by=office, title="Rà soát", lead_unit=lead_unit, **fields
    )


def entries(action, instance):
    return AuditEntry.objects.filter(
        action=action,
        object_id=str(instance.pk),
        content_type=ContentType.objects.get_for_model(instance),
    )


def test_it_records_a_meeting_and_audits_it(meeting, office):
    assert Meeting.objects.count() == 1
    entry = entries("create", meeting).get()
    assert entry.actor == office
    assert entry.changes["notice_number"] == [None, "45/TB-UBND"]


def test_it_refuses_a_notice_dated_before_the_meeting(office, district):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            by=office, unit=district, **meeting_fields(notice_date=dt.date(2021, 3, 24))
        )
    assert "notice_date" in error.value.error_dict
    assert Meeting.objects.count() == 0


def test_it_lets_only_the_standing_office_record_meetings(staff_a, commune_a):
    with pytest.raises(PermissionDenied):
        services.meeting_create(by=staff_a, unit=commune_a, **meeting_fields())


def test_it_refuses_a_committee_outside_the_office_tree(office):
    from tests.factories import UnitFactory

    elsewhere = UnitFactory(code="000.00.00.H31", name="UBND tỉnh khác", level="province")
    with pytest.raises(ValidationError) as error:
        services.meeting_create(by=office, unit=elsewhere, **meeting_fields())
    assert "unit" in error.value.error_dict


def test_it_updates_a_meeting_and_audits_the_change(meeting, office):
    services.meeting_update(meeting=meeting, by=office, minutes="Biên bản cuộc họp")
    meeting.refresh_from_db()
    assert meeting.minutes == "Biên bản cuộc họp"
    assert entries("update", meeting).get().changes["minutes"] == ["", "Biên bản cuộc họp"]


def test_it_refuses_moving_a_meeting_after_its_tasks_deadlines(meeting, office, task):
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, by=office, held_on=dt.date(2021, 4, 15))
    meeting.refresh_from_db()
    assert meeting.held_on == dt.date(2021, 3, 25)


def test_it_numbers_conclusions_in_order(meeting, office):
    first = services.conclusion_add(meeting=meeting, by=office, text="Một")
    second = services.conclusion_add(meeting=meeting, by=office, text="Hai")
    assert (first.number, second.number) == (1, 2)
    assert entries("create", second).exists()
    with pytest.raises(ValidationError):
        services.conclusion_add(meeting=meeting, by=office, text="Trùng", number=2)
    assert Conclusion.objects.count() == 2


def test_it_assigns_a_task_and_audits_its_units(task, commune_a, commune_b):
    assert task.deadline == dt.date(2021, 4, 14)
    assert list(task.supporting_units.all()) == [commune_b]
    entry = entries("create", task).get()
    assert entry.unit == commune_a
    assert entry.changes["supporting_units"] == [None, [commune_b.pk]]


def test_it_computes_a_deadline_in_working_days_from_the_notice(conclusion, office, commune_a):
    # Notice Fri 2021-03-26; 10 working days: 29, 30, 31 Mar, 1, 2, 5, 6, 7, 8, 9 Apr.
    task = review(conclusion, office, commune_a, working_days=10)
    assert task.deadline == dt.date(2021, 4, 9)
    assert task.deadline_working_days == 10


def test_it_skips_a_decreed_day_off_in_working_days(conclusion, office, commune_a):
    CalendarOverride.objects.create(date=dt.date(2021, 3, 29), kind="day_off", notice="TB 1")
    task = review(conclusion, office, commune_a, working_days=1)
    assert task.deadline == dt.date(2021, 3, 30)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"deadline": dt.date(2021, 4, 10)}, "deadline"),  # a Saturday
        ({"deadline": dt.date(2021, 4, 21)}, "deadline"),  # Hùng Kings' day
        ({"deadline": dt.date(2021, 3, 24)}, "deadline"),  # before the meeting
        ({}, "deadline"),
        ({"deadline": dt.date(2021, 4, 14), "working_days": 3}, "deadline"),
        ({"working_days": 0}, "working_days"),
    ],
)
def test_it_refuses_a_bad_deadline(conclusion, office, commune_a, kwargs, field):
    with pytest.raises(ValidationError) as error:
        review(conclusion, office, commune_a, **kwargs)
    assert field in error.value.error_dict
    assert Task.objects.count() == 0


def test_it_says_why_a_holiday_deadline_is_refused(conclusion, office, commune_a):
    with pytest.raises(ValidationError) as error:
        review(conclusion, office, commune_a, deadline=dt.date(2021, 4, 21))
    assert error.value.error_dict["deadline"][0].messages == [
        "21/04/2021 is not a working day (weekend or holiday); choose a working day, "
        "for example 22/04/2021."
    ]


def test_it_refuses_the_lead_unit_as_a_supporting_unit(conclusion, office, commune_a):
    with pytest.raises(ValidationError) as error:
        review(
            conclusion,
            office,
            commune_a,
            supporting_units=[commune_a],
            deadline=dt.date(2021, 4, 14),
        )
    assert "supporting_units" in error.value.error_dict


def test_a_report_starts_the_task_and_the_lead_100_completes_it(task, staff_a, staff_b):
    services.task_report_submit(
        task=task, by=staff_b, text="Đã phối hợp rà soát", percent=30, at=at("2021-04-01")
    )
    task.refresh_from_db()
    assert (task.first_reported_on, task.progress, task.completed_on) == (
        dt.date(2021, 4, 1),
        0,  # a supporting unit's percentage is its own, not the task's
        None,
    )
    services.task_report_submit(
        task=task, by=staff_a, text="Đang cập nhật", percent=60, at=at("2021-04-05")
    )
    report = services.task_report_submit(
        task=task, by=staff_a, text="Hoàn thành", percent=100, at=at("2021-04-14", 16)
    )
    task.refresh_from_db()
    assert (task.first_reported_on, task.progress, task.completed_on) == (
        dt.date(2021, 4, 1),
        100,
        dt.date(2021, 4, 14),
    )
    assert entries("report", report).get().unit == task.lead_unit
    assert entries("complete", task).get().changes["completed_on"] == [None, "2021-04-14"]


def test_it_uses_the_local_date_of_a_late_evening_report(task, staff_a):
    # 23:30 in Hà Nội on 5 April is 16:30 UTC: the report is of 5 April.
    services.task_report_submit(
        task=task, by=staff_a, text="Xong", percent=100, at=at("2021-04-05", 23).replace(minute=30)
    )
    task.refresh_from_db()
    assert task.completed_on == dt.date(2021, 4, 5)


def test_a_unit_progress_never_goes_down(task, staff_a):
    services.task_report_submit(
        task=task, by=staff_a, text="Một nửa", percent=50, at=at("2021-04-01")
    )
    with pytest.raises(ValidationError) as error:
        services.task_report_submit(
            task=task, by=staff_a, text="Ít hơn", percent=40, at=at("2021-04-02")
        )
    assert error.value.error_dict["percent"][0].messages == [
        "UBND xã Lạc Đạo already reported 50%; the progress cannot go down."
    ]
    assert TaskReport.objects.count() == 1


def test_a_completed_task_takes_no_more_reports(task, staff_a, staff_b):
    services.task_report_submit(
        task=task, by=staff_a, text="Xong", percent=100, at=at("2021-04-01")
    )
    with pytest.raises(ValidationError):
        services.task_report_submit(
            task=task, by=staff_b, text="Bổ sung", percent=100, at=at("2021-04-02")
        )


def test_only_the_lead_and_supporting_units_report(task, staff_c, office):
    for user in (staff_c, office):
        with pytest.raises(PermissionDenied):
            services.task_report_submit(task=task, by=user, text="?", percent=10)
    assert TaskReport.objects.count() == 0


@pytest.mark.parametrize("percent", [-1, 101])
def test_it_refuses_a_percentage_outside_0_100(task, staff_a, percent):
    with pytest.raises(ValidationError):
        services.task_report_submit(task=task, by=staff_a, text="?", percent=percent)


def test_it_keeps_a_valid_attachment_and_refuses_a_disguised_one(task, staff_a):
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    report = services.task_report_submit(
        task=task, by=staff_a, text="Kèm báo cáo", percent=10, attachment=pdf, at=at("2021-04-01")
    )
    assert report.attachment_name == "bao-cao.pdf"
    assert report.attachment.read().startswith(b"%PDF")
    fake = SimpleUploadedFile(
        "bao-cao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        services.task_report_submit(
            task=task, by=staff_a, text="Giả", percent=20, attachment=fake, at=at("2021-04-02")
        )
    assert error.value.error_dict["attachment"][0].messages == [
        "bao-cao.pdf is not a real PDF file."
    ]
    assert TaskReport.objects.count() == 1


def test_it_refuses_a_meeting_attachment_over_the_limit(meeting, office, settings):
    settings.COMMITTEE_ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("bien-ban.docx", b"PK\x03\x04" + b"0" * 2000)
    with pytest.raises(ValidationError) as error:
        services.meeting_attachment_add(meeting=meeting, by=office, upload=big)
    assert error.value.messages == ["bien-ban.docx is 2.0\xa0KB; the limit is 1.0\xa0KB."]
    small = SimpleUploadedFile("bien-ban.docx", b"PK\x03\x04" + b"0" * 100)
    attachment = services.meeting_attachment_add(meeting=meeting, by=office, upload=small)
    assert attachment.size == 104
    assert entries("create", attachment).exists()


def test_it_refuses_an_executable_attachment(meeting, office):
    with pytest.raises(ValidationError) as error:
        services.meeting_attachment_add(
            meeting=meeting, by=office, upload=SimpleUploadedFile("virus.exe", b"MZ\x90")
        )
    assert "not accepted" in error.value.messages[0]


def test_another_committee_may_not_write_to_this_meeting(meeting, conclusion, commune_a):
    from org.models import Role
    from tests.committee.conftest import member
    from tests.factories import UnitFactory

    other = UnitFactory(code="000.00.00.H31", name="UBND tỉnh khác", level="province")
    outsider = member(other, Role.COMMITTEE_MEMBER, "bcd.khac")
    with pytest.raises(PermissionDenied):
        services.conclusion_add(meeting=meeting, by=outsider, text="Xen ngang")
    with pytest.raises(PermissionDenied):
        services.meeting_update(meeting=meeting, by=outsider, minutes="Sửa trộm")
    with pytest.raises(PermissionDenied):
        assigned(conclusion, outsider, "Giao trộm", commune_a, dt.date(2021, 4, 14))
    assert Conclusion.objects.count() == 1
    assert Task.objects.count() == 0


def test_a_later_day_off_on_a_deadline_does_not_block_editing_the_meeting(meeting, office, task):
    CalendarOverride.objects.create(date=task.deadline, kind="day_off", notice="TB 2")
    services.meeting_update(meeting=meeting, by=office, minutes="Bổ sung biên bản")
    meeting.refresh_from_db()
    assert meeting.minutes == "Bổ sung biên bản"
