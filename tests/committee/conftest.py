"""A district with three communes, its standing office and the staff of two communes."""

import datetime as dt

import pytest

from committee import services
from org.models import Role, UnitLevel
from tests.factories import MembershipFactory, UnitFactory, UserFactory

PASSWORD = "cchc-test-password"


@pytest.fixture
def province():
    return UnitFactory(code="000.00.00.H30", name="UBND tỉnh Hưng Yên", level=UnitLevel.PROVINCE)


@pytest.fixture
def district(province):
    return UnitFactory(
        code="000.00.12.H30", name="UBND huyện Văn Lâm", level=UnitLevel.DISTRICT, parent=province
    )


@pytest.fixture
def commune_a(district):
    return UnitFactory(code="000.12.34.H30", name="UBND xã Lạc Đạo", parent=district)


@pytest.fixture
def commune_b(district):
    return UnitFactory(code="000.12.35.H30", name="UBND xã Trưng Trắc", parent=district)


@pytest.fixture
def commune_c(district):
    return UnitFactory(code="000.12.36.H30", name="UBND xã Chỉ Đạo", parent=district)


def member(unit, role, username, email=""):
    user = UserFactory(username=username, email=email or f"{username}@example.vn")
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def office(district):
    """A steering committee member of the district: the standing office."""
    return member(district, Role.COMMITTEE_MEMBER, "bcd")


@pytest.fixture
def staff_a(commune_a):
    return member(commune_a, Role.DESK_OFFICER, "motcua.a")


@pytest.fixture
def staff_b(commune_b):
    return member(commune_b, Role.UNIT_LEADER, "lanhdao.b")


@pytest.fixture
def staff_c(commune_c):
    return member(commune_c, Role.PROCESSING_OFFICER, "chuyenvien.c")


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
