"""factory_boy factories shared by the whole suite."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from org.models import Membership, Role, Unit, UnitLevel

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def local(text: str) -> dt.datetime:
    """``"2021-03-02 09:00"`` as an aware datetime in Hà Nội time."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=VN)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"000.00.{n:02d}.H99")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    level = UnitLevel.COMMUNE
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # UnitFactory(successor=unit) or UnitFactory(successors=[a, b]).
        successors = kwargs.pop("successors", None) or []
        if kwargs.get("successor") is not None:
            successors.append(kwargs.pop("successor"))
        kwargs.pop("successor", None)
        unit = super()._create(model_class, *args, **kwargs)
        unit.successors.add(*successors)
        return unit


# The units of Hưng Yên the page tests share (tests/conftest.py makes fixtures of them).
HUNG_YEN = {
    "province": ("000.00.00.H30", "UBND tỉnh Hưng Yên", UnitLevel.PROVINCE),
    "district": ("000.00.12.H30", "UBND huyện Văn Lâm", UnitLevel.DISTRICT),
    "commune": ("000.12.34.H30", "UBND xã Lạc Đạo", UnitLevel.COMMUNE),
    "commune_b": ("000.12.35.H30", "UBND xã Trưng Trắc", UnitLevel.COMMUNE),
}


def hung_yen_unit(key: str, parent=None) -> Unit:
    code, name, level = HUNG_YEN[key]
    return UnitFactory(code=code, name=name, level=level, parent=parent)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"canbo{n}")
    first_name = "Văn"
    last_name = "Nguyễn"
    password = factory.django.Password("cchc-test-password")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.DESK_OFFICER


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "procedures.Sector"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LV{n:03d}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


def procedure_content(**overrides):
    """A valid ProcedureContent; override any field."""
    from decimal import Decimal

    from procedures.services import ProcedureContent

    fields = {
        "name": "Đăng ký khai sinh",
        "sector": overrides.pop("sector", None) or SectorFactory(code="HT", name="Hộ tịch"),
        "levels": ("commune",),
        "online_level": "4",
        "processing_time": Decimal("3"),
        "processing_unit": "working_days",
    }
    fields.update(overrides)
    return ProcedureContent(**fields)


def published_procedure(code="1.000001", valid_from=None, by=None, **content):
    """A procedure with one published version (valid from 2020-01-01 unless told)."""
    import datetime as dt

    from procedures.services import procedure_create, procedure_publish

    draft = procedure_create(code=code, content=procedure_content(**content), by=by)
    return procedure_publish(version=draft, valid_from=valid_from or dt.date(2020, 1, 1), by=by)


def received_dossier(**overrides):
    """A dossier accepted through ``dossier_receive`` (3 working days, received Tue 2021-03-02
    09:00 Hà Nội time at a fresh desk unless told); any keyword of the service overrides."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from dossiers.services import dossier_receive

    if "procedure_version" not in overrides:
        from procedures.models import ProcedureVersion

        code = overrides.pop("procedure_code", "1.000001")
        existing = ProcedureVersion.objects.filter(procedure__code=code, status="published")
        overrides["procedure_version"] = existing.first() or published_procedure(code=code)
    fields = {
        "desk": overrides.pop("desk", None) or UnitFactory(),
        "channel": "direct",
        "applicant": {"name": "Trần Thị B", "phone": "0912345678"},
        "received_at": dt.datetime(2021, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        "by": None,
    }
    fields.update(overrides)
    return dossier_receive(**fields)


def logged_in(user, client: Client | None = None, *, language: str | None = "en") -> Client:
    """``client`` (a fresh one unless given) logged in as ``user``, its pages in ``language``
    (None: no language cookie)."""
    client = client or Client()
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def staff(role: str, unit) -> Client:
    """A client logged in as a new member of ``unit`` with ``role``, in English."""
    return logged_in(MembershipFactory(role=role, unit=unit).user)


def member(unit, role: str = Role.COMMITTEE_MEMBER, username: str | None = None, **user_fields):
    """A new user with ``role`` in ``unit`` (a Unit or the code of one)."""
    if isinstance(unit, str):
        unit = Unit.objects.get(code=unit)
    if username is not None:
        user_fields["username"] = username
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


def member_fixture(name: str, unit_fixture: str, role: str, username: str, **user_fields):
    """A fixture ``name``: a new user ``username`` with ``role`` in the unit of the fixture
    ``unit_fixture`` (assign it to a module variable of the same name)."""
    import pytest

    @pytest.fixture(name=name)
    def new_member(request):
        unit = request.getfixturevalue(unit_fixture)
        return member(unit, role, username, **user_fields)

    return new_member
