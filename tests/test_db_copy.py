"""cchc_portal/db.py: bulk rows written as they are (binary COPY on PostgreSQL, INSERTs
elsewhere), read back as the ORM reads them, and every failure raised as Django's exception."""

import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, ProgrammingError, connection, transaction

from cchc_portal.db import binary_execute, copy_available, copy_rows, ids_reserve, insert_rows
from dossiers.models import DossierCodeCounter, Event
from tests.factories import UnitFactory, local, received_dossier

pytestmark = pytest.mark.django_db


def test_copy_rows_writes_the_rows_as_the_orm_reads_them():
    unit = UnitFactory()
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(5)]
    copy_rows(DossierCodeCounter, ("unit", "day", "last"), [(unit.pk, day, 3) for day in days])
    copy_rows(DossierCodeCounter, ("unit", "day", "last"), [])
    stored = DossierCodeCounter.objects.filter(unit=unit).order_by("day")
    assert list(stored.values_list("day", "last")) == [(day, 3) for day in days]


def test_date_times_keep_their_instant():
    dossier = received_dossier()
    at = local("2021-03-02 23:30")  # another day in UTC
    copy_rows(
        Event,
        ("dossier", "kind", "from_unit", "to_unit", "at", "by", "note", "step_due_at"),
        [(dossier.pk, "imported", None, None, at, None, "", None)],
    )
    assert Event.objects.get(dossier=dossier, kind="imported").at == at


def test_a_refused_row_raises_djangos_integrity_error():
    unit = UnitFactory()
    row = (unit.pk, dt.date(2024, 1, 1), 1)
    copy_rows(DossierCodeCounter, ("unit", "day", "last"), [row])
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_rows(DossierCodeCounter, ("unit", "day", "last"), [row])
    assert DossierCodeCounter.objects.filter(unit=unit).count() == 1


def test_insert_rows_returns_what_is_asked():
    unit = UnitFactory()
    rows = [(unit.pk, dt.date(2024, 2, n), n) for n in range(1, 4)]
    returned = insert_rows(
        DossierCodeCounter, ("unit", "day", "last"), rows, returning=("day", "last")
    )
    assert sorted(returned) == [(day, last) for _unit, day, last in rows]


def test_binary_statements_and_ids_on_postgresql():
    if not copy_available():
        pytest.skip("binary COPY and server-side binding: PostgreSQL with psycopg 3")
    ids = ids_reserve(DossierCodeCounter, 3)
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert binary_execute("SELECT x * 2 FROM unnest(%b::integer[]) AS x", [[1, 2]]) == [(2,), (4,)]
    with pytest.raises(ProgrammingError), transaction.atomic():
        binary_execute("SELECT no_such_column FROM unnest(%b::integer[]) AS x", [[1]])
    with pytest.raises(DatabaseError), transaction.atomic():
        binary_execute("SELECT 1 / x FROM unnest(%b::integer[]) AS x", [[0]])
    assert connection.is_usable()
