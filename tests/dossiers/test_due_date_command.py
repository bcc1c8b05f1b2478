"""``manage.py due_date`` (DESIGN §4)."""

import datetime as dt
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from procedures.services import ChannelTimeSpec, procedure_draft_new, procedure_publish
from tests.factories import published_procedure

pytestmark = pytest.mark.django_db


def due_date(*args: str) -> str:
    out = StringIO()
    call_command("due_date", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_due_date_with_the_local_offset():
    published_procedure(code="1.000001", processing_time=Decimal("3"))
    output = due_date("--procedure", "1.000001", "--received", "2021-02-09T16:30")
    assert output == "2021-02-19T16:30:00+07:00\n"


@pytest.mark.parametrize("received", ["2021-02-09T09:30:00+00:00", "2021-02-09T09:30Z"])
def test_it_reads_a_received_time_with_an_offset(received):
    published_procedure(code="1.000001", processing_time=Decimal("3"))
    output = due_date("--procedure", "1.000001", "--received", received)
    assert output == "2021-02-19T16:30:00+07:00\n"


def test_it_uses_the_time_of_the_channel():
    published_procedure(
        code="1.000001",
        processing_time=Decimal("3"),
        channel_times=(ChannelTimeSpec("online", Decimal("4"), "working_hours"),),
    )
    received = "2021-03-08T16:00"
    assert due_date("--procedure", "1.000001", "--received", received, "--channel", "online") == (
        "2021-03-09T10:00:00+07:00\n"
    )
    assert due_date("--procedure", "1.000001", "--received", received) == (
        "2021-03-11T16:00:00+07:00\n"
    )


def test_it_uses_the_version_in_force_on_the_received_date():
    first = published_procedure(code="1.000001", processing_time=Decimal("3"))
    draft = procedure_draft_new(procedure=first.procedure, by=None)
    draft.processing_time = Decimal("1")
    draft.save()
    procedure_publish(version=draft, valid_from=dt.date(2021, 3, 1), by=None)

    # Friday 26 Feb under version 1 (3 days): Friday, Monday, Tuesday.
    assert due_date("--procedure", "1.000001", "--received", "2021-02-26T07:00") == (
        "2021-03-02T17:00:00+07:00\n"
    )
    assert due_date("--procedure", "1.000001", "--received", "2021-03-08T07:00") == (
        "2021-03-08T17:00:00+07:00\n"
    )


def test_it_rejects_an_unknown_procedure():
    with pytest.raises(CommandError, match=re.escape("Unknown procedure code '9.999999'")):
        due_date("--procedure", "9.999999", "--received", "2021-02-09T16:30")


def test_it_rejects_a_date_without_a_version_in_force():
    published_procedure(code="1.000001", valid_from=dt.date(2021, 1, 1))
    with pytest.raises(CommandError, match="no published version in force on 2020-12-31"):
        due_date("--procedure", "1.000001", "--received", "2020-12-31T10:00")


def test_it_rejects_a_malformed_received_time():
    published_procedure(code="1.000001")
    with pytest.raises(CommandError, match="not an ISO 8601 date-time"):
        due_date("--procedure", "1.000001", "--received", "09/02/2021 16:30")


def test_it_rejects_an_unknown_channel():
    published_procedure(code="1.000001")
    with pytest.raises(CommandError, match="invalid choice"):
        due_date("--procedure", "1.000001", "--received", "2021-02-09T16:30", "--channel", "fax")
