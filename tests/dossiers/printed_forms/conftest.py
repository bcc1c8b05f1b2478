"""The commune, desk officer, logged-in client and marriage procedure of the printed-form tests."""

import pytest

from org.models import Role, UnitLevel
from procedures.services import DocumentSpec
from tests.factories import (
    MembershipFactory,
    UnitFactory,
    UserFactory,
    logged_in,
    published_procedure,
)


@pytest.fixture
def commune_a():
    return UnitFactory(code="001.37.H21", name="UBND xã Chư Gu", level=UnitLevel.COMMUNE)


@pytest.fixture
def officer(commune_a):
    user = UserFactory(username="motcua.a", first_name="Thị Hoa", last_name="Phạm")
    return MembershipFactory(unit=commune_a, role=Role.DESK_OFFICER, user=user).user


@pytest.fixture
def client(client, officer):
    return logged_in(officer, client)


@pytest.fixture
def version():
    """Marriage registration (1.000948) with its two documents."""
    return published_procedure(
        code="1.000948",
        name="Đăng ký kết hôn",
        documents=(
            DocumentSpec("Tờ khai đăng ký kết hôn", originals=1),
            DocumentSpec("Giấy xác nhận tình trạng hôn nhân", originals=1, copies=2),
        ),
    )
