"""The demo catalogue (procedures/demo/procedures.csv) matches the seed article's figures, and
its versions after the 2025 reform (procedures_2025.csv) move the district's procedures to the
commune or the province.

Plain file checks: no database needed.
"""

import csv
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from procedures.demo.make_catalogue import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "procedures" / "demo" / "procedures.csv"
CATALOGUE_2025 = ROOT / "procedures" / "demo" / "procedures_2025.csv"
GENERATOR = ROOT / "procedures" / "demo" / "make_catalogue.py"
UNITS = ROOT / "org" / "demo" / "units.csv"

REQUIRED = [column for column in COLUMNS if column not in ("fee", "fee_description")]
CODE = re.compile(r"^\d\.\d{6}$")
DECISION = re.compile(r"^Quyết định số \d+/QĐ-UBND$")
DOCUMENT = re.compile(r"^[^|;]+\|\d+\|\d+\|\d+$")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def catalogue() -> list[dict[str, str]]:
    header, rows = _read(CATALOGUE)
    assert header == COLUMNS
    return rows


@pytest.fixture(scope="module")
def catalogue_2025() -> list[dict[str, str]]:
    header, rows = _read(CATALOGUE_2025)
    assert header == COLUMNS
    return rows


@pytest.fixture(scope="module")
def units() -> dict[str, str]:
    _, rows = _read(UNITS)
    return {row["code"]: row["level"] for row in rows}


def test_it_has_the_372_procedures_of_the_seed_article(catalogue):
    assert len(catalogue) == 372
    assert Counter(row["level"] for row in catalogue) == {
        "district": 200,
        "commune": 125,
        "province": 47,
    }


def test_codes_are_unique_national_style_codes(catalogue):
    codes = [row["code"] for row in catalogue]
    assert all(CODE.match(code) for code in codes), [c for c in codes if not CODE.match(c)]
    assert len(set(codes)) == len(codes)


def test_names_are_unique(catalogue):
    duplicates = [name for name, n in Counter(r["name"] for r in catalogue).items() if n > 1]
    assert duplicates == []


def test_every_procedure_is_online_at_level_2_3_or_4(catalogue):
    levels = Counter(row["online_level"] for row in catalogue)
    assert set(levels) <= {"2", "3", "4"}
    # "100% at levels 2, 3, 4", with a realistic mix: every level is present.
    assert set(levels) == {"2", "3", "4"}


def test_required_columns_are_filled(catalogue):
    empty = [
        (line, column)
        for line, row in enumerate(catalogue, start=2)
        for column in REQUIRED
        if not row[column].strip()
    ]
    assert empty == []


def test_values_are_well_formed(catalogue):
    for line, row in enumerate(catalogue, start=2):
        where = f"row {line} ({row['name']})"
        assert row["processing_unit"] in {"working_days", "working_hours", "calendar_days"}, where
        assert int(row["processing_time"]) > 0, where
        if row["fee"]:
            assert int(row["fee"]) > 0, where
        assert DECISION.match(row["decision_number"]), where
        decided = date.fromisoformat(row["decision_date"])
        valid_from = date.fromisoformat(row["valid_from"])
        assert date(2019, 1, 1) <= decided <= date(2020, 12, 31), where
        assert decided <= valid_from < date(2021, 1, 1), where
        documents = row["documents"].split(";")
        assert 1 <= len(documents) <= 4, where
        assert all(DOCUMENT.match(document) for document in documents), where


def test_every_unit_code_is_a_demo_unit_at_the_right_level(catalogue, units):
    communes = sorted(code for code, level in units.items() if level == "commune")
    assert len(communes) == 14
    for line, row in enumerate(catalogue, start=2):
        codes = row["implementing_unit_codes"].split(";")
        assert all(code in units for code in codes), f"row {line}: {codes}"
        if row["level"] == "commune":
            assert sorted(codes) == communes, f"row {line}"
        else:
            assert codes == ["000.00.37.H21"], f"row {line}"


