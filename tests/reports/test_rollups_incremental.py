"""The incremental refresh (a change of one dossier recomputes its own cell) gives exactly the
rows of a full recompute.

Random dossiers at three desks and three procedures go through the real services (intake,
refusal, supplement requested / completed, transfer, finish, return, withdrawal, stop) with
their ``dossier_changed`` signal and the eager Celery drain after each step; the stored rollups
of every period the changes touched are then compared, row by row, with a rebuild from scratch.
"""

import datetime as dt
import random

import pytest

from dossiers import services as dossier_services
from dossiers.models import Dossier, DossierStatus
from reports import tasks
from reports.aggregate import counters_query
from reports.counters import COUNTERS
from reports.models import Rollup, RollupDirty, RollupRun
from reports.periods import period_make
from reports.services import (
    ROLLUP_GROUP_BY,
    periods_affected,
    rollups_dirty_drain,
    rollups_dirty_mark,
    rollups_refresh,
    rollups_refresh_many,
)
from tests.factories import VN, UnitFactory, published_procedure, received_dossier
from tests.steps import supplement_requested

pytestmark = pytest.mark.django_db

TODAY = dt.date(2021, 6, 20)
FIRST_DAY = dt.date(2021, 1, 4)


def stored_rows() -> dict:
    """{(period, unit id, procedure id): counters} of every stored rollup row."""
    return {
        (row["period_key"], row["unit_id"], row["procedure_id"]): tuple(
            row[name] for name in COUNTERS
        )
        for row in Rollup.objects.values("period_key", "unit_id", "procedure_id", *COUNTERS)
    }


def live_rows(periods) -> dict:
    """What :func:`stored_rows` should hold: the aggregate of each period run on the dossiers
    now (the reference the rollups must equal), non-zero cells only."""
    rows = {}
    for period in periods:
        for row in counters_query(Dossier.objects.all(), period.as_of(TODAY), ROLLUP_GROUP_BY):
            counters = tuple(row[name] for name in COUNTERS)
            if any(counters):
                key = (period.key, row[ROLLUP_GROUP_BY[0]], row[ROLLUP_GROUP_BY[1]])
                rows[key] = counters
    return rows


def office_moment(rng: random.Random, day: dt.date) -> dt.datetime:
    minute = rng.randrange(7 * 60, 17 * 60)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), VN)


def later(rng: random.Random, after: dt.datetime, days: int = 25) -> dt.datetime | None:
    """An office-hours moment 0–``days`` days after ``after``, not after TODAY (None if none)."""
    day = after.astimezone(VN).date() + dt.timedelta(days=rng.randrange(0, days))
    if day > TODAY:
        return None
    moment = office_moment(rng, day)
    return moment if moment > after else after + dt.timedelta(minutes=1)


def random_history(rng: random.Random, capture, desks, versions) -> None:
    """~30 dossiers through random life cycles, every step through the services."""
    for n in range(30):
        desk, version = rng.choice(desks), rng.choice(versions)
        day = FIRST_DAY + dt.timedelta(days=rng.randrange((TODAY - FIRST_DAY).days))
        received_at = office_moment(rng, day)
        channel = rng.choice(("direct", "online", "postal"))
        if rng.random() < 0.08:
            with capture(execute=True):
                dossier_services.dossier_refuse(
                    desk=desk,
                    procedure_version=version,
                    channel=channel,
                    applicant={"name": f"Người nộp {n}"},
                    received_at=received_at,
                    reason="Không đủ điều kiện",
                    by=None,
                )
            continue
        with capture(execute=True):
            dossier = received_dossier(
                desk=desk,
                procedure_version=version,
                channel=channel,
                received_at=received_at,
                digitised=rng.random() < 0.3,
            )
        at = received_at
        for _ in range(rng.randrange(0, 5)):
            at = later(rng, at)
            if at is None:
                break
            dossier = Dossier.objects.get(pk=dossier.pk)
            step = rng.random()
            with capture(execute=True):
                if dossier.status == DossierStatus.SUPPLEMENT_REQUESTED:
                    dossier_services.supplement_complete(dossier=dossier, by=None, at=at)
                elif dossier.status in (DossierStatus.FINISHED,):
                    dossier_services.dossier_return(dossier=dossier, by=None, at=at)
                    break
                elif dossier.status not in (
                    DossierStatus.RECEIVED,
                    DossierStatus.PROCESSING,
                ):
                    break
                elif step < 0.2:
                    supplement_requested(dossier, at, reason="Thiếu giấy tờ", missing="Bản sao")
                elif step < 0.3:
                    others = [desk for desk in desks if desk.pk != dossier.handling_unit_id]
                    dossier_services.dossier_transfer(
                        dossier=dossier, to_unit=rng.choice(others), by=None, at=at
                    )
                elif step < 0.75:
                    dossier_services.dossier_finish(dossier=dossier, by=None, at=at)
                elif step < 0.85:
                    dossier_services.dossier_withdraw(
                        dossier=dossier, by=None, at=at, reason="Công dân rút"
                    )
                    break
                else:
                    dossier_services.dossier_stop(
                        dossier=dossier, by=None, at=at, reason="Dừng xử lý"
                    )
                    break


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_it_keeps_the_rollups_equal_to_a_full_recompute(
    seed, today_is, django_capture_on_commit_callbacks
):
    today_is(TODAY)
    rng = random.Random(seed)
    desks = [UnitFactory(code=f"H{seed}{n}") for n in range(3)]
    versions = [published_procedure(code=f"1.00{seed}00{n}") for n in range(3)]
    # The rollups exist before the changes (a whole-unit refresh of every period touched).
    periods = periods_affected({FIRST_DAY - dt.timedelta(days=20)}, TODAY)
    rollups_refresh_many(periods=periods, today=TODAY)

    random_history(rng, django_capture_on_commit_callbacks, desks, versions)
    assert Dossier.objects.count() >= 25
    assert not RollupDirty.objects.exists()  # each change drained at once (eager Celery)
    incremental = stored_rows()
    live = live_rows(periods)
    differing = {
        key: [
            (name, incremental.get(key, (0,) * 17)[n], live.get(key, (0,) * 17)[n])
            for n, name in enumerate(COUNTERS)
            if incremental.get(key, (0,) * 17)[n] != live.get(key, (0,) * 17)[n]
        ]
        for key in set(incremental) | set(live)
        if incremental.get(key) != live.get(key)
    }
    assert not differing
    assert len(incremental) > 100

    # A rebuild from scratch (months computed, longer periods derived from them) agrees too.
    Rollup.objects.all().delete()
    RollupRun.objects.all().delete()
    rollups_refresh_many(periods=periods, today=TODAY)
    assert stored_rows() == incremental


