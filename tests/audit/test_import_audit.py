"""Every import leaves one audit entry with its actor (issue 17, item 9): the four import
commands with ``--by``, the catalogue upload run as a job; the dossier import's events carry
the actor; an unknown or inactive ``--by`` stops the command before anything is written."""

from __future__ import annotations

import csv
import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from dossiers.models import Dossier, Event, EventKind
from org.models import Unit
from procedures.imports import PROCEDURE_REQUIRED_COLUMNS
from procedures.models import Procedure, ProcedureVersion
from procedures.services import procedure_import_job_create
from tests.factories import VN, UnitFactory, UserFactory, published_procedure, received_dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DESK = "001.99.H99"

UNITS = [
    ["code", "name", "level", "parent_code"],
    ["T75", "Tỉnh Đồng Nai", "province", ""],
    ["X01", "Xã Tân Phú", "commune", "T75"],
]
PROCEDURES = [
    [*PROCEDURE_REQUIRED_COLUMNS, "valid_from"],
    ["1.000948", "Đăng ký khai sinh", "HT", "Hộ tịch", "commune", "4", "3", "working_days",
     "2021-01-01"],
]  # fmt: skip
DOSSIERS = [
    ["procedure_code", "unit_code", "channel", "applicant_name", "received_at"],
    ["1.000001", DESK, "direct", "Nguyễn Văn An", "2021-03-01T08:00"],
    ["1.000001", DESK, "online", "Trần Thị Bình", "2021-03-02T09:30"],
]


@pytest.fixture
def officer():
    return UserFactory(username="nhaplieu")


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def import_entries(model) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action="import", content_type=ContentType.objects.get_for_model(model)
        ).order_by("id")
    )


def run(command: str, *args: str) -> None:
    call_command(command, *args, stdout=StringIO(), stderr=StringIO())


def test_import_units_records_the_import_by_the_given_user(tmp_path, officer):
    path = write_csv(tmp_path / "don-vi.csv", UNITS)

    run("import_units", str(path), "--by", "nhaplieu")

    [entry] = import_entries(Unit)
    assert (entry.actor, entry.actor_name, entry.object_id) == (officer, "nhaplieu", "")
    assert entry.changes == {
        "file": [None, "don-vi.csv"],
        "created": [None, 2],
        "updated": [None, 0],
        "unchanged": [None, 0],
    }
    # Each unit's own entry names the same actor.
    unit_entries = AuditEntry.objects.filter(
        action="create", content_type=ContentType.objects.get_for_model(Unit)
    )
    assert sorted(unit_entries.values_list("actor_name", flat=True)) == ["nhaplieu", "nhaplieu"]


def test_import_units_without_by_records_an_import_by_nobody(tmp_path):
    run("import_units", str(write_csv(tmp_path / "don-vi.csv", UNITS)))

    [entry] = import_entries(Unit)
    assert (entry.actor, entry.actor_name) == (None, "")


def test_a_refused_file_writes_no_import_entry(tmp_path, officer):
    bad = [*UNITS, ["X02", "Xã Lạ", "commune", "KHONG-CO"]]

    with pytest.raises(CommandError):
        run("import_units", str(write_csv(tmp_path / "don-vi.csv", bad)), "--by", "nhaplieu")

    assert Unit.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_import_procedures_records_the_import_and_the_versions_by_the_given_user(tmp_path, officer):
    path = write_csv(tmp_path / "thu-tuc.csv", PROCEDURES)

    run("import_procedures", str(path), "--by", "nhaplieu")

    [entry] = import_entries(Procedure)
    assert entry.actor == officer
    assert entry.changes == {
        "file": [None, "thu-tuc.csv"],
        "created": [None, 1],
        "updated": [None, 0],
        "unchanged": [None, 0],
    }
    version = ProcedureVersion.objects.get(procedure__code="1.000948")
    assert (version.created_by, version.published_by) == (officer, officer)


def test_the_catalogue_upload_job_records_the_uploader(
    tmp_path, officer, django_capture_on_commit_callbacks
):
    content = write_csv(tmp_path / "thu-tuc.csv", PROCEDURES).read_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        job = procedure_import_job_create(
            upload=SimpleUploadedFile("danh-muc.csv", content), by=officer
        )

    job.refresh_from_db()
    assert job.status == "succeeded"
    [entry] = import_entries(Procedure)
    assert entry.actor == officer
    assert entry.changes["file"] == [None, "danh-muc.csv"]
    assert entry.changes["created"] == [None, 1]


def test_import_dossiers_records_the_import_and_its_events_by_the_given_user(tmp_path, officer):
    UnitFactory(code=DESK)
    published_procedure(code="1.000001")
    path = write_csv(tmp_path / "ho-so.csv", DOSSIERS)

    run("import_dossiers", str(path), "--by", "nhaplieu")

    assert Dossier.objects.count() == 2
    events = list(Event.objects.values_list("kind", "by"))
    # Received and imported, for each of the two dossiers.
    assert sorted(events) == sorted(
        [(EventKind.RECEIVED, officer.pk), (EventKind.IMPORTED, officer.pk)] * 2
    )
    [entry] = import_entries(Dossier)
    assert entry.actor == officer
    assert entry.changes == {
        "file": [None, "ho-so.csv"],
        "created": [None, 2],
        "unchanged": [None, 0],
    }


