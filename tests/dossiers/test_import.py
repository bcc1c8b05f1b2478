"""The all-or-nothing dossier import (DESIGN §4): fields, status, history, codes, due dates,
re-import, every validation error with nothing written, the command, the one signal."""

import csv
import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from dossiers.imports import (
    DOSSIER_OPTIONAL_COLUMNS,
    DOSSIER_REQUIRED_COLUMNS,
    dossiers_import,
    dossiers_import_path,
)
from dossiers.models import (
    Dossier,
    DossierCodeCounter,
    DossierStatus,
    Event,
    EventKind,
    SupplementRequest,
)
from dossiers.services import dossier_receive
from dossiers.signals import dossier_changed
from tests.factories import UnitFactory, local, published_procedure, received_dossier

pytestmark = pytest.mark.django_db

DESK = "001.99.H99"
OFFICE = "000.00.99.H99"
# The file's columns: the code, the required ones, then the dates, the outcome and the flag.
COLUMNS = ["code", *DOSSIER_REQUIRED_COLUMNS, *DOSSIER_OPTIONAL_COLUMNS[1:8]]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    """A commune desk, a district office and one procedure of 3 working days (from 2020)."""
    desk = UnitFactory(code=DESK, name="UBND xã Thử")
    office = UnitFactory(code=OFFICE, name="UBND huyện Thử", level="district")
    version = published_procedure(code="1.000001", processing_time=Decimal("3"))
    return desk, office, version


def row(**values) -> dict:
    fields = {
        "procedure_code": "1.000001",
        "unit_code": DESK,
        "channel": "direct",
        "applicant_name": "Nguyễn Văn An",
        "received_at": "2021-03-01T08:00",
    }
    fields.update(values)
    return fields


def write_csv(path, rows, columns=COLUMNS):
    extra = [name for r in rows for name in r if name not in columns]
    header = columns + list(dict.fromkeys(extra))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def numbered(rows):
    return [(number, {k: str(v) for k, v in r.items()}) for number, r in enumerate(rows, start=2)]


def counts():
    return (
        Dossier.objects.count(),
        Event.objects.count(),
        SupplementRequest.objects.count(),
        list(DossierCodeCounter.objects.order_by("pk").values_list("unit_id", "day", "last")),
    )


GOOD_ROWS = [
    # Row 2: returned, received the afternoon before Tết 2021 (10–16 Feb off).
    row(
        code=f"{DESK}-210209-0042",
        applicant_name="Trần Thị Bình",
        received_at="2021-02-09T16:30",
        finished_at="2021-02-18T10:00",
        returned_at="2021-02-19T09:00",
        outcome="resolved",
        digitised="1",
        applicant_phone="0912345678",
    ),
    # Row 3: open, with a completed supplement pause of 8 office hours; no code.
    row(
        channel="online",
        applicant_name="Lê Văn Cường",
        received_at="2021-03-01T08:00",
        supplement_requested_at="2021-03-02T08:00",
        supplement_completed_at="2021-03-03T08:00",
    ),
    # Row 4: a code of 2021-03-01 that the code-less rows of that day must number after.
    row(code=f"{DESK}-210301-0005", applicant_name="Phạm Thị Dung", received_at="2021-03-01T10:00"),
    # Row 5: paused (not completed) and handed to the district office; no code, earlier.
    row(
        applicant_name="Hoàng Văn Em",
        received_at="2021-03-01T07:30",
        supplement_requested_at="2021-03-01T15:00",
        handling_unit_code=OFFICE,
        transferred_at="2021-03-01T14:00",
    ),
    # Row 6: withdrawn, the time with a UTC offset (10:00 local); due date given.
    row(
        code=f"{DESK}-210302-0001",
        channel="postal",
        applicant_name="Võ Thị Giang",
        received_at="2021-03-02T03:00:00+00:00",
        due_at="2021-03-10T17:00",
        finished_at="2021-03-03T09:00",
        outcome="withdrawn",
    ),
    # Row 7: refused at intake.
    row(
        code=f"{DESK}-210302-0002",
        applicant_name="Đặng Văn Hùng",
        received_at="2021-03-02T11:00",
        outcome="refused",
        note="Thiếu giấy tờ tùy thân",
    ),
]


