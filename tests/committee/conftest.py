"""A district with three communes, its standing office and the staff of two communes."""

import datetime as dt

import pytest

from committee import services
from org.models import Role
from tests import factories
from tests.factories import UnitFactory

PASSWORD = "cchc-test-password"


@pytest.fixture
def commune_c(district):
    return UnitFactory(code="000.12.36.H30", name="UBND xã Chỉ Đạo", parent=district)


def member(unit, role, username, email=""):
    """A user of the committee's world, e-mailed at ``<username>@example.vn`` unless told."""
    return factories.member(unit, role, username, email=email or f"{username}@example.vn")


def meeting_fields(**overrides) -> dict:
    """What ``meeting_create`` needs besides who and where: a quarterly meeting on 25/03/2021."""
    fields = {"held_on": dt.date(2021, 3, 25), "kind": "quarterly", "title": "Họp"}
    return {**fields, "chair": "Chủ tịch", **overrides}


@pytest.fixture
def office(district):
    """A steering committee member of the district: the standing office."""
    return member(district, Role.COMMITTEE_MEMBER, "bcd")


def staff_fixture(name: str, unit_fixture: str, role: str, username: str):
    email = f"{username}@example.vn"
    return factories.member_fixture(name, unit_fixture, role, username, email=email)


staff_a = staff_fixture("staff_a", "commune_a", Role.DESK_OFFICER, "motcua.a")
staff_b = staff_fixture("staff_b", "commune_b", Role.UNIT_LEADER, "lanhdao.b")
staff_c = staff_fixture("staff_c", "commune_c", Role.PROCESSING_OFFICER, "chuyenvien.c")


@pytest.fixture
def meeting(office, district):
    return services.meeting_create(
        by=office,
        unit=district,
        held_on=dt.date(2021, 3, 25),
        kind="quarterly",
        title="Họp Ban chỉ đạo CCHC quý I năm 2021",
        chair="Nay Y Phú – Chủ tịch UBND huyện",
        notice_number="45/TB-UBND",
        notice_date=dt.date(2021, 3, 26),
    )


@pytest.fixture
def conclusion(meeting, office):
    return services.conclusion_add(
        meeting=meeting, by=office, text="Nâng tỷ lệ hồ sơ cập nhật trên hệ thống iGate."
    )


def assigned(conclusion, by, title, lead_unit, deadline: dt.date, **fields):
    """A task of ``conclusion`` assigned by ``by`` to ``lead_unit`` (``task_assign``)."""
    return services.task_assign(
        conclusion=conclusion, by=by, title=title, lead_unit=lead_unit, deadline=deadline, **fields
    )


@pytest.fixture
def task(conclusion, office, commune_a, commune_b):
    """Lead: commune A, supporting: commune B, due Wed 2021-04-14."""
    return services.task_assign(
        conclusion=conclusion,
        by=office,
        title="Cập nhật 100% hồ sơ lên iGate",
        lead_unit=commune_a,
        supporting_units=[commune_b],
        deadline=dt.date(2021, 4, 14),
        expected_output="Báo cáo kết quả",
    )
