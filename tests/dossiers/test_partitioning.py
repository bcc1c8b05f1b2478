"""Opt-in partitioning of the dossiers by year of receipt (``manage.py dossiers_partition``).

The conversion is one transaction of DDL, which PostgreSQL rolls back like any other change:
each test runs it inside pytest-django's per-test transaction, so the partitioned tables vanish
at the test's end and the other tests (same database, same process, or another xdist worker
with its own database) see the plain tables the migrations made.
"""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from dossiers import services as dossier_services
from dossiers.models import Dossier, Event
from dossiers.partitioning import DEFAULT_PARTITION, partition_years_ensure
from dossiers.tasks import dossier_partitions_ensure
from reports.aggregate import counters_query
from reports.models import Rollup, RollupRun
from reports.periods import PeriodKind, period_make
from reports.quarterly import quarterly_report
from tests.conftest import skip_unless_available
from tests.factories import UnitFactory, published_procedure, received_dossier
from tests.steps import apology_issued, supplement_requested

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TABLES = ("dossiers_dossier", "dossiers_event", "dossiers_supplementrequest", "dossiers_apology")
YEARS = (2022, 2023, 2024)


def _at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=HANOI)


@pytest.fixture
def province():
    """Dossiers of three years through the real services: open, transferred, paused and
    resumed, finished and returned, one with an apology, one paused across a year end."""
    skip_unless_available(
        connection.vendor == "postgresql",
        "partitioning needs PostgreSQL: set DATABASE_URL=postgres://…",
    )
    root = UnitFactory(code="000.00.00.H99", level="province")
    desks = [UnitFactory(code=f"000.00.0{n}.H99", parent=root) for n in (1, 2)]
    office = UnitFactory(code="000.00.03.H99", parent=root)
    version = published_procedure(code="1.000001")
    for year in YEARS:
        for month in (2, 5, 8, 11):
            for desk in desks:
                dossier = received_dossier(
                    desk=desk, procedure_version=version, received_at=_at(year, month, 3)
                )
                if month == 2:
                    continue  # still open
                dossier = dossier_services.dossier_transfer(
                    dossier=dossier, to_unit=office, by=None, at=_at(year, month, 4)
                )
                if month == 5:
                    dossier = supplement_requested(
                        dossier, _at(year, month, 5), reason="Thiếu bản sao", missing="CCCD"
                    )
                    dossier = dossier_services.supplement_complete(
                        dossier=dossier, by=None, at=_at(year, 6, 2)
                    )
                if month == 11 and desk is desks[1]:
                    apology_issued(
                        dossier, _at(year, month, 5), _at(year, 12, 20), reason="Chờ xác minh"
                    )
                    dossier = Dossier.objects.get(pk=dossier.pk)
                    dossier = supplement_requested(
                        dossier, _at(year, 12, 1), reason="Thiếu giấy tờ", missing="Sổ hộ khẩu"
                    )
                    continue  # paused into the next year
                dossier = dossier_services.dossier_finish(
                    dossier=dossier, by=None, at=_at(year, month, 6)
                )
                if month == 8:
                    dossier_services.dossier_return(
                        dossier=dossier, by=None, at=_at(year, month, 7)
                    )
    return root


def _fingerprints() -> dict[str, tuple[int, str]]:
    """Row count and an md5 of every row (as text, in id order) of each table."""
    found = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) "
                f"FROM {table} t"
            )
            found[table] = cursor.fetchone()
    return found


def _figures(root) -> dict:
    """Every counter of every quarter by receiving unit, straight from the dossiers, and the
    quarterly report of the last quarter recomputed from scratch."""
    figures = {}
    for year in YEARS:
        for quarter in (1, 2, 3, 4):
            period = period_make(kind=PeriodKind.QUARTER, year=year, index=quarter)
            rows = counters_query(Dossier.objects.all(), period, group_by=["receiving_unit_id"])
            figures[(year, quarter)] = sorted(map(sorted, (row.items() for row in rows)))
    Rollup.objects.all().delete()
    RollupRun.objects.all().delete()
    figures["report"] = quarterly_report(year=2024, quarter=4, unit=root)["dossiers"]
    return figures


def _fields(dossier: Dossier) -> dict:
    return {
        field.attname: getattr(dossier, field.attname)
        for field in Dossier._meta.concrete_fields
        if not field.primary_key
    }


def _partition_of(dossier: Dossier) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM dossiers_dossier WHERE id = %s", [dossier.pk]
        )
        return cursor.fetchone()[0]


def _relkind(name: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [name])
        row = cursor.fetchone()
    return row[0] if row else None