def test_it_imports_a_csv_with_status_due_dates_and_history(world, tmp_path):
    desk, office, version = world
    path = write_csv(tmp_path / "hoso.csv", GOOD_ROWS)
    result = dossiers_import_path(path=path)
    assert result.errors.lines() == []
    assert (result.created, result.unchanged) == (6, 0)

    returned = Dossier.objects.get(code=f"{DESK}-210209-0042")
    # 16:30–17:00, then 17, 18 Feb and 7.5 h of 19 Feb: Tết is skipped.
    assert returned.due_at == returned.original_due_at == local("2021-02-19 16:30")
    assert (returned.status, returned.digitised, returned.applicant_phone) == (
        DossierStatus.RETURNED,
        True,
        "0912345678",
    )
    assert returned.finished_at == local("2021-02-18 10:00")
    assert returned.returned_at == local("2021-02-19 09:00")
    assert returned.received_date == dt.date(2021, 2, 9)
    assert returned.procedure_version == version
    assert (returned.receiving_unit, returned.handling_unit) == (desk, desk)
    assert [(e.kind, e.at, e.by) for e in returned.events.exclude(kind=EventKind.IMPORTED)] == [
        (EventKind.RECEIVED, local("2021-02-09 16:30"), None),
        (EventKind.FINISHED, local("2021-02-18 10:00"), None),
        (EventKind.RETURNED, local("2021-02-19 09:00"), None),
    ]
    imported = returned.events.get(kind=EventKind.IMPORTED)
    assert imported.note == "Imported from hoso.csv"

    # The code-less rows of 1 March come after the imported 0005, in order of receipt.
    paused = Dossier.objects.get(code=f"{DESK}-210301-0006")
    assert paused.applicant_name == "Hoàng Văn Em"
    assert paused.status == DossierStatus.SUPPLEMENT_REQUESTED
    assert paused.handling_unit == office
    assert paused.due_at == paused.original_due_at == local("2021-03-04 07:30")
    assert [(e.kind, e.from_unit, e.to_unit, e.at) for e in paused.events.all()][:3] == [
        (EventKind.RECEIVED, None, desk, local("2021-03-01 07:30")),
        (EventKind.TRANSFERRED, desk, office, local("2021-03-01 14:00")),
        (EventKind.SUPPLEMENT_REQUESTED, office, None, local("2021-03-01 15:00")),
    ]
    [request] = paused.supplement_requests.all()
    assert (request.requested_at, request.completed_at) == (local("2021-03-01 15:00"), None)

    supplemented = Dossier.objects.get(code=f"{DESK}-210301-0007")
    assert supplemented.applicant_name == "Lê Văn Cường"
    assert supplemented.status == DossierStatus.PROCESSING
    # 3 working days from Mon 08:00 = Thu 08:00; the pause held 8 office hours → Fri 08:00.
    assert supplemented.original_due_at == local("2021-03-04 08:00")
    assert supplemented.due_at == local("2021-03-05 08:00")
    [request] = supplemented.supplement_requests.all()
    assert request.completed_at == local("2021-03-03 08:00")
    assert list(supplemented.events.values_list("kind", flat=True)) == [
        EventKind.RECEIVED,
        EventKind.SUPPLEMENT_REQUESTED,
        EventKind.SUPPLEMENT_COMPLETED,
        EventKind.IMPORTED,
    ]

    withdrawn = Dossier.objects.get(code=f"{DESK}-210302-0001")
    assert withdrawn.status == DossierStatus.WITHDRAWN
    assert withdrawn.received_at == local("2021-03-02 10:00")
    assert withdrawn.due_at == local("2021-03-10 17:00")
    assert withdrawn.original_due_at == local("2021-03-05 10:00")
    assert withdrawn.finished_at == local("2021-03-03 09:00")
    assert withdrawn.events.filter(kind=EventKind.WITHDRAWN).count() == 1

    refused = Dossier.objects.get(code=f"{DESK}-210302-0002")
    assert refused.status == DossierStatus.REFUSED
    assert refused.due_at == refused.original_due_at == refused.received_at
    assert next((e.kind, e.note, e.from_unit) for e in refused.events.all()) == (
        EventKind.REFUSED,
        "Thiếu giấy tờ tùy thân",
        desk,
    )
    assert Event.objects.filter(kind=EventKind.IMPORTED).count() == 6


