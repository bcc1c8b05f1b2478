import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from dossiers.models import Dossier, Event
from org.models import Membership, Unit
from org.selectors import units_visible_to
from procedures.selectors import procedure_counts

pytestmark = pytest.mark.django_db


def test_it_loads_the_seed_district_and_the_five_demo_users(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    district = Unit.objects.get(code="000.00.37.H21")
    assert district.children.count() == 14
    login = RequestFactory().post("/dang-nhap/")  # django-axes checks every login's request
    for username in ("quantri", "bcd", "motcua.huyen", "motcua.xa", "chuyenvien"):
        assert authenticate(login, username=username, password="cchc-demo") is not None
    commune_officer = authenticate(login, username="motcua.xa", password="cchc-demo")
    assert list(units_visible_to(commune_officer).values_list("code", flat=True)) == ["001.37.H21"]


def test_it_loads_the_seed_catalogue_in_force_in_q1_2021(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    counts = procedure_counts(on=dt.date(2021, 3, 31))
    # The seed article: 372 procedures, 200 district-level and 125 commune-level (the other
    # 47 are province-level, received at the district desk), all at online level 2, 3 or 4.
    assert counts["total"] == 372
    assert counts["by_level"] == {"province": 47, "district": 200, "commune": 125}
    assert sum(counts["by_online_level"][level] for level in ("2", "3", "4")) == 372
    district = Unit.objects.filter(code="000.00.37.H21")
    assert procedure_counts(on=dt.date(2021, 3, 31), units=district)["total"] == 247


def test_it_loads_the_dossiers_of_q1_2021_after_the_catalogue(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo dossiers: 3329 created, 0 updated, 0 unchanged." in out.getvalue()
    # The seed article's figures are checked in tests/dossiers/test_demo_dossiers.py.
    assert Dossier.objects.filter(received_date__range=("2021-01-01", "2021-03-31")).count() == 3329


def test_it_changes_nothing_when_run_twice(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())

    def counts():
        return (
            Unit.objects.count(),
            Membership.objects.count(),
            Dossier.objects.count(),
            Event.objects.count(),
        )

    before = counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "Demo dossiers: 0 created, 0 updated, 3329 unchanged." in out.getvalue()


def test_it_refuses_production_settings(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not Unit.objects.exists()
    assert not Dossier.objects.exists()
