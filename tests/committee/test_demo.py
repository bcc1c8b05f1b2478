"""The demo meeting of the seed article: recorded once, with its tasks in every state."""

import datetime as dt

import pytest

from committee.demo import demo_committee_load
from committee.models import Meeting, Task
from committee.selectors import task_rows
from committee.status import TaskStatus
from org.calendar_source import working_calendar
from org.demo import demo_organisation_load

pytestmark = pytest.mark.django_db


def test_it_records_the_seed_meeting_once():
    demo_organisation_load(password="cchc-demo")
    meeting = demo_committee_load()
    assert demo_committee_load() == meeting
    assert Meeting.objects.count() == 1
    assert meeting.conclusions.count() == 4
    statuses = {
        row.task.lead_unit.code + " " + row.task.title[:12].strip(): row.status
        for row in task_rows(
            Task.objects.order_by("id"), today=dt.date(2021, 4, 27), calendar=working_calendar()
        )
    }
    assert statuses == {
        # The April report, due 28 Apr, 30% reported on the 26th.
        "001.37.H21 Báo cáo kết": TaskStatus.IN_PROGRESS_WITHIN,
        # iGate: 20 working days from the notice of 22 Mar = 19 Apr, done on 16 Apr.
        "001.37.H21 Cập nhật 100": TaskStatus.DONE_ON_TIME,
        # The PAR-index plan, due 15 Apr, never reported.
        "007.37.H21 Xây dựng kế": TaskStatus.IN_PROGRESS_OVERDUE,
        # The IT survey, 40% reported.
        "000.00.37.H21 Rà soát, báo": TaskStatus.IN_PROGRESS_WITHIN,
    }
    # 30 working days from 22 Mar 2021 skip Hùng Kings' day (21 Apr), 30 Apr and 3 May.
    assert Task.objects.get(lead_unit__code="000.00.37.H21").deadline == dt.date(2021, 5, 6)
    igate = Task.objects.get(title__startswith="Cập nhật 100%")
    assert igate.deadline == dt.date(2021, 4, 19)
    assert igate.completed_on == dt.date(2021, 4, 16)
