"""The small rules about units that every app asks org.models for: validity on a day (in the
database and in Python alike), depth in the tree, the reform date and the order of levels."""

import datetime as dt

import pytest
from django.db.models import Count

from org.models import (
    REFORM_DATE,
    Unit,
    UnitLevel,
    is_reformed,
    levels_in_order,
    path_depth,
    tiers_in_order,
    valid_on_condition,
)
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    """Four units with every kind of validity window around March 2021."""
    return {
        "always": UnitFactory(code="ALWAYS"),
        "from_march": UnitFactory(code="FROM", valid_from=dt.date(2021, 3, 1)),
        "to_march": UnitFactory(code="TO", valid_to=dt.date(2021, 3, 31)),
        "march_only": UnitFactory(
            code="MARCH", valid_from=dt.date(2021, 3, 1), valid_to=dt.date(2021, 3, 31)
        ),
    }


@pytest.mark.parametrize(
    "day, expected",
    [
        (dt.date(2021, 2, 28), {"ALWAYS", "TO"}),
        (dt.date(2021, 3, 1), {"ALWAYS", "FROM", "TO", "MARCH"}),  # first day counts
        (dt.date(2021, 3, 31), {"ALWAYS", "FROM", "TO", "MARCH"}),  # last day counts
        (dt.date(2021, 4, 1), {"ALWAYS", "FROM"}),
    ],
)
def test_it_finds_the_units_in_force_on_a_day(units, day, expected):
    assert set(Unit.objects.valid_on(day).values_list("code", flat=True)) == expected
    # The Python twin says the same of each unit.
    assert {unit.code for unit in units.values() if unit.is_valid_on(day)} == expected


def test_it_counts_units_in_force_through_a_related_prefix(units):
    parent = UnitFactory(code="PARENT", level=UnitLevel.DISTRICT)
    for unit in units.values():
        unit.parent = parent
        unit.save()
    counted = Unit.objects.filter(pk=parent.pk).aggregate(
        in_force=Count("children", filter=valid_on_condition(dt.date(2021, 4, 1), "children__"))
    )
    assert counted == {"in_force": 2}  # ALWAYS and FROM


def test_it_gives_a_units_depth_from_its_path():
    province = UnitFactory(level=UnitLevel.PROVINCE)
    district = UnitFactory(level=UnitLevel.DISTRICT, parent=province)
    commune = UnitFactory(parent=district)
    assert [province.depth, district.depth, commune.depth] == [0, 1, 2]
    assert Unit.objects.get(pk=commune.pk).depth == 2
    assert path_depth("/4/9/15/") == 2
    assert path_depth("") == 0  # not saved yet: treated as a root


def test_it_switches_the_order_of_levels_on_the_reform_day():
    assert dt.date(2025, 7, 1) == REFORM_DATE
    before, on = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    assert not is_reformed(before) and is_reformed(on)
    assert levels_in_order(before) == ("district", "commune", "centre", "department", "province")
    assert levels_in_order(on) == ("province", "centre", "department", "commune", "district")
    assert tiers_in_order(before) == ("district", "commune", "province")
    assert tiers_in_order(on) == ("province", "commune", "district")
    # Every level is ordered, under both regimes.
    assert set(levels_in_order(before)) == set(levels_in_order(on)) == set(UnitLevel.values)
