"""Demo dossiers of `make run` since the July 2025 reform, up to the moment the demo loads.

The seed quarter (``dossiers.demo``) shows the district as it was in Q1 2021; this module gives
the units of today (DESIGN §1: the four communes formed from Krông Pa and the provincial
public-administration service centre) a life from 1 July 2025 to now, so that on first start
the desks have queues, the overdue watch and the dashboard have figures, and the committee's
current quarter is not empty.

Volumes are those of a small commune desk (a new commune of three to five old ones: 4–10
dossiers a working day) and, for the provincial centre, of the slice of its work this demo
shows (16 a working day: a real provincial centre receives hundreds). Every desk works on
working days in office hours. Of the dossiers:

- the centre hands each one to the department in charge (justice, agriculture and environment,
  construction, education, home affairs) within the hour; the department finishes it and the
  centre returns the result; a commune processes its own;
- about 4 % wait for a supplement (1–4 working days), 4 % finish after their due date, 8 % on
  it, the rest earlier; about 1 % are withdrawn and 0.5 % refused at intake;
- results are collected 30 minutes to 3 working days after they are ready (online dossiers at
  once, electronically);
- a few late ones get an apology with a new appointment (Mẫu 04), through the services;
- every dossier accepted has its checklist: the applicant brought the papers the catalogue lists.

Everything after the moment of loading is cut off: what would finish later is still open
(some within their deadline, some due soon, some overdue), paused, or ready to return. The
rows depend only on the day (one random stream per desk and day), so loading on a given day
always gives the same demo; loading again on a later day adds the days since, and leaves the
dossiers already there as they are.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from org.calendar_source import working_calendar
from org.demo import CENTRE, NEW_COMMUNES, PHU_TUC, PROVINCE
from org.models import REFORM_DATE, Membership, Unit
from org.tabular import ImportResult
from org.workdays import WorkingCalendar
from procedures.models import OnlineLevel, ProcedureVersion, RequiredDocument
from procedures.selectors import procedure_versions_receivable

from .codes import dossier_code_format
from .deadlines import due_at_compute, supplement_due_at_shift
from .demo import applicant_make, local_moment
from .imports import OUTCOME_REFUSED, OUTCOME_RESOLVED, OUTCOME_WITHDRAWN, dossiers_import
from .models import Dossier, DossierDocument, local_date
from .services import apology_issue, dossier_finish, dossier_return

# Mean dossiers a working day at each desk.
DESK_VOLUMES = {PHU_TUC: 10, NEW_COMMUNES[1]: 5, NEW_COMMUNES[2]: 5, NEW_COMMUNES[3]: 4, CENTRE: 16}

# The department that processes a province-level dossier, by words of its sector's name.
DEPARTMENT_OF_SECTOR = (
    (("hộ tịch", "chứng thực", "quốc tịch", "lý lịch", "nuôi con", "hòa giải", "bồi thường",
      "luật sư", "công chứng", "đăng ký biện pháp", "phổ biến"), "T52.STP"),
    (("đất", "môi trường", "tài nguyên", "nông nghiệp", "lâm", "thủy lợi", "thiên tai",
      "trồng trọt", "chăn nuôi", "thú y", "thủy sản", "giảm nghèo"), "T52.SNNMT"),
    (("xây dựng", "đường", "hạ tầng", "kiến trúc", "nhà ở", "quy hoạch"), "T52.SXD"),
    (("giáo dục", "đào tạo", "trường", "mầm non"), "T52.SGDDT"),
)  # fmt: skip
DEFAULT_DEPARTMENT = "T52.SNV"

# The everyday procedures of a commune desk, most asked-for first (a name starting so; the
# shortest such name, i.e. the plain procedure, before its variants).
EVERYDAY = (
    "đăng ký khai sinh",
    "chứng thực bản sao",
    "chứng thực chữ ký",
    "đăng ký kết hôn",
    "cấp giấy xác nhận tình trạng hôn nhân",
    "đăng ký khai tử",
    "cấp bản sao trích lục",
)

APOLOGY_SHARE = 0.04  # of the late dossiers whose apology date has come


@dataclass
class _Life:
    """One dossier's planned life; steps after the loading moment are dropped."""

    desk: Unit
    version: ProcedureVersion
    channel: str
    received_at: dt.datetime
    applicant: dict
    digitised: bool
    code: str = ""
    handling_code: str = ""
    transferred_at: dt.datetime | None = None
    supplement: tuple[dt.datetime, dt.datetime] | None = None
    finished_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    outcome: str = OUTCOME_RESOLVED
    apology: tuple[dt.datetime, dt.datetime] | None = None  # issued at, new due date
    steps: list = field(default_factory=list)


