"""Fixtures of the PAR index tests: a small framework with hand-checkable points, and units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from committee.parindex.imports import framework_import
from committee.parindex.models import Framework
from committee.parindex.services import framework_publish
from org.models import Role, UnitLevel
from tests.factories import MembershipFactory, UnitFactory, UserFactory

# 1 Area one (10) = 1.1 (6: 1.1.1 = 2.5, 1.1.2 = 3.5) + 1.2 (4)
# 2 Area two (10) = 2.1 (7) + 2.2 (3, survey)
SMALL_FRAMEWORK = [
    {"code": "1", "name": "Công tác chỉ đạo điều hành", "max_points": "10", "method": ""},
    {"code": "1.1", "name": "Kế hoạch CCHC", "max_points": "6", "method": ""},
    {"code": "1.1.1", "name": "Ban hành kế hoạch", "max_points": "2,5", "method": "self_assessed"},
    {
        "code": "1.1.2",
        "name": "Hoàn thành kế hoạch",
        "max_points": "3.5",
        "method": "self_assessed",
    },
    {"code": "1.2", "name": "Báo cáo CCHC", "max_points": "4", "method": "self_assessed"},
    {"code": "2", "name": "Cải cách TTHC", "max_points": "10", "method": ""},
    {"code": "2.1", "name": "Giải quyết đúng hạn", "max_points": "7", "method": "self_assessed"},
    {"code": "2.2", "name": "Sự hài lòng", "max_points": "3", "method": "survey"},
]
PASSWORD = "cchc-test-password"


def numbered(rows: list[dict]) -> list[tuple[int, dict]]:
    return [(number, row) for number, row in enumerate(rows, start=2)]


def small_framework(*, publish: bool = True, name: str = "Bộ chỉ số thử", **kwargs) -> Framework:
    fields = {"year_from": 2020, "year_to": 2022, "level": UnitLevel.COMMUNE}
    fields.update(kwargs)
    result = framework_import(rows=numbered(SMALL_FRAMEWORK), name=name, **fields)
    assert result.ok, result.errors.lines()
    framework = result.framework
    return framework_publish(framework=framework, by=None) if publish else framework


def leaf(framework: Framework, code: str):
    return framework.criteria.get(code=code)


@pytest.fixture
def framework(db) -> Framework:
    return small_framework()


@pytest.fixture
def district(db):
    return UnitFactory(code="000.00.37.H99", name="UBND huyện Thử", level=UnitLevel.DISTRICT)


@pytest.fixture
def commune(district):
    return UnitFactory(
        code="001.37.H99", name="UBND xã Một", level=UnitLevel.COMMUNE, parent=district
    )


@pytest.fixture
def other_commune(district):
    return UnitFactory(
        code="002.37.H99", name="UBND xã Hai", level=UnitLevel.COMMUNE, parent=district
    )


def member(role: str, unit, **user_fields):
    return MembershipFactory(role=role, unit=unit, user=UserFactory(**user_fields)).user


def client_for(user, *, english: bool = False) -> Client:
    from django.conf import settings

    client = Client()
    client.force_login(user)
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def commune_officer(commune):
    return member(Role.UNIT_LEADER, commune, username="lanhdao.xa1")


@pytest.fixture
def other_officer(other_commune):
    return member(Role.DESK_OFFICER, other_commune, username="motcua.xa2")


@pytest.fixture
def committee_member(district):
    return member(Role.COMMITTEE_MEMBER, district, username="bcd.huyen")


def points(text: str) -> Decimal:
    return Decimal(text)
