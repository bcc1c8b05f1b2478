import pytest
from django.test import Client

from org.models import Role
from tests.factories import SectorFactory, UnitFactory, logged_in, member, published_procedure


@pytest.fixture
def administrator(db):
    return member(UnitFactory(), Role.ADMINISTRATOR, "quantri", is_staff=True)


@pytest.fixture
def desk_officer(db):
    """A staff user, as if with every model permission: the role decides, not the flags."""
    return member(UnitFactory(), Role.DESK_OFFICER, "motcua", is_staff=True)


# The admin pages' clients (admin_user replaces pytest-django's: the administrator is a member).
@pytest.fixture
def admin_user(administrator):
    return administrator


@pytest.fixture
def admin_client(administrator) -> Client:
    return logged_in(administrator, language=None)


@pytest.fixture
def desk_client(desk_officer) -> Client:
    return logged_in(desk_officer, language=None)


@pytest.fixture
def birth_and_land(db):
    """Publishes 1.000001, birth registration (commune), then 1.000002, a land procedure of
    the district in sector DD, with the name and online level given."""

    def publish(land_name: str, online_level: str) -> None:
        land = SectorFactory(code="DD", name="Đất đai")
        published_procedure(code="1.000001", name="Đăng ký khai sinh")
        published_procedure(
            code="1.000002",
            name=land_name,
            sector=land,
            levels=("district",),
            online_level=online_level,
        )

    return publish


@pytest.fixture
def assert_queries_flat(db):
    """Checks that ``call`` (a request answering 200) runs as many queries with 30 procedures
    in force as with 3."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def check(call) -> None:
        def count_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert call().status_code == 200
            return len(queries)

        for number in range(3):
            published_procedure(code=f"1.{number:06d}")
        few = count_queries()
        for number in range(3, 30):
            published_procedure(code=f"1.{number:06d}")
        assert count_queries() == few

    return check
