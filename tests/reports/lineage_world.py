"""A small province across the 2025 reform, for the dashboard's and the report's tests (its
figures are counted by hand in tests/reports/test_dashboard_present.py):

    UBND tỉnh Thử (H98, until 30/06/2025) ──successor──▶ Tỉnh Thử mới (T98, from 01/07/2025)
      UBND xã A (001.H98) ─┐                              Xã Mới (X98001)
      UBND xã B (002.H98) ─┴──────successor─────────────▶ (A and B merged)
      UBND xã C (003.H98) ────────successor─────────────▶ Xã Khác (X98002)
                                                          Trung tâm PVHCC (T98.TTHCC)

Dossiers (received → finished, due 10 days after receipt):
- Q1 2021: A 3 on time; B 1 early and 1 late; C 4 early.
- Q2 2025: A 1 received and finished in May; B 1 received on 20/06, finished 10/07/2025.
- Q3 2025: Xã Mới 2 received in August, finished on time.

Rows are written as an import of history would (no service, no signal): the rollups are what
the tests compute, nothing else.
"""

import datetime as dt

from dossiers.models import Dossier, DossierStatus
from org.models import UnitLevel
from tests.factories import VN, UnitFactory, published_procedure

ENDED = dt.date(2025, 6, 30)
REFORM = dt.date(2025, 7, 1)


def lineage_world() -> dict:
    """The units and dossiers drawn in this module's docstring; returns the units by name."""
    old = UnitFactory(
        code="000.00.00.H98", name="UBND tỉnh Thử", level=UnitLevel.PROVINCE, valid_to=ENDED
    )
    new = UnitFactory(code="T98", name="Tỉnh Thử mới", level=UnitLevel.PROVINCE, valid_from=REFORM)
    old.successors.add(new)
    merged = UnitFactory(code="X98001", name="Xã Mới", parent=new, valid_from=REFORM)
    other = UnitFactory(code="X98002", name="Xã Khác", parent=new, valid_from=REFORM)
    centre = UnitFactory(
        code="T98.TTHCC",
        name="Trung tâm PVHCC tỉnh Thử",
        level=UnitLevel.CENTRE,
        parent=new,
        valid_from=REFORM,
    )
    a = UnitFactory(code="001.H98", name="UBND xã A", parent=old, valid_to=ENDED, successor=merged)
    b = UnitFactory(code="002.H98", name="UBND xã B", parent=old, valid_to=ENDED, successor=merged)
    c = UnitFactory(code="003.H98", name="UBND xã C", parent=old, valid_to=ENDED, successor=other)
    version = published_procedure(valid_from=dt.date(2020, 1, 1))
    units = {"old": old, "new": new, "merged": merged, "other": other, "centre": centre}
    units.update({"a": a, "b": b, "c": c})

    def dossier(unit, received: dt.date, finished: dt.date | None) -> None:
        due = received + dt.timedelta(days=10)
        finished_at = None
        if finished is not None:
            finished_at = dt.datetime.combine(finished, dt.time(10), tzinfo=VN)
        Dossier(
            code=f"{unit.code}-{received:%y%m%d}-{Dossier.objects.count() + 1:04d}",
            procedure_version=version,
            receiving_unit=unit,
            handling_unit=unit,
            channel="direct",
            applicant_name="Nguyễn Văn A",
            received_at=dt.datetime.combine(received, dt.time(9), tzinfo=VN),
            due_at=dt.datetime.combine(due, dt.time(17), tzinfo=VN),
            original_due_at=dt.datetime.combine(due, dt.time(17), tzinfo=VN),
            finished_at=finished_at,
            status=DossierStatus.FINISHED if finished else DossierStatus.PROCESSING,
        ).save()

    for day in (2, 3, 4):
        dossier(a, dt.date(2021, 2, day), dt.date(2021, 2, day + 10))  # on the due date
    dossier(b, dt.date(2021, 2, 2), dt.date(2021, 2, 5))  # early
    dossier(b, dt.date(2021, 2, 3), dt.date(2021, 2, 20))  # late: due 13/02
    for day in (8, 9, 10, 11):
        dossier(c, dt.date(2021, 3, day), dt.date(2021, 3, day + 1))
    dossier(a, dt.date(2025, 5, 5), dt.date(2025, 5, 7))
    dossier(b, dt.date(2025, 6, 20), dt.date(2025, 7, 10))  # due 30/06: late, carried over
    dossier(merged, dt.date(2025, 8, 4), dt.date(2025, 8, 14))
    dossier(merged, dt.date(2025, 8, 5), dt.date(2025, 8, 15))
    return units
