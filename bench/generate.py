"""A synthetic province for the benchmarks: units, catalogue and N dossiers over five years.

    .venv/bin/python bench/generate.py --dossiers 1000000 --seed 7 \\
        --database-url postgres://postgres@127.0.0.1:5432/perf_bench

The URL must point at a throwaway PostgreSQL database: it is dropped, created and migrated.
Then, all reproducible from ``--seed``:

- **Units** (``units_import``, the real service): the province, its public-service centre, 20
  departments, 10 districts and 120 communes valid until 30 June 2025, then 40 merged communes
  (each the successor of three old ones) from 1 July 2025 (Decree 118/2025: province and
  commune levels only) — 192 units.
- **Catalogue** (``procedures_import``): 2,000 procedures, 1,500 province-level, 300 district,
  200 commune, every online level, 1–20 working days, in force from a year before the data.
- **Dossiers**, day by day over ``--years`` years up to ``--end`` (default: today), volume
  growing by half over the span: popularity of procedures Zipf-like, commune sizes log-normal;
  channel mix moving from 5 % to 55 % online (3 % postal); 1 % refused at intake, 2 %
  withdrawn, 0.5 % stopped, 0.3 % left open for good; of the rest 35 % finished early, 55 % on
  the due date, 10 % late; 4 % paused once for a supplement (the due date moves by the office
  time paused, as ``supplement_complete`` does); 97 % of results returned (0–5 working days
  later); province-level
  dossiers received at the centre and 70 % of them transferred to a department (one
  ``transferred`` event each); digitised share rising from 10 % to 90 %. Whatever would happen
  after the end is not written: those dossiers are open (received / processing / waiting for
  a supplement).

Received times lie inside office hours on working days of the portal's own calendar
(``org.calendar_source.working_calendar``: Vietnamese holidays and overrides), so the due date of
N working days is the same clock time N working days later, exactly what ``due_at_compute``
gives. Derived columns are written as ``Dossier.save`` would: ``received_date``, ``due_date``,
``finished_date`` (the earlier of result ready and returned), ``regime``; codes are
``<unit>-<YYMMDD>-<NNNN>`` numbered per unit and local day, and the per-day code counters are
set so that intake after the generator continues the numbering.

Everything is written with COPY (psycopg 3), ~20,000 dossiers at a time with numpy arrays,
memory flat whatever N; the dossier table's secondary indexes are dropped during the load and
rebuilt at the end. Then the rollups are built (``rollups_rebuild`` of every period of both
schemes: the months computed, the longer periods summed from them; ``--rollups quarters`` for
months and quarters only, ``none`` to skip) and ANALYZE runs. Prints the rate (dossiers/s) and
the process's peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
LOCAL_OFFSET = 7 * 3600  # Asia/Ho_Chi_Minh, no daylight saving
PROVINCE = "000.00.00.H99"
CHUNK = 20_000  # dossiers generated and written at a time
CENTRE = "000.00.01.H99"

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Đức", "Hữu", "Thu", "Quốc", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
]
SECTORS = (
    "Hộ tịch",
    "Chứng thực",
    "Đất đai",
    "Xây dựng",
    "Kinh doanh",
    "Lao động",
    "Bảo trợ xã hội",
    "Giáo dục",
    "Y tế",
    "Giao thông vận tải",
    "Tài nguyên môi trường",
    "Văn hóa",
    "Nông nghiệp",
    "Tư pháp",
    "Công thương",
    "Khoa học công nghệ",
    "Thông tin truyền thông",
    "Tài chính",
    "Nội vụ",
    "Kế hoạch đầu tư",
)


def _dossier_columns() -> list[str]:
    """The dossier table's columns as the import writes them (``dossiers.imports``), id first."""
    from dossiers.imports import DOSSIER_FIELDS
    from dossiers.models import Dossier

    return ["id", *(Dossier._meta.get_field(name).column for name in DOSSIER_FIELDS)]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# The organisation and the catalogue, through the real import services --------------------------