def test_reimporting_the_same_dossiers_is_recorded_as_unchanged(tmp_path, officer):
    UnitFactory(code=DESK)
    published_procedure(code="1.000001")
    path = write_csv(tmp_path / "ho-so.csv", DOSSIERS)
    run("import_dossiers", str(path), "--by", "nhaplieu")

    run("import_dossiers", str(path), "--by", "nhaplieu")

    assert [entry.changes["created"] for entry in import_entries(Dossier)] == [[None, 2], [None, 0]]
    assert import_entries(Dossier)[-1].changes["unchanged"] == [None, 2]
    assert Event.objects.count() == 4


@pytest.fixture
def three_dossiers():
    desk = UnitFactory(code=DESK)
    return [
        received_dossier(desk=desk, received_at=dt.datetime(2021, 3, day, 9, tzinfo=VN))
        for day in (2, 3, 4)
    ]


def test_import_digitised_records_the_codes_it_marked(tmp_path, officer, three_dossiers):
    first, second, third = three_dossiers
    Dossier.objects.filter(pk=third.pk).update(digitised=True)
    rows = [["code"], [first.code], [second.code], [third.code]]

    run("import_digitised", str(write_csv(tmp_path / "igate.csv", rows)), "--by", "nhaplieu")

    [entry] = import_entries(Dossier)
    assert entry.actor == officer
    assert entry.changes == {
        "file": [None, "igate.csv"],
        "updated": [None, 2],
        "unchanged": [None, 1],
        "references": [None, [first.code, second.code]],
        "references_count": [None, 2],
    }
    assert entry.unit is None
    # The version bump that makes an officer's stale form fail its optimistic check.
    assert dict(Dossier.objects.values_list("code", "version")) == {
        first.code: 1,
        second.code: 1,
        third.code: 0,
    }


def test_import_digitised_lists_a_bounded_number_of_codes(
    tmp_path, officer, three_dossiers, monkeypatch
):
    monkeypatch.setattr("audit.services.IMPORT_REFERENCES_MAX", 2)
    monkeypatch.setattr("dossiers.digitisation.IMPORT_REFERENCES_MAX", 2)
    rows = [["code"], *([dossier.code] for dossier in three_dossiers)]

    run("import_digitised", str(write_csv(tmp_path / "igate.csv", rows)), "--by", "nhaplieu")

    [entry] = import_entries(Dossier)
    assert len(entry.changes["references"][1]) == 2
    assert set(entry.changes["references"][1]) < {dossier.code for dossier in three_dossiers}
    assert entry.changes["references_count"] == [None, 3]
    assert entry.changes["updated"] == [None, 3]


def test_import_digitised_names_the_unit_it_was_limited_to(tmp_path, officer, three_dossiers):
    rows = [["code"], [three_dossiers[0].code]]

    run(
        "import_digitised",
        str(write_csv(tmp_path / "igate.csv", rows)),
        "--unit",
        DESK,
        "--by",
        "nhaplieu",
    )

    [entry] = import_entries(Dossier)
    assert entry.unit == Unit.objects.get(code=DESK)


def _world_for(command: str, tmp_path: Path) -> Path:
    """The file each command would import successfully, and what it needs in the database."""
    if command == "import_units":
        return write_csv(tmp_path / "don-vi.csv", UNITS)
    if command == "import_procedures":
        return write_csv(tmp_path / "thu-tuc.csv", PROCEDURES)
    desk = UnitFactory(code=DESK)
    if command == "import_dossiers":
        published_procedure(code="1.000001")
        return write_csv(tmp_path / "ho-so.csv", DOSSIERS)
    dossier = received_dossier(desk=desk)
    return write_csv(tmp_path / "igate.csv", [["code"], [dossier.code]])


def _state() -> tuple:
    return (
        Unit.objects.count(),
        ProcedureVersion.objects.count(),
        Dossier.objects.count(),
        Dossier.objects.filter(digitised=True).count(),
        Event.objects.count(),
        AuditEntry.objects.count(),
    )


COMMANDS = ["import_units", "import_procedures", "import_dossiers", "import_digitised"]


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unknown_by_is_refused_and_nothing_is_written(command, tmp_path):
    path = _world_for(command, tmp_path)
    before = _state()

    with pytest.raises(CommandError) as refused:
        run(command, str(path), "--by", "khongco")

    assert str(refused.value) == "--by: no user is named 'khongco'; nothing was imported."
    assert _state() == before


@pytest.mark.parametrize("command", COMMANDS)
def test_an_inactive_by_is_refused_and_nothing_is_written(command, tmp_path):
    UserFactory(username="danghi", is_active=False)
    path = _world_for(command, tmp_path)
    before = _state()

    with pytest.raises(CommandError) as refused:
        run(command, str(path), "--by", "danghi")

    assert str(refused.value) == "--by: the user 'danghi' is inactive; nothing was imported."
    assert _state() == before


@pytest.mark.parametrize("command", COMMANDS)
def test_every_import_command_records_one_entry_by_the_given_user(command, tmp_path, officer):
    path = _world_for(command, tmp_path)
    before = AuditEntry.objects.filter(action="import").count()

    run(command, str(path), "--by", "nhaplieu")

    entries = AuditEntry.objects.filter(action="import")
    assert entries.count() == before + 1
    assert entries.latest("id").actor == officer
