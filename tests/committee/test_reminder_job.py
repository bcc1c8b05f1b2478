"""The daily reminder job: who is mailed, once per stage, never twice, only the latest stage
after missed days, nothing for done tasks or on days off."""

import datetime as dt

import pytest
from django.core import mail

from audit.models import AuditEntry
from committee import services
from committee.models import ReminderSent
from committee.tasks import task_reminders_send
from org.models import Role
from tests.committee.conftest import member

pytestmark = pytest.mark.django_db

# The task fixture is due Wed 2021-04-14. Working days before it: 13, 12, 9, 8, 7, 6, 5, 2 Apr
# (Sat 10 and Sun 11 do not count), so 7 are left on Mon 5 Apr, 3 on Fri 9, 1 on Tue 13.


def run(day: str) -> int:
    return task_reminders_send.delay(day).get()


def test_it_sends_the_seven_day_reminder_to_the_lead_and_copies_the_supporting_unit(
    task, staff_a, staff_b, commune_a
):
    leader_a = member(commune_a, Role.UNIT_LEADER, "lanhdao.a")
    assert run("2021-04-02") == 0
    assert run("2021-04-05") == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([staff_a.email, leader_a.email])
    assert message.cc == [staff_b.email]
    assert "14/04/2021" in message.subject
    assert f"/ban-chi-dao/nhiem-vu/{task.pk}/" in message.body
    reminder = ReminderSent.objects.get()
    assert (reminder.kind, reminder.sent_on) == ("7", dt.date(2021, 4, 5))
    entry = AuditEntry.objects.get(action="remind")
    assert (entry.object_id, entry.actor, entry.unit) == (str(reminder.pk), None, commune_a)


def test_running_twice_sends_one_email(task, staff_a):
    assert run("2021-04-05") == 1
    assert run("2021-04-05") == 0
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


def test_it_sends_each_stage_once_over_the_weeks(task, staff_a):
    day = dt.date(2021, 4, 1)
    sent = {}
    while day <= dt.date(2021, 4, 20):
        count = run(day.isoformat())
        if count:
            sent[day.isoformat()] = count
        day += dt.timedelta(days=1)
    assert sent == {"2021-04-05": 1, "2021-04-09": 1, "2021-04-13": 1, "2021-04-15": 1}
    kinds = dict(ReminderSent.objects.values_list("kind", "sent_on"))
    assert kinds == {
        "7": dt.date(2021, 4, 5),
        "3": dt.date(2021, 4, 9),
        "1": dt.date(2021, 4, 13),
        "overdue": dt.date(2021, 4, 15),
    }
    assert "Overdue" in mail.outbox[-1].subject or "quá hạn" in mail.outbox[-1].subject.lower()


def test_after_missed_days_it_sends_only_the_latest_stage(task, staff_a):
    # The worker was down from 5 to 12 April: on the 13th only the "1" reminder goes out.
    assert run("2021-04-13") == 1
    assert list(ReminderSent.objects.values_list("kind", flat=True)) == ["1"]
    assert run("2021-04-13") == 0


def test_it_sends_nothing_on_a_day_off(task, staff_a):
    assert run("2021-04-10") == 0
    assert run("2021-04-21") == 0  # Hùng Kings' day
    assert ReminderSent.objects.count() == 0


def test_it_does_not_remind_a_done_task(task, staff_a):
    services.task_report_submit(task=task, by=staff_a, text="Xong", percent=100)
    assert run("2021-04-13") == 0
    assert run("2021-04-15") == 0


def test_it_records_a_reminder_with_nobody_to_mail_so_it_is_not_retried(task):
    assert run("2021-04-05") == 0
    assert ReminderSent.objects.get().recipients == ""
    assert mail.outbox == []


def test_a_failed_mail_leaves_no_record_so_the_next_run_retries(task, staff_a, settings):
    settings.EMAIL_BACKEND = "tests.committee.test_reminder_job.FailingBackend"
    with pytest.raises(ConnectionError):
        services.task_reminders_send(today=dt.date(2021, 4, 5))
    assert ReminderSent.objects.count() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.task_reminders_send(today=dt.date(2021, 4, 5)) == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("mail server down")
