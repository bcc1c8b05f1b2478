"""``load_demo``: the seed district in Q1 2021 and its territory today (loaded once here)."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings
from django.utils import timezone

from dossiers.models import OPEN_STATUSES, Dossier, Event
from org.demo import CENTRE, DEPARTMENT, NEW_COMMUNES, PHU_TUC, PROVINCE
from org.models import Membership, Unit
from org.selectors import units_visible_to
from procedures.selectors import procedure_counts
from reports.models import PeriodFreeze
from reports.periods import PeriodKind, periods_containing

pytestmark = pytest.mark.django_db

MAPPING = {
    PHU_TUC: {"001.37.H21", "013.37.H21", "004.37.H21", "008.37.H21", "006.37.H21"},
    "X24100": {"009.37.H21", "012.37.H21", "007.37.H21"},
    "X24112": {"005.37.H21", "003.37.H21", "010.37.H21"},
    "X24109": {"011.37.H21", "002.37.H21", "014.37.H21"},
}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """``load_demo`` run once for the module, in a transaction rolled back at its end."""
    from django.core.cache import cache
    from django.db import transaction

    cache.clear()
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = StringIO()
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def login(username: str):
    request = RequestFactory().post("/dang-nhap/")  # django-axes checks every login's request
    return authenticate(request, username=username, password="cchc-demo")


def test_it_refuses_production_settings(settings):
    # First in the file: the module's demo (the ``loaded`` fixture) is not loaded yet.
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not Unit.objects.exists()
    assert not Dossier.objects.exists()


def test_it_loads_the_seed_district_as_it_was_until_the_reform(loaded):
    district = Unit.objects.get(code="000.00.37.H21")
    assert district.children.count() == 14
    old = Unit.objects.filter(code__endswith=".H21")
    assert set(old.values_list("valid_to", flat=True)) == {dt.date(2025, 6, 30)}


def test_it_loads_the_province_of_today_and_the_successors(loaded):
    province = Unit.objects.get(code=PROVINCE)
    assert province.valid_from == dt.date(2025, 7, 1)
    assert province.children.filter(level="commune").count() == 135
    assert set(province.children.exclude(level="commune").values_list("level", flat=True)) == {
        "centre",
        "department",
    }
    for new_code, old_codes in MAPPING.items():
        new = Unit.objects.get(code=new_code)
        assert set(new.predecessors.values_list("code", flat=True)) == old_codes
    for code in ("000.00.00.H21", "000.00.37.H21"):
        assert list(Unit.objects.get(code=code).successors.values_list("code", flat=True)) == [
            PROVINCE
        ]


def test_the_demo_users_work_in_todays_units(loaded):
    expected = {
        "quantri": PROVINCE,
        "bcd": PROVINCE,
        "motcua.huyen": CENTRE,
        "motcua.xa": PHU_TUC,
        "chuyenvien": DEPARTMENT,
    }
    for username, code in expected.items():
        user = login(username)
        assert user is not None
        [membership] = Membership.objects.filter(user=user, is_active=True)
        assert membership.unit.code == code
        assert membership.unit.is_valid_on(timezone.localdate())
    # The commune desk sees its commune and the five old communes it absorbed.
    visible = set(units_visible_to(login("motcua.xa")).values_list("code", flat=True))
    assert visible == {PHU_TUC} | MAPPING[PHU_TUC]


def test_it_loads_the_seed_catalogue_in_force_in_q1_2021(loaded):
    counts = procedure_counts(on=dt.date(2021, 3, 31))
    # The seed article: 372 procedures, 200 district-level and 125 commune-level (the other
    # 47 are province-level, received at the district desk), all at online level 2, 3 or 4.
    assert counts["total"] == 372
    assert counts["by_level"] == {"province": 47, "district": 200, "commune": 125}
    assert sum(counts["by_online_level"][level] for level in ("2", "3", "4")) == 372
    district = Unit.objects.filter(code="000.00.37.H21")
    assert procedure_counts(on=dt.date(2021, 3, 31), units=district)["total"] == 247
    # From 1 July 2025 the district level is gone: its procedures are handled by the commune
    # (36: civil status, certification, land) or the province (164); procedures_2025.csv.
    reformed = procedure_counts(on=dt.date(2025, 7, 1))
    assert reformed["total"] == 372
    assert reformed["by_level"] == {"province": 47 + 164, "district": 0, "commune": 125 + 36}
    assert reformed["by_online_level"]["full"] + reformed["by_online_level"]["partial"] == 372


def test_it_loads_the_dossiers_of_q1_2021_and_of_today(loaded):
    assert "Demo dossiers: 3329 created, 0 updated, 0 unchanged." in loaded
    # The seed article's figures are checked in tests/dossiers/test_demo_dossiers.py.
    assert Dossier.objects.filter(received_date__range=("2021-01-01", "2021-03-31")).count() == 3329
    assert not Dossier.objects.filter(
        received_date__lt="2025-07-01", status__in=OPEN_STATUSES
    ).exists()
    today = timezone.localdate()
    for code in (*NEW_COMMUNES, CENTRE):
        desk = Dossier.objects.filter(receiving_unit__code=code)
        assert desk.filter(status__in=OPEN_STATUSES).exists(), code
        # Received up to the last working days before the load.
        assert (today - max(desk.values_list("received_date", flat=True))).days <= 4, code


def test_it_freezes_every_finished_quarter_and_keeps_the_seed_report(loaded):
    [current] = periods_containing(
        timezone.localdate(), scheme="calendar", kinds=[PeriodKind.QUARTER]
    )
    frozen = set(PeriodFreeze.objects.values_list("period_key", flat=True))
    assert "calendar:quarter:2021:1" in frozen
    assert current.key not in frozen
    out = StringIO()
    call_command("quarterly_report", "--year", "2021", "--quarter", "1", stdout=out)
    report = json.loads(out.getvalue())
    assert report["unit"]["code"] == "000.00.00.H21"
    totals = report["dossiers"]["total"]
    assert (totals["received_total"], totals["resolved"], totals["in_progress"]) == (3329, 3328, 1)
    assert (totals["resolved_late"], totals["digitised"]) == (0, 307)


def test_it_changes_nothing_when_run_twice(loaded):
    def counts():
        return (
            Unit.objects.count(),
            Membership.objects.count(),
            Dossier.objects.count(),
            Event.objects.count(),
            PeriodFreeze.objects.count(),
        )

    before = counts()
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
    assert counts() == before
    assert "Demo dossiers: 0 created, 0 updated, 3329 unchanged." in out.getvalue()
    assert "Demo dossiers since 01/07/2025: 0 created" in out.getvalue()