def test_it_imports_an_xlsx_with_date_time_cells(world, tmp_path):
    from openpyxl import Workbook

    desk, _office, _version = world
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*COLUMNS, "ghi chú lạ"])
    sheet.append(
        [
            f"{DESK}-210209-0001",
            "1.000001",
            DESK,
            "direct",
            "Trần Thị Bình",
            dt.datetime(2021, 2, 9, 16, 30),
            None,
            dt.datetime(2021, 2, 19, 16, 30),
            None,
            "resolved",
            None,
            None,
            1,
            "ignored",
        ]
    )
    path = tmp_path / "hoso.xlsx"
    workbook.save(path)
    result = dossiers_import_path(path=path)
    assert result.errors.lines() == []
    dossier = Dossier.objects.get()
    assert dossier.due_at == dossier.finished_at == local("2021-02-19 16:30")
    assert (dossier.status, dossier.digitised, dossier.receiving_unit) == (
        DossierStatus.FINISHED,
        True,
        desk,
    )


def test_reimporting_the_same_file_changes_nothing(world, tmp_path):
    path = write_csv(tmp_path / "hoso.csv", GOOD_ROWS)
    dossiers_import_path(path=path)
    before = counts()
    result = dossiers_import_path(path=path)
    assert result.errors.lines() == []
    assert (result.created, result.unchanged) == (0, 6)
    assert counts() == before


def test_the_counter_moves_past_imported_codes(world, tmp_path):
    desk, _office, version = world
    write_csv(tmp_path / "hoso.csv", [row(code=f"{DESK}-210301-0041")])
    assert dossiers_import_path(path=tmp_path / "hoso.csv").ok
    dossier = dossier_receive(
        desk=desk,
        procedure_version=version,
        channel="direct",
        applicant={"name": "Lê Thị Mai"},
        received_at=local("2021-03-01 15:00"),
        by=None,
    )
    assert dossier.code == f"{DESK}-210301-0042"


def test_a_second_import_raises_the_counters_the_first_one_wrote(world):
    desk, _office, version = world
    assert dossiers_import(rows=numbered([row(applicant_name="Lê Văn Một")])).ok
    dossier_receive(
        desk=desk,
        procedure_version=version,
        channel="direct",
        applicant={"name": "Lê Thị Hai"},
        received_at=local("2021-03-01 09:00"),
        by=None,
    )
    # The counter of 2021-03-01 exists (last 2): raised to the given 10, then numbered after it.
    result = dossiers_import(
        rows=numbered(
            [
                row(applicant_name="Lê Văn Ba", received_at="2021-03-01T10:00"),
                row(code=f"{DESK}-210301-0010", applicant_name="Lê Văn Bốn"),
                row(applicant_name="Lê Văn Năm", received_at="2021-03-02T08:00"),
            ]
        )
    )
    assert result.ok
    codes = dict(Dossier.objects.values_list("applicant_name", "code"))
    assert codes["Lê Văn Một"] == f"{DESK}-210301-0001"
    assert codes["Lê Thị Hai"] == f"{DESK}-210301-0002"
    assert codes["Lê Văn Ba"] == f"{DESK}-210301-0011"
    assert codes["Lê Văn Năm"] == f"{DESK}-210302-0001"
    assert sorted(DossierCodeCounter.objects.values_list("day", "last")) == [
        (dt.date(2021, 3, 1), 11),
        (dt.date(2021, 3, 2), 1),
    ]


def test_a_codeless_row_of_another_applicant_at_the_same_time_is_a_new_dossier(world):
    assert dossiers_import(rows=numbered([row(applicant_name="Nguyễn Văn An")])).ok
    both = [row(applicant_name="Nguyễn Văn An"), row(applicant_name="Nguyễn Văn Bảo")]
    result = dossiers_import(rows=numbered(both))
    assert (result.ok, result.created, result.unchanged) == (True, 1, 1)
    result = dossiers_import(rows=numbered(both))
    assert (result.ok, result.created, result.unchanged) == (True, 0, 2)
    assert Dossier.objects.count() == 2


