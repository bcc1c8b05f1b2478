"""The demo dossiers reproduce the seed article's Q1 2021 figures (DESIGN §3, §4).

The counters are computed here from plain queries, independently of the reports app, with the
rules of DESIGN §3 for the calendar quarter 1 Jan–31 Mar 2021.
"""

import datetime as dt
from collections import Counter

import pytest

from dossiers.demo import COMMUNES, DISTRICT, PROVINCE, demo_dossier_rows, demo_dossiers_load
from dossiers.models import (
    Dossier,
    DossierCodeCounter,
    DossierStatus,
    Event,
    EventKind,
    SupplementRequest,
    local_date,
)
from org.workdays import WorkingCalendar

pytestmark = pytest.mark.django_db

START, END = dt.date(2021, 1, 1), dt.date(2021, 3, 31)
CALENDAR = WorkingCalendar()


@pytest.fixture(scope="module")
def demo(demo_data):
    return demo_data


def counters(dossiers) -> dict:
    """The DESIGN §3 counters for [START, END] over (dossier values) rows."""
    c = Counter()
    for d in dossiers:
        if d["status"] == DossierStatus.REFUSED:
            c["refused"] += local_date(d["received_at"]) <= END
            continue
        received = local_date(d["received_at"])
        ends = [moment for moment in (d["finished_at"], d["returned_at"]) if moment]
        ended = local_date(min(ends)) if ends else None
        withdrawn = d["status"] in (DossierStatus.WITHDRAWN, DossierStatus.STOPPED)
        due = local_date(d["due_at"])
        if received < START:
            if ended is None or ended >= START:
                c["carried_over"] += 1
            else:
                continue
        elif received <= END:
            c["received_in_period"] += 1
        else:
            continue
        c["received_total"] += 1
        c["digitised"] += d["digitised"]
        if ended is not None and START <= ended <= END:
            if withdrawn:
                c["withdrawn"] += 1
            else:
                c["resolved"] += 1
                c["early" if ended < due else "on_time" if ended == due else "late"] += 1
        elif ended is None or ended > END:
            c["in_progress"] += 1
            c["in_progress_within" if due >= END else "in_progress_overdue"] += 1
    return c


def values(**filters):
    return list(
        Dossier.objects.filter(**filters).values(
            "status", "received_at", "finished_at", "returned_at", "due_at", "digitised"
        )
    )


def test_the_figures_of_the_seed_article(demo):
    assert (demo.created, demo.unchanged) == (3329, 0)
    district = counters(values(receiving_unit__code=DISTRICT))
    assert (district["received_in_period"], district["resolved"], district["late"]) == (
        193,
        193,
        0,
    )
    assert district["in_progress"] == district["withdrawn"] == district["carried_over"] == 0
    communes = counters(values(receiving_unit__code__in=COMMUNES))
    assert (communes["received_in_period"], communes["resolved"], communes["late"]) == (
        3136,
        3135,
        0,
    )
    assert (communes["in_progress"], communes["in_progress_within"]) == (1, 1)
    assert communes["withdrawn"] == communes["carried_over"] == communes["refused"] == 0
    # Most results early, some on the due date itself.
    assert communes["early"] > communes["on_time"] > 0
    for c in (district, communes):
        assert c["received_total"] == c["resolved"] + c["in_progress"] + c["withdrawn"]
        assert c["resolved"] == c["early"] + c["on_time"] + c["late"]
    assert district["digitised"] + communes["digitised"] == 307
    assert Dossier.objects.count() == 3329
    # Spread over the units, bigger communes getting more.
    per_unit = Counter(Dossier.objects.values_list("receiving_unit__code", flat=True))
    assert all(per_unit[code] > 100 for code in COMMUNES)
    assert per_unit[COMMUNES[0]] == max(per_unit[code] for code in COMMUNES)
    assert len(set(per_unit[code] for code in COMMUNES)) > 3
    digitised_units = set(
        Dossier.objects.filter(digitised=True).values_list("receiving_unit__code", flat=True)
    )
    assert len(digitised_units) == 15