def test_it_marks_only_the_changed_dossiers_cell(
    today_is, monkeypatch, django_capture_on_commit_callbacks
):
    today_is(TODAY)
    desk, other_desk = UnitFactory(code="H40"), UnitFactory(code="H41")
    first, second = published_procedure(code="1.000401"), published_procedure(code="1.000402")
    june = dt.datetime(2021, 6, 1, 9, 0, tzinfo=VN)
    received_dossier(desk=desk, procedure_version=second, received_at=june)
    received_dossier(desk=other_desk, procedure_version=first, received_at=june)
    changed = received_dossier(desk=desk, procedure_version=first, received_at=june)
    rollups_refresh_many(periods=periods_affected({june.date()}, TODAY), today=TODAY)
    untouched = dict(
        Rollup.objects.exclude(unit=desk, procedure=first.procedure).values_list(
            "id", "computed_at"
        )
    )
    # 1–20 June 2021 lies in 7 calendar periods (June, Q2, H1, the year, 6, 9 and 12 months)
    # and in 10 cut-off ones (it straddles the 15th: two months, quarters and halves).
    assert len(periods_affected({june.date()}, TODAY)) == 17
    assert len(untouched) == 2 * 17

    RollupDirty.objects.all().delete()
    # Mark without draining, to look at the marks.
    monkeypatch.setattr(tasks.rollups_refresh_dirty, "apply_async", lambda **kwargs: None)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.dossier_finish(
            dossier=changed, by=None, at=dt.datetime(2021, 6, 10, 9, 0, tzinfo=VN)
        )
    marks = set(RollupDirty.objects.values_list("unit_id", "procedure_key"))
    assert marks == {(desk.pk, first.procedure_id)}
    assert RollupDirty.objects.count() == 17

    rollups_dirty_drain(today=TODAY)
    assert not RollupDirty.objects.exists()
    # The other cells were not rewritten; the changed one now counts the resolution.
    assert (
        dict(
            Rollup.objects.exclude(unit=desk, procedure=first.procedure).values_list(
                "id", "computed_at"
            )
        )
        == untouched
    )
    june_rows = Rollup.objects.filter(
        period_key=period_make(kind="month", year=2021, index=6).key,
        unit=desk,
        procedure=first.procedure,
    )
    assert june_rows.get().resolved == 1


def test_it_refreshes_whole_units_for_a_bulk_change(today_is):
    today_is(TODAY)
    desk = UnitFactory(code="H50")
    first, second = published_procedure(code="1.000501"), published_procedure(code="1.000502")
    june = dt.datetime(2021, 6, 1, 9, 0, tzinfo=VN)
    received_dossier(desk=desk, procedure_version=first, received_at=june)
    received_dossier(desk=desk, procedure_version=second, received_at=june)
    RollupDirty.objects.all().delete()  # the intakes' own cell marks
    # A bulk change (an import) marks every procedure of the unit: procedure_key 0.
    assert rollups_dirty_mark(dates={june.date()}, unit_ids={desk.pk}, today=TODAY) == 17
    assert set(RollupDirty.objects.values_list("procedure_key", flat=True)) == {0}
    assert rollups_dirty_drain(today=TODAY) == 2 * 17
    assert set(RollupRun.objects.filter(unit=desk).values_list("period_key", flat=True)) == {
        period.key for period in periods_affected({june.date()}, TODAY)
    }


def test_it_does_not_count_a_cell_refresh_as_a_run_of_the_unit(today_is):
    today_is(TODAY)
    desk = UnitFactory(code="H60")
    version = published_procedure(code="1.000601")
    june = period_make(kind="month", year=2021, index=6)
    received_dossier(
        desk=desk, procedure_version=version, received_at=dt.datetime(2021, 6, 1, 9, tzinfo=VN)
    )
    assert rollups_refresh(period=june, unit_ids=[], cells=[(desk.pk, version.procedure_id)]) == 1
    assert not RollupRun.objects.exists()
    assert Rollup.objects.get().received_in_period == 1
