"""Units have a life: validity on a day, successors (one or several), inherited history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from org.models import Membership, Role, Unit, UnitLevel
from org.selectors import unit_lineage_ids
from org.services import units_import
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


ENDED = dt.date(2025, 6, 30)
STARTED = dt.date(2025, 7, 1)


@pytest.fixture
def reform():
    """A district of two communes that became one new commune on 1 July 2025, and a third
    commune split between that commune and another."""
    province = UnitFactory(code="P", name="Tỉnh", level=UnitLevel.PROVINCE)
    district = UnitFactory(code="D", name="Huyện", level=UnitLevel.DISTRICT, parent=province,
                           valid_to=ENDED)  # fmt: skip
    new = UnitFactory(code="N", name="Xã Mới", parent=province, valid_from=STARTED)
    other = UnitFactory(code="O", name="Xã Khác", parent=province, valid_from=STARTED)
    a = UnitFactory(code="A", name="Xã A", parent=district, valid_to=ENDED, successor=new)
    b = UnitFactory(code="B", name="Xã B", parent=district, valid_to=ENDED, successor=new)
    split = UnitFactory(code="S", name="Xã Chia", parent=district, valid_to=ENDED,
                        successors=[new, other])  # fmt: skip
    return {"province": province, "district": district, "new": new, "other": other, "a": a,
            "b": b, "split": split}  # fmt: skip


def codes(ids) -> set[str]:
    return set(Unit.objects.filter(id__in=ids).values_list("code", flat=True))


def test_it_lists_the_units_in_force_on_a_day(reform):
    assert set(Unit.objects.valid_on(ENDED).values_list("code", flat=True)) == {
        "P", "D", "A", "B", "S",
    }  # fmt: skip
    assert set(Unit.objects.valid_on(STARTED).values_list("code", flat=True)) == {"P", "N", "O"}


def test_it_names_the_successors_of_an_ended_unit(reform):
    assert (
        reform["a"].validity_error(STARTED)
        == "Xã A ended on 30/06/2025; its work passed to Xã Mới."
    )
    assert reform["split"].validity_error(STARTED) == (
        "Xã Chia ended on 30/06/2025; its work passed to Xã Khác, Xã Mới."
    )
    assert reform["a"].validity_error(ENDED) == ""


def test_it_says_when_a_unit_begins(reform):
    assert reform["new"].validity_error(ENDED) == "Xã Mới only exists from 01/07/2025."


def test_a_successor_inherits_the_history_of_its_predecessors(reform):
    assert codes(unit_lineage_ids(reform["new"])) == {"N", "A", "B", "S"}
    assert codes(unit_lineage_ids(reform["other"])) == {"O", "S"}
    assert codes(unit_lineage_ids(reform["a"])) == {"A"}


def test_nobody_starts_work_at_an_ended_unit(reform):
    membership = Membership(user=UserFactory(), unit=reform["a"], role=Role.DESK_OFFICER)
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert "Xã Mới" in str(excinfo.value)
    Membership(user=UserFactory(), unit=reform["new"], role=Role.DESK_OFFICER).full_clean()


def test_the_import_links_several_successors():
    rows = [
        (2, {"code": "N1", "name": "Xã Một", "level": "commune", "valid_from": "2025-07-01"}),
        (3, {"code": "N2", "name": "Xã Hai", "level": "commune", "valid_from": "2025-07-01"}),
        (4, {"code": "OLD", "name": "Xã Cũ", "level": "commune", "valid_to": "2025-06-30",
             "successor_code": "N2; N1"}),
    ]  # fmt: skip
    assert units_import(rows=rows).created == 3
    old = Unit.objects.get(code="OLD")
    assert set(old.successors.values_list("code", flat=True)) == {"N1", "N2"}
    again = units_import(rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    rows[2][1]["successor_code"] = "N1"
    assert units_import(rows=rows).updated == 1
    assert list(old.successors.values_list("code", flat=True)) == ["N1"]


def test_the_import_reports_each_unknown_successor():
    rows = [(2, {"code": "OLD", "name": "Xã Cũ", "level": "commune", "successor_code": "X;Y"})]
    result = units_import(rows=rows)
    assert result.errors.lines() == [
        "row 2: successor_code: unknown unit 'X': not in the database nor in this file",
        "row 2: successor_code: unknown unit 'Y': not in the database nor in this file",
    ]
    assert not Unit.objects.exists()
