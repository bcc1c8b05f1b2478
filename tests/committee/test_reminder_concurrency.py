"""Two reminder jobs at the same moment (two beat schedulers, a redelivered task) still send
each reminder once: the unique (task, kind) row decides who sends. PostgreSQL only: SQLite
serialises writers with a database lock instead."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from committee import services
from committee.models import ReminderSent

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_jobs_at_once_send_one_email(task, staff_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent writers)")
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def job() -> None:
        from django.db import connections

        try:
            barrier.wait()
            results.append(services.task_reminders_send(today=dt.date(2021, 4, 5)))
        except BaseException as error:  # reported below, the thread must not die silently
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=job) for _index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results) == [0, 1]
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1