def demo_present_load(*, now: dt.datetime | None = None) -> ImportResult:
    """Import the dossiers of today's demo desks from 1 July 2025 to ``now``. Idempotent: the
    dossiers already loaded (by code) are left as they are."""
    now = now or timezone.now()
    calendar = working_calendar()
    lives = demo_present_lives(now=now, calendar=calendar)
    loaded = set(
        Dossier.objects.filter(
            receiving_unit__code__in=list(DESK_VOLUMES), received_date__gte=REFORM_DATE
        ).values_list("code", flat=True)
    )
    new = [life for life in lives if life.code not in loaded]
    if not new:
        return ImportResult(unchanged=len(loaded))
    rows = [(number, _row_of(life, now=now)) for number, life in enumerate(new, start=2)]
    result = dossiers_import(rows=rows, source="demo", calendar=calendar)
    if not result.ok:
        raise ValueError("\n".join(result.errors.lines()))
    # One transaction: the rollups are refreshed once after it, not after every step.
    with transaction.atomic():
        _checklists_add([life for life in new if life.outcome != OUTCOME_REFUSED])
        _apologies_apply([life for life in new if life.apology], now=now)
    result.unchanged = len(loaded)
    return result


def demo_present_lives(*, now: dt.datetime, calendar: WorkingCalendar) -> list[_Life]:
    """Every dossier received at today's demo desks from 1 July 2025 up to ``now``."""
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=list(DESK_VOLUMES))}
    departments = {
        unit.code: unit for unit in Unit.objects.filter(parent__code=PROVINCE, level="department")
    }
    today = timezone.localdate(now)
    lives: list[_Life] = []
    for code, volume in DESK_VOLUMES.items():
        desk = units[code]
        popular = _popular_versions(desk, on=max(today, REFORM_DATE))
        day = REFORM_DATE
        while day <= today:
            if calendar.is_working_day(day):
                rng = random.Random(f"{code}:{day.isoformat()}")
                count = max(0, round(rng.gauss(volume, volume / 3)))
                for _ in range(count):
                    life = _life_plan(rng, calendar, desk, popular, day, departments)
                    if life.received_at <= now:
                        lives.append(_cut_at(life, now))
            day += dt.timedelta(days=1)
    _codes_assign(lives)
    return lives


def _popular_versions(desk: Unit, *, on: dt.date) -> tuple[list, list[float]]:
    """The versions the desk receives, most asked-for first, with cumulative 1/k weights."""
    versions = list(
        procedure_versions_receivable(unit=desk, on=on)
        .select_related("procedure", "sector")
        .prefetch_related("channel_times")
        .order_by("procedure__code")
    )
    random.Random(desk.code).shuffle(versions)

    def everyday_rank(version: ProcedureVersion) -> tuple[int, int]:
        name = version.name.lower()
        rank = next((n for n, start in enumerate(EVERYDAY) if name.startswith(start)), None)
        return (len(EVERYDAY), 0) if rank is None else (rank, len(name))

    versions.sort(key=everyday_rank)
    weights = list(itertools.accumulate(1 / rank for rank in range(1, len(versions) + 1)))
    return versions, weights


def _department_for(version: ProcedureVersion) -> str:
    sector = f"{version.sector.name} {version.name}".lower()
    for words, code in DEPARTMENT_OF_SECTOR:
        if any(word in sector for word in words):
            return code
    return DEFAULT_DEPARTMENT


