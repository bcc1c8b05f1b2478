"""Marking dossiers as recorded in iGate from its export: CSV and XLSX, the ``ma_ho_so`` alias,
re-import, every error with nothing written, ``--unit`` scoping, the command, the one signal
and the quarterly figures it refreshes."""

import datetime as dt
import unicodedata
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from openpyxl import Workbook

from dossiers.digitisation import (
    dossiers_digitised_import,
    dossiers_digitised_import_path,
    header_normalised,
)
from dossiers.models import Dossier, Event
from dossiers.signals import dossier_changed
from org.tabular import TabularError
from reports.quarterly import quarterly_report
from tests.factories import UnitFactory, published_procedure, received_dossier
from tests.steps import refused_at_intake

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    """A district with two communes; three dossiers at commune A (2, 3 and 4 March 2021), one
    at commune B (5 March), one refused at commune A."""
    version = published_procedure(code="1.000001")
    district = UnitFactory(code="000.00.20.H99", level="district")
    commune_a = UnitFactory(code="001.20.H99", parent=district)
    commune_b = UnitFactory(code="002.20.H99", parent=district)
    a = [
        received_dossier(desk=commune_a, received_at=dt.datetime(2021, 3, day, 9, tzinfo=VN))
        for day in (2, 3, 4)
    ]
    b = received_dossier(desk=commune_b, received_at=dt.datetime(2021, 3, 5, 9, tzinfo=VN))
    refused = refused_at_intake(commune_a, version, dt.datetime(2021, 3, 8, 9, tzinfo=VN))
    return {
        "district": district,
        "commune_a": commune_a,
        "commune_b": commune_b,
        "a": a,
        "b": b,
        "refused": refused,
    }


def numbered(rows):
    return list(enumerate(rows, start=2))


def digitised_codes():
    return sorted(Dossier.objects.filter(digitised=True).values_list("code", flat=True))


def versions():
    return dict(Dossier.objects.values_list("code", "version"))