def test_a_seven_digit_code_from_an_older_system_is_accepted(world):
    result = dossiers_import(rows=numbered([row(code=f"{DESK}-210301-0001234")]))
    assert result.ok
    assert DossierCodeCounter.objects.get().last == 1234


def test_every_bad_row_is_reported_and_nothing_is_written(world):
    existing = received_dossier(desk=world[0], procedure_version=world[2])
    rows = [
        row(procedure_code="9.999999"),  # 2
        row(received_at="2019-12-31T08:00"),  # 3
        row(unit_code="XA.KHONG.CO"),  # 4
        row(channel="fax"),  # 5
        row(outcome="done"),  # 6
        row(received_at="31/02/2021"),  # 7
        row(outcome="resolved", finished_at="2021-02-26T08:00"),  # 8
        row(outcome="resolved"),  # 9
        row(finished_at="2021-03-02T08:00"),  # 10
        row(outcome="withdrawn", finished_at="2021-03-02T08:00", returned_at="2021-03-03T08:00"),
        row(outcome="refused", finished_at="2021-03-02T08:00"),  # 12
        row(code="ABC"),  # 13
        row(code=f"{DESK}-210301-0009", applicant_name="A"),  # 14
        row(code=f"{DESK}-210301-0009", applicant_name="B"),  # 15
        row(code=existing.code, applicant_name="Người Khác", received_at="2021-03-02T09:00"),
        row(digitised="2"),  # 17
        row(supplement_requested_at="2021-03-02T08:00", supplement_completed_at="2021-03-01T09:00"),
        row(applicant_name=""),  # 19
        row(outcome="resolved", finished_at="2021-03-02T08:00", returned_at="2021-03-01T09:00"),
        row(received_at="2099-01-01T08:00"),  # 21
        row(applicant_name="Đinh Văn Tốt", received_at="2021-03-03T08:00"),  # 22: good
    ]
    before = counts()
    result = dossiers_import(rows=numbered(rows))
    assert result.errors.lines() == [
        "row 2: procedure_code: unknown procedure '9.999999'",
        "row 3: procedure_code: procedure '1.000001' has no version in force on 2019-12-31",
        "row 4: unit_code: unknown unit 'XA.KHONG.CO'",
        "row 5: channel: 'fax' is not one of direct|online|postal",
        "row 6: outcome: 'done' is not one of resolved|withdrawn|refused (blank = still open)",
        "row 7: received_at: '31/02/2021' is not an ISO 8601 date-time such as 2021-02-09T16:30",
        "row 8: finished_at: is before received_at",
        "row 9: finished_at: is required when the outcome is resolved, unless returned_at is "
        "given (then finished = returned)",
        "row 10: finished_at: must be blank while the dossier is open (outcome blank)",
        "row 11: returned_at: only a resolved dossier is returned",
        "row 12: finished_at: must be blank for a dossier refused at intake",
        "row 13: code: 'ABC' is not a dossier code <unit code>-<YYMMDD>-<NNNN>",
        f"row 15: code: '{DESK}-210301-0009' is already on row 14",
        "row 16: code: a dossier with this code already exists with different content: "
        "applicant_name",
        "row 17: digitised: '2' must be 0 or 1",
        "row 18: supplement_completed_at: is before supplement_requested_at",
        "row 19: applicant_name: is required",
        "row 20: returned_at: is before finished_at",
        "row 21: received_at: is in the future",
    ]
    assert (result.created, result.unchanged) == (0, 0)
    assert counts() == before


def test_a_codeless_row_matching_a_changed_dossier_is_an_error(world):
    assert dossiers_import(rows=numbered([row()])).created == 1
    Dossier.objects.update(digitised=True)
    result = dossiers_import(rows=numbered([row()]))
    assert result.errors.lines() == [
        f"row 2: code: matches dossier {DESK}-210301-0001 (same unit, procedure, applicant and "
        "received time) whose content differs: digitised"
    ]