# Over 60 lines on purpose: one seeded sequence of random draws, in an order the demo's
# figures depend on; split, the draws would be easy to reorder by accident.
def _life_plan(
    rng: random.Random,
    calendar: WorkingCalendar,
    desk: Unit,
    popular: tuple[list, list[float]],
    day: dt.date,
    departments: dict[str, Unit],
) -> _Life:
    versions, weights = popular
    [version] = rng.choices(versions, cum_weights=weights)
    online = version.online_level in (
        OnlineLevel.LEVEL_3,
        OnlineLevel.LEVEL_4,
        OnlineLevel.PARTIAL,
        OnlineLevel.FULL,
    )
    draw = rng.random()
    channel = "online" if online and draw < 0.35 else "postal" if draw > 0.97 else "direct"
    minute = rng.choice((rng.randint(7 * 60 + 10, 11 * 60 + 20), rng.randint(815, 1010)))
    received_at = local_moment(calendar, day, dt.time(minute // 60, minute % 60))
    # Digitisation grows from a third of the dossiers after the reform to about two thirds.
    months = (day.year - REFORM_DATE.year) * 12 + day.month - REFORM_DATE.month
    life = _Life(
        desk=desk,
        version=version,
        channel=channel,
        received_at=received_at,
        applicant=applicant_make(rng, place=_place_of(desk)),
        digitised=rng.random() < min(0.35 + 0.02 * months, 0.7),
    )
    fate = rng.random()
    if fate < 0.005:
        life.outcome = OUTCOME_REFUSED
        return life
    due_at = due_at_compute(
        version=version, channel=channel, received_at=received_at, calendar=calendar
    )
    start = received_at
    if desk.level == "centre":
        life.handling_code = _department_for(version)
        if life.handling_code not in departments:
            life.handling_code = ""
        else:
            life.transferred_at = calendar.add_office_time(
                received_at, dt.timedelta(minutes=rng.randint(10, 60))
            )
            start = life.transferred_at
    if 0.005 <= fate < 0.045 and due_at - start > dt.timedelta(hours=8):
        requested_at = calendar.add_office_time(start, dt.timedelta(hours=rng.randint(2, 12)))
        completed_at = calendar.add_office_time(
            requested_at, dt.timedelta(hours=8 * rng.randint(1, 4))
        )
        due_at = supplement_due_at_shift(
            due_at=due_at, paused_from=requested_at, resumed_at=completed_at, calendar=calendar
        )
        life.supplement = (requested_at, completed_at)
        start = completed_at
    if 0.045 <= fate < 0.055:
        life.outcome = OUTCOME_WITHDRAWN
        life.finished_at = _minute(
            calendar.add_office_time(start, dt.timedelta(hours=rng.randint(1, 16)))
        )
        return life
    span = calendar.office_time_between(start, due_at)
    if 0.055 <= fate < 0.095:
        # Late: one to five working days after the due date.
        finished_at = calendar.add_office_time(due_at, dt.timedelta(hours=rng.randint(4, 40)))
        if rng.random() < APOLOGY_SHARE and span > 2 * calendar.working_day_length:
            issued_at = calendar.add_office_time(start, span - calendar.working_day_length * 1.5)
            new_due_at = calendar.add_office_time(finished_at, dt.timedelta(hours=8))
            life.apology = (_minute(issued_at), _minute(new_due_at))
    elif 0.095 <= fate < 0.175:
        finished_at = due_at - dt.timedelta(minutes=rng.randint(5, 90))
        finished_at = max(finished_at, start)
    else:
        finished_at = calendar.add_office_time(start, span * rng.uniform(0.15, 0.85))
    life.finished_at = _minute(max(finished_at, start))
    if channel == "online":
        life.returned_at = life.finished_at + dt.timedelta(minutes=5)
    else:
        life.returned_at = _minute(
            calendar.add_office_time(
                life.finished_at, dt.timedelta(minutes=rng.randint(30, 3 * 8 * 60))
            )
        )
    return life


def _cut_at(life: _Life, now: dt.datetime) -> _Life:
    """The life as it stands at ``now``: later steps have not happened yet."""
    if life.transferred_at and life.transferred_at > now:
        life.handling_code, life.transferred_at = "", None
    if life.supplement and life.supplement[0] > now:
        life.supplement = None
    if life.apology and life.apology[0] > now:
        life.apology = None
    paused = life.supplement is not None and life.supplement[1] > now
    if paused or (life.finished_at and life.finished_at > now):
        life.finished_at = life.returned_at = None
        if life.outcome != OUTCOME_REFUSED:
            life.outcome = ""
    if life.returned_at and life.returned_at > now:
        life.returned_at = None
    return life


def _minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


def _place_of(desk: Unit) -> str:
    if desk.level == "commune":
        return f"{desk.name[:1].lower()}{desk.name[1:]}, tỉnh Gia Lai"
    return "xã Phú Túc, tỉnh Gia Lai"


def _codes_assign(lives: list[_Life]) -> None:
    last: Counter = Counter()
    for life in sorted(lives, key=lambda life: (life.desk.code, life.received_at)):
        day = local_date(life.received_at)
        last[(life.desk.code, day)] += 1
        life.code = dossier_code_format(
            unit_code=life.desk.code, day=day, n=last[(life.desk.code, day)]
        )


def _row_of(life: _Life, *, now: dt.datetime) -> dict[str, str]:
    row = {
        "code": life.code,
        "procedure_code": life.version.procedure.code,
        "unit_code": life.desk.code,
        "channel": life.channel,
        "received_at": life.received_at.isoformat(),
        "digitised": "1" if life.digitised else "0",
        "outcome": life.outcome,
        **life.applicant,
    }
    if life.outcome == OUTCOME_REFUSED:
        row["note"] = "Hồ sơ không thuộc thẩm quyền giải quyết"
        return row
    if life.handling_code:
        row["handling_unit_code"] = life.handling_code
        row["transferred_at"] = life.transferred_at.isoformat()
    if life.supplement:
        row["supplement_requested_at"] = life.supplement[0].isoformat()
        if life.supplement[1] <= now:
            row["supplement_completed_at"] = life.supplement[1].isoformat()
    if life.apology:
        # Imported open: the apology, the finish and the return go through the services.
        row["outcome"] = ""
        return row
    if life.finished_at:
        row["finished_at"] = life.finished_at.isoformat()
    if life.returned_at:
        row["returned_at"] = life.returned_at.isoformat()
    return row


def _checklists_add(lives: list[_Life]) -> None:
    """The papers handed in at intake: the demo's applicants bring what the catalogue lists
    (the import, like iGate's export, has no checklist)."""
    documents: dict[int, list[RequiredDocument]] = {}
    for document in RequiredDocument.objects.filter(
        version_id__in={life.version.pk for life in lives}
    ).order_by("version_id", "position", "id"):
        documents.setdefault(document.version_id, []).append(document)
    ids = Dossier.objects.only("id", "code").in_bulk(
        [life.code for life in lives], field_name="code"
    )
    DossierDocument.objects.bulk_create(
        (
            DossierDocument(
                dossier_id=ids[life.code].pk,
                position=position,
                name=document.name,
                originals=document.originals,
                certified_copies=document.certified_copies,
                copies=document.copies,
            )
            for life in lives
            for position, document in enumerate(documents.get(life.version.pk, ()), start=1)
        ),
        batch_size=2000,
    )


def _apologies_apply(lives: list[_Life], *, now: dt.datetime) -> None:
    """The late dossiers with an apology: issued, then finished and returned when they were."""
    officers = {
        membership.unit.code: membership.user
        for membership in Membership.objects.filter(is_active=True).select_related("unit", "user")
    }
    dossiers = Dossier.objects.in_bulk([life.code for life in lives], field_name="code")
    for life in lives:
        dossier = dossiers[life.code]
        desk_officer = officers.get(life.desk.code)
        processing_officer = officers.get(life.handling_code or life.desk.code, desk_officer)
        issued_at, new_due_at = life.apology
        apology_issue(
            dossier=dossier,
            reason="Hồ sơ cần xác minh thêm tại thực địa, chưa kịp giải quyết đúng hẹn.",
            new_due_at=max(new_due_at, dossier.due_at + dt.timedelta(hours=1)),
            by=processing_officer,
            at=issued_at,
        )
        if life.finished_at:
            dossier = dossier_finish(dossier=dossier, by=processing_officer, at=life.finished_at)
            if life.returned_at:
                dossier_return(dossier=dossier, by=desk_officer, at=life.returned_at)