def write_csv(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def write_xlsx(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    workbook.save(path)
    return path


def test_it_codes_the_fixture_as_expected(world):
    # The codes every other test writes by hand.
    assert [d.code for d in world["a"]] == [
        "001.20.H99-210302-0001",
        "001.20.H99-210303-0001",
        "001.20.H99-210304-0001",
    ]
    assert world["b"].code == "002.20.H99-210305-0001"
    assert world["refused"].code == "001.20.H99-210308-0001"
    assert digitised_codes() == []


def test_it_marks_the_dossiers_of_a_csv_and_bumps_their_version(world, tmp_path):
    before = versions()
    events = Event.objects.count()
    path = write_csv(
        tmp_path / "igate.csv",
        [
            "code,recorded_at",
            "001.20.H99-210302-0001,2021-03-02",
            "002.20.H99-210305-0001,2021-03-05T10:30:00",
        ],
    )
    result = dossiers_digitised_import_path(path=path)
    assert result.errors.lines() == []
    assert (result.updated, result.unchanged) == (2, 0)
    assert digitised_codes() == ["001.20.H99-210302-0001", "002.20.H99-210305-0001"]
    after = versions()
    assert after["001.20.H99-210302-0001"] == before["001.20.H99-210302-0001"] + 1
    assert after["002.20.H99-210305-0001"] == before["002.20.H99-210305-0001"] + 1
    assert after["001.20.H99-210303-0001"] == before["001.20.H99-210303-0001"]
    # A reporting flag, not a step: the append-only history is not touched.
    assert Event.objects.count() == events


def test_it_marks_the_dossiers_of_an_xlsx_with_the_ma_ho_so_column(world, tmp_path):
    path = write_xlsx(
        tmp_path / "igate.xlsx",
        [
            ["STT", "Ma_Ho_So", "recorded_at"],
            [1, "001.20.H99-210303-0001", dt.datetime(2021, 3, 3, 10, 0)],
            [2, "001.20.H99-210304-0001", None],
        ],
    )
    result = dossiers_digitised_import_path(path=path)
    assert result.errors.lines() == []
    assert (result.updated, result.unchanged) == (2, 0)
    assert digitised_codes() == ["001.20.H99-210303-0001", "001.20.H99-210304-0001"]


def test_re_importing_changes_nothing(world, tmp_path):
    path = write_csv(
        tmp_path / "igate.csv", ["ma_ho_so", "001.20.H99-210302-0001", "002.20.H99-210305-0001"]
    )
    dossiers_digitised_import_path(path=path)
    before = versions()
    result = dossiers_digitised_import_path(path=path)
    assert (result.updated, result.unchanged) == (0, 2)
    assert versions() == before


def test_a_file_part_new_part_already_marked_counts_both(world):
    dossiers_digitised_import(rows=numbered([{"code": "001.20.H99-210302-0001"}]))
    result = dossiers_digitised_import(
        rows=numbered([{"code": "001.20.H99-210302-0001"}, {"code": "001.20.H99-210303-0001"}])
    )
    assert (result.updated, result.unchanged) == (1, 1)
    assert digitised_codes() == ["001.20.H99-210302-0001", "001.20.H99-210303-0001"]


def test_every_bad_row_is_reported_and_nothing_is_written(world):
    before = versions()
    rows = [
        {"code": "001.20.H99-210302-0001", "recorded_at": ""},  # row 2: good
        {"code": "", "recorded_at": ""},  # row 3
        {"code": "HS-2021-7", "recorded_at": ""},  # row 4
        {"code": "001.20.H99-210302-0001", "recorded_at": ""},  # row 5: same as row 2
        {"code": "001.20.H99-210302-0009", "recorded_at": ""},  # row 6: no such dossier
        {"code": "001.20.H99-210308-0001", "recorded_at": ""},  # row 7: refused
        {"code": "001.20.H99-210303-0001", "recorded_at": "03/03/2021"},  # row 8
        {"code": "001.20.H99-211332-0001", "recorded_at": ""},  # row 9: no 32 Dec 2021
    ]
    result = dossiers_digitised_import(rows=numbered(rows))
    assert result.errors.lines() == [
        "row 3: code: is required",
        "row 4: code: 'HS-2021-7' is not a dossier code <unit code>-<YYMMDD>-<NNNN>",
        "row 5: code: '001.20.H99-210302-0001' is already on row 2",
        "row 6: code: no dossier has the code '001.20.H99-210302-0009'",
        "row 7: code: '001.20.H99-210308-0001' was refused at intake: never received, it is "
        "not counted",
        "row 8: recorded_at: '03/03/2021' is not an ISO 8601 date or date-time such as "
        "2021-03-05T10:30",
        "row 9: code: '001.20.H99-211332-0001' is not a dossier code <unit code>-<YYMMDD>-<NNNN>",
    ]
    assert (result.updated, result.unchanged) == (0, 0)
    assert digitised_codes() == []
    assert versions() == before


def test_errors_name_the_ma_ho_so_column_when_the_file_uses_it(world, tmp_path):
    path = write_csv(tmp_path / "igate.csv", ["ma_ho_so", "001.20.H99-210302-0001", "X-1"])
    result = dossiers_digitised_import_path(path=path)
    assert result.errors.lines() == [
        "row 3: ma_ho_so: 'X-1' is not a dossier code <unit code>-<YYMMDD>-<NNNN>"
    ]
    assert digitised_codes() == []


def test_codes_are_checked_across_chunks(world, monkeypatch):
    # With chunks of 2 the five rows take three queries; errors still land on their rows.
    monkeypatch.setattr("dossiers.digitisation.CHUNK_SIZE", 2)
    rows = [
        {"code": "001.20.H99-210302-0001"},
        {"code": "001.20.H99-210303-0001"},
        {"code": "001.20.H99-210304-0001"},
        {"code": "001.20.H99-210308-0001"},
        {"code": "002.20.H99-210305-0001"},
    ]
    result = dossiers_digitised_import(rows=numbered(rows))
    assert result.errors.lines() == [
        "row 5: code: '001.20.H99-210308-0001' was refused at intake: never received, it is "
        "not counted"
    ]
    result = dossiers_digitised_import(rows=numbered(rows[:3] + rows[4:]))
    assert (result.updated, result.unchanged) == (4, 0)
    assert len(digitised_codes()) == 4


def test_unit_scope_refuses_dossiers_received_elsewhere(world):
    rows = [{"code": "001.20.H99-210302-0001"}, {"code": "002.20.H99-210305-0001"}]
    result = dossiers_digitised_import(rows=numbered(rows), unit=world["commune_a"])
    assert result.errors.lines() == [
        "row 3: code: '002.20.H99-210305-0001' was received by 002.20.H99, outside 001.20.H99"
    ]
    assert digitised_codes() == []


def test_unit_scope_takes_the_whole_subtree(world):
    rows = [{"code": "001.20.H99-210302-0001"}, {"code": "002.20.H99-210305-0001"}]
    result = dossiers_digitised_import(rows=numbered(rows), unit=world["district"])
    assert (result.updated, result.unchanged) == (2, 0)


def test_a_file_without_a_code_column_is_refused(world, tmp_path):
    path = write_csv(tmp_path / "igate.csv", ["Mã thủ tục", "001.20.H99-210302-0001"])
    with pytest.raises(
        TabularError, match=r"missing required column\(s\): code \| ma_ho_so \| so_ho_so"
    ):
        dossiers_digitised_import_path(path=path)


def test_a_file_with_both_code_columns_is_refused(world, tmp_path):
    path = write_csv(
        tmp_path / "igate.csv",
        ["code,ma_ho_so", "001.20.H99-210302-0001,001.20.H99-210302-0001"],
    )
    with pytest.raises(TabularError, match="columns code and ma_ho_so both name the dossier code"):
        dossiers_digitised_import_path(path=path)
    assert digitised_codes() == []


@pytest.mark.parametrize(
    "header, normalised",
    [
        ("Mã hồ sơ", "ma_ho_so"),
        ("MÃ HỒ SƠ", "ma_ho_so"),
        ("  Mã   hồ_sơ ", "ma_ho_so"),
        ("Ma ho so", "ma_ho_so"),
        ("ma-ho-so", "ma_ho_so"),
        ("Số hồ sơ", "so_ho_so"),
        ("SỐ\u00a0HỒ\u00a0SƠ", "so_ho_so"),  # non-breaking spaces, as Excel sometimes keeps
        # Decomposed (NFD) diacritics, as some exports write them.
        (unicodedata.normalize("NFD", "Mã hồ sơ"), "ma_ho_so"),
        ("Đơn vị tiếp nhận", "don_vi_tiep_nhan"),
        ("Recorded at", "recorded_at"),
        ("CODE", "code"),
    ],
)
def test_it_normalises_headers(header, normalised):
    assert header_normalised(header) == normalised


IGATE_HEADERS = ["Mã hồ sơ", "MÃ HỒ SƠ", "Số hồ sơ", "Ma ho so", "SO_HO_SO", " Mã  Hồ  Sơ "]


@pytest.mark.parametrize("header", IGATE_HEADERS)
def test_it_reads_an_igate_csv_with_a_vietnamese_header(world, tmp_path, header):
    path = write_csv(
        tmp_path / "igate.csv",
        [f"STT;{header};Ngày tiếp nhận", "1;001.20.H99-210302-0001;02/03/2021"],
    )
    result = dossiers_digitised_import_path(path=path)
    assert result.errors.lines() == []
    assert (result.updated, result.unchanged) == (1, 0)
    assert digitised_codes() == ["001.20.H99-210302-0001"]


@pytest.mark.parametrize("header", IGATE_HEADERS)
def test_it_reads_an_igate_xlsx_with_a_vietnamese_header(world, tmp_path, header):
    path = write_xlsx(
        tmp_path / "igate.xlsx",
        [
            ["STT", header, "Recorded_At"],
            [1, "001.20.H99-210303-0001", dt.datetime(2021, 3, 3, 10, 0)],
            [2, "002.20.H99-210305-0001", None],
        ],
    )
    result = dossiers_digitised_import_path(path=path)
    assert result.errors.lines() == []
    assert (result.updated, result.unchanged) == (2, 0)
    assert digitised_codes() == ["001.20.H99-210303-0001", "002.20.H99-210305-0001"]


def test_errors_name_the_column_as_the_file_writes_it(world, tmp_path):
    path = write_xlsx(
        tmp_path / "igate.xlsx",
        [["Mã hồ sơ", "Recorded At"], ["X-1", "hôm qua"], ["001.20.H99-210302-0001", None]],
    )
    result = dossiers_digitised_import_path(path=path)
    # The header row's text, lower-cased as every import reads it.
    assert result.errors.lines() == [
        "row 2: mã hồ sơ: 'X-1' is not a dossier code <unit code>-<YYMMDD>-<NNNN>",
        "row 2: recorded at: 'hôm qua' is not an ISO 8601 date or date-time such as "
        "2021-03-05T10:30",
    ]
    assert digitised_codes() == []


@pytest.mark.parametrize(
    "headers",
    [["Mã hồ sơ", "ma_ho_so"], ["Mã hồ sơ", "Số hồ sơ"], ["code", "MA HO SO"]],
)
def test_two_columns_naming_the_code_are_refused_however_written(world, tmp_path, headers):
    path = write_csv(
        tmp_path / "igate.csv",
        [",".join(headers), "001.20.H99-210302-0001,001.20.H99-210302-0001"],
    )
    first, second = (header.lower() for header in headers)
    with pytest.raises(
        TabularError, match=f"columns {first} and {second} both name the dossier code"
    ):
        dossiers_digitised_import_path(path=path)
    assert digitised_codes() == []


def test_two_recorded_at_columns_are_refused(world, tmp_path):
    path = write_csv(
        tmp_path / "igate.csv",
        ["code,Recorded at,recorded_at", "001.20.H99-210302-0001,2021-03-02,2021-03-02"],
    )
    with pytest.raises(TabularError, match="both name recorded_at"):
        dossiers_digitised_import_path(path=path)


def test_the_command_marks_and_reports(world, tmp_path):
    path = write_csv(tmp_path / "igate.csv", ["code", "001.20.H99-210302-0001"])
    out = StringIO()
    call_command("import_digitised", str(path), stdout=out)
    assert out.getvalue().startswith("Digitised: 1 marked, 0 unchanged (")
    out = StringIO()
    call_command("import_digitised", str(path), "--unit", "000.00.20.H99", stdout=out)
    assert out.getvalue().startswith("Digitised: 0 marked, 1 unchanged (")


def test_the_command_exits_1_and_prints_every_error(world, tmp_path):
    path = write_csv(
        tmp_path / "igate.csv",
        ["code", "001.20.H99-210302-0001", "002.20.H99-210305-0001", "nope"],
    )
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_digitised", str(path), "--unit", "001.20.H99", stderr=err)
    assert raised.value.returncode == 1
    assert str(raised.value) == "Nothing was imported: 2 error(s) in 2 row(s)."
    assert err.getvalue().splitlines() == [
        "row 3: code: '002.20.H99-210305-0001' was received by 002.20.H99, outside 001.20.H99",
        "row 4: code: 'nope' is not a dossier code <unit code>-<YYMMDD>-<NNNN>",
    ]
    assert digitised_codes() == []


def test_the_command_exits_1_on_an_unknown_unit_or_a_bad_file(world, tmp_path):
    path = write_csv(tmp_path / "igate.csv", ["code", "001.20.H99-210302-0001"])
    with pytest.raises(CommandError, match="unknown unit 'X'") as raised:
        call_command("import_digitised", str(path), "--unit", "X")
    assert raised.value.returncode == 1
    with pytest.raises(CommandError, match="unsupported file type") as raised:
        call_command("import_digitised", str(tmp_path / "igate.txt"))
    assert raised.value.returncode == 1
    assert digitised_codes() == []


def test_one_signal_inside_the_transaction_with_the_units_and_dates_marked(world):
    dossiers_digitised_import(rows=numbered([{"code": "001.20.H99-210304-0001"}]))
    received = []

    outside = len(connection.savepoint_ids)  # the test's own transaction

    def receiver(sender, **kwargs):
        # Sent before the import commits (its atomic block still open): what a receiver
        # writes commits with it.
        received.append((sender, kwargs, len(connection.savepoint_ids) > outside))

    dossier_changed.connect(receiver, weak=False)
    try:
        rows = [
            {"code": "001.20.H99-210302-0001"},
            {"code": "001.20.H99-210304-0001"},  # already marked: not touched
            {"code": "002.20.H99-210305-0001"},
        ]
        dossiers_digitised_import(rows=numbered(rows))
        dossiers_digitised_import(rows=numbered(rows))  # nothing new to mark: no signal
    finally:
        dossier_changed.disconnect(receiver)
    [(sender, kwargs, in_transaction)] = received
    assert sender is Dossier and in_transaction
    assert kwargs["dossier_id"] is None
    assert kwargs["event_kind"] == "digitised"
    assert kwargs["unit_ids"] == frozenset({world["commune_a"].pk, world["commune_b"].pk})
    assert kwargs["dates"] == frozenset({dt.date(2021, 3, 2), dt.date(2021, 3, 5)})


def test_no_signal_when_nothing_is_written(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = dossiers_digitised_import(
            rows=numbered([{"code": "001.20.H99-210302-0001"}, {"code": "bad"}])
        )
    assert not result.ok
    assert callbacks == []


def test_the_quarterly_figures_follow_the_import(tmp_path, django_capture_on_commit_callbacks):
    unit = UnitFactory(code="003.20.H99")
    for day in (1, 15, 31):
        received_dossier(desk=unit, received_at=dt.datetime(2021, 3, day, 9, tzinfo=VN))

    def figures():
        total = quarterly_report(year=2021, quarter=1, unit=unit)["dossiers"]["total"]
        return total["digitised"], total["received_total"], total["digitisation_ratio"]

    # Computed (and stored as rollups) before the import, so a stale rollup would show.
    assert figures() == (0, 3, 0.0)
    path = write_csv(
        tmp_path / "igate.csv", ["ma_ho_so", "003.20.H99-210301-0001", "003.20.H99-210331-0001"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_digitised", str(path), stdout=StringIO())
    assert figures() == (2, 3, 0.6667)