def unit_rows(rng: np.random.Generator) -> list[dict[str, str]]:
    from org.models import REFORM_DATE

    rows = [
        {"code": PROVINCE, "name": "Tỉnh Mẫu Sơn", "level": "province", "parent_code": ""},
        {
            "code": CENTRE,
            "name": "Trung tâm Phục vụ hành chính công tỉnh",
            "level": "centre",
            "parent_code": PROVINCE,
        },
    ]
    for n in range(20):
        rows.append(
            {
                "code": f"000.{n + 1:02d}.00.H99",
                "name": f"Sở {SECTORS[n]}",
                "level": "department",
                "parent_code": PROVINCE,
            }
        )
    for n in range(40):
        rows.append(
            {
                "code": f"{200 + n:03d}.00.00.H99",
                "name": f"Xã Hợp Nhất {n + 1}",
                "level": "commune",
                "parent_code": PROVINCE,
                "valid_from": REFORM_DATE.isoformat(),
            }
        )
    for d in range(10):
        district = f"000.00.{11 + d:02d}.H99"
        rows.append(
            {
                "code": district,
                "name": f"Huyện {FAMILY[d]} Sơn",
                "level": "district",
                "parent_code": PROVINCE,
                "valid_to": (REFORM_DATE - dt.timedelta(days=1)).isoformat(),
            }
        )
        for c in range(12):
            n = d * 12 + c
            rows.append(
                {
                    "code": f"{n + 1:03d}.{11 + d:02d}.00.H99",
                    "name": f"Xã {GIVEN[c]} {d + 1}",
                    "level": "commune",
                    "parent_code": district,
                    "valid_to": (REFORM_DATE - dt.timedelta(days=1)).isoformat(),
                    "successor_code": f"{200 + n // 3:03d}.00.00.H99",
                }
            )
    return rows


def procedure_rows(rng: np.random.Generator, valid_from: dt.date) -> list[dict[str, str]]:
    levels = ["province"] * 1500 + ["district"] * 300 + ["commune"] * 200
    online = ("1", "2", "3", "4", "partial", "full")
    days = rng.choice([1, 2, 3, 5, 7, 10, 12, 15, 20], size=len(levels))
    rows = []
    for n, level in enumerate(levels):
        sector = int(rng.integers(len(SECTORS)))
        rows.append(
            {
                "code": f"{1 + n // 1000}.{n % 1000:06d}",
                "name": f"Thủ tục {SECTORS[sector].lower()} số {n + 1}",
                "sector_code": f"LV{sector:02d}",
                "sector_name": SECTORS[sector],
                "level": level,
                "online_level": online[int(rng.integers(len(online)))],
                "processing_time": str(int(days[n])),
                "processing_unit": "working_days",
                "fee": "",
                "valid_from": valid_from.isoformat(),
            }
        )
    return rows


def organisation_load(rng: np.random.Generator, first: dt.date) -> None:
    from org.services import units_import
    from procedures.imports import procedures_import

    for load, rows in (
        (units_import, unit_rows(rng)),
        (procedures_import, procedure_rows(rng, first - dt.timedelta(days=365))),
    ):
        result = load(rows=list(enumerate(rows, start=2)))
        if result.errors:
            sys.exit(f"{load.__name__}: {result.errors}")


# The dossiers --------------------------------------------------------------------------------


