"""Marking dossiers as recorded in the electronic one-stop system (iGate) from its export.

``manage.py import_digitised FILE [--unit CODE]`` reads a CSV or XLSX file with a header row
(:mod:`org.tabular`) and sets :attr:`Dossier.digitised` on the dossiers it lists, the figure
behind ``digitised`` and ``digitisation_ratio`` (DESIGN §3). Columns: ``code`` (the portal's
dossier code; ``ma_ho_so`` or ``so_ho_so``, the iGate export's names, are accepted instead) and
``recorded_at`` (optional, an ISO 8601 date or date-time, checked but not stored).

Headers are matched after :func:`header_normalised`: diacritics dropped (``đ`` → ``d``), lower
case, runs of spaces, underscores and hyphens made one ``_``; so the iGate export's
"Mã hồ sơ", "MÃ HỒ SƠ", "Ma ho so" or "Số hồ sơ" name the code column, as ``ma_ho_so`` does.
Errors name the column as the file's header writes it (lower-cased).

It follows the import contract (DESIGN §4): every row is checked before anything is written;
one bad row and nothing is written, every error reported as ``row N: column: message``. A row
is bad when its code is blank, malformed (:func:`dossiers.codes.dossier_code_parse`), already on
an earlier row, unknown, the code of a dossier refused at intake (never received, so never
counted), or, with ``unit``, of a dossier received outside that unit's subtree. Re-importing
changes nothing: dossiers already digitised are "unchanged".

Choices written down here because the design is silent:

- **No event.** ``digitised`` is a reporting flag, not a step of the dossier's processing: the
  append-only :class:`~dossiers.models.Event` log records steps (phiếu kiểm soát), so no event is
  added. The flag only ever goes from false to true, and the row's ``version`` is bumped so an
  officer's edit that read the dossier before the import fails its optimistic lock rather than
  writing back an older state.
- **Audit.** One ``import`` entry for the whole file, by ``by`` (the command's ``--by``),
  written in the marks' transaction: the file name, the counts, and the codes of the dossiers
  it marked (the first :data:`audit.services.IMPORT_REFERENCES_MAX`, with their number). One
  entry per dossier would write a million rows for a year's export and say nothing more.
- **Signal.** One ``dossier_changed`` inside the transaction (the stale-rollup marks commit
  with the import) for the whole import, ``dossier_id=None``,
  ``event_kind="digitised"`` (not an :class:`EventKind`: no step was recorded, and no applicant
  is notified), ``unit_ids`` the receiving units of the dossiers marked and ``dates`` their
  received dates: the counter is one of ``received_total``, which runs from the received date
  on. Nothing is sent when nothing was marked.
- **Both columns.** A file with two columns that name the code (``code`` and ``ma_ho_so``, or
  "Mã hồ sơ" and "Ma_ho_so") is refused as a whole: which one holds the portal's code would be
  a guess.
- **Speed and memory.** The file is read lazily and the codes are checked in chunks of 2,000,
  one query each; what is held is the codes seen (for the duplicate check) and the ids to mark,
  never the rows. The marks are written in one transaction by chunked bulk ``UPDATE``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from audit.services import IMPORT_REFERENCES_MAX, import_audit_record
from org.models import Unit
from org.tabular import (
    FirstRows,
    ImportResult,
    NumberedRow,
    RowCheck,
    RowErrors,
    TabularError,
    TabularFile,
    required_message,
)

from .codes import dossier_code_parse
from .models import Dossier, DossierStatus
from .signals import dossier_changed

DIGITISED_CODE_COLUMNS = ("code", "ma_ho_so", "so_ho_so")
DIGITISED_OPTIONAL_COLUMNS = ("recorded_at",)
# The ``event_kind`` of the signal sent after a digitisation import.
DIGITISED_EVENT_KIND = "digitised"

CHUNK_SIZE = 2000


@dataclass
class _Marks:
    """What the checks found: the dossiers to mark and what their marking touches."""

    ids: list[int] = field(default_factory=list)
    unit_ids: set[int] = field(default_factory=set)
    dates: set[dt.date] = field(default_factory=set)
    unchanged: int = 0


_SEPARATORS = re.compile(r"[\s_\-]+")


@functools.lru_cache(maxsize=256)
def header_normalised(name: str) -> str:
    """A header as the import matches it: ``"MÃ HỒ SƠ"``, ``"Mã  hồ sơ"``, ``"Ma_Ho_So"`` →
    ``"ma_ho_so"``; ``"Đơn vị"`` → ``"don_vi"``."""
    text = name.replace("đ", "d").replace("Đ", "D")
    text = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    return _SEPARATORS.sub("_", text.lower()).strip("_")


def dossiers_digitised_import_path(
    *, path: str | Path, unit: Unit | None = None, by: AbstractBaseUser | None = None
) -> ImportResult:
    """Import a CSV or XLSX file; a file that cannot be read raises ``TabularError``."""
    with TabularFile(path) as table:
        headers: dict[str, str] = {}  # normalised name → the file's header
        codes: list[str] = []  # the file's headers that name the dossier code
        for column in table.columns:
            name = header_normalised(column)
            if name in DIGITISED_CODE_COLUMNS:
                codes.append(column)
            elif name in DIGITISED_OPTIONAL_COLUMNS and name in headers:
                raise TabularError(
                    _("%(file)s: columns %(first)s and %(second)s both name %(name)s; keep one")
                    % {
                        "file": table.path.name,
                        "first": headers[name],
                        "second": column,
                        "name": name,
                    }
                )
            headers.setdefault(name, column)
        if not codes:
            raise TabularError(
                _("%(file)s: missing required column(s): %(columns)s")
                % {"file": table.path.name, "columns": " | ".join(DIGITISED_CODE_COLUMNS)}
            )
        if len(codes) > 1:
            raise TabularError(
                _("%(file)s: columns %(first)s and %(second)s both name the dossier code; keep one")
                % {"file": table.path.name, "first": codes[0], "second": codes[1]}
            )
        return dossiers_digitised_import(
            rows=table, unit=unit, labels=headers, by=by, source=table.path.name
        )


def dossiers_digitised_import(
    *,
    rows: Iterable[NumberedRow],
    unit: Unit | None = None,
    labels: Mapping[str, str] | None = None,
    by: AbstractBaseUser | None = None,
    source: str = "",
) -> ImportResult:
    """Mark the dossiers of ``(row_number, {column: text})`` rows as digitised; see the module
    docstring. ``unit`` limits the file to dossiers received in that unit's subtree. Columns are
    matched by :func:`header_normalised`; ``labels`` maps a normalised name to the header the
    errors should name (default: the normalised name). ``by`` and ``source`` (the file name)
    go into the import's audit entry.

    ``updated`` counts the dossiers marked, ``unchanged`` those already digitised.
    """
    labels = labels or {}
    errors = RowErrors()
    marks = _Marks()
    first_rows = FirstRows()
    pending: list[tuple[int, str, str]] = []
    for number, given in rows:
        raw = {header_normalised(name): value for name, value in given.items()}
        check = RowCheck(errors, number, raw)
        code_check = _row_check(check=check, labels=labels, first_rows=first_rows)
        if code_check is not None:
            pending.append(code_check)
        if len(pending) >= CHUNK_SIZE:
            _chunk_check(pending=pending, unit=unit, marks=marks, errors=errors)
            pending = []
    _chunk_check(pending=pending, unit=unit, marks=marks, errors=errors)
    if errors:
        return ImportResult(errors=errors)
    return _marks_save(marks=marks, unit=unit, by=by, source=source)


def _row_check(
    *, check: RowCheck, labels: Mapping[str, str], first_rows: FirstRows
) -> tuple[int, str, str] | None:
    """Check one row's own cells; ``(row, column, code)`` when its code is to be looked up."""
    column, code = _code_of(check.row)
    column = labels.get(column, column)
    pending = None
    if not code:
        check.error(column, required_message())
    else:
        try:
            dossier_code_parse(code)
        except ValueError:
            check.error(
                column,
                _("'%(value)s' is not a dossier code <unit code>-<YYMMDD>-<NNNN>")
                % {"value": code},
            )
        else:
            if first_rows.check(check.errors, check.number, column, code):
                pending = (check.number, column, code)
    recorded_at = (check.row.get("recorded_at") or "").strip()
    if recorded_at and not _is_iso_moment(recorded_at):
        check.error(
            labels.get("recorded_at", "recorded_at"),
            _("'%(value)s' is not an ISO 8601 date or date-time such as 2021-03-05T10:30")
            % {"value": recorded_at},
        )
    return pending


