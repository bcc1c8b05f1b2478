"""Demo organisation of `make run`: the district of the seed article (Q1 2021)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from org.models import Membership, Role, Unit
from org.services import units_import
from org.tabular import ImportResult, read_rows

DEMO_UNITS = Path(__file__).resolve().parent / "units.csv"
DISTRICT = "000.00.37.H21"
COMMUNE = "001.37.H21"

# username, family name, given name, role, unit code
DEMO_USERS = (
    ("quantri", "Nguyễn", "Văn Quản", Role.ADMINISTRATOR, DISTRICT),
    ("bcd", "Nay", "Y Phú", Role.COMMITTEE_MEMBER, DISTRICT),
    ("motcua.huyen", "Trần", "Thị Lan", Role.DESK_OFFICER, DISTRICT),
    ("motcua.xa", "Ksor", "H'Hoa", Role.DESK_OFFICER, COMMUNE),
    ("chuyenvien", "Lê", "Văn Minh", Role.PROCESSING_OFFICER, DISTRICT),
)


def demo_organisation_load(*, password: str) -> ImportResult:
    """Units from units.csv and the five demo users. Idempotent."""
    with transaction.atomic():
        result = units_import(rows=read_rows(DEMO_UNITS))
        if not result.ok:
            raise ValueError("\n".join(result.errors.lines()))
        for username, family, given, role, unit_code in DEMO_USERS:
            _demo_user_save(
                username, family, given, role, Unit.objects.get(code=unit_code), password
            )
    return result


def _demo_user_save(
    username: str, family: str, given: str, role: str, unit: Unit, password: str
) -> None:
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.last_name, user.first_name = family, given
    # The administrator manages the Django admin too.
    user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
    user.set_password(password)
    user.save()
    Membership.objects.filter(user=user, is_active=True).exclude(unit=unit, role=role).update(
        is_active=False
    )
    Membership.objects.get_or_create(user=user, unit=unit, role=role, is_active=True)
