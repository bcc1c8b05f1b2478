"""The demo's present: today's desks have a life from 1 July 2025 up to the loading moment."""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from dossiers.demo_present import DESK_VOLUMES, demo_present_lives, demo_present_load
from dossiers.models import Apology, Dossier, DossierStatus, Event, EventKind
from dossiers.selectors import procedure_suggestions
from org.calendar_source import working_calendar
from org.demo import CENTRE, NEW_COMMUNES
from org.models import Unit
from procedures.selectors import procedure_version_receivable
from reports.demo import demo_quarters_freeze
from reports.models import PeriodFreeze
from tests.conftest import demo_base_loaded

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# A Wednesday afternoon, two and a half months after the reform.
NOW = dt.datetime(2025, 9, 17, 15, 0, tzinfo=HCM)


@pytest.fixture(scope="module")
def present(django_db_setup, django_db_blocker):
    with demo_base_loaded(django_db_blocker):
        yield demo_present_load(now=NOW)


def statuses() -> Counter:
    return Counter(Dossier.objects.values_list("status", flat=True))


def test_it_gives_each_desk_of_today_dossiers_since_the_reform(present):
    per_desk = Counter(Dossier.objects.values_list("receiving_unit__code", flat=True))
    assert set(per_desk) == set(DESK_VOLUMES)
    working_days = working_calendar().working_days_between(dt.date(2025, 7, 1), NOW.date())
    for code, volume in DESK_VOLUMES.items():
        # Around the desk's daily volume on every working day (a Gaussian draw per day).
        assert 0.8 * volume * working_days <= per_desk[code] <= 1.2 * volume * working_days
    assert Dossier.objects.filter(received_date__lt=dt.date(2025, 7, 1)).count() == 0


def test_nothing_happens_after_the_loading_moment(present):
    assert not Dossier.objects.filter(received_at__gt=NOW).exists()
    assert not Event.objects.exclude(kind=EventKind.IMPORTED).filter(at__gt=NOW).exists()


def test_the_queues_have_every_state_a_desk_meets(present):
    counts = statuses()
    for status in (
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.SUPPLEMENT_REQUESTED,
        DossierStatus.FINISHED,  # ready to return
        DossierStatus.RETURNED,
        DossierStatus.WITHDRAWN,
        DossierStatus.REFUSED,
    ):
        assert counts[status] > 0, status
    open_ones = Dossier.objects.filter(
        status__in=(DossierStatus.RECEIVED, DossierStatus.PROCESSING)
    )
    assert open_ones.filter(due_at__lt=NOW).exists()  # overdue
    assert open_ones.filter(due_at__gte=NOW, due_at__lt=NOW + dt.timedelta(days=3)).exists()
    assert open_ones.filter(due_at__gte=NOW + dt.timedelta(days=3)).exists()
    late = Dossier.objects.filter(finished_date__gt=dt.date(2025, 7, 1)).exclude(
        status__in=(DossierStatus.WITHDRAWN, DossierStatus.REFUSED)
    )
    assert any(d.finished_date > d.due_at.astimezone(HCM).date() for d in late)
    assert Apology.objects.exists()
    assert set(Dossier.objects.values_list("channel", flat=True)) == {"direct", "online", "postal"}


def test_the_centre_hands_its_dossiers_to_the_departments(present):
    centre_dossiers = Dossier.objects.filter(receiving_unit__code=CENTRE)
    handled_by = set(
        centre_dossiers.exclude(handling_unit__code=CENTRE).values_list(
            "handling_unit__level", flat=True
        )
    )
    assert handled_by == {"department"}
    assert Event.objects.filter(
        kind=EventKind.TRANSFERRED, dossier__receiving_unit__code=CENTRE
    ).exists()


def test_each_desk_received_only_procedures_of_its_competence(present):
    for dossier in Dossier.objects.select_related("procedure_version", "receiving_unit")[::37]:
        assert procedure_version_receivable(
            version=dossier.procedure_version,
            unit=dossier.receiving_unit,
            on=dossier.received_date,
        ), dossier.code
    commune_levels = set(
        Dossier.objects.filter(receiving_unit__code__in=NEW_COMMUNES).values_list(
            "procedure_version__levels__level", flat=True
        )
    )
    assert commune_levels == {"commune"}


def test_the_same_moment_gives_the_same_demo(present):
    calendar = working_calendar()
    first = demo_present_lives(now=NOW, calendar=calendar)
    second = demo_present_lives(now=NOW, calendar=calendar)
    assert [(life.code, life.received_at, life.finished_at) for life in first] == [
        (life.code, life.received_at, life.finished_at) for life in second
    ]
    assert len(first) == Dossier.objects.count()


def test_loading_again_later_adds_the_new_days_and_keeps_the_rest(present):
    before = dict(Dossier.objects.values_list("code", "version"))
    again = demo_present_load(now=NOW)
    assert (again.created, again.unchanged) == (0, len(before))
    later = demo_present_load(now=NOW + dt.timedelta(days=1))
    assert later.created > 0
    assert {
        code: v for code, v in Dossier.objects.values_list("code", "version") if code in before
    } == before


def test_it_freezes_every_finished_quarter_once(present):
    assert demo_quarters_freeze(today=NOW.date()) == [
        f"calendar:quarter:{year}:{quarter}"
        for year in range(2021, 2025 + 1)
        for quarter in range(1, 5)
        if (year, quarter) < (2025, 3)
    ]
    assert demo_quarters_freeze(today=NOW.date()) == []
    assert not PeriodFreeze.objects.filter(period_key="calendar:quarter:2025:3").exists()


def test_birth_registration_comes_first_at_a_commune_desk(present):
    # The most received procedure of a commune's desk heads its type-ahead (the issue's
    # complaint: "Đăng ký khai sinh" was last of 14).
    phu_tuc = Unit.objects.get(code=NEW_COMMUNES[0])
    [first, *_] = procedure_suggestions(unit=phu_tuc, on=NOW.date(), query="khai sinh", limit=10)
    assert first.name == "Đăng ký khai sinh"


def test_every_accepted_dossier_has_the_checklist_of_its_catalogue(present):
    from dossiers.models import DossierDocument

    refused = Dossier.objects.filter(status=DossierStatus.REFUSED)
    assert refused.exists()
    assert not DossierDocument.objects.filter(dossier__in=refused).exists()
    accepted = Dossier.objects.exclude(status=DossierStatus.REFUSED).select_related(
        "procedure_version"
    )
    with_papers = [dossier for dossier in accepted if dossier.procedure_version.documents.exists()]
    assert with_papers
    for dossier in with_papers[:50]:
        assert [
            (line.position, line.name, line.originals, line.certified_copies, line.copies)
            for line in dossier.documents.all()
        ] == [
            (number, doc.name, doc.originals, doc.certified_copies, doc.copies)
            for number, doc in enumerate(dossier.procedure_version.documents.all(), start=1)
        ]
