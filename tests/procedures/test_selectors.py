"""Catalogue reads: counts at a date (used by the quarterly report) and search."""

import datetime as dt

import pytest

from org.models import Unit
from procedures.selectors import catalogue_search, procedure_counts
from procedures.services import procedure_abolish, procedure_create
from tests.factories import SectorFactory, UnitFactory, procedure_content, published_procedure

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def catalogue():
    district = UnitFactory(code="H", level="district")
    commune = UnitFactory(code="X", level="commune", parent=district)
    land = SectorFactory(code="DD", name="Đất đai")
    published_procedure(
        code="1.000001",
        name="Đăng ký khai sinh",
        levels=("commune",),
        online_level="4",
        implementing_unit_ids=frozenset({commune.pk}),
    )
    published_procedure(
        code="1.000002",
        name="Đăng ký kết hôn",
        levels=("commune", "district"),
        online_level="3",
        implementing_unit_ids=frozenset({commune.pk, district.pk}),
    )
    published_procedure(
        code="1.000003",
        name="Cấp giấy chứng nhận quyền sử dụng đất",
        sector=land,
        levels=("district",),
        online_level="2",
        implementing_unit_ids=frozenset({district.pk}),
    )
    # Published only from Q2 2021: not in force on 31 March.
    published_procedure(
        code="1.000004",
        name="Thủ tục mới",
        levels=("province",),
        online_level="full",
        valid_from=D(2021, 4, 1),
    )
    # Abolished from 1 March 2021.
    old = published_procedure(code="1.000005", name="Thủ tục cũ", levels=("district",))
    procedure_abolish(procedure=old.procedure, on=D(2021, 3, 1), by=None)
    # A draft never counts.
    procedure_create(code="1.000006", content=procedure_content(name="Nháp"), by=None)
    return {"district": district, "commune": commune, "land": land}


def test_it_counts_procedures_in_force_on_a_day_by_level_and_online_level(catalogue):
    counts = procedure_counts(on=D(2021, 3, 31))
    # 1.000001–003 are in force; 004 starts later, 005 was abolished, 006 is a draft.
    assert counts["total"] == 3
    # 1.000002 is handled at two levels: once in each level, once in the total.
    assert counts["by_level"] == {"province": 0, "district": 2, "commune": 2}
    assert counts["by_online_level"] == {
        "1": 0,
        "2": 1,
        "3": 1,
        "4": 1,
        "partial": 0,
        "full": 0,
    }


def test_it_counts_the_abolished_procedure_before_its_end(catalogue):
    assert procedure_counts(on=D(2021, 2, 28))["total"] == 4
    assert procedure_counts(on=D(2021, 4, 1))["by_level"]["province"] == 1


def test_it_counts_only_procedures_implemented_by_given_units(catalogue):
    commune_only = Unit.objects.filter(pk=catalogue["commune"].pk)
    assert procedure_counts(on=D(2021, 3, 31), units=commune_only)["total"] == 2
    both = Unit.objects.filter(pk__in=[catalogue["commune"].pk, catalogue["district"].pk])
    assert procedure_counts(on=D(2021, 3, 31), units=both)["total"] == 3


@pytest.mark.parametrize(
    "query, codes",
    [
        ("khai sinh", ["1.000001"]),
        ("dang ky", ["1.000001", "1.000002"]),  # without diacritics
        ("ĐĂNG KÝ KẾT", ["1.000002"]),  # upper case with diacritics
        ("quyen su dung dat", ["1.000003"]),  # đ typed as d
        ("1.000003", ["1.000003"]),  # by code
        ("000002", ["1.000002"]),
        ("ket hon khai sinh", []),  # every word must match
        ("", ["1.000001", "1.000002", "1.000003"]),
    ],
)
def test_it_searches_by_name_or_code_with_or_without_diacritics(catalogue, query, codes):
    found = catalogue_search(on=D(2021, 3, 31), query=query)
    assert [v.procedure.code for v in found] == codes


def test_it_filters_by_sector_level_and_online_level(catalogue):
    on = D(2021, 3, 31)
    assert [v.procedure.code for v in catalogue_search(on=on, sector_id=catalogue["land"].pk)] == [
        "1.000003"
    ]
    assert [v.procedure.code for v in catalogue_search(on=on, level="district")] == [
        "1.000002",
        "1.000003",
    ]
    assert [v.procedure.code for v in catalogue_search(on=on, online_level="4")] == ["1.000001"]