def _partition(*args: str) -> str:
    out = StringIO()
    call_command("dossiers_partition", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_plans_without_changing_anything(province):
    before = _fingerprints()

    printed = _partition("--plan")

    assert _relkind("dossiers_dossier") == "r"
    assert _relkind("dossiers_dossier_y2022") is None
    assert _fingerprints() == before
    assert "dossiers_dossier_y2022: 8" in printed
    assert "dossiers_dossier_y2024: 8" in printed
    assert "PARTITION BY RANGE (received_date)" in printed
    assert 'PRIMARY KEY ("id", "received_date")' in printed


@pytest.mark.django_db
def test_it_keeps_every_row_and_every_figure(province):
    before = _fingerprints()
    figures = _figures(province)

    printed = _partition("--apply")

    assert "Partitioned 24 dossiers" in printed
    assert _relkind("dossiers_dossier") == "p"
    assert _fingerprints() == before
    assert _figures(province) == figures
    assert {
        _partition_of(dossier) for dossier in Dossier.objects.filter(received_date__year=2023)
    } == {"dossiers_dossier_y2023"}


@pytest.mark.django_db
def test_the_orm_works_on_the_partitioned_table(province):
    _partition("--apply")
    desk = UnitFactory(code="000.00.09.H99", parent=province)

    dossier = received_dossier(desk=desk, received_at=_at(2024, 12, 2))
    dossier = dossier_services.dossier_transfer(
        dossier=dossier, to_unit=province, by=None, at=_at(2024, 12, 3)
    )
    dossier = dossier_services.dossier_finish(dossier=dossier, by=None, at=_at(2024, 12, 4))
    # Deferred checks (the foreign keys' replacements) run now instead of at commit.
    connection.check_constraints()

    reloaded = Dossier.objects.get(code=dossier.code)
    assert reloaded.pk == dossier.pk and reloaded.status == "finished"
    assert dossier.pk > Dossier.objects.exclude(pk=dossier.pk).order_by("-pk").first().pk
    assert [event.kind for event in reloaded.events.all()] == [
        "received",
        "transferred",
        "finished",
    ]
    assert _partition_of(reloaded) == "dossiers_dossier_y2024"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('dossiers_dossier', 'id')")
        assert cursor.fetchone()[0] == "public.dossiers_dossier_id_seq"


@pytest.mark.django_db
def test_a_year_without_partition_lands_in_default_until_added(province, monkeypatch):
    _partition("--apply")
    # The conversion creates every year up to next year (from the clock); well after it (the
    # clock moved there for the intake, which refuses a received time in the future):
    year = dt.date.today().year + 3
    with monkeypatch.context() as later:
        later.setattr(timezone, "now", lambda: _at(year, 3, 3))
        early = received_dossier(
            desk=UnitFactory(code="000.00.08.H99"), received_at=_at(year, 3, 2)
        )
    assert _partition_of(early) == DEFAULT_PARTITION

    assert _partition("--add-year", str(year)) == f"Created dossiers_dossier_y{year}.\n"
    connection.check_constraints()

    assert _partition_of(early) == f"dossiers_dossier_y{year}"
    assert Dossier.objects.get(pk=early.pk).events.count() == 1
    # Its code moved with it: still taken.
    again = Dossier(**{**_fields(early), "received_date": dt.date(year - 1, 3, 2)})
    with pytest.raises(IntegrityError, match="dossiers_dossier_code_unique"), transaction.atomic():
        Dossier.objects.bulk_create([again])
    assert _partition("--add-year", str(year)) == f"dossiers_dossier_y{year} exists already.\n"
    assert partition_years_ensure() == []
    assert dossier_partitions_ensure() == []
    assert partition_years_ensure(today=dt.date(year, 6, 1)) == [year + 1]


@pytest.mark.django_db
def test_events_stay_append_only(province):
    _partition("--apply")
    event = Event.objects.order_by("id").first()

    for statement in (
        "UPDATE dossiers_event SET note = 'forged' WHERE id = %s",
        "DELETE FROM dossiers_event WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])


@pytest.mark.django_db
def test_codes_and_references_keep_their_meaning(province):
    _partition("--apply")
    taken = Dossier.objects.filter(received_date__year=2022).first()
    copy = Dossier.objects.get(pk=Dossier.objects.filter(received_date__year=2023).first().pk)

    # Same code in another year's partition: the native unique index cannot see it.
    copy.pk, copy.code = None, taken.code
    with pytest.raises(IntegrityError, match="dossiers_dossier_code_unique"), transaction.atomic():
        copy.save()
    # The same two codes in one statement.
    twins = [Dossier(**{**_fields(copy), "code": "H99-230101-0001"}) for _ in range(2)]
    twins[1].received_date += dt.timedelta(days=400)
    with pytest.raises(IntegrityError, match="dossiers_dossier_code_unique"), transaction.atomic():
        Dossier.objects.bulk_create(twins)
    # A deleted dossier gives its code back; a dossier moved to another year keeps its own.
    (lone,) = Dossier.objects.bulk_create([twins[0]])
    Dossier.objects.filter(pk=lone.pk).delete()
    (lone,) = Dossier.objects.bulk_create(
        [Dossier(**{**_fields(lone), "received_date": twins[1].received_date})]
    )
    Dossier.objects.filter(pk=lone.pk).update(received_date=dt.date(2022, 12, 31))
    assert _partition_of(lone) == "dossiers_dossier_y2022"
    with pytest.raises(IntegrityError, match="dossiers_dossier_code_unique"), transaction.atomic():
        Dossier.objects.filter(pk=lone.pk).update(code=taken.code)
    with connection.cursor() as cursor:
        cursor.execute("SELECT dossier_id FROM dossiers_dossier_codes WHERE code = %s", [lone.code])
        assert cursor.fetchall() == [(lone.pk,)]
    # An event of no dossier, a dossier deleted under its events.
    with pytest.raises(IntegrityError, match="no such dossier"), transaction.atomic():
        Event.objects.create(dossier_id=10**9, kind="received", at=_at(2024, 1, 2))
        connection.check_constraints()
    with pytest.raises(IntegrityError, match="still referenced"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM dossiers_dossier WHERE id = %s", [taken.pk])
        connection.check_constraints()


@pytest.mark.django_db
def test_it_refuses_to_convert_twice(province):
    _partition("--apply")

    with pytest.raises(CommandError, match="already partitioned"):
        _partition("--apply")
    with pytest.raises(CommandError, match="already partitioned"):
        _partition("--plan")


@pytest.mark.django_db
def test_it_refuses_a_database_other_than_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("checks the refusal on the other databases")

    with pytest.raises(CommandError, match="needs PostgreSQL"):
        _partition("--plan")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        _partition("--add-year", "2030")
    assert dossier_partitions_ensure() == []