def _marks_save(
    *, marks: _Marks, unit: Unit | None, by: AbstractBaseUser | None, source: str
) -> ImportResult:
    """Write the marks found by the checks, with their audit entry and signal."""
    with transaction.atomic():
        marked, codes = _marks_write(marks.ids)
        unchanged = marks.unchanged + len(marks.ids) - marked
        import_audit_record(
            actor=by,
            model=Dossier,
            source=source,
            counts={"updated": marked, "unchanged": unchanged},
            references=codes,
            references_count=marked,
            unit=unit,
        )
        if marked:
            # Inside the transaction: the stale-rollup marks commit with the import.
            dossier_changed.send(
                sender=Dossier,
                dossier_id=None,
                unit_ids=frozenset(marks.unit_ids),
                dates=frozenset(marks.dates),
                event_kind=DIGITISED_EVENT_KIND,
            )
    # A dossier marked by someone else since the check is unchanged by this import.
    return ImportResult(updated=marked, unchanged=unchanged)


def _code_of(row: dict[str, str]) -> tuple[str, str]:
    """The column holding the dossier code (``code`` or its alias) and its stripped value."""
    present = [name for name in DIGITISED_CODE_COLUMNS if name in row]
    for name in present:
        value = (row[name] or "").strip()
        if value:
            return name, value
    return (present[0] if present else DIGITISED_CODE_COLUMNS[0]), ""


