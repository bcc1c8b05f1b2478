"""factory_boy factories shared by the whole suite."""

import factory
from django.contrib.auth import get_user_model

from org.models import Membership, Role, Unit, UnitLevel


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
