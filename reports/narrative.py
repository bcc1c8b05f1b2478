"""The Vietnamese narrative of the quarterly report, written from its JSON (DESIGN §4).

A pure function of the report dictionary, no ORM: the same text goes into the JSON, the DOCX
and the dashboard. It is Vietnamese data text, like the figures it describes, and is not
translated (the model is the seed article of the Q1 2021 district meeting).

Writing conventions, chosen to match how a district office writes its quarterly report:

- Numbers use "." between thousands (3.136) and "," for decimals (9,22%); a rate is written as a
  percentage with at most two decimals, trailing zeros dropped (100%, 9,5%).
- A count from 1 to 9 standing before its noun is zero-padded, as official reports do ("01 hồ sơ",
  "cấp tỉnh 05"); fractions (307/3.329) and percentages are not padded.
- The period is always named "Quý I/2021" with its first and last day, whatever the scheme, so the
  cut-off scheme (15/12–14/3) reads as plainly as the calendar one.
- Levels follow the legal regime of the period: before 2025-07-01 district ("UBND huyện") and
  commune ("UBND các xã, thị trấn") levels; from the 2025 reform only province and commune
  ("UBND các xã, phường").
- Nothing is said about what is zero, except the two statements a steering committee looks for:
  "không có hồ sơ giải quyết trễ hạn" when dossiers were resolved, and the digitisation ratio.
  A resolved dossier past its due date is "trễ hạn" (the seed's word); an open one "quá hạn".
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from org.models import is_reformed, levels_in_order, tiers_in_order
from reports.counters import COUNTERS, RATES, with_rates

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}

# Online levels worth a sentence: 1–2 only publish information (Decree 42/2022 names the rest).
ONLINE_LEVEL_NAMES = (
    ("full", "toàn trình"),
    ("partial", "một phần"),
    ("4", "mức độ 4"),
    ("3", "mức độ 3"),
)


def format_number(value: int) -> str:
    """``12345`` → ``"12.345"``: the Vietnamese thousands separator."""
    return f"{value:,}".replace(",", ".")


def format_count(value: int) -> str:
    """A count before its noun: 1–9 zero-padded ("01"), otherwise :func:`format_number`."""
    if 0 < value < 10:
        return f"{value:02d}"
    return format_number(value)


def format_percent(rate: float | None) -> str | None:
    """``0.0922`` → ``"9,22%"``, ``1.0`` → ``"100%"``; None (no denominator) → None."""
    if rate is None:
        return None
    percent = (Decimal(str(rate)) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, _, decimals = f"{percent:f}".partition(".")
    decimals = decimals.rstrip("0")
    text = format_number(int(whole))
    return f"{text},{decimals}%" if decimals else f"{text}%"


def format_date(day: str | dt.date) -> str:
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day:%d/%m/%Y}"


def period_phrase(period: dict) -> str:
    """``"Quý I/2021 (từ ngày 01/01/2021 đến ngày 31/03/2021)"``."""
    quarter = ROMAN_QUARTERS[int(period["quarter"])]
    return (
        f"Quý {quarter}/{period['year']} (từ ngày {format_date(period['start'])} "
        f"đến ngày {format_date(period['end'])})"
    )


def report_narrative(report: dict) -> str:
    """The paragraphs a district secretary would write from ``report`` (DESIGN §4 JSON)."""
    period = report["period"]
    start = dt.date.fromisoformat(str(period["start"]))
    unit_name = report["unit"]["name"]
    procedures = report.get("procedures") or {}
    dossiers = report.get("dossiers") or {}
    total = _counters(dossiers.get("total") or {})
    by_level = {level: _counters(c) for level, c in (dossiers.get("by_level") or {}).items()}
    by_unit = dossiers.get("by_unit") or []

    paragraphs = []
    procedure_text = _procedures_text(procedures, start=start, root_level=_root_level(report))
    if procedure_text:
        paragraphs.append(procedure_text)

    if not total["received_total"] and not total["refused"]:
        paragraphs.append(
            f"{period_phrase(period)}, {unit_name} không tiếp nhận hồ sơ thủ tục hành chính nào."
        )
        return "\n\n".join(paragraphs)

    sentences = _level_sentences(
        by_level, by_unit, procedure_levels=procedures.get("by_level") or {}, start=start
    )
    if not sentences:
        # Counted in the total but not by level (an older report): one sentence for the whole.
        sentences.append(f"{', '.join(_dossier_clauses(total))}.")
    dossier_text = (
        f"Kết quả thực hiện cơ chế một cửa, một cửa liên thông {period_phrase(period)}: "
        + " ".join(sentences)
    )
    rates = _rates_sentence(total, several_levels=len(sentences) > 1)
    if rates:
        dossier_text += " " + rates
    paragraphs.append(dossier_text)

    if total["received_total"]:
        paragraphs.append(
            "Tỷ lệ hồ sơ được cập nhật trên hệ thống một cửa điện tử: "
            f"{format_number(total['digitised'])}/{format_number(total['received_total'])} hồ sơ"
            f" ({format_percent(total['digitisation_ratio'])})."
        )
    return "\n\n".join(paragraphs)


def _level_sentences(
    by_level: dict[str, dict], by_unit: list[dict], *, procedure_levels: dict, start: dt.date
) -> list[str]:
    """One sentence per level of the regime in force on ``start`` that has dossiers, or
    procedures and units but no dossier ("không tiếp nhận hồ sơ nào")."""
    unit_levels = {row.get("level") for row in by_unit}

    def has_sentence(level: str) -> bool:
        counters = by_level[level]
        if counters["received_total"] or counters["refused"]:
            return True
        return bool(procedure_levels.get(level)) and (not by_unit or level in unit_levels)

    levels = [
        level for level in levels_in_order(start) if level in by_level and has_sentence(level)
    ]
    sentences = []
    for index, level in enumerate(levels):
        units = sum(1 for row in by_unit if row.get("level") == level)
        name = _level_name(level, reformed=is_reformed(start), units=units)
        opening = "đối với" if index == 0 else "Đối với"
        sentences.append(f"{opening} {name}, {', '.join(_dossier_clauses(by_level[level]))}.")
    return sentences


def _counters(values: dict) -> dict:
    """Every counter present (missing ones are 0) and the rates, computed when absent."""
    counters = {name: int(values.get(name) or 0) for name in COUNTERS}
    rates = with_rates(counters)
    for name in RATES:
        if name in values:
            rates[name] = values[name]
    return rates


def _root_level(report: dict) -> str | None:
    unit = report["unit"]
    if unit.get("level"):
        return unit["level"]
    for row in (report.get("dossiers") or {}).get("by_unit") or []:
        if row.get("code") == unit.get("code"):
            return row.get("level")
    return None


def _procedures_text(procedures: dict, *, start: dt.date, root_level: str | None) -> str:
    total = int(procedures.get("total") or 0)
    if not total:
        return ""
    by_level = procedures.get("by_level") or {}
    names = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}
    if not is_reformed(start) and root_level == "district":
        # Province procedures counted in a district report are those its desk receives.
        names["province"] = "cấp tỉnh tiếp nhận tại huyện"
    parts = [
        f"{names[level]} {format_count(int(by_level[level]))}"
        for level in tiers_in_order(start)
        if by_level.get(level)
    ]
    text = f"Tổng số thủ tục hành chính đang áp dụng: {format_count(total)} thủ tục"
    if parts:
        text += f" ({', '.join(parts)})"
    text += "."
    online = procedures.get("by_online_level") or {}
    online_parts = [
        f"{format_count(int(online[level]))} thủ tục {name}"
        for level, name in ONLINE_LEVEL_NAMES
        if online.get(level)
    ]
    if online_parts:
        text += f" Dịch vụ công trực tuyến: {', '.join(online_parts)}."
    return text


def _level_name(level: str, *, reformed: bool, units: int) -> str:
    several = units != 1
    if level == "district":
        return "UBND các huyện, thị xã, thành phố" if several else "UBND huyện"
    if level == "commune":
        if not several:
            return "UBND xã"
        return "UBND các xã, phường" if reformed else "UBND các xã, thị trấn"
    if level == "province":
        return "UBND tỉnh"
    if level == "department":
        return "các sở, ban, ngành"
    if level == "centre":
        return "Trung tâm Phục vụ hành chính công"
    return level


def _dossier_clauses(c: dict) -> list[str]:
    """What one level did, as the comma-separated clauses of its sentence."""
    if not c["received_total"] and not c["refused"]:
        return ["không tiếp nhận hồ sơ nào"]
    clauses = []
    if c["received_total"]:
        received = f"tiếp nhận {format_count(c['received_total'])} hồ sơ"
        details = []
        if c["carried_over"]:
            details.append(f"kỳ trước chuyển qua {format_count(c['carried_over'])}")
        if c["received_online"]:
            details.append(f"trực tuyến {format_count(c['received_online'])}")
        if c["received_postal"]:
            details.append(f"qua bưu chính công ích {format_count(c['received_postal'])}")
        if details:
            received += f" ({', '.join(details)})"
        clauses.append(received)
    if c["refused"]:
        clauses.append(f"từ chối tiếp nhận {format_count(c['refused'])} hồ sơ")
    if c["resolved"]:
        clauses.append(f"đã giải quyết {format_count(c['resolved'])} hồ sơ")
        clauses.append(f"tỷ lệ giải quyết đúng hạn đạt {format_percent(c['on_time_rate'])}")
        if c["resolved_late"]:
            clauses.append(f"có {format_count(c['resolved_late'])} hồ sơ giải quyết trễ hạn")
        else:
            clauses.append("không có hồ sơ giải quyết trễ hạn")
    elif c["received_total"]:
        clauses.append("chưa có hồ sơ giải quyết xong")
    within, overdue = c["in_progress_within"], c["in_progress_overdue"]
    if within and overdue:
        clauses.append(
            f"{format_count(c['in_progress'])} hồ sơ đang giải quyết "
            f"(trong hạn {format_count(within)}, quá hạn {format_count(overdue)})"
        )
    elif within:
        clauses.append(f"{format_count(within)} hồ sơ đang giải quyết trong hạn")
    elif overdue:
        clauses.append(f"{format_count(overdue)} hồ sơ đang giải quyết quá hạn")
    if c["paused"]:
        clauses.append(f"trong đó {format_count(c['paused'])} hồ sơ đang chờ bổ sung")
    if c["withdrawn"]:
        clauses.append(f"{format_count(c['withdrawn'])} hồ sơ rút hoặc dừng giải quyết")
    return clauses


def _rates_sentence(total: dict, *, several_levels: bool) -> str:
    progress = format_percent(total["progress_rate"])
    if progress is None:
        return ""
    progress_clause = f"tỷ lệ hồ sơ giải quyết đúng hạn và đang giải quyết trong hạn đạt {progress}"
    on_time = format_percent(total["on_time_rate"])
    if several_levels and on_time is not None:
        return f"Tính chung, tỷ lệ giải quyết đúng hạn đạt {on_time}, {progress_clause}."
    return f"{progress_clause[0].upper()}{progress_clause[1:]}."
