"""The generated Vietnamese narrative of the quarterly report (reports/narrative.py): the seed
article's figures, number and rate formatting, zero cases and the 2025 levels.

Report dictionaries are written by hand, rates included, as the report JSON carries them."""

import pytest

from reports.counters import COUNTERS, RATES
from reports.narrative import format_count, format_number, format_percent, report_narrative

Q1_2021 = {
    "year": 2021,
    "quarter": 1,
    "scheme": "calendar",
    "start": "2021-01-01",
    "end": "2021-03-31",
}
Q4_2025 = {
    "year": 2025,
    "quarter": 4,
    "scheme": "calendar",
    "start": "2025-10-01",
    "end": "2025-12-31",
}


def counters(**values) -> dict:
    """Every counter at 0 and every rate None unless given."""
    row = dict.fromkeys(COUNTERS, 0)
    row.update(dict.fromkeys(RATES))
    row.update(values)
    return row


DISTRICT = counters(
    received_direct=193,
    received_in_period=193,
    received_total=193,
    resolved=193,
    resolved_early=150,
    resolved_on_time=43,
    digitised=100,
    on_time_rate=1.0,
    progress_rate=1.0,
    digitisation_ratio=0.5181,
)
COMMUNES = counters(
    received_direct=3136,
    received_in_period=3136,
    received_total=3136,
    resolved=3135,
    resolved_early=3000,
    resolved_on_time=135,
    in_progress=1,
    in_progress_within=1,
    digitised=207,
    on_time_rate=1.0,
    progress_rate=1.0,
    digitisation_ratio=0.066,
)
SEED_TOTAL = counters(
    received_direct=3329,
    received_in_period=3329,
    received_total=3329,
    resolved=3328,
    resolved_early=3150,
    resolved_on_time=178,
    in_progress=1,
    in_progress_within=1,
    digitised=307,
    on_time_rate=1.0,
    progress_rate=1.0,
    digitisation_ratio=0.0922,
)


def seed_report() -> dict:
    return {
        "period": Q1_2021,
        "unit": {"code": "000.00.12.H30", "name": "Huyện Krông Pa"},
        "procedures": {
            "total": 372,
            "by_level": {"district": 200, "commune": 125, "province": 47},
            "by_online_level": {"2": 300, "3": 60, "4": 12},
        },
        "dossiers": {
            "total": SEED_TOTAL,
            "by_level": {"district": DISTRICT, "commune": COMMUNES},
            "by_unit": [
                {"code": "000.00.12.H30", "name": "UBND huyện Krông Pa", "level": "district"}
                | DISTRICT,
                {"code": "000.12.30.H30", "name": "UBND xã Ia Mlah", "level": "commune"} | COMMUNES,
                {"code": "000.13.30.H30", "name": "UBND xã Chư Drăng", "level": "commune"}
                | counters(),
            ],
        },
    }


def test_it_writes_the_seed_article_figures():
    assert report_narrative(seed_report()) == (
        "Tổng số thủ tục hành chính đang áp dụng: 372 thủ tục (cấp huyện 200, cấp xã 125, "
        "cấp tỉnh tiếp nhận tại huyện 47). Dịch vụ công trực tuyến: 12 thủ tục mức độ 4, "
        "60 thủ tục mức độ 3."
        "\n\n"
        "Kết quả thực hiện cơ chế một cửa, một cửa liên thông Quý I/2021 (từ ngày 01/01/2021 "
        "đến ngày 31/03/2021): đối với UBND huyện, tiếp nhận 193 hồ sơ, đã giải quyết 193 hồ "
        "sơ, tỷ lệ giải quyết đúng hạn đạt 100%, không có hồ sơ giải quyết trễ hạn. "
        "Đối với UBND các xã, thị trấn, tiếp nhận 3.136 hồ sơ, đã giải quyết 3.135 hồ sơ, "
        "tỷ lệ giải quyết đúng hạn đạt 100%, không có hồ sơ giải quyết trễ hạn, 01 hồ sơ đang "
        "giải quyết trong hạn. Tính chung, tỷ lệ giải quyết đúng hạn đạt 100%, tỷ lệ hồ sơ "
        "giải quyết đúng hạn và đang giải quyết trong hạn đạt 100%."
        "\n\n"
        "Tỷ lệ hồ sơ được cập nhật trên hệ thống một cửa điện tử: 307/3.329 hồ sơ (9,22%)."
    )


