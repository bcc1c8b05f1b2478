"""The import in chunks (DESIGN §4, §5 "memory flat"): rows checked a chunk at a time, the new
rows spooled (in memory, then pickled to a file) and written afterwards. Chunks of 2 rows and an
in-memory spool of 2 rows here, so that a handful of rows crosses every boundary."""

import datetime as dt

import pytest
from django.utils import translation

from dossiers import imports
from dossiers.imports import dossiers_import
from dossiers.models import Dossier, DossierCodeCounter, Event, EventKind
from reports.periods import period_make
from reports.services import period_freeze
from tests.dossiers.test_import import DESK, local, numbered, row, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_SIZE", 2)
    monkeypatch.setattr(imports, "_SPOOL_IN_MEMORY_ROWS", 2)
    with translation.override("en"):
        yield


def test_it_numbers_code_less_rows_of_every_chunk_in_order_of_receipt(world):  # noqa: F811
    rows = [
        row(code=f"{DESK}-210301-0005", applicant_name="Có Mã", received_at="2021-03-01T11:00"),
        row(applicant_name="Mười Giờ", received_at="2021-03-01T10:00"),
        row(applicant_name="Tám Giờ A", received_at="2021-03-01T08:00"),  # spooled to the file
        row(applicant_name="Chín Giờ", received_at="2021-03-01T09:00"),
        row(applicant_name="Tám Giờ B", received_at="2021-03-01T08:00"),  # same time: row order
        row(applicant_name="Ngày Khác", received_at="2021-03-02T08:00"),
    ]
    result = dossiers_import(rows=numbered(rows))
    assert result.errors.lines() == []
    assert (result.created, result.unchanged) == (6, 0)
    assert dict(Dossier.objects.values_list("applicant_name", "code")) == {
        "Có Mã": f"{DESK}-210301-0005",
        "Tám Giờ A": f"{DESK}-210301-0006",
        "Tám Giờ B": f"{DESK}-210301-0007",
        "Chín Giờ": f"{DESK}-210301-0008",
        "Mười Giờ": f"{DESK}-210301-0009",
        "Ngày Khác": f"{DESK}-210302-0001",
    }
    assert sorted(DossierCodeCounter.objects.values_list("day", "last")) == [
        (dt.date(2021, 3, 1), 9),
        (dt.date(2021, 3, 2), 1),
    ]
    # Every dossier, in memory or from the file, has its own two events.
    for dossier in Dossier.objects.all():
        assert [(e.kind, e.at) for e in dossier.events.all()] == [
            (EventKind.RECEIVED, dossier.received_at),
            (EventKind.IMPORTED, dossier.events.last().at),
        ]
    assert Event.objects.count() == 12

    # Re-importing the same rows changes nothing, whichever chunk a row falls in.
    again = dossiers_import(rows=numbered(rows))
    assert (again.errors.lines(), again.created, again.unchanged) == ([], 0, 6)
    assert Dossier.objects.count() == 6


def test_repeats_and_errors_in_later_chunks_are_reported_and_nothing_is_written(world):  # noqa: F811
    rows = [
        row(code=f"{DESK}-210301-0001", applicant_name="Một"),
        row(applicant_name="Hai", received_at="2021-03-01T09:00"),
        row(applicant_name="Ba"),
        row(code=f"{DESK}-210301-0001", applicant_name="Bốn"),  # the code of row 2
        row(applicant_name="Hai", received_at="2021-03-01T09:00"),  # the natural key of row 3
        row(applicant_name="Sáu", unit_code="KHONG-CO"),
    ]
    result = dossiers_import(rows=numbered(rows))
    assert result.errors.lines() == [
        f"row 5: code: '{DESK}-210301-0001' is already on row 2",
        "row 6: code: without a code, the same unit, procedure, applicant and received time "
        "as row 3",
        "row 7: unit_code: unknown unit 'KHONG-CO'",
    ]
    assert (Dossier.objects.count(), Event.objects.count()) == (0, 0)
    assert not DossierCodeCounter.objects.exists()


def test_the_same_instant_written_with_another_offset_is_the_same_natural_key(world):  # noqa: F811
    rows = [
        row(applicant_name="Hai", received_at="2021-03-01T09:00"),
        row(applicant_name="Hai", received_at="2021-03-01T02:00:00+00:00"),
    ]
    result = dossiers_import(rows=numbered(rows))
    assert result.errors.lines() == [
        "row 3: code: without a code, the same unit, procedure, applicant and received time "
        "as row 2",
    ]
    assert local("2021-03-01 09:00") == dt.datetime(2021, 3, 1, 2, tzinfo=dt.UTC)


def test_rows_in_a_frozen_quarter_are_reported_in_every_chunk(world):  # noqa: F811
    period_freeze(period=period_make(kind="quarter", year=2021, index=1), by=None)
    rows = [
        row(applicant_name="Quý Hai", received_at="2021-04-01T08:00"),
        row(applicant_name="Một", received_at="2021-03-01T08:00"),
        row(applicant_name="Quý Ba", received_at="2021-07-01T08:00"),
        row(applicant_name="Hai", received_at="2021-01-04T08:00"),  # in a later chunk
        row(applicant_name="Ba", received_at="2021-03-01T09:00"),  # a day already refused
    ]
    result = dossiers_import(rows=numbered(rows))
    assert [line.split(": The figures of ")[0] for line in result.errors.lines()] == [
        "row 3: received_at",
        "row 5: received_at",
        "row 6: received_at",
    ]
    assert all("Quarter 1/2021" in line for line in result.errors.lines())
    assert (Dossier.objects.count(), Event.objects.count()) == (0, 0)