def test_the_dossier_open_on_31_march_was_finished_in_april_within_its_deadline(demo):
    [open_one] = Dossier.objects.filter(received_date=END, finished_date__gt=END)
    assert open_one.status == DossierStatus.RETURNED
    assert open_one.receiving_unit.code in COMMUNES
    assert local_date(open_one.due_at) >= END
    assert dt.date(2021, 4, 1) <= open_one.finished_date <= local_date(open_one.due_at)
    assert not Dossier.objects.filter(finished_at__isnull=True).exclude(status="refused").exists()


def test_every_dossier_was_received_on_a_working_day_in_office_hours(demo):
    blocks = [(dt.time(7), dt.time(11, 30)), (dt.time(13, 30), dt.time(17))]
    for received_at, finished_at, due_at in Dossier.objects.values_list(
        "received_at", "finished_at", "due_at"
    ):
        local = received_at.astimezone(CALENDAR.tz)
        assert CALENDAR.is_working_day(local.date()), local
        assert START <= local.date() <= END
        assert any(start <= local.time() < end for start, end in blocks), local
        if finished_at is not None:
            assert received_at <= finished_at <= due_at
    # Tết 2021 (10–16 February) was off.
    assert not Dossier.objects.filter(
        received_date__range=(dt.date(2021, 2, 10), dt.date(2021, 2, 16))
    ).exists()


def test_the_dossiers_are_realistic(demo):
    channels = Counter(Dossier.objects.values_list("channel", flat=True))
    assert channels["direct"] > channels["online"] > channels["postal"] > 0
    # Procedures of the right level at each desk.
    levels = Counter(
        Dossier.objects.filter(receiving_unit__code__in=COMMUNES).values_list(
            "procedure_version__levels__level", flat=True
        )
    )
    assert set(levels) == {"commune"}
    district_levels = Counter(
        Dossier.objects.filter(receiving_unit__code=DISTRICT).values_list(
            "procedure_version__levels__level", flat=True
        )
    )
    assert set(district_levels) == {"district", "province"}
    # Province-level dossiers are handed to the province, logged as a transfer.
    transferred = Dossier.objects.filter(handling_unit__code=PROVINCE)
    assert transferred.count() == district_levels["province"]
    assert (
        Event.objects.filter(
            kind=EventKind.TRANSFERRED, dossier__in=transferred, to_unit__code=PROVINCE
        ).count()
        == transferred.count()
    )
    # Twelve waited for a supplement; the due date moved by the pause.
    requests = SupplementRequest.objects.select_related("dossier")
    assert requests.count() == 12
    assert all(r.completed_at and r.dossier.due_at > r.dossier.original_due_at for r in requests)
    names = set(Dossier.objects.values_list("applicant_name", flat=True))
    assert len(names) > 300
    assert Dossier.objects.filter(applicant_name__startswith="Nguyễn").exists()
    assert (
        Dossier.objects.filter(status=DossierStatus.RETURNED).count() == 3329
    )  # the one open on 31 March was returned in April
    assert Event.objects.filter(kind=EventKind.IMPORTED).count() == 3329


def test_loading_twice_changes_nothing(demo):
    def snapshot():
        return (
            Dossier.objects.count(),
            Event.objects.count(),
            SupplementRequest.objects.count(),
            sorted(DossierCodeCounter.objects.values_list("unit_id", "day", "last")),
            sorted(Dossier.objects.values_list("code", "version", "status")),
        )

    before = snapshot()
    again = demo_dossiers_load()
    assert (again.created, again.unchanged) == (0, 3329)
    assert snapshot() == before


def test_the_rows_are_the_same_on_every_call(demo):
    first = demo_dossier_rows()
    assert len(first) == 3329
    assert demo_dossier_rows() == first