@pytest.mark.parametrize(
    "value, text",
    [
        (0, "0"),
        (1, "1"),
        (999, "999"),
        (1000, "1.000"),
        (12345, "12.345"),
        (1234567, "1.234.567"),
    ],
)
def test_it_separates_thousands_with_a_dot(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    "value, text", [(0, "0"), (1, "01"), (5, "05"), (9, "09"), (10, "10"), (3136, "3.136")]
)
def test_it_zero_pads_counts_below_ten(value, text):
    assert format_count(value) == text


@pytest.mark.parametrize(
    "rate, text",
    [
        (None, None),
        (0.0, "0%"),
        (0.0922, "9,22%"),
        (0.095, "9,5%"),
        (0.5, "50%"),
        (0.9997, "99,97%"),
        (1.0, "100%"),
    ],
)
def test_it_writes_rates_with_a_decimal_comma(rate, text):
    assert format_percent(rate) == text


def commune_report(row: dict, *, procedures: int = 0) -> dict:
    """A report of one commune whose dossiers are ``row``."""
    return {
        "period": Q1_2021,
        "unit": {"code": "000.12.30.H30", "name": "UBND xã Ia Mlah"},
        "procedures": {
            "total": procedures,
            "by_level": {"commune": procedures} if procedures else {},
            "by_online_level": {},
        },
        "dossiers": {
            "total": row,
            "by_level": {"commune": row},
            "by_unit": [
                {"code": "000.12.30.H30", "name": "UBND xã Ia Mlah", "level": "commune", **row}
            ],
        },
    }


def test_it_mentions_late_overdue_paused_withdrawn_and_carried_over_when_not_zero():
    row = counters(
        received_online=4,
        received_direct=10,
        received_postal=1,
        received_in_period=15,
        carried_over=5,
        received_total=20,
        resolved=12,
        resolved_early=2,
        resolved_on_time=5,
        resolved_late=5,
        in_progress=6,
        in_progress_within=2,
        in_progress_overdue=4,
        paused=1,
        withdrawn=2,
        refused=3,
        digitised=0,
        on_time_rate=0.5833,
        progress_rate=0.45,
        digitisation_ratio=0.0,
    )
    assert report_narrative(commune_report(row)) == (
        "Kết quả thực hiện cơ chế một cửa, một cửa liên thông Quý I/2021 (từ ngày 01/01/2021 "
        "đến ngày 31/03/2021): đối với UBND xã, tiếp nhận 20 hồ sơ (kỳ trước chuyển qua 05, "
        "trực tuyến 04, qua bưu chính công ích 01), từ chối tiếp nhận 03 hồ sơ, đã giải quyết "
        "12 hồ sơ, tỷ lệ giải quyết đúng hạn đạt 58,33%, có 05 hồ sơ giải quyết trễ hạn, "
        "06 hồ sơ đang giải quyết (trong hạn 02, quá hạn 04), trong đó 01 hồ sơ đang chờ bổ "
        "sung, 02 hồ sơ rút hoặc dừng giải quyết. Tỷ lệ hồ sơ giải quyết đúng hạn và đang giải "
        "quyết trong hạn đạt 45%."
        "\n\n"
        "Tỷ lệ hồ sơ được cập nhật trên hệ thống một cửa điện tử: 0/20 hồ sơ (0%)."
    )


