import datetime as dt
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from org.tabular import RowErrors, TabularError, TabularFile, parse_date, read_rows


@pytest.fixture(autouse=True)
def _english():
    # Messages are English source strings; the Vietnamese catalogue must not break the tests.
    with translation.override("en"):
        yield


def write_bytes(tmp_path: Path, content: bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def write_xlsx(tmp_path: Path, rows: dict[int, list], name: str = "data.xlsx") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for number, values in rows.items():
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_it_reads_csv_rows_numbered_like_the_file(tmp_path):
    path = write_bytes(
        tmp_path,
        " Code ,NAME\r\nA, Xã A \r\n\r\n,\r\nB,Xã B\r\n\r\n\r\n".encode(),
    )

    assert list(read_rows(path)) == [
        (2, {"code": "A", "name": "Xã A"}),
        (5, {"code": "B", "name": "Xã B"}),
    ]


def test_it_strips_the_utf8_bom(tmp_path):
    path = write_bytes(tmp_path, "\ufeffcode,name\nA,Phường Hoàn Kiếm\n".encode())

    assert list(read_rows(path, required=["code"])) == [
        (2, {"code": "A", "name": "Phường Hoàn Kiếm"})
    ]


def test_it_reports_a_non_utf8_csv_with_its_row(tmp_path):
    # What Excel's plain "CSV" gives on Windows: an 8-bit code page, not UTF-8.
    path = write_bytes(tmp_path, "code,name\nA,Xa A\nB,Xã B\n".encode("cp1252"))

    with pytest.raises(TabularError, match=r"data\.csv: row 3 is not UTF-8 text"):
        list(read_rows(path))


def test_it_streams_rows_before_reading_the_rest_of_the_file(tmp_path):
    path = write_bytes(tmp_path, b"code\nA\n" + b"B\xff\n" * 10_000)
    rows = read_rows(path)

    assert next(rows) == (2, {"code": "A"})
    with pytest.raises(TabularError, match="row 3 is not UTF-8"):
        next(rows)


def test_it_rejects_an_unknown_extension(tmp_path):
    path = write_bytes(tmp_path, b"code\nA\n", name="units.xls")

    with pytest.raises(TabularError, match=r"units\.xls: unsupported file type '\.xls'"):
        list(read_rows(path))


def test_it_reports_a_missing_file(tmp_path):
    with pytest.raises(TabularError, match=r"missing\.csv: cannot open the file"):
        list(read_rows(tmp_path / "missing.csv"))


def test_it_reports_missing_required_columns_on_open(tmp_path):
    path = write_bytes(tmp_path, b"code,Level\nA,commune\n")

    with pytest.raises(TabularError, match=r"missing required column\(s\): name, parent_code"):
        TabularFile(path, required=["code", "name", "level", "parent_code"]).__enter__()


def test_it_rejects_a_column_named_twice(tmp_path):
    path = write_bytes(tmp_path, b"code,name,CODE\nA,B,C\n")

    with pytest.raises(TabularError, match="column 'code' appears twice"):
        list(read_rows(path))


@pytest.mark.parametrize("content", [b"", b"\n\ncode\nA\n", b",,\n"])
def test_it_requires_the_header_on_row_1(tmp_path, content):
    path = write_bytes(tmp_path, content)

    with pytest.raises(TabularError, match="row 1 must be the header row"):
        list(read_rows(path))


def test_it_reads_semicolon_separated_csv(tmp_path):
    path = write_bytes(tmp_path, "code;name\nA;Xã A, huyện B\n".encode())

    assert list(read_rows(path)) == [(2, {"code": "A", "name": "Xã A, huyện B"})]


def test_it_numbers_a_multiline_record_by_its_first_line(tmp_path):
    path = write_bytes(tmp_path, b'code,note\nA,"two\nlines"\nB,x\n')

    assert list(read_rows(path)) == [
        (2, {"code": "A", "note": "two\nlines"}),
        (4, {"code": "B", "note": "x"}),
    ]


def test_it_pads_short_rows_and_ignores_unnamed_columns(tmp_path):
    path = write_bytes(tmp_path, b"code,,name\nA,junk\nB,junk,Xa B,extra\n")

    assert list(read_rows(path)) == [
        (2, {"code": "A", "name": ""}),
        (3, {"code": "B", "name": "Xa B"}),
    ]


def test_it_reads_xlsx_cells_as_text(tmp_path):
    path = write_xlsx(
        tmp_path,
        {
            1: [" Code", "Valid_From", "received_at", "count", "ratio", "flag", "empty"],
            2: [
                1.000948,
                dt.date(2025, 7, 1),
                dt.datetime(2021, 3, 5, 17, 30),
                12.0,
                2.5,
                True,
                None,
            ],
            3: [
                "  X00070  ",
                dt.datetime(2021, 1, 4),
                dt.datetime(2021, 1, 4, 0, 0, 0),
                7,
                0,
                False,
            ],
        },
    )

    assert list(read_rows(path)) == [
        (
            2,
            {
                "code": "1.000948",
                "valid_from": "2025-07-01",
                "received_at": "2021-03-05T17:30:00",
                "count": "12",
                "ratio": "2.5",
                "flag": "1",
                "empty": "",
            },
        ),
        (
            3,
            {
                "code": "X00070",
                # openpyxl gives a datetime cell a date-and-time format: the time is kept.
                "valid_from": "2021-01-04T00:00:00",
                "received_at": "2021-01-04T00:00:00",
                "count": "7",
                "ratio": "0",
                "flag": "0",
                "empty": "",
            },
        ),
    ]


def test_it_keeps_the_time_of_an_xlsx_datetime_cell_formatted_with_time(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["received_at"])
    sheet.append([dt.datetime(2021, 3, 1, 0, 0)])
    sheet["A2"].number_format = "dd/mm/yyyy hh:mm"
    path = tmp_path / "times.xlsx"
    workbook.save(path)

    assert list(read_rows(path)) == [(2, {"received_at": "2021-03-01T00:00:00"})]


def test_it_numbers_xlsx_rows_like_the_sheet_and_skips_empty_ones(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B1"] = "code", "name"
    sheet["A2"], sheet["B2"] = "A", "Xã A"
    sheet["A5"], sheet["B5"] = "B", "Xã B"
    sheet["A9"].number_format = "0.00"  # a formatted but empty trailing cell
    sheet["B10"] = "   "
    path = tmp_path / "gaps.xlsx"
    workbook.save(path)

    assert list(read_rows(path)) == [
        (2, {"code": "A", "name": "Xã A"}),
        (5, {"code": "B", "name": "Xã B"}),
    ]


def test_it_reads_only_the_first_sheet(tmp_path):
    workbook = Workbook()
    workbook.active.append(["code"])
    workbook.active.append(["first"])
    other = workbook.create_sheet("other")
    other.append(["code"])
    other.append(["second"])
    workbook.active = 1
    path = tmp_path / "sheets.xlsx"
    workbook.save(path)

    assert list(read_rows(path)) == [(2, {"code": "first"})]


def test_it_reports_a_broken_xlsx(tmp_path):
    path = write_bytes(tmp_path, b"code,name\nA,B\n", name="fake.xlsx")

    with pytest.raises(TabularError, match=r"fake\.xlsx: not a readable XLSX workbook"):
        list(read_rows(path))


def test_it_checks_required_columns_in_xlsx(tmp_path):
    path = write_xlsx(tmp_path, {1: ["code"], 2: ["A"]})

    with pytest.raises(TabularError, match=r"missing required column\(s\): name"):
        list(read_rows(path, required=["code", "name"]))


def test_it_formats_row_errors_sorted_by_row():
    errors = RowErrors()
    errors.add(5, "level", "bad")
    errors.add(2, "code", "is required")
    errors.add(5, "code", "also bad")

    assert errors.lines() == [
        "row 2: code: is required",
        "row 5: level: bad",
        "row 5: code: also bad",
    ]
    assert len(errors) == 3
    assert errors.rows() == {2, 5}
    assert not RowErrors()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-07-01", dt.date(2025, 7, 1)),
        (" 2025-07-01 ", dt.date(2025, 7, 1)),
        ("2025-07-01T00:00:00", dt.date(2025, 7, 1)),
        ("01/07/2025", dt.date(2025, 7, 1)),
        ("1/7/2025", dt.date(2025, 7, 1)),
        ("31-12-2020", dt.date(2020, 12, 31)),
        ("29.02.2024", dt.date(2024, 2, 29)),
    ],
)
def test_it_parses_iso_and_day_first_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "2025-13-01", "30/02/2025", "07/01/25", "2025/07/01", "2025-07-01T08:00", "hôm nay"],
)
def test_it_rejects_other_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_it_drops_control_characters_from_cells_and_keeps_tabs_and_newlines(tmp_path):
    path = write_bytes(
        tmp_path,
        'code,name,documents\r\nA,Nguy\x1bễn\x07 Văn\x08 An,"Tờ khai\nGiấy\tphép"\r\n'.encode(),
    )
    assert list(read_rows(path)) == [
        (2, {"code": "A", "name": "Nguyễn Văn An", "documents": "Tờ khai\nGiấy\tphép"})
    ]


def test_it_counts_every_row_error_but_keeps_only_the_first_thousand_messages():
    errors = RowErrors()
    for row in range(2, 100_002):
        errors.add(row, "name", "required")
    assert len(errors) == 100_000
    assert len(errors.rows()) == 100_000
    lines = errors.lines()
    assert len(lines) == RowErrors.KEPT_MAX + 1
    assert lines[0] == "row 2: name: required"
    assert lines[-1] == "… and 99000 more errors (only the first 1000 are listed)."
