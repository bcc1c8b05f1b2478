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