def test_it_says_nothing_resolved_yet_and_only_overdue_when_nothing_is_within():
    row = counters(
        received_direct=1,
        received_in_period=1,
        received_total=1,
        in_progress=1,
        in_progress_overdue=1,
        digitised=1,
        progress_rate=0.0,
        digitisation_ratio=1.0,
    )
    assert report_narrative(commune_report(row)) == (
        "Kết quả thực hiện cơ chế một cửa, một cửa liên thông Quý I/2021 (từ ngày 01/01/2021 "
        "đến ngày 31/03/2021): đối với UBND xã, tiếp nhận 01 hồ sơ, chưa có hồ sơ giải quyết "
        "xong, 01 hồ sơ đang giải quyết quá hạn. Tỷ lệ hồ sơ giải quyết đúng hạn và đang giải "
        "quyết trong hạn đạt 0%."
        "\n\n"
        "Tỷ lệ hồ sơ được cập nhật trên hệ thống một cửa điện tử: 1/1 hồ sơ (100%)."
    )


def test_an_empty_report_is_one_sentence():
    assert report_narrative(commune_report(counters())) == (
        "Quý I/2021 (từ ngày 01/01/2021 đến ngày 31/03/2021), UBND xã Ia Mlah không tiếp nhận "
        "hồ sơ thủ tục hành chính nào."
    )


def test_a_report_without_dossiers_still_counts_the_procedures():
    assert report_narrative(commune_report(counters(), procedures=7)) == (
        "Tổng số thủ tục hành chính đang áp dụng: 07 thủ tục (cấp xã 07)."
        "\n\n"
        "Quý I/2021 (từ ngày 01/01/2021 đến ngày 31/03/2021), UBND xã Ia Mlah không tiếp nhận "
        "hồ sơ thủ tục hành chính nào."
    )


def test_a_level_with_procedures_and_units_but_no_dossier_says_so():
    report = seed_report()
    report["dossiers"]["by_level"]["commune"] = counters()
    report["dossiers"]["by_unit"] = [
        report["dossiers"]["by_unit"][0],
        {"code": "000.12.30.H30", "name": "UBND xã Ia Mlah", "level": "commune", **counters()},
    ]
    report["dossiers"]["total"] = DISTRICT
    text = report_narrative(report).split("\n\n")[1]
    assert text == (
        "Kết quả thực hiện cơ chế một cửa, một cửa liên thông Quý I/2021 (từ ngày 01/01/2021 "
        "đến ngày 31/03/2021): đối với UBND huyện, tiếp nhận 193 hồ sơ, đã giải quyết 193 hồ "
        "sơ, tỷ lệ giải quyết đúng hạn đạt 100%, không có hồ sơ giải quyết trễ hạn. "
        "Đối với UBND xã, không tiếp nhận hồ sơ nào. Tính chung, tỷ lệ giải quyết đúng hạn "
        "đạt 100%, tỷ lệ hồ sơ giải quyết đúng hạn và đang giải quyết trong hạn đạt 100%."
    )


def test_a_level_without_dossiers_and_without_procedures_has_no_sentence():
    report = seed_report()
    report["procedures"]["by_level"] = {"district": 247}
    report["dossiers"]["by_level"]["commune"] = counters()
    report["dossiers"]["total"] = DISTRICT
    text = report_narrative(report)
    assert "xã" not in text
    assert "cấp tỉnh" not in text
    assert "đối với UBND huyện, tiếp nhận 193 hồ sơ" in text


