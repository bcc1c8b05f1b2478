from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from org.models import Membership, Unit
from org.selectors import units_visible_to

pytestmark = pytest.mark.django_db


def test_it_loads_the_seed_district_and_the_five_demo_users(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    district = Unit.objects.get(code="000.00.37.H21")
    assert district.children.count() == 14
    for username in ("quantri", "bcd", "motcua.huyen", "motcua.xa", "chuyenvien"):
        assert authenticate(username=username, password="cchc-demo") is not None
    commune_officer = authenticate(username="motcua.xa", password="cchc-demo")
    assert list(units_visible_to(commune_officer).values_list("code", flat=True)) == ["001.37.H21"]


def test_it_changes_nothing_when_run_twice(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    before = (Unit.objects.count(), Membership.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Unit.objects.count(), Membership.objects.count()) == before


def test_it_refuses_production_settings(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not Unit.objects.exists()
