"""Demo catalogue of `make run`: 372 procedures of the seed district in Q1 2021."""

from pathlib import Path

from org.tabular import ImportResult, read_rows
from procedures.imports import procedures_import

DEMO_CATALOGUE = Path(__file__).resolve().parent / "procedures.csv"


def demo_catalogue_load() -> ImportResult:
    """Import procedures.csv (regenerate it with make_catalogue.py). Idempotent."""
    result = procedures_import(rows=read_rows(DEMO_CATALOGUE))
    if not result.ok:
        raise ValueError("\n".join(result.errors.lines()))
    return result
