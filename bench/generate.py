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

DOSSIER_COLUMNS = (
    "id",
    "code",
    "procedure_version_id",
    "receiving_unit_id",
    "handling_unit_id",
    "channel",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "sets_count",
    "received_at",
    "due_at",
    "original_due_at",
    "rescheduled_due_at",
    "finished_at",
    "returned_at",
    "status",
    "regime",
    "digitised",
    "received_date",
    "due_date",
    "finished_date",
    "version",
    "created_at",
)


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
        from org.calendar_source import working_calendar
        from org.models import Unit
        from procedures.models import ProcedureVersion

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

        versions = list(
            ProcedureVersion.objects.filter(status="published").values_list(
                "pk", "levels__level", "processing_time"
            )
        )
        self.versions = {}
        for level in ("province", "district", "commune"):
            rows = sorted((pk, int(days)) for pk, lv, days in versions if lv == level)
            rng.shuffle(rows)
            weight = 1 / np.arange(1, len(rows) + 1) ** 1.1
            self.versions[level] = (
                np.array([pk for pk, _ in rows]),
                np.array([days for _, days in rows]),
                weight / weight.sum(),
            )

        calendar = working_calendar()
        day, last = first - dt.timedelta(days=10), end + dt.timedelta(days=400)
        working = []
        while day <= last:
            if calendar.is_working_day(day):
                working.append(day.toordinal())
            day += dt.timedelta(days=1)
        self.working = np.array(working, dtype=np.int64)  # ordinals of working days
        self.first, self.end = first, end
        # "Now": the end of office hours on the last day; nothing after it has happened.
        self.now = _epoch(end.toordinal(), 480)


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
    from org.models import REFORM_DATE

    """The COPY rows of ``counts[i]`` dossiers received on each working day ``days[i]``."""
    working = province.working
    day_ordinal = np.repeat(days, counts)
    n = len(day_ordinal)
    day_index = np.searchsorted(working, day_ordinal)
    minute = _office_minute(rng, n)
    received = _epoch(day_ordinal, minute)
    order = np.argsort(received, kind="stable")
    day_ordinal, day_index, minute, received = (
        day_ordinal[order],
        day_index[order],
        minute[order],
        received[order],
    )
    after_reform = day_ordinal >= REFORM_DATE.toordinal()
    span = max(1, province.end.toordinal() - province.first.toordinal())
    progress = (day_ordinal - province.first.toordinal()) / span

    # Level of the procedure, desk and procedure version.
    level_draw = rng.random(n)
    level = np.where(level_draw < 0.30, 0, np.where(level_draw < 0.55, 1, 2))  # prov/dist/comm
    version = np.zeros(n, dtype=np.int64)
    days = np.zeros(n, dtype=np.int64)
    for code, name in enumerate(("province", "district", "commune")):
        pick = level == code
        pks, durations, weight = province.versions[name]
        chosen = rng.choice(len(pks), size=int(pick.sum()), p=weight)
        version[pick], days[pick] = pks[chosen], durations[chosen]
    old_commune = province.old_communes[
        rng.choice(len(province.old_communes), size=n, p=province.commune_weight)
    ]
    old_district = province.district_index[np.searchsorted(province.old_communes, old_commune)]
    new_commune = province.new_communes[
        rng.choice(len(province.new_communes), size=n, p=province.new_commune_weight)
    ]
    desk = np.where(
        level == 0,
        province.centre,
        np.where(after_reform, new_commune, np.where(level == 1, old_district, old_commune)),
    )
    transferred = (level == 0) & (rng.random(n) < 0.7)
    department = province.departments[rng.integers(len(province.departments), size=n)]
    handling = np.where(transferred, department, desk)

    channel_draw = rng.random(n)
    online_share = 0.05 + 0.5 * progress
    channel = np.where(
        channel_draw < online_share,
        "online",
        np.where(channel_draw < online_share + 0.03, "postal", "direct"),
    )
    digitised = rng.random(n) < (0.1 + 0.8 * progress)

    # The legal due date: N working days later, same clock time.
    due_index, due_minute = day_index + days, minute

    # A supplement pause (4 %): requested 1..N-1 working days in, completed 1–8 days later.
    paused = (rng.random(n) < 0.04) & (days >= 2)
    request_index = day_index + 1 + (rng.random(n) * np.maximum(days - 1, 1)).astype(np.int64)
    request_minute = _office_minute(rng, n)
    pause_days = rng.integers(1, 9, size=n)
    complete_index = request_index + pause_days
    complete_minute = _office_minute(rng, n)
    requested = _epoch(working[np.minimum(request_index, len(working) - 1)], request_minute)
    completed = _epoch(working[np.minimum(complete_index, len(working) - 1)], complete_minute)
    now = province.now
    paused &= requested <= now
    pause_done = paused & (completed <= now)
    paused_minutes = pause_days * 480 + (complete_minute - request_minute)
    moved_index, moved_minute = _add_office(province, due_index, due_minute, paused_minutes)
    due_index = np.where(pause_done, moved_index, due_index)
    due_minute = np.where(pause_done, moved_minute, due_minute)
    original_due = _epoch(working[day_index + days], minute)
    due = _epoch(working[due_index], due_minute)

    # Fate: refused, withdrawn, stopped, never finished, or resolved early / on time / late.
    fate = rng.random(n)
    refused = fate < 0.01
    withdrawn = (fate >= 0.01) & (fate < 0.03)
    stopped = (fate >= 0.03) & (fate < 0.035)
    # 0.035–0.038: never finished (a forgotten dossier, overdue for good).
    resolved = fate >= 0.038
    timing = rng.random(n)
    finish_index = np.where(
        timing < 0.35,
        day_index + (rng.random(n) * np.maximum(due_index - day_index, 1)).astype(np.int64),
        np.where(timing < 0.9, due_index, due_index + rng.integers(1, 11, size=n)),
    )
    finish_minute = np.where(
        (timing >= 0.35) & (timing < 0.9),
        np.maximum(1, (rng.random(n) * due_minute).astype(np.int64)),
        _office_minute(rng, n),
    )
    finish_minute = np.where(finish_minute == 270, 271, finish_minute)
    ended_early = withdrawn | stopped
    finish_index = np.where(ended_early, day_index + rng.integers(0, 6, size=n), finish_index)
    # Never before the pause completed (or while it is open).
    finish_index = np.where(paused, np.maximum(finish_index, complete_index + 1), finish_index)
    finish_index = np.where(finish_index == day_index, day_index + 1, finish_index)
    finished = _epoch(working[np.minimum(finish_index, len(working) - 1)], finish_minute)
    has_finished = (resolved | ended_early) & (finished <= now) & ~(paused & ~pause_done)
    returned_index = finish_index + rng.integers(0, 6, size=n)
    returned = _epoch(working[np.minimum(returned_index, len(working) - 1)], _office_minute(rng, n))
    returned = np.maximum(returned, finished + 60)
    has_returned = resolved & has_finished & (rng.random(n) < 0.97) & (returned <= now)

    status = np.where(
        refused,
        "refused",
        np.where(
            has_finished,
            np.where(
                resolved,
                np.where(has_returned, "returned", "finished"),
                np.where(withdrawn, "withdrawn", "stopped"),
            ),
            np.where(
                paused & ~pause_done,
                "supplement_requested",
                np.where(
                    day_ordinal
                    >= working[
                        np.maximum(np.searchsorted(working, province.end.toordinal()) - 1, 0)
                    ],
                    "received",
                    "processing",
                ),
            ),
        ),
    )
    due = np.where(refused, received, due)
    original_due = np.where(refused, received, original_due)
    has_finished &= ~refused
    has_returned &= ~refused
    paused &= ~refused
    pause_done &= ~refused
    finished_date_epoch = np.where(has_returned, np.minimum(finished, returned), finished)
    finished_date = np.where(
        has_finished & (resolved | ended_early), _dates(finished_date_epoch), "\\N"
    )

    # Codes: <unit code>-<YYMMDD>-<NNNN>, numbered per (unit, local day) in order of receipt.
    key_order = np.lexsort((received, desk, day_ordinal))
    sorted_day, sorted_desk = day_ordinal[key_order], desk[key_order]
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
    unit_code = np.array([province.unit_code[int(pk)] for pk in desk])
    yymmdd = np.array(
        [dt.date.fromordinal(int(o)).strftime("%y%m%d") for o in np.unique(day_ordinal)]
    )
    day_text = yymmdd[np.searchsorted(np.unique(day_ordinal), day_ordinal)]
    code = np.char.add(
        np.char.add(np.char.add(unit_code, "-"), np.char.add(day_text, "-")),
        np.char.zfill(number.astype(str), 4),
    )

    ids = np.arange(first_id, first_id + n)
    names = rng.integers(len(FAMILY) * len(MIDDLE) * len(GIVEN), size=n)
    name_table = np.array([f"{f} {m} {g}" for f in FAMILY for m in MIDDLE for g in GIVEN])
    phone = np.char.add("09", np.char.zfill(rng.integers(0, 10**8, size=n).astype(str), 8))
    id_number = np.char.zfill(rng.integers(0, 10**12, size=n).astype(str), 12)
    received_text = _timestamps(received)
    columns = [
        ids.astype(str),
        code,
        version.astype(str),
        desk.astype(str),
        handling.astype(str),
        channel,
        name_table[names],
        id_number,
        phone,
        np.full(n, ""),
        np.full(n, ""),
        rng.integers(1, 3, size=n).astype(str),
        received_text,
        _timestamps(due),
        _timestamps(original_due),
        np.full(n, "\\N"),
        _nullable(has_finished, _timestamps(finished)),
        _nullable(has_returned, _timestamps(returned)),
        status,
        np.where(after_reform, "2025", "2018"),
        np.where(digitised, "t", "f"),
        _dates(received),
        _dates(due),
        finished_date,
        (has_finished.astype(int) + has_returned + paused + pause_done + transferred).astype(str),
        received_text,
    ]
    text = "\n".join(map("\t".join, zip(*(column.tolist() for column in columns), strict=True)))

    pause_rows = "\n".join(
        f"{dossier}\t{start}\t{end}\tThiếu giấy tờ\tBản sao có chứng thực"
        for dossier, start, end in zip(
            ids[paused].tolist(),
            _timestamps(requested[paused]).tolist(),
            _nullable(pause_done[paused], _timestamps(completed[paused])).tolist(),
            strict=True,
        )
    )
    moved = transferred & ~refused
    transfer_at = received[moved] + 600
    event_rows = "\n".join(
        f"{dossier}\ttransferred\t{source}\t{target}\t{at}\t"
        for dossier, source, target, at in zip(
            ids[moved].tolist(),
            desk[moved].tolist(),
            handling[moved].tolist(),
            _timestamps(transfer_at).tolist(),
            strict=True,
        )
    )
    return text, pause_rows, event_rows, counters