def test_a_2025_report_has_province_and_commune_levels_only():
    province = counters(
        received_online=1200,
        received_direct=800,
        received_in_period=2000,
        received_total=2000,
        resolved=1990,
        resolved_early=1900,
        resolved_on_time=80,
        resolved_late=10,
        in_progress=10,
        in_progress_within=10,
        digitised=2000,
        on_time_rate=0.995,
        progress_rate=0.995,
        digitisation_ratio=1.0,
    )
    communes = counters(
        received_online=500,
        received_direct=11845,
        received_in_period=12345,
        received_total=12345,
        resolved=12345,
        resolved_on_time=12345,
        digitised=12345,
        on_time_rate=1.0,
        progress_rate=1.0,
        digitisation_ratio=1.0,
    )
    total = counters(
        received_online=1700,
        received_direct=12645,
        received_in_period=14345,
        received_total=14345,
        resolved=14335,
        resolved_early=1900,
        resolved_on_time=12425,
        resolved_late=10,
        in_progress=10,
        in_progress_within=10,
        digitised=14345,
        on_time_rate=0.9993,
        progress_rate=0.9993,
        digitisation_ratio=1.0,
    )
    report = {
        "period": Q4_2025,
        "unit": {"code": "000.00.00.H30", "name": "Tỉnh Gia Lai"},
        "procedures": {
            "total": 1234,
            "by_level": {"province": 1000, "commune": 234},
            "by_online_level": {"full": 600, "partial": 400},
        },
        "dossiers": {
            "total": total,
            "by_level": {"commune": communes, "province": province},
            "by_unit": [
                {"code": "000.00.00.H30", "name": "UBND tỉnh Gia Lai", "level": "province"}
                | province,
                {"code": "000.00.31.H30", "name": "UBND xã Ia Mlah", "level": "commune"} | communes,
                {"code": "000.00.32.H30", "name": "UBND phường Ayun Pa", "level": "commune"}
                | counters(),
            ],
        },
    }
    assert report_narrative(report) == (
        "Tổng số thủ tục hành chính đang áp dụng: 1.234 thủ tục (cấp tỉnh 1.000, cấp xã 234). "
        "Dịch vụ công trực tuyến: 600 thủ tục toàn trình, 400 thủ tục một phần."
        "\n\n"
        "Kết quả thực hiện cơ chế một cửa, một cửa liên thông Quý IV/2025 (từ ngày 01/10/2025 "
        "đến ngày 31/12/2025): đối với UBND tỉnh, tiếp nhận 2.000 hồ sơ (trực tuyến 1.200), "
        "đã giải quyết 1.990 hồ sơ, tỷ lệ giải quyết đúng hạn đạt 99,5%, có 10 hồ sơ giải quyết "
        "trễ hạn, 10 hồ sơ đang giải quyết trong hạn. Đối với UBND các xã, phường, tiếp nhận "
        "12.345 hồ sơ (trực tuyến 500), đã giải quyết 12.345 hồ sơ, tỷ lệ giải quyết đúng hạn "
        "đạt 100%, không có hồ sơ giải quyết trễ hạn. Tính chung, tỷ lệ giải quyết đúng hạn "
        "đạt 99,93%, tỷ lệ hồ sơ giải quyết đúng hạn và đang giải quyết trong hạn đạt 99,93%."
        "\n\n"
        "Tỷ lệ hồ sơ được cập nhật trên hệ thống một cửa điện tử: 14.345/14.345 hồ sơ (100%)."
    )


def test_the_cutoff_scheme_names_its_own_days():
    report = seed_report()
    report["period"] = Q1_2021 | {"scheme": "cutoff", "start": "2020-12-15", "end": "2021-03-14"}
    assert "Quý I/2021 (từ ngày 15/12/2020 đến ngày 14/03/2021)" in report_narrative(report)


def test_missing_rates_are_computed_from_the_counters():
    row = counters(received_direct=3, received_in_period=3, received_total=3, resolved=3)
    row["resolved_on_time"] = 2
    row["resolved_late"] = 1
    row["digitised"] = 1
    for name in ("on_time_rate", "progress_rate", "digitisation_ratio"):
        del row[name]
    text = report_narrative(commune_report(row))
    assert "tỷ lệ giải quyết đúng hạn đạt 66,67%, có 01 hồ sơ giải quyết trễ hạn" in text
    assert "1/3 hồ sơ (33,33%)" in text