class Province:
    """What the dossier generator draws from: desks, procedures, working days."""

    def __init__(self, rng: np.random.Generator, first: dt.date, end: dt.date) -> None:
        from org.models import Unit

        units = {
            code: (pk, level) for pk, code, level in Unit.objects.values_list("pk", "code", "level")
        }
        self.unit_code = {pk: code for code, (pk, _) in units.items()}
        self.centre = units[CENTRE][0]
        self.departments = np.array(
            sorted(pk for pk, level in units.values() if level == "department")
        )
        self.districts = np.array(
            sorted(pk for code, (pk, level) in units.items() if level == "district")
        )
        self.old_communes = np.array(
            sorted(
                pk
                for code, (pk, level) in units.items()
                if level == "commune" and code[4:6] != "00"
            )
        )
        self.new_communes = np.array(
            sorted(
                pk
                for code, (pk, level) in units.items()
                if level == "commune" and code[4:6] == "00"
            )
        )
        self.commune_weight = rng.lognormal(0, 0.6, size=len(self.old_communes))
        self.commune_weight /= self.commune_weight.sum()
        self.new_commune_weight = rng.lognormal(0, 0.5, size=len(self.new_communes))
        self.new_commune_weight /= self.new_commune_weight.sum()
        self.district_of = {}  # old commune pk -> its district pk
        parents = dict(Unit.objects.values_list("pk", "parent_id"))
        for commune in self.old_communes:
            self.district_of[int(commune)] = parents[int(commune)]
        self.district_index = np.array([parents[int(c)] for c in self.old_communes])

        self.versions = self._versions_draw(rng)
        self.working = self._working_days(first, end)  # ordinals of working days
        self.first, self.end = first, end
        # "Now": the end of office hours on the last day; nothing after it has happened.
        self.now = _epoch(end.toordinal(), 480)

    @staticmethod
    def _versions_draw(rng: np.random.Generator) -> dict:
        """Per level: the published versions (shuffled), their processing days, Zipf weights."""
        from procedures.models import ProcedureVersion

        versions = list(
            ProcedureVersion.objects.filter(status="published").values_list(
                "pk", "levels__level", "processing_time"
            )
        )
        by_level = {}
        for level in ("province", "district", "commune"):
            rows = sorted((pk, int(days)) for pk, lv, days in versions if lv == level)
            rng.shuffle(rows)
            weight = 1 / np.arange(1, len(rows) + 1) ** 1.1
            by_level[level] = (
                np.array([pk for pk, _ in rows]),
                np.array([days for _, days in rows]),
                weight / weight.sum(),
            )
        return by_level

    @staticmethod
    def _working_days(first: dt.date, end: dt.date) -> np.ndarray:
        """The ordinals of the portal calendar's working days around [first, end]."""
        from org.calendar_source import working_calendar

        calendar = working_calendar()
        day, last = first - dt.timedelta(days=10), end + dt.timedelta(days=400)
        working = []
        while day <= last:
            if calendar.is_working_day(day):
                working.append(day.toordinal())
            day += dt.timedelta(days=1)
        return np.array(working, dtype=np.int64)


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _epoch(ordinal, minute):
    """UTC epoch seconds of office minute ``minute`` (0–480) of the local day ``ordinal``:
    07:00–11:30 are minutes 0–270, 13:30–17:00 are 270–480."""
    minute = np.asarray(minute)
    clock = np.where(minute <= 270, 7 * 60 + minute, 13 * 60 + 30 + (minute - 270))
    return (np.asarray(ordinal) - _EPOCH_ORDINAL) * 86400 + clock * 60 - LOCAL_OFFSET


def _office_minute(rng: np.random.Generator, size: int) -> np.ndarray:
    """A minute strictly inside a block (never on a block edge: no 07:00 = 17:00 ambiguity)."""
    minute = rng.integers(1, 479, size=size)
    return np.where(minute == 270, 271, minute)


def _add_office(province: Province, day_index, minute, minutes):
    """(working-day index, minute) ``minutes`` of office time after (day_index, minute)."""
    total = minute + minutes
    day_index = day_index + total // 480
    minute = total % 480
    # Land inside a block, as for intake (an edge is the same instant as the next block start).
    minute = np.where(minute == 0, 1, np.where(minute == 270, 271, minute))
    return day_index, minute


def _timestamps(epoch: np.ndarray) -> np.ndarray:
    text = epoch.astype("datetime64[s]").astype(str)
    return np.char.add(text, "+00")


