"""Demo organisation of `make run`: the seed district in Q1 2021 and its territory today.

Two eras (DESIGN §1):

- until 30/06/2025: the province of Gia Lai, the district of Krông Pa and its 14 communes and
  town, as in the seed article (units.csv; codes of QCVN 102 style);
- from 01/07/2025 (Decree 118/2025, two-tier local government): the province of Gia Lai merged
  with Bình Định (GSO code 52) and its 135 communes and wards from the ``vietnam-provinces``
  package (codes as ``load_province_units`` makes them: T52, X + GSO ward code), the provincial
  public-administration service centre and two departments (units_2025.csv).

Each old unit points to its successors: the district's communes to the four communes formed
from them by Resolution 1664/NQ-UBTVQH15 (items 82–85), the old province and the district to
the new province, which took over the district's competences with the communes.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from vietnam_provinces import Province

from org.management.commands.load_province_units import province_unit_rows
from org.models import Membership, Role, Unit
from org.services import units_import
from org.tabular import ImportResult, read_rows

DEMO_UNITS = Path(__file__).resolve().parent / "units.csv"
DEMO_UNITS_2025 = Path(__file__).resolve().parent / "units_2025.csv"
GIA_LAI_2025 = 52  # GSO code of the province formed by Gia Lai and Bình Định

DISTRICT = "000.00.37.H21"
COMMUNE = "001.37.H21"
PROVINCE = "T52"
CENTRE = "T52.TTHCC"
DEPARTMENT = "T52.SNNMT"
JUSTICE_DEPARTMENT = "T52.STP"
# The four communes formed from Krông Pa on 1 July 2025 (Resolution 1664/NQ-UBTVQH15).
PHU_TUC, IA_DREH, IA_RSAI, UAR = "X24076", "X24100", "X24112", "X24109"
NEW_COMMUNES = (PHU_TUC, IA_DREH, IA_RSAI, UAR)

# username, family name, given name, role, unit code
DEMO_USERS = (
    ("quantri", "Nguyễn", "Văn Quản", Role.ADMINISTRATOR, PROVINCE),
    ("bcd", "Nay", "Y Phú", Role.COMMITTEE_MEMBER, PROVINCE),
    ("motcua.huyen", "Trần", "Thị Lan", Role.DESK_OFFICER, CENTRE),
    ("motcua.xa", "Ksor", "H'Hoa", Role.DESK_OFFICER, PHU_TUC),
    ("chuyenvien", "Lê", "Văn Minh", Role.PROCESSING_OFFICER, DEPARTMENT),
)

# Where each demo user worked in 2021 (their memberships then, inactive today).
DEMO_UNITS_2021 = {
    "quantri": DISTRICT,
    "bcd": DISTRICT,
    "motcua.huyen": DISTRICT,
    "motcua.xa": COMMUNE,
    "chuyenvien": DISTRICT,
}


def demo_unit_rows() -> list:
    """The import rows of both eras, numbered in one sequence (for error messages)."""
    province = next(p for p in Province.iter_all() if int(p.code) == GIA_LAI_2025)
    rows = [*province_unit_rows(province), *read_rows(DEMO_UNITS_2025), *read_rows(DEMO_UNITS)]
    return [(number, values) for number, (_, values) in enumerate(rows, start=2)]


def demo_organisation_load(*, password: str) -> ImportResult:
    """Units of both eras and the five demo users. Idempotent."""
    with transaction.atomic():
        result = units_import(rows=demo_unit_rows())
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
    _membership_activate(user, unit, role)


def _membership_activate(user, unit: Unit, role: str) -> None:
    """Make (user, unit, role) the user's one active membership, reusing an earlier row."""
    Membership.objects.filter(user=user, is_active=True).exclude(unit=unit, role=role).update(
        is_active=False
    )
    earlier = Membership.objects.filter(user=user, unit=unit, role=role).order_by("-id").first()
    if earlier is None:
        Membership.objects.create(user=user, unit=unit, role=role, is_active=True)
    elif not earlier.is_active:
        earlier.is_active = True
        earlier.save(update_fields=["is_active"])


@contextmanager
def demo_users_in_2021() -> Iterator[None]:
    """The demo users at their 2021 units while the demo records 2021's history (the
    committee's meeting and the units' reports), then back at today's units."""
    users = get_user_model().objects.in_bulk(list(DEMO_UNITS_2021), field_name="username")
    units = Unit.objects.in_bulk([*DEMO_UNITS_2021.values()], field_name="code")
    roles = {username: role for username, _f, _g, role, _u in DEMO_USERS}
    today = {username: code for username, _f, _g, _r, code in DEMO_USERS}
    for username, code in DEMO_UNITS_2021.items():
        _membership_activate(users[username], units[code], roles[username])
    try:
        yield
    finally:
        for username, code in today.items():
            _membership_activate(users[username], Unit.objects.get(code=code), roles[username])