def _is_iso_moment(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _chunk_check(
    *, pending: list[tuple[int, str, str]], unit: Unit | None, marks: _Marks, errors: RowErrors
) -> None:
    """Check up to CHUNK_SIZE well-formed codes with one query; collect the dossiers to mark."""
    if not pending:
        return
    found = {
        code: (pk, status, digitised, unit_id, unit_code, unit_path, received_date)
        for code, pk, status, digitised, unit_id, unit_code, unit_path, received_date in (
            Dossier.objects.filter(code__in=[code for _row, _column, code in pending]).values_list(
                "code",
                "pk",
                "status",
                "digitised",
                "receiving_unit_id",
                "receiving_unit__code",
                "receiving_unit__path",
                "received_date",
            )
        )
    }
    for number, column, code in pending:
        dossier = found.get(code)
        if dossier is None:
            errors.add(number, column, _("no dossier has the code '%(code)s'") % {"code": code})
            continue
        pk, status, digitised, unit_id, unit_code, unit_path, received_date = dossier
        if status == DossierStatus.REFUSED:
            errors.add(
                number,
                column,
                _("'%(code)s' was refused at intake: never received, it is not counted")
                % {"code": code},
            )
        elif unit is not None and not unit_path.startswith(unit.path):
            errors.add(
                number,
                column,
                _("'%(code)s' was received by %(unit)s, outside %(scope)s")
                % {"code": code, "unit": unit_code, "scope": unit.code},
            )
        elif digitised:
            marks.unchanged += 1
        else:
            marks.ids.append(pk)
            marks.unit_ids.add(unit_id)
            marks.dates.add(received_date)


def _marks_write(ids: list[int]) -> tuple[int, list[str]]:
    """Set ``digitised`` on the dossiers ``ids`` still without it: how many were set, and the
    codes of the first :data:`IMPORT_REFERENCES_MAX` of them (for the audit entry)."""
    marked = 0
    codes: list[str] = []
    for start in range(0, len(ids), CHUNK_SIZE):
        # Locked first, so the codes named are exactly the rows this import changes even when
        # another import marks some of them meanwhile.
        rows = list(
            Dossier.objects.select_for_update()
            .filter(pk__in=ids[start : start + CHUNK_SIZE], digitised=False)
            .order_by("pk")
            .values_list("pk", "code")
        )
        if not rows:
            continue
        marked += Dossier.objects.filter(pk__in=[pk for pk, _code in rows]).update(
            digitised=True, version=F("version") + 1
        )
        codes.extend(code for _pk, code in rows[: max(0, IMPORT_REFERENCES_MAX - len(codes))])
    return marked, codes