def _dates(epoch: np.ndarray) -> np.ndarray:
    return ((epoch + LOCAL_OFFSET) // 86400).astype("datetime64[D]").astype(str)


def _nullable(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.where(mask, values, "\\N")


def chunk_dossiers(province: Province, rng: np.random.Generator, days, counts, first_id):
    """The COPY rows of ``counts[i]`` dossiers received on each working day ``days[i]``: the
    dossiers, their supplement requests and transfer events, and the code counters. The draws
    are made in one fixed order (the data is reproducible from the seed)."""
    c = _arrivals(province, rng, days, counts)
    _places_draw(province, rng, c)
    _channels_draw(rng, c)
    _pauses_draw(province, rng, c)
    _fates_draw(province, rng, c)
    _statuses_set(province, c)
    number, counters = _codes_number(c)
    text = _dossier_text(province, rng, c, number, first_id)
    return text, _pause_text(c, first_id), _transfer_text(c, first_id), counters


def _arrivals(province: Province, rng: np.random.Generator, days, counts) -> SimpleNamespace:
    """Received times inside office hours, in order of receipt."""
    from org.models import REFORM_DATE

    c = SimpleNamespace()
    day_ordinal = np.repeat(days, counts)
    c.n = n = len(day_ordinal)
    day_index = np.searchsorted(province.working, day_ordinal)
    minute = _office_minute(rng, n)
    received = _epoch(day_ordinal, minute)
    order = np.argsort(received, kind="stable")
    c.day_ordinal, c.day_index, c.minute, c.received = (
        day_ordinal[order],
        day_index[order],
        minute[order],
        received[order],
    )
    c.after_reform = c.day_ordinal >= REFORM_DATE.toordinal()
    span = max(1, province.end.toordinal() - province.first.toordinal())
    c.progress = (c.day_ordinal - province.first.toordinal()) / span
    return c


def _places_draw(province: Province, rng: np.random.Generator, c: SimpleNamespace) -> None:
    """Level of the procedure, its version and processing days, the desk and handling unit."""
    n = c.n
    level_draw = rng.random(n)
    level = np.where(level_draw < 0.30, 0, np.where(level_draw < 0.55, 1, 2))  # prov/dist/comm
    c.version = np.zeros(n, dtype=np.int64)
    c.days = np.zeros(n, dtype=np.int64)
    for code, name in enumerate(("province", "district", "commune")):
        pick = level == code
        pks, durations, weight = province.versions[name]
        chosen = rng.choice(len(pks), size=int(pick.sum()), p=weight)
        c.version[pick], c.days[pick] = pks[chosen], durations[chosen]
    old_commune = province.old_communes[
        rng.choice(len(province.old_communes), size=n, p=province.commune_weight)
    ]
    old_district = province.district_index[np.searchsorted(province.old_communes, old_commune)]
    new_commune = province.new_communes[
        rng.choice(len(province.new_communes), size=n, p=province.new_commune_weight)
    ]
    c.desk = np.where(
        level == 0,
        province.centre,
        np.where(c.after_reform, new_commune, np.where(level == 1, old_district, old_commune)),
    )
    c.transferred = (level == 0) & (rng.random(n) < 0.7)
    department = province.departments[rng.integers(len(province.departments), size=n)]
    c.handling = np.where(c.transferred, department, c.desk)


def _channels_draw(rng: np.random.Generator, c: SimpleNamespace) -> None:
    channel_draw = rng.random(c.n)
    online_share = 0.05 + 0.5 * c.progress
    c.channel = np.where(
        channel_draw < online_share,
        "online",
        np.where(channel_draw < online_share + 0.03, "postal", "direct"),
    )
    c.digitised = rng.random(c.n) < (0.1 + 0.8 * c.progress)


def _pauses_draw(province: Province, rng: np.random.Generator, c: SimpleNamespace) -> None:
    """The legal due date (N working days later, same clock time) and a supplement pause (4 %):
    requested 1..N-1 working days in, completed 1–8 days later, moving the due date."""
    n, working, days = c.n, province.working, c.days
    due_index, due_minute = c.day_index + days, c.minute
    paused = (rng.random(n) < 0.04) & (days >= 2)
    c.request_index = c.day_index + 1 + (rng.random(n) * np.maximum(days - 1, 1)).astype(np.int64)
    request_minute = _office_minute(rng, n)
    pause_days = rng.integers(1, 9, size=n)
    c.complete_index = c.request_index + pause_days
    complete_minute = _office_minute(rng, n)
    c.requested = _epoch(working[np.minimum(c.request_index, len(working) - 1)], request_minute)
    c.completed = _epoch(working[np.minimum(c.complete_index, len(working) - 1)], complete_minute)
    now = province.now
    c.paused = paused & (c.requested <= now)
    c.pause_done = c.paused & (c.completed <= now)
    paused_minutes = pause_days * 480 + (complete_minute - request_minute)
    moved_index, moved_minute = _add_office(province, due_index, due_minute, paused_minutes)
    c.due_index = np.where(c.pause_done, moved_index, due_index)
    c.due_minute = np.where(c.pause_done, moved_minute, due_minute)
    c.original_due = _epoch(working[c.day_index + days], c.minute)
    c.due = _epoch(working[c.due_index], c.due_minute)


def _fates_draw(province: Province, rng: np.random.Generator, c: SimpleNamespace) -> None:
    """Refused, withdrawn, stopped, never finished, or resolved early / on time / late; when
    the result was ready and returned."""
    n, working, day_index, due_index = c.n, province.working, c.day_index, c.due_index
    fate = rng.random(n)
    c.refused = fate < 0.01
    c.withdrawn = (fate >= 0.01) & (fate < 0.03)
    stopped = (fate >= 0.03) & (fate < 0.035)
    # 0.035–0.038: never finished (a forgotten dossier, overdue for good).
    c.resolved = fate >= 0.038
    timing = rng.random(n)
    finish_index = np.where(
        timing < 0.35,
        day_index + (rng.random(n) * np.maximum(due_index - day_index, 1)).astype(np.int64),
        np.where(timing < 0.9, due_index, due_index + rng.integers(1, 11, size=n)),
    )
    finish_minute = np.where(
        (timing >= 0.35) & (timing < 0.9),
        np.maximum(1, (rng.random(n) * c.due_minute).astype(np.int64)),
        _office_minute(rng, n),
    )
    finish_minute = np.where(finish_minute == 270, 271, finish_minute)
    c.ended_early = c.withdrawn | stopped
    finish_index = np.where(c.ended_early, day_index + rng.integers(0, 6, size=n), finish_index)
    # Never before the pause completed (or while it is open).
    finish_index = np.where(c.paused, np.maximum(finish_index, c.complete_index + 1), finish_index)
    finish_index = np.where(finish_index == day_index, day_index + 1, finish_index)
    c.finished = _epoch(working[np.minimum(finish_index, len(working) - 1)], finish_minute)
    now = province.now
    c.has_finished = (
        (c.resolved | c.ended_early) & (c.finished <= now) & ~(c.paused & ~c.pause_done)
    )
    returned_index = finish_index + rng.integers(0, 6, size=n)
    returned = _epoch(working[np.minimum(returned_index, len(working) - 1)], _office_minute(rng, n))
    c.returned = np.maximum(returned, c.finished + 60)
    c.has_returned = c.resolved & c.has_finished & (rng.random(n) < 0.97) & (c.returned <= now)


def _statuses_set(province: Province, c: SimpleNamespace) -> None:
    """The status (lifecycle.DossierStatus) and derived columns as ``Dossier.save`` sets them:
    a refused dossier has no due date (its received time) and no end."""
    from dossiers.lifecycle import DossierStatus as S

    working = province.working
    last_day = working[np.maximum(np.searchsorted(working, province.end.toordinal()) - 1, 0)]
    c.status = np.where(
        c.refused,
        S.REFUSED.value,
        np.where(
            c.has_finished,
            np.where(
                c.resolved,
                np.where(c.has_returned, S.RETURNED.value, S.FINISHED.value),
                np.where(c.withdrawn, S.WITHDRAWN.value, S.STOPPED.value),
            ),
            np.where(
                c.paused & ~c.pause_done,
                S.SUPPLEMENT_REQUESTED.value,
                np.where(
                    c.day_ordinal >= last_day,
                    S.RECEIVED.value,
                    S.PROCESSING.value,
                ),
            ),
        ),
    )
    c.due = np.where(c.refused, c.received, c.due)
    c.original_due = np.where(c.refused, c.received, c.original_due)
    c.has_finished &= ~c.refused
    c.has_returned &= ~c.refused
    c.paused &= ~c.refused
    c.pause_done &= ~c.refused
    # finished_date_of: the earlier of result ready and returned, else the end.
    finished_date_epoch = np.where(c.has_returned, np.minimum(c.finished, c.returned), c.finished)
    c.finished_date = np.where(
        c.has_finished & (c.resolved | c.ended_early), _dates(finished_date_epoch), "\\N"
    )


def _codes_number(c: SimpleNamespace) -> tuple[np.ndarray, dict]:
    """Code numbers per (unit, local day) in order of receipt; the last number of each."""
    n = c.n
    key_order = np.lexsort((c.received, c.desk, c.day_ordinal))
    sorted_day, sorted_desk = c.day_ordinal[key_order], c.desk[key_order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = (sorted_day[1:] != sorted_day[:-1]) | (sorted_desk[1:] != sorted_desk[:-1])
    group_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    number = np.empty(n, dtype=np.int64)
    number[key_order] = np.arange(n) - group_start + 1
    counters = {}
    for unit_id, ordinal, last in zip(
        sorted_desk[np.r_[starts[1:], True]],
        sorted_day[np.r_[starts[1:], True]],
        (np.arange(n) - group_start + 1)[np.r_[starts[1:], True]],
        strict=True,
    ):
        counters[int(unit_id), int(ordinal)] = int(last)
    return number, counters


def _dossier_text(province, rng: np.random.Generator, c: SimpleNamespace, number, first_id):
    """The dossier rows as COPY text, in the columns of ``_dossier_columns()``."""
    from dossiers.lifecycle import Regime

    n = c.n
    unit_code = np.array([province.unit_code[int(pk)] for pk in c.desk])
    yymmdd = np.array(
        [dt.date.fromordinal(int(o)).strftime("%y%m%d") for o in np.unique(c.day_ordinal)]
    )
    day_text = yymmdd[np.searchsorted(np.unique(c.day_ordinal), c.day_ordinal)]
    code = np.char.add(
        np.char.add(np.char.add(unit_code, "-"), np.char.add(day_text, "-")),
        np.char.zfill(number.astype(str), 4),
    )
    ids = np.arange(first_id, first_id + n)
    names = rng.integers(len(FAMILY) * len(MIDDLE) * len(GIVEN), size=n)
    name_table = np.array([f"{f} {m} {g}" for f in FAMILY for m in MIDDLE for g in GIVEN])
    phone = np.char.add("09", np.char.zfill(rng.integers(0, 10**8, size=n).astype(str), 8))
    id_number = np.char.zfill(rng.integers(0, 10**12, size=n).astype(str), 12)
    received_text = _timestamps(c.received)
    columns = [
        ids.astype(str),
        code,
        c.version.astype(str),
        c.desk.astype(str),
        c.handling.astype(str),
        c.channel,
        name_table[names],
        id_number,
        phone,
        np.full(n, ""),
        np.full(n, ""),
        rng.integers(1, 3, size=n).astype(str),
        received_text,
        _timestamps(c.due),
        _timestamps(c.original_due),
        np.full(n, "\\N"),
        _nullable(c.has_finished, _timestamps(c.finished)),
        _nullable(c.has_returned, _timestamps(c.returned)),
        c.status,
        np.where(c.after_reform, Regime.DECREE_118_2025.value, Regime.DECREE_61_2018.value),
        np.where(c.digitised, "t", "f"),
        _dates(c.received),
        _dates(c.due),
        c.finished_date,
        (
            c.has_finished.astype(int) + c.has_returned + c.paused + c.pause_done + c.transferred
        ).astype(str),
        received_text,
    ]
    return "\n".join(map("\t".join, zip(*(column.tolist() for column in columns), strict=True)))


def _pause_text(c: SimpleNamespace, first_id: int) -> str:
    ids = np.arange(first_id, first_id + c.n)
    return "\n".join(
        f"{dossier}\t{start}\t{end}\tThiếu giấy tờ\tBản sao có chứng thực"
        for dossier, start, end in zip(
            ids[c.paused].tolist(),
            _timestamps(c.requested[c.paused]).tolist(),
            _nullable(c.pause_done[c.paused], _timestamps(c.completed[c.paused])).tolist(),
            strict=True,
        )
    )


def _transfer_text(c: SimpleNamespace, first_id: int) -> str:
    from dossiers.lifecycle import EventKind

    ids = np.arange(first_id, first_id + c.n)
    moved = c.transferred & ~c.refused
    transfer_at = c.received[moved] + 600
    return "\n".join(
        f"{dossier}\t{EventKind.TRANSFERRED.value}\t{source}\t{target}\t{at}\t"
        for dossier, source, target, at in zip(
            ids[moved].tolist(),
            c.desk[moved].tolist(),
            c.handling[moved].tolist(),
            _timestamps(transfer_at).tolist(),
            strict=True,
        )
    )


def _chunks_plan(province: Province, rng: np.random.Generator, total: int) -> list[tuple]:
    """(working days, dossiers per day) of each chunk: whole days, about CHUNK dossiers."""
    working = province.working
    days = working[
        np.searchsorted(working, province.first.toordinal()) : np.searchsorted(
            working, province.end.toordinal(), side="right"
        )
    ]
    # Volume grows by half from the first day to the last.
    weight = np.linspace(1, 1.5, len(days))
    per_day = rng.multinomial(total, weight / weight.sum())
    # Whole days per chunk (codes are numbered per unit and day), about CHUNK dossiers each.
    chunks, start, size = [], 0, 0
    for index, count in enumerate(per_day.tolist()):
        size += count
        if size >= CHUNK or index == len(days) - 1:
            chunks.append((days[start : index + 1], per_day[start : index + 1]))
            start, size = index + 1, 0
    return chunks


def dossiers_load(province: Province, rng: np.random.Generator, total: int) -> float:
    """Write ``total`` dossiers, a few thousand days' worth at a time; seconds spent."""
    from django.db import connection

    chunks = _chunks_plan(province, rng, total)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        indexes = _secondary_indexes_drop(raw)
        # Foreign-key checks are triggers fired per row: the generator's keys are right by
        # construction, so the load skips them (superuser only; reset below).
        raw.execute("SET session_replication_role = replica")
        next_id = 1
        columns = _dossier_columns()
        for chunk_days, chunk_counts in chunks:
            count = int(chunk_counts.sum())
            if not count:
                continue
            text, pauses, events, counters = chunk_dossiers(
                province, rng, chunk_days, chunk_counts, next_id
            )
            next_id += count
            _chunk_copy(raw, columns, text, pauses, events, counters)
        raw.execute("SET session_replication_role = DEFAULT")
        loaded = time.perf_counter() - started
        for statement in indexes:
            raw.execute(statement)
        for table in ("dossiers_dossier", "dossiers_supplementrequest", "dossiers_event"):
            raw.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        raw.execute("ANALYZE")
    print(
        f"dossiers: {total:,} in {loaded:.1f} s ({total / loaded:,.0f}/s) + indexes "
        f"{time.perf_counter() - started - loaded:.1f} s; peak memory {peak_mib():.0f} MiB"
    )
    return loaded


def _chunk_copy(raw, columns: list[str], text: str, pauses: str, events: str, counters) -> None:
    """COPY one chunk's dossiers, supplement requests, transfer events and code counters."""
    with raw.copy(f"COPY dossiers_dossier ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(text + "\n")
    if pauses:
        with raw.copy(
            "COPY dossiers_supplementrequest (dossier_id, requested_at, completed_at, "
            "reason, missing_documents) FROM STDIN"
        ) as copy:
            copy.write(pauses + "\n")
    if events:
        with raw.copy(
            "COPY dossiers_event (dossier_id, kind, from_unit_id, to_unit_id, at, note) FROM STDIN"
        ) as copy:
            copy.write(events + "\n")
    with raw.copy("COPY dossiers_dossiercodecounter (unit_id, day, last) FROM STDIN") as copy:
        for (unit_id, ordinal), last in counters.items():
            copy.write_row((unit_id, dt.date.fromordinal(ordinal), last))


def _secondary_indexes_drop(raw) -> list[str]:
    """Drop the dossier table's plain indexes (not the primary key nor unique ones) for the
    load; the statements that rebuild them."""
    raw.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "JOIN pg_class c ON c.relname = i.indexname "
        "JOIN pg_index x ON x.indexrelid = c.oid "
        "WHERE i.tablename = 'dossiers_dossier' AND NOT x.indisunique AND NOT x.indisprimary"
    )
    rows = raw.fetchall()
    for name, _ in rows:
        raw.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def rollups_build(kinds: str, today: dt.date, first: dt.date) -> None:
    from reports.periods import PeriodKind
    from reports.services import periods_current, rollups_rebuild, rollups_refresh_many

    if kinds == "none":
        return
    started = time.perf_counter()
    chosen = tuple(PeriodKind) if kinds == "all" else (PeriodKind.MONTH, PeriodKind.QUARTER)
    rows = rollups_rebuild(first=first, last=today, kinds=chosen, today=today)
    rows += rollups_refresh_many(periods=periods_current(today), today=today)
    print(f"rollups: {rows:,} rows in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=None, help="last day")
    parser.add_argument("--rollups", choices=("all", "quarters", "none"), default="all")
    options = parser.parse_args()
    if not options.database_url.startswith("postgres"):
        parser.error("the generator writes with PostgreSQL COPY: give a postgres:// URL")
    generate(options)


def generate(options) -> None:
    recreate_database(options.database_url)
    setup_django(options.database_url)
    from django.core.management import call_command
    from django.utils import timezone

    end = options.end or timezone.localdate()
    first = end.replace(year=end.year - options.years) + dt.timedelta(days=1)
    rng = np.random.default_rng(options.seed)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    organisation_load(rng, first)
    print(f"schema, 192 units and 2,000 procedures in {time.perf_counter() - started:.1f} s")
    province = Province(rng, first, end)
    dossiers_load(province, rng, options.dossiers)
    rollups_build(options.rollups, end, first)


if __name__ == "__main__":
    main()
