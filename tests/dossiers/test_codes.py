"""Dossier codes: gap-free per unit and local day, parseable, unique under concurrent intake."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction

from dossiers import codes
from dossiers.codes import dossier_code_format, dossier_code_next, dossier_code_parse
from tests.conftest import skip_unless_available
from tests.factories import VN, UnitFactory

MORNING = dt.datetime(2021, 3, 9, 8, 0, tzinfo=VN)


def next_code(unit, on=MORNING) -> str:
    with transaction.atomic():
        return dossier_code_next(unit=unit, on=on)


@pytest.mark.django_db
def test_it_numbers_a_units_day_from_0001():
    unit = UnitFactory(code="000.00.12.H30")
    assert [next_code(unit) for _ in range(3)] == [
        "000.00.12.H30-210309-0001",
        "000.00.12.H30-210309-0002",
        "000.00.12.H30-210309-0003",
    ]


@pytest.mark.django_db
def test_it_restarts_for_another_day_and_another_unit():
    desk, commune = UnitFactory(code="H30"), UnitFactory(code="X01")
    next_code(desk)
    next_code(desk)
    assert next_code(desk, on=MORNING + dt.timedelta(days=1)) == "H30-210310-0001"
    assert next_code(commune) == "X01-210309-0001"
    assert next_code(desk) == "H30-210309-0003"


@pytest.mark.django_db
def test_it_dates_the_code_by_the_local_day():
    unit = UnitFactory(code="H30")
    late_utc = dt.datetime(2021, 3, 8, 23, 30, tzinfo=dt.UTC)  # 06:30 on the 9th in Hà Nội
    assert next_code(unit, on=late_utc) == "H30-210309-0001"
    early_utc = dt.datetime(2021, 3, 8, 16, 59, tzinfo=dt.UTC)  # 23:59 on the 8th
    assert next_code(unit, on=early_utc) == "H30-210308-0001"


@pytest.mark.django_db
def test_it_gives_the_number_back_when_the_intake_rolls_back():
    unit = UnitFactory(code="H30")
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_code_next(unit=unit, on=MORNING)
        raise RuntimeError("intake failed")
    assert next_code(unit) == "H30-210309-0001"


@pytest.mark.django_db
def test_it_numbers_the_same_way_without_returning(monkeypatch):
    monkeypatch.setattr(codes, "_SQLITE_HAS_RETURNING", False)
    unit = UnitFactory(code="H30")
    assert [next_code(unit) for _ in range(2)] == ["H30-210309-0001", "H30-210309-0002"]


@pytest.mark.django_db(transaction=True)
def test_it_must_run_inside_the_intake_transaction():
    unit = UnitFactory(code="H30")
    with pytest.raises(AssertionError, match="inside the intake transaction"):
        dossier_code_next(unit=unit, on=MORNING)


def test_it_widens_past_9999():
    assert dossier_code_format(unit_code="H30", day=dt.date(2021, 3, 9), n=12345) == (
        "H30-210309-12345"
    )


@pytest.mark.parametrize(
    "code, parsed",
    [
        ("000.00.12.H30-210309-0001", ("000.00.12.H30", dt.date(2021, 3, 9), 1)),
        ("H30-210309-12345", ("H30", dt.date(2021, 3, 9), 12345)),
        ("H30-210309-000123", ("H30", dt.date(2021, 3, 9), 123)),
        ("H30-251231-9999999", ("H30", dt.date(2025, 12, 31), 9999999)),
        # A unit code may itself hold a hyphen.
        ("UBND-XA-210309-0042", ("UBND-XA", dt.date(2021, 3, 9), 42)),
    ],
)
def test_it_parses_codes_with_4_to_7_digits(code, parsed):
    assert dossier_code_parse(code) == parsed


@pytest.mark.parametrize(
    "code",
    [
        "H30-210309-001",  # 3 digits
        "H30-210309-00000001",  # 8 digits
        "H30-211309-0001",  # month 13
        "H30-210230-0001",  # 30 February
        "H30-210309-0000",  # numbers start at 0001
        "H30-2103090001",
        "210309-0001",
        "H30-210309-00A1",
        "",
    ],
)
def test_it_rejects_malformed_codes(code):
    with pytest.raises(ValueError):
        dossier_code_parse(code)


@pytest.mark.django_db(transaction=True)
def test_it_never_duplicates_or_skips_under_concurrent_intake():
    skip_unless_available(
        connection.vendor == "postgresql",
        "needs PostgreSQL for real concurrent transactions: set DATABASE_URL=postgres://…",
    )
    unit = UnitFactory(code="H30")
    threads_count = 24
    barrier = threading.Barrier(threads_count)
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def intake() -> None:
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                code = dossier_code_next(unit=unit, on=MORNING)
                # Hold the counter row as a real intake would, so the others queue behind it.
                time.sleep(0.01)
            with lock:
                results.append(code)
        except BaseException as error:  # reported by the main thread
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=intake) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == [f"H30-210309-{n:04d}" for n in range(1, threads_count + 1)]
