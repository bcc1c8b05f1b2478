"""Catalogue reads: counts at a date (used by the quarterly report) and search."""

import datetime as dt

import pytest

from org.models import Unit
from procedures import services
from procedures.selectors import (
    catalogue_search,
    procedure_counts,
    procedure_version_receivable,
    procedure_versions_receivable,
)
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
    services.procedure_abolish(procedure=old.procedure, on=D(2021, 3, 1), by=None)
    # A draft never counts.
    services.procedure_create(code="1.000006", content=procedure_content(name="Nháp"), by=None)
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


@pytest.fixture
def two_tier():
    """Units of 2025 and procedures that name no implementing unit (competence by level)."""
    province = UnitFactory(code="T", level="province")
    centre = UnitFactory(code="T.TTHCC", level="centre", parent=province)
    department = UnitFactory(code="T.SNN", level="department", parent=province)
    district = UnitFactory(code="T.H", level="district", parent=province)
    commune = UnitFactory(code="T.X", level="commune", parent=province)
    versions = {
        level: published_procedure(code=code, name=f"Thủ tục {level}", levels=(level,))
        for code, level in (
            ("1.000010", "commune"),
            ("1.000011", "district"),
            ("1.000012", "province"),
        )
    }
    return {
        "province": province,
        "centre": centre,
        "department": department,
        "district": district,
        "commune": commune,
        "versions": versions,
    }


AUGUST_2025 = D(2025, 8, 1)


def receivable_codes(unit, on=AUGUST_2025):
    versions = procedure_versions_receivable(unit=unit, on=on)
    return sorted(v.procedure.code for v in versions)


def test_it_lets_a_commune_receive_only_commune_level_procedures(two_tier):
    assert receivable_codes(two_tier["commune"]) == ["1.000010"]


def test_it_lets_a_district_receive_only_district_level_procedures(two_tier):
    assert receivable_codes(two_tier["district"]) == ["1.000011"]


@pytest.mark.parametrize("unit", ["province", "department", "centre"])
def test_it_lets_a_province_department_or_centre_receive_province_level_procedures(two_tier, unit):
    assert receivable_codes(two_tier[unit]) == ["1.000012"]


def test_it_lets_a_unit_receive_a_procedure_of_several_levels_at_its_own_level(two_tier):
    published_procedure(code="1.000013", name="Hai cấp", levels=("commune", "province"))
    assert receivable_codes(two_tier["commune"]) == ["1.000010", "1.000013"]
    assert receivable_codes(two_tier["centre"]) == ["1.000012", "1.000013"]
    assert receivable_codes(two_tier["district"]) == ["1.000011"]


def test_it_lets_only_the_listed_units_receive_a_version_that_lists_them(two_tier):
    other_commune = UnitFactory(code="T.X2", level="commune", parent=two_tier["province"])
    published_procedure(
        code="1.000014",
        name="Chỉ một xã",
        levels=("commune",),
        implementing_unit_ids=frozenset({other_commune.pk}),
    )
    assert receivable_codes(other_commune) == ["1.000010", "1.000014"]
    # Same level, but not listed.
    assert receivable_codes(two_tier["commune"]) == ["1.000010"]


def test_it_lets_a_listed_unit_receive_a_procedure_of_another_level(two_tier):
    # The seed's district desk received province-level procedures listed for it.
    published_procedure(
        code="1.000015",
        name="Cấp tỉnh nhận tại huyện",
        levels=("province",),
        implementing_unit_ids=frozenset({two_tier["district"].pk}),
    )
    assert receivable_codes(two_tier["district"]) == ["1.000011", "1.000015"]
    # Listed units replace the level rule: the province's own desks are not listed.
    assert receivable_codes(two_tier["centre"]) == ["1.000012"]


def test_it_offers_only_versions_in_force_on_the_day(two_tier):
    published_procedure(
        code="1.000016", name="Từ tháng chín", levels=("commune",), valid_from=D(2025, 9, 1)
    )
    assert receivable_codes(two_tier["commune"], on=D(2025, 8, 31)) == ["1.000010"]
    assert receivable_codes(two_tier["commune"], on=D(2025, 9, 1)) == ["1.000010", "1.000016"]


def test_it_follows_the_version_in_force_when_a_procedure_changes_level(two_tier):
    district_version = two_tier["versions"]["district"]
    draft = services.procedure_draft_new(procedure=district_version.procedure, by=None)
    services.procedure_draft_update(
        version=draft,
        content=procedure_content(name="Thủ tục district", levels=("commune",)),
        by=None,
    )
    services.procedure_publish(version=draft, valid_from=D(2025, 7, 1), by=None)
    assert receivable_codes(two_tier["district"], on=D(2025, 6, 30)) == ["1.000011"]
    assert receivable_codes(two_tier["commune"], on=D(2025, 6, 30)) == ["1.000010"]
    assert receivable_codes(two_tier["district"], on=D(2025, 7, 1)) == []
    assert receivable_codes(two_tier["commune"], on=D(2025, 7, 1)) == ["1.000010", "1.000011"]


def test_it_answers_for_one_version_with_the_same_rule(two_tier):
    commune_version = two_tier["versions"]["commune"]
    assert procedure_version_receivable(
        version=commune_version, unit=two_tier["commune"], on=D(2025, 8, 1)
    )
    assert not procedure_version_receivable(
        version=commune_version, unit=two_tier["centre"], on=D(2025, 8, 1)
    )


def test_it_refuses_one_version_on_a_day_it_is_not_in_force(two_tier):
    commune_version = two_tier["versions"]["commune"]  # valid from 2020-01-01
    assert not procedure_version_receivable(
        version=commune_version, unit=two_tier["commune"], on=D(2019, 12, 31)
    )


def test_it_keeps_the_seed_district_desk_receiving_its_listed_province_procedures(catalogue):
    province_version = published_procedure(
        code="1.000020",
        name="Cấp tỉnh",
        levels=("province",),
        implementing_unit_ids=frozenset({catalogue["district"].pk}),
    )
    assert procedure_version_receivable(
        version=province_version, unit=catalogue["district"], on=D(2021, 3, 31)
    )
    # The commune is not listed, and the procedure is not of its level.
    assert not procedure_version_receivable(
        version=province_version, unit=catalogue["commune"], on=D(2021, 3, 31)
    )


def test_it_counts_for_units_the_procedures_they_may_receive_by_level(two_tier):
    # A new commune and the centre: commune- and province-level procedures, not the district's.
    units = Unit.objects.filter(pk__in=[two_tier["commune"].pk, two_tier["centre"].pk])
    counts = procedure_counts(on=D(2025, 8, 1), units=units)
    assert counts["total"] == 2
    assert counts["by_level"] == {"province": 1, "district": 0, "commune": 1}