def dossiers_load(province: Province, rng: np.random.Generator, total: int) -> float:
    """Write ``total`` dossiers, a few thousand days' worth at a time; seconds spent."""
    from django.db import connection

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

    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        indexes = _secondary_indexes_drop(raw)
        # Foreign-key checks are triggers fired per row: the generator's keys are right by
        # construction, so the load skips them (superuser only; reset below).
        raw.execute("SET session_replication_role = replica")
        next_id = 1
        for chunk_days, chunk_counts in chunks:
            count = int(chunk_counts.sum())
            if not count:
                continue
            text, pauses, events, counters = chunk_dossiers(
                province, rng, chunk_days, chunk_counts, next_id
            )
            next_id += count
            with raw.copy(
                f"COPY dossiers_dossier ({', '.join(DOSSIER_COLUMNS)}) FROM STDIN"
            ) as copy:
                copy.write(text + "\n")
            if pauses:
                with raw.copy(
                    "COPY dossiers_supplementrequest (dossier_id, requested_at, completed_at, "
                    "reason, missing_documents) FROM STDIN"
                ) as copy:
                    copy.write(pauses + "\n")
            if events:
                with raw.copy(
                    "COPY dossiers_event (dossier_id, kind, from_unit_id, to_unit_id, at, note) "
                    "FROM STDIN"
                ) as copy:
                    copy.write(events + "\n")
            with raw.copy(
                "COPY dossiers_dossiercodecounter (unit_id, day, last) FROM STDIN"
            ) as copy:
                for (unit_id, ordinal), last in counters.items():
                    copy.write_row((unit_id, dt.date.fromordinal(ordinal), last))
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