@pytest.mark.parametrize(
    "build, path",
    [
        ("m.build_rows()", CATALOGUE),
        ("m.build_rows_2025(m.build_rows())", CATALOGUE_2025),
    ],
)
def test_the_generator_reproduces_the_file_byte_for_byte(tmp_path, build, path):
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        f"import make_catalogue as m; m.write({build}, Path(sys.argv[2]))"
    )
    target = tmp_path / path.name
    subprocess.run(
        [sys.executable, "-c", script, str(GENERATOR.parent), str(target)],
        check=True,
    )
    assert target.read_bytes() == path.read_bytes()


# After the reform of 1 July 2025 ------------------------------------------------------------


def test_it_gives_every_2021_procedure_one_version_from_1_july_2025(catalogue, catalogue_2025):
    assert [row["code"] for row in catalogue_2025] == [row["code"] for row in catalogue]
    assert {row["valid_from"] for row in catalogue_2025} == {"2025-07-01"}
    assert {row["decision_date"] for row in catalogue_2025} == {"2025-06-30"}


def test_it_leaves_no_district_level_procedure(catalogue_2025):
    assert Counter(row["level"] for row in catalogue_2025) == {"province": 211, "commune": 161}


def test_it_lists_no_implementing_unit(catalogue_2025):
    assert {row["implementing_unit_codes"] for row in catalogue_2025} == {""}


def test_it_moves_district_civil_status_certification_and_land_to_the_commune(
    catalogue, catalogue_2025
):
    moved = Counter(
        (before["level"], before["sector_code"], after["level"])
        for before, after in zip(catalogue, catalogue_2025, strict=True)
        if before["level"] != after["level"]
    )
    to_commune = {key: n for key, n in moved.items() if key[2] == "commune"}
    assert to_commune == {
        ("district", "BTP-HT", "commune"): 16,
        ("district", "BTP-CT", "commune"): 10,
        ("district", "TNMT-DD", "commune"): 10,
    }
    assert sum(n for key, n in moved.items() if key[2] == "province") == 200 - 36
    assert {key[0] for key in moved} == {"district"}


def test_it_keeps_the_commune_and_province_levels(catalogue, catalogue_2025):
    for before, after in zip(catalogue, catalogue_2025, strict=True):
        if before["level"] != "district":
            assert after["level"] == before["level"], before["code"]


def test_it_changes_only_level_online_level_names_legal_basis_and_decision(
    catalogue, catalogue_2025
):
    kept = ("code", "sector_code", "sector_name", "processing_time", "processing_unit", "fee")
    kept += ("fee_description", "result", "documents")
    for before, after in zip(catalogue, catalogue_2025, strict=True):
        assert {c: after[c] for c in kept} == {c: before[c] for c in kept}
        assert after["legal_basis"].startswith(before["legal_basis"])
        assert DECISION.match(after["decision_number"])


def test_it_names_the_new_level_instead_of_the_district(catalogue_2025):
    assert not [row["name"] for row in catalogue_2025 if "cấp huyện" in row["name"]]
    names = Counter(row["name"] for row in catalogue_2025)
    assert [name for name, n in names.items() if n > 1] == []


def test_it_uses_the_online_levels_of_decree_42_2022(catalogue, catalogue_2025):
    for before, after in zip(catalogue, catalogue_2025, strict=True):
        assert after["online_level"] == ("full" if before["online_level"] == "4" else "partial")


def test_it_cites_decree_120_2025_for_the_justice_sector(catalogue_2025):
    justice = {"BTP-HT", "BTP-CT", "BTP-NCN", "BTP-HGCS", "BTP-BTNN"}
    for row in catalogue_2025:
        cites = "Nghị định 120/2025/NĐ-CP" in row["legal_basis"]
        assert cites == (row["sector_code"] in justice), row["code"]
