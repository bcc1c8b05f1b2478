"""Loading the demo catalogue: the 2021 catalogue, then its versions from 1 July 2025 written in
bulk (the same rows as the services), idempotent, and the competence it gives today's units."""

import datetime as dt

import pytest

from org.demo import CENTRE, DISTRICT, PHU_TUC, demo_organisation_load
from org.models import Unit
from procedures.demo import demo_catalogue_load
from procedures.imports import new_versions_import, procedures_import
from procedures.models import ProcedureVersion
from procedures.selectors import procedure_counts, procedure_versions_receivable
from procedures.services import ProcedureContent
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

D = dt.date


def row(code: str, **cells) -> dict[str, str]:
    return {
        "code": code,
        "name": "Đăng ký khai sinh có yếu tố nước ngoài",
        "sector_code": "BTP-HT",
        "sector_name": "Hộ tịch",
        "level": "district",
        "online_level": "3",
        "processing_time": "15",
        "processing_unit": "working_days",
        "fee": "",
        "valid_from": "2020-09-14",
        "implementing_unit_codes": "H",
        "documents": "Tờ khai|1|0|0;Giấy chứng sinh|1|0|0",
        **cells,
    }


def reformed(code: str, **cells) -> dict[str, str]:
    return row(
        code,
        **{
            "level": "commune",
            "online_level": "partial",
            "valid_from": "2025-07-01",
            "implementing_unit_codes": "",
            "documents": "Tờ khai|1|0|0",
            **cells,
        },
    )


def numbered(*rows):
    return list(enumerate(rows, start=2))


def written(code: str) -> list[tuple]:
    """Every stored field of the code's versions, apart from ids, the code and timestamps."""
    versions = (
        ProcedureVersion.objects.filter(procedure__code=code)
        .prefetch_related("levels", "documents", "channel_times", "implementing_units")
        .order_by("number")
    )
    return [
        (
            version.number,
            version.status,
            version.valid_from,
            version.valid_to,
            version.abolished,
            version.created_by_id,
            version.published_by_id,
            version.published_at is not None,
            version.change_note,
            version.search_text.replace(code, "<code>"),
            ProcedureContent.of(version).normalised(),
        )
        for version in versions
    ]


def test_it_writes_in_bulk_the_versions_the_services_write():
    UnitFactory(code="H", level="district")
    assert procedures_import(rows=numbered(row("1.000001"), row("1.000002"))).created == 2

    bulk = new_versions_import(rows=numbered(reformed("1.000001")))
    services = procedures_import(rows=numbered(reformed("1.000002")))

    assert (bulk.updated, services.updated) == (1, 1)
    assert written("1.000001") == written("1.000002")
    [old, new] = written("1.000001")
    assert old[3] == D(2025, 6, 30)  # the 2021 version ends the day before
    assert (new[0], new[2], new[3]) == (2, D(2025, 7, 1), None)


def test_it_leaves_unchanged_rows_alone():
    UnitFactory(code="H", level="district")
    procedures_import(rows=numbered(row("1.000001")))
    new_versions_import(rows=numbered(reformed("1.000001")))
    again = new_versions_import(rows=numbered(reformed("1.000001")))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert ProcedureVersion.objects.count() == 2


def test_it_imports_a_new_code_the_ordinary_way():
    result = new_versions_import(rows=numbered(reformed("1.000003")))
    assert (result.created, result.updated) == (1, 0)
    assert ProcedureVersion.objects.get().valid_from == D(2025, 7, 1)


def test_it_reports_the_rows_it_cannot_import_and_writes_nothing():
    UnitFactory(code="H", level="district")
    procedures_import(rows=numbered(row("1.000001")))
    result = new_versions_import(
        rows=numbered(reformed("1.000001"), reformed("1.000002", level="huyện"))
    )
    assert not result.ok
    assert "row 3: level:" in "\n".join(result.errors.lines())
    assert ProcedureVersion.objects.count() == 1


@pytest.fixture(scope="module")
def demo_catalogue(django_db_setup, django_db_blocker):
    """The demo units and catalogue, loaded once for the module in a transaction rolled back
    at its end; each test runs in a savepoint on top."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo_organisation_load(password="cchc-demo")
            yield demo_catalogue_load()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_it_loads_372_procedures_and_their_2025_versions(demo_catalogue):
    assert (demo_catalogue.created, demo_catalogue.updated) == (372, 372)
    assert ProcedureVersion.objects.count() == 744
    assert procedure_counts(on=D(2021, 3, 31))["by_level"] == {
        "province": 47,
        "district": 200,
        "commune": 125,
    }
    assert procedure_counts(on=D(2025, 6, 30))["by_level"]["district"] == 200
    assert procedure_counts(on=D(2025, 7, 1))["by_level"] == {
        "province": 211,
        "district": 0,
        "commune": 161,
    }


def test_it_changes_nothing_when_loaded_again(demo_catalogue):
    before = list(ProcedureVersion.objects.order_by("pk").values())
    again = demo_catalogue_load()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 372)
    assert list(ProcedureVersion.objects.order_by("pk").values()) == before


def test_it_lets_the_seed_district_receive_its_247_procedures_in_2021(demo_catalogue):
    district = Unit.objects.get(code=DISTRICT)
    assert procedure_versions_receivable(unit=district, on=D(2021, 3, 31)).count() == 247
    # After the reform no version names it, and none is of its level.
    assert not procedure_versions_receivable(unit=district, on=D(2025, 7, 1)).exists()


def test_it_lets_a_new_commune_and_the_centre_receive_by_level_from_the_reform(demo_catalogue):
    commune = Unit.objects.get(code=PHU_TUC)
    centre = Unit.objects.get(code=CENTRE)
    assert procedure_versions_receivable(unit=commune, on=D(2025, 7, 1)).count() == 161
    assert procedure_versions_receivable(unit=centre, on=D(2025, 7, 1)).count() == 211
    names = set(
        procedure_versions_receivable(unit=commune, on=D(2025, 7, 1)).values_list("name", flat=True)
    )
    assert {"Đăng ký khai sinh", "Đăng ký khai sinh có yếu tố nước ngoài"} <= names