def test_the_command_imports_and_reports(world, tmp_path):
    path = write_csv(tmp_path / "hoso.csv", GOOD_ROWS)
    out = StringIO()
    call_command("import_dossiers", str(path), stdout=out)
    assert out.getvalue().startswith("Dossiers: 6 created, 0 unchanged")
    out = StringIO()
    call_command("import_dossiers", str(path), stdout=out)
    assert out.getvalue().startswith("Dossiers: 0 created, 6 unchanged")


def test_the_command_exits_1_and_prints_every_error(world, tmp_path):
    path = write_csv(
        tmp_path / "hoso.csv",
        [row(), row(channel="fax", applicant_name="B"), row(unit_code="X", applicant_name="C")],
    )
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_dossiers", str(path), stderr=err)
    assert raised.value.returncode == 1
    assert "Nothing was imported: 2 error(s) in 2 row(s)." in str(raised.value)
    assert err.getvalue().splitlines() == [
        "row 3: channel: 'fax' is not one of direct|online|postal",
        "row 4: unit_code: unknown unit 'X'",
    ]
    assert not Dossier.objects.exists()


def test_the_command_exits_1_on_a_missing_column(world, tmp_path):
    path = tmp_path / "hoso.csv"
    path.write_text("procedure_code,unit_code\n1.000001,X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing required column") as raised:
        call_command("import_dossiers", str(path), stderr=StringIO())
    assert raised.value.returncode == 1


def test_one_signal_inside_the_transaction_for_the_whole_import(world):
    desk, office, _version = world
    received = []

    outside = len(connection.savepoint_ids)  # the test's own transaction

    def receiver(sender, **kwargs):
        # Sent before the import commits (its atomic block still open): what a receiver
        # writes commits with it.
        received.append((sender, kwargs, len(connection.savepoint_ids) > outside))

    dossier_changed.connect(receiver, weak=False)
    try:
        dossiers_import(rows=numbered(GOOD_ROWS[:2] + GOOD_ROWS[3:4]))
    finally:
        dossier_changed.disconnect(receiver)
    [(sender, kwargs, in_transaction)] = received
    assert sender is Dossier and in_transaction
    assert kwargs["dossier_id"] is None
    assert kwargs["event_kind"] == "imported"
    assert kwargs["unit_ids"] == frozenset({desk.pk, office.pk})
    assert {dt.date(2021, 2, 9), dt.date(2021, 2, 19), dt.date(2021, 3, 1)} <= kwargs["dates"]
    assert dt.date(2021, 3, 5) in kwargs["dates"]  # the due date after the pause


def test_a_withdrawal_ends_an_open_pause_without_moving_the_due_date(world):
    rows = [
        row(
            code=f"{DESK}-210301-0001",
            supplement_requested_at="2021-03-02T08:00",
            finished_at="2021-03-03T08:00",
            outcome="withdrawn",
        )
    ]
    assert dossiers_import(rows=numbered(rows)).ok
    dossier = Dossier.objects.get()
    # As dossier_withdraw does: the request ends with the dossier, the due date stays.
    assert dossier.due_at == dossier.original_due_at == local("2021-03-04 08:00")
    [request] = dossier.supplement_requests.all()
    assert request.completed_at == local("2021-03-03 08:00")
    assert list(dossier.events.values_list("kind", flat=True)) == [
        EventKind.RECEIVED,
        EventKind.SUPPLEMENT_REQUESTED,
        EventKind.WITHDRAWN,
        EventKind.IMPORTED,
    ]


def test_a_unit_that_no_longer_existed_and_an_unknown_handling_unit_are_errors(world):
    UnitFactory(code="XA.CU", name="UBND xã Cũ", valid_to=dt.date(2020, 12, 31))
    rows = [
        row(unit_code="XA.CU"),
        row(applicant_name="B", handling_unit_code="KHONG.CO"),
        row(applicant_name="C", transferred_at="2021-03-01T09:00"),
    ]
    before = counts()
    result = dossiers_import(rows=numbered(rows))
    assert result.errors.lines() == [
        "row 2: unit_code: UBND xã Cũ ended on 31/12/2020. It cannot receive a dossier on "
        "01/03/2021: give the unit in force that day.",
        "row 3: handling_unit_code: unknown unit 'KHONG.CO'",
        "row 4: transferred_at: needs a handling_unit_code",
    ]
    assert counts() == before
