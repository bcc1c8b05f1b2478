"""The four imports under hostile files: malformed dates, huge strings, NUL bytes, wrong
encodings, formula-injection cells, unknown and duplicate codes.

Whatever the file, the command ends in one of two ways: it imports, or it raises CommandError
(exit status 1) with a message, and then nothing at all was written (rows counted before and
after). Never another exception, never half a file.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers.models import Dossier, Event
from org.models import Unit
from procedures.models import Procedure, ProcedureVersion, Sector

from .hostile import ENCODINGS, HUGE, file_write, hostile_text
from .world import PROCEDURE_CODE, World

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def snapshot() -> tuple:
    return (
        Unit.objects.count(),
        Sector.objects.count(),
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        Dossier.objects.count(),
        Dossier.objects.filter(digitised=True).count(),
        Event.objects.count(),
    )


def run_import(command: str, path: Path) -> bool:
    """True when the command imported; False when it refused the file (and wrote nothing)."""
    before = snapshot()
    try:
        call_command(command, str(path), stdout=_Sink(), stderr=_Sink())
    except CommandError as error:
        assert str(error), "a refusal must say why"
        assert snapshot() == before, f"{command} refused {path.name} but wrote rows"
        return False
    return True


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def unit_row(world: World) -> dict:
    return {
        "code": "009.37.H39",
        "name": "UBND xã Chín",
        "level": "commune",
        "parent_code": world.district.code,
        "valid_from": "2020-01-01",
        "valid_to": "",
    }


def procedure_row() -> dict:
    return {
        "code": "2.000001",
        "name": "Chứng thực bản sao",
        "sector_code": "CT",
        "sector_name": "Chứng thực",
        "level": "commune",
        "online_level": "3",
        "processing_time": "1",
        "processing_unit": "working_days",
        "fee": "2000",
        "decision_date": "2020-01-01",
        "valid_from": "2020-01-01",
    }


def dossier_row(world: World) -> dict:
    return {
        "code": "",
        "procedure_code": PROCEDURE_CODE,
        "unit_code": world.own.unit.code,
        "channel": "direct",
        "applicant_name": "Phạm Thị D",
        "applicant_phone": "0901234567",
        "received_at": "2021-03-03T09:00",
        "due_at": "",
        "finished_at": "",
        "returned_at": "",
        "outcome": "",
        "digitised": "0",
    }


def digitised_row(world: World) -> dict:
    return {"code": world.own.dossier.code, "recorded_at": "2021-03-03"}


ROWS = {
    "import_units": unit_row,
    "import_procedures": lambda world: procedure_row(),
    "import_dossiers": dossier_row,
    "import_digitised": digitised_row,
}


def _mutated(world: World, command: str, data) -> list[dict]:
    base = ROWS[command](world)
    rows = [dict(base)]
    column = data.draw(st.sampled_from(sorted(base)), label="column")
    rows[0][column] = data.draw(hostile_text(), label="value")
    if data.draw(st.booleans(), label="second row"):
        second = dict(base)
        second[data.draw(st.sampled_from(sorted(base)))] = data.draw(hostile_text())
        rows.append(second)
    return rows


@pytest.mark.parametrize("command", sorted(ROWS))
def test_it_imports_or_refuses_a_hostile_cell_cleanly(world: World, command: str):
    @HYPOTHESIS
    @given(data=st.data(), encoding=st.sampled_from(ENCODINGS))
    def check(data, encoding):
        rows = _mutated(world, command, data)
        with tempfile.TemporaryDirectory() as directory:
            run_import(command, file_write(Path(directory), rows, encoding))

    check()


@pytest.mark.parametrize("command", sorted(ROWS))
@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "garbage"])
def test_it_refuses_a_file_in_a_wrong_encoding(world: World, command, encoding, tmp_path):
    rows = [ROWS[command](world)]
    rows[0][next(iter(rows[0]))] = rows[0][next(iter(rows[0]))] + "ễ"
    assert not run_import(command, file_write(tmp_path, rows, encoding))


@pytest.mark.parametrize("command", sorted(ROWS))
def test_it_refuses_a_nul_byte_in_a_csv(world: World, command, tmp_path):
    rows = [ROWS[command](world)]
    first = next(iter(rows[0]))
    rows[0][first] = rows[0][first] + "\x00"
    assert not run_import(command, file_write(tmp_path, rows, "utf-8"))


def test_it_refuses_duplicate_and_unknown_codes_writing_nothing(world: World, tmp_path):
    duplicate = [unit_row(world), unit_row(world)]
    assert not run_import("import_units", file_write(tmp_path, duplicate, "utf-8", "u"))
    orphan = {**unit_row(world), "parent_code": "KHONG-CO"}
    assert not run_import("import_units", file_write(tmp_path, [orphan], "xlsx", "u2"))
    procedures = [procedure_row(), procedure_row()]
    assert not run_import("import_procedures", file_write(tmp_path, procedures, "utf-8", "p"))
    unknown = {**dossier_row(world), "procedure_code": "9.999999"}
    good = dossier_row(world)
    assert not run_import("import_dossiers", file_write(tmp_path, [good, unknown], "xlsx", "d"))
    twice = {**dossier_row(world), "code": world.own.unit.code + "-210303-0001"}
    assert not run_import("import_dossiers", file_write(tmp_path, [twice, twice], "utf-8", "d2"))
    stranger = {"code": "KHONG-CO-210303-0001", "recorded_at": ""}
    assert not run_import("import_digitised", file_write(tmp_path, [stranger], "utf-8", "g"))


def test_it_keeps_a_formula_cell_as_text_never_as_a_formula(world: World, tmp_path):
    injected = '=HYPERLINK("http://evil.example","Bấm")'
    row = {**dossier_row(world), "applicant_name": injected}
    assert run_import("import_dossiers", file_write(tmp_path, [row], "utf-8"))
    assert Dossier.objects.get(applicant_name=injected).receiving_unit == world.own.unit


@pytest.mark.parametrize("command", sorted(ROWS))
@pytest.mark.parametrize("encoding", ["utf-8", "xlsx"])
def test_it_refuses_a_huge_cell_in_any_column(world: World, command, encoding, tmp_path):
    """100,000 characters in each column in turn: a row error, never a database error."""
    base = ROWS[command](world)
    for column in base:
        row = {**base, column: HUGE}
        path = file_write(tmp_path, [row], encoding, name=f"huge-{column}")
        imported = run_import(command, path)
        assert not imported or column in LONG_TEXT_COLUMNS.get(command, set()), column


# Columns whose text has no length limit (TextField): a long value there is legitimate.
LONG_TEXT_COLUMNS: dict[str, set[str]] = {}
