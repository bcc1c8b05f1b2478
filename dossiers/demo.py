"""Demo dossiers of `make run`: the seed district (Krông Pa, Gia Lai) in Q1 2021 (DESIGN §4).

The figures of the seed article, for 1 Jan–31 Mar 2021 (calendar quarter):

- district desk (000.00.37.H21): 193 received, 193 resolved, none late — district-level and
  province-level procedures; the province-level ones are handed to the province for processing;
- the 14 communes (001–014.37.H21): 3,136 received, 3,135 resolved, none late, and 1 still in
  progress on 31 March within its deadline; commune-level procedures;
- nothing carried over, withdrawn or refused; 307 of the 3,329 recorded in the electronic
  one-stop system (``digitised``).

The dossiers are generated deterministically (``random.Random(2021)``) as import rows and fed
through :func:`dossiers.imports.dossiers_import`, so the demo exercises the import: received on
working days in office hours (the working calendar knows Tết 2021), mostly at the counter,
finished before or on their due date and returned a little later, twelve of them after a
completed supplement pause. The quarter is loaded once, so loading twice, or after staff have
worked on a demo dossier, changes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass

from org.calendar_source import working_calendar
from org.models import Unit
from org.tabular import ImportResult
from org.workdays import WorkingCalendar
from procedures.models import OnlineLevel, ProcedureVersion, TimeUnit, VersionStatus

from .codes import dossier_code_format
from .deadlines import due_at_compute, supplement_due_at_shift
from .imports import OUTCOME_RESOLVED, dossiers_import
from .models import Dossier, local_date

PROVINCE = "000.00.00.H21"
DISTRICT = "000.00.37.H21"
COMMUNES = tuple(f"{n:03d}.37.H21" for n in range(1, 15))

QUARTER_START = dt.date(2021, 1, 1)
QUARTER_END = dt.date(2021, 3, 31)

DISTRICT_RECEIVED = 193
COMMUNES_RECEIVED = 3136
COMMUNES_OPEN = 1
DIGITISED = 307
WITH_SUPPLEMENT = 12
# Of the district desk's dossiers, how many concern province-level procedures.
DISTRICT_PROVINCE_LEVEL = 27

# Relative size of each commune (thị trấn Phú Túc is the district town): bigger, more dossiers.
COMMUNE_WEIGHTS = (16, 6, 5, 7, 6, 9, 6, 5, 8, 6, 5, 5, 10, 6)

FAMILY_NAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
)  # fmt: skip
JRAI_FAMILY_NAMES = ("Ksor", "Nay", "Rơ Châm", "Siu", "Rah Lan", "Kpă", "Rơ Mah", "Puih")
MIDDLE_NAMES_MEN = ("Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Công", "Thanh")
MIDDLE_NAMES_WOMEN = ("Thị", "Ngọc", "Thanh", "Thu", "Kim", "Minh", "Hồng")
GIVEN_NAMES_MEN = (
    "An", "Bình", "Cường", "Dũng", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Nam", "Phúc",
    "Quân", "Sơn", "Tâm", "Thắng", "Toàn", "Tuấn", "Việt",
)  # fmt: skip
GIVEN_NAMES_WOMEN = (
    "Anh", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Nhung",
    "Phương", "Thảo", "Trang", "Vân", "Yến",
)  # fmt: skip
JRAI_GIVEN_NAMES_MEN = ("Y Phú", "Y Bhin", "Y Kông", "Y Thuấn", "Y Lăk", "Y Blim")
JRAI_GIVEN_NAMES_WOMEN = ("H'Hoa", "H'Lan", "H'Nguyệt", "H'Bia", "H'Len", "H'Mai")
MOBILE_PREFIXES = (
    "32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98", "81", "82", "83",
    "84", "85", "88", "91", "94", "70", "76", "77", "78", "79",
)  # fmt: skip
VILLAGES = ("Thôn", "Buôn", "Plei")
# Gia Lai's province code in the 12-digit citizen ID (CCCD).
ID_PROVINCE = "064"


@dataclass
class _Plan:
    unit: Unit
    version: ProcedureVersion
    channel: str
    received_at: dt.datetime
    applicant: dict
    handling_unit_code: str = ""
    open: bool = False
    supplement: bool = False
    digitised: bool = False
    code: str = ""


def demo_dossiers_load() -> ImportResult:
    """Import the demo dossiers of Q1 2021; needs the demo units and catalogue. Idempotent.

    The quarter is loaded once: when the demo units already hold dossiers of Q1 2021 nothing
    is generated (the rows depend on the working calendar, which an admin may have changed
    since, so regenerated rows could differ from the loaded ones).
    """
    loaded = Dossier.objects.filter(
        receiving_unit__code__in=(DISTRICT, *COMMUNES),
        received_date__range=(QUARTER_START, QUARTER_END),
    ).count()
    if loaded:
        return ImportResult(unchanged=loaded)
    calendar = working_calendar()
    result = dossiers_import(
        rows=list(enumerate(demo_dossier_rows(calendar=calendar), start=2)),
        source="demo",
        calendar=calendar,
    )
    if not result.ok:
        raise ValueError("\n".join(result.errors.lines()))
    return result


# Over 60 lines on purpose: the seed quarter's random draws in the one order that
# reproduces the article's figures (3,329 dossiers); tests check them to the unit.
def demo_dossier_rows(*, calendar: WorkingCalendar | None = None) -> list[dict[str, str]]:
    """The 3,329 import rows of the demo quarter, the same on every call."""
    calendar = calendar or working_calendar()
    rng = random.Random(2021)
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=(DISTRICT, *COMMUNES))}
    versions = _versions_by_level()
    # A few procedures (birth registration, certification…) make most of a desk's work: the
    # k-th most asked-for one weighs 1/k, the order drawn once per level.
    popular = {}
    for level, candidates in versions.items():
        ordered = list(candidates)
        rng.shuffle(ordered)
        weights = itertools.accumulate(1 / rank for rank in range(1, len(ordered) + 1))
        popular[level] = (ordered, list(weights))
    days = [
        QUARTER_START + dt.timedelta(days=n)
        for n in range((QUARTER_END - QUARTER_START).days + 1)
        if calendar.is_working_day(QUARTER_START + dt.timedelta(days=n))
    ]

    plans: list[_Plan] = []
    district = units[DISTRICT]
    district_levels = ["province"] * DISTRICT_PROVINCE_LEVEL + ["district"] * (
        DISTRICT_RECEIVED - DISTRICT_PROVINCE_LEVEL
    )
    rng.shuffle(district_levels)
    for level in district_levels:
        plan = _plan_new(rng, calendar, district, popular[level], days)
        if level == "province":
            plan.handling_unit_code = PROVINCE
        plans.append(plan)
    for code, count in zip(COMMUNES, _shares(COMMUNES_RECEIVED, COMMUNE_WEIGHTS), strict=True):
        plans.extend(
            _plan_new(rng, calendar, units[code], popular["commune"], days) for _ in range(count)
        )

    # The one commune dossier still in progress on 31 March, received that morning at the
    # biggest commune for a procedure of several working days: within its deadline.
    long_ones = [
        version
        for version in versions["commune"]
        if version.processing_unit == TimeUnit.WORKING_DAYS and version.processing_time >= 3
    ]
    still_open = next(plan for plan in plans if plan.unit.code == COMMUNES[0])
    still_open.version = long_ones[0]
    still_open.channel = "direct"
    still_open.received_at = local_moment(calendar, QUARTER_END, dt.time(9, 15))
    still_open.open = True

    candidates = [
        plan
        for plan in plans
        if not plan.open
        and not plan.handling_unit_code
        and plan.version.processing_unit == TimeUnit.WORKING_DAYS
        and plan.version.processing_time >= 5
        and local_date(plan.received_at) < dt.date(2021, 3, 1)
    ]
    for plan in rng.sample(candidates, WITH_SUPPLEMENT):
        plan.supplement = True
    for plan in rng.sample(plans, DIGITISED):
        plan.digitised = True

    _codes_assign(plans)
    return [_row_of(rng, calendar, plan) for plan in plans]


def _versions_by_level() -> dict[str, list[ProcedureVersion]]:
    by_level: dict[str, list[ProcedureVersion]] = defaultdict(list)
    versions = (
        ProcedureVersion.objects.filter(
            status=VersionStatus.PUBLISHED, valid_from__lte=QUARTER_START
        )
        .exclude(valid_to__lt=QUARTER_END)
        .select_related("procedure")
        .prefetch_related("channel_times", "levels")
        .order_by("procedure__code")
    )
    for version in versions:
        for level in version.levels.all():
            by_level[level.level].append(version)
    return by_level


def _shares(total: int, weights: tuple[int, ...]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder), summing exactly."""
    scale = sum(weights)
    exact = [total * weight / scale for weight in weights]
    shares = [int(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def local_moment(calendar: WorkingCalendar, day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=calendar.tz)


def _plan_new(
    rng: random.Random,
    calendar: WorkingCalendar,
    unit: Unit,
    popular: tuple[list[ProcedureVersion], list[float]],
    days: list[dt.date],
) -> _Plan:
    versions, cum_weights = popular
    [version] = rng.choices(versions, cum_weights=cum_weights)
    online = version.online_level in (OnlineLevel.LEVEL_3, OnlineLevel.LEVEL_4)
    draw = rng.random()
    channel = "online" if online and draw < 0.18 else "postal" if draw > 0.97 else "direct"
    # 07:15–11:15 or 13:45–16:30, to the minute.
    minute = rng.choice((rng.randint(7 * 60 + 15, 11 * 60 + 15), rng.randint(825, 990)))
    received_at = local_moment(calendar, rng.choice(days), dt.time(minute // 60, minute % 60))
    return _Plan(
        unit=unit,
        version=version,
        channel=channel,
        received_at=received_at,
        applicant=_applicant(rng, unit),
    )


def _applicant(rng: random.Random, unit: Unit) -> dict:
    name = _name_make(rng)
    place = unit.name.removeprefix("UBND ")
    if unit.code == DISTRICT:
        place = f"xã {rng.choice(('Chư Drăng', 'Ia Rsươm', 'Phú Cần', 'Uar', 'Đất Bằng'))}"
    return _contacts_make(rng, name=name, place=f"{place}, huyện Krông Pa, tỉnh Gia Lai")


def applicant_make(rng: random.Random, *, place: str) -> dict:
    """A plausible applicant of the area (Kinh and Jrai names), living in ``place``."""
    return _contacts_make(rng, name=_name_make(rng), place=place)


def _name_make(rng: random.Random) -> str:
    woman = rng.random() < 0.5
    if rng.random() < 0.45:
        family = rng.choice(JRAI_FAMILY_NAMES)
        return f"{family} {rng.choice(JRAI_GIVEN_NAMES_WOMEN if woman else JRAI_GIVEN_NAMES_MEN)}"
    middle = rng.choice(MIDDLE_NAMES_WOMEN if woman else MIDDLE_NAMES_MEN)
    given = rng.choice(GIVEN_NAMES_WOMEN if woman else GIVEN_NAMES_MEN)
    return f"{rng.choice(FAMILY_NAMES)} {middle} {given}"


def _contacts_make(rng: random.Random, *, name: str, place: str) -> dict:
    return {
        "applicant_name": name,
        "applicant_phone": f"0{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}",
        "applicant_id_number": (
            f"{ID_PROVINCE}{rng.choice('0123')}{rng.randint(40, 99):02d}{rng.randrange(10**6):06d}"
        ),
        "applicant_address": f"{rng.choice(VILLAGES)} {rng.randint(1, 12)}, {place}",
    }


def _codes_assign(plans: list[_Plan]) -> None:
    """Codes in order of receipt per desk and day, as the counter would have given them."""
    last: dict[tuple[str, dt.date], int] = defaultdict(int)
    for plan in sorted(plans, key=lambda plan: (plan.unit.code, plan.received_at)):
        day = local_date(plan.received_at)
        last[(plan.unit.code, day)] += 1
        plan.code = dossier_code_format(
            unit_code=plan.unit.code, day=day, n=last[(plan.unit.code, day)]
        )


def _row_finished_after_the_quarter(
    calendar: WorkingCalendar, plan: _Plan, row: dict[str, str]
) -> dict[str, str]:
    """The dossier still in progress on 31 March: its result was ready on the first working
    day of April, within its deadline, and collected two office hours later, so that nothing
    of 2021 is still open years later. (No draw from the shared random stream: the other
    rows stay as they always were.)"""
    due_at = due_at_compute(
        version=plan.version, channel=plan.channel, received_at=plan.received_at, calendar=calendar
    )
    first_april_morning = calendar.next_office_moment(
        local_moment(calendar, QUARTER_END + dt.timedelta(days=1), dt.time(0, 0))
    )
    finished_at = min(calendar.add_office_time(first_april_morning, dt.timedelta(hours=3)), due_at)
    returned_at = calendar.add_office_time(finished_at, dt.timedelta(hours=2))
    row.update(
        finished_at=finished_at.isoformat(),
        returned_at=returned_at.isoformat(),
        outcome=OUTCOME_RESOLVED,
    )
    return row


def _row_of(rng: random.Random, calendar: WorkingCalendar, plan: _Plan) -> dict[str, str]:
    received_at = plan.received_at
    row = {
        "code": plan.code,
        "procedure_code": plan.version.procedure.code,
        "unit_code": plan.unit.code,
        "channel": plan.channel,
        "received_at": received_at.isoformat(),
        "digitised": "1" if plan.digitised else "0",
        **plan.applicant,
    }
    if plan.open:
        return _row_finished_after_the_quarter(calendar, plan, row)
    due_at = due_at_compute(
        version=plan.version, channel=plan.channel, received_at=received_at, calendar=calendar
    )
    # Every result is ready by the last afternoon of the quarter.
    last_moment = local_moment(calendar, QUARTER_END, dt.time(16, 50))
    start = received_at
    if plan.handling_unit_code:
        span = calendar.office_time_between(received_at, due_at)
        # Handed over within half an hour, so even a dossier of 31 March 16:30 leaves that day.
        transferred_at = calendar.add_office_time(
            received_at, min(span / 5, dt.timedelta(minutes=30))
        )
        row["handling_unit_code"] = plan.handling_unit_code
        row["transferred_at"] = transferred_at.isoformat()
        start = transferred_at
    if plan.supplement:
        requested_at = calendar.add_office_time(received_at, dt.timedelta(hours=rng.randint(2, 8)))
        completed_at = calendar.add_office_time(
            requested_at, dt.timedelta(hours=8 * rng.randint(1, 3))
        )
        due_at = supplement_due_at_shift(
            due_at=due_at, paused_from=requested_at, resumed_at=completed_at, calendar=calendar
        )
        row["supplement_requested_at"] = requested_at.isoformat()
        row["supplement_completed_at"] = completed_at.isoformat()
        start = completed_at
    # Most results are ready well before the due date, about one in ten on the day itself.
    share = 1.0 if rng.random() < 0.1 else rng.uniform(0.25, 0.9)
    span = calendar.office_time_between(start, due_at)
    finished_at = min(calendar.add_office_time(start, span * share), due_at, last_moment)
    finished_at = max(finished_at.replace(second=0, microsecond=0), start)
    returned_at = calendar.add_office_time(
        finished_at, dt.timedelta(minutes=rng.randint(30, 2 * 8 * 60))
    ).replace(second=0, microsecond=0)
    row.update(
        finished_at=finished_at.isoformat(),
        returned_at=max(returned_at, finished_at).isoformat(),
        outcome=OUTCOME_RESOLVED,
    )
    return row
