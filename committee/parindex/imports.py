"""The all-or-nothing import of a PAR-index framework from CSV/XLSX (the shape of DESIGN §4).

Columns: ``code`` ("1", "1.1", "1.1.2": the parent is the code without its last part),
``name``, ``max_points`` (``2,5`` or ``2.5``, at most two decimals, above 0), ``method``
(``self_assessed`` | ``survey``; required on scored rows — those without children — and
ignored on parents), optional ``description`` (scoring guidance). Rows may come in any order.

Every row is checked before anything is written, and so is the tree: no orphan, no duplicate
code, at most three levels, and the maximum points of the children of every criterion add up
to the criterion's own. One error and nothing is written; each is reported as
``row N: column: message``. Each import creates a new draft version of the framework named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from org.models import UnitLevel
from org.tabular import (
    FirstRows,
    NumberedRow,
    RowCheck,
    RowErrors,
    decimal_parse,
    not_a_number_message,
    not_one_of_message,
    required_message,
)

from .models import (
    CRITERION_MAX_DEPTH,
    POINTS_DECIMAL_PLACES,
    Criterion,
    Framework,
    ScoringMethod,
    criterion_sort_key,
)
from .scoring import bands_parse

FRAMEWORK_REQUIRED_COLUMNS = ("code", "name", "max_points", "method")
FRAMEWORK_OPTIONAL_COLUMNS = ("description",)

_CODE = re.compile(r"[1-9]\d{0,3}(?:\.[1-9]\d{0,3})*")
_POINTS_LIMIT = Decimal("10000")
_METHODS = tuple(ScoringMethod.values)
YEAR_MIN, YEAR_MAX = 2000, 2100


@dataclass
class _Row:
    row: int
    code: str
    name: str
    description: str
    max_points: Decimal | None
    method: str
    # An unknown method was reported already: do not also call it missing.
    method_invalid: bool = False

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1


@dataclass
class FrameworkImportResult:
    framework: Framework | None = None
    criteria: int = 0
    errors: RowErrors = field(default_factory=RowErrors)

    @property
    def ok(self) -> bool:
        return not self.errors and self.framework is not None


def framework_import(
    *,
    rows: Iterable[NumberedRow],
    name: str,
    year_from: int,
    year_to: int | None = None,
    level: str = UnitLevel.COMMUNE,
    bands: list[dict] | None = None,
    source_filename: str = "",
    by: AbstractBaseUser | None = None,
) -> FrameworkImportResult:
    """A new draft version of framework ``name`` from ``(row_number, {column: text})`` rows.

    Arguments that are not about rows (name, years, level, bands) raise ValidationError.
    """
    year_to = year_to if year_to is not None else year_from
    _check_arguments(name=name, year_from=year_from, year_to=year_to, level=level, bands=bands)
    errors = RowErrors()
    parsed = _rows_parse(rows=rows, errors=errors)
    if not parsed and not errors:
        errors.add(2, "code", _("the file has no criteria below the header row"))
    _check_tree(parsed=parsed, errors=errors)
    if errors:
        return FrameworkImportResult(errors=errors)
    with transaction.atomic():
        latest = Framework.objects.filter(name=name.strip()).aggregate(Max("version"))
        framework = Framework.objects.create(
            name=name.strip(),
            version=(latest["version__max"] or 0) + 1,
            year_from=year_from,
            year_to=year_to,
            level=level,
            bands=bands or [],
            source_filename=source_filename[:255],
            created_by=by,
        )
        _criteria_write(framework=framework, parsed=parsed)
        after = snapshot(framework)
        after["criteria"] = len(parsed)
        audit_record(actor=by, action="import", instance=framework, before=None, after=after)
    return FrameworkImportResult(framework=framework, criteria=len(parsed))


def _check_arguments(
    *, name: str, year_from: int, year_to: int, level: str, bands: list[dict] | None
) -> None:
    problems: dict[str, str] = {}
    if not name or not name.strip():
        problems["name"] = _("The framework needs a name.")
    elif len(name.strip()) > 255:
        problems["name"] = _("The name is longer than 255 characters.")
    for key, year in (("year_from", year_from), ("year_to", year_to)):
        if not YEAR_MIN <= year <= YEAR_MAX:
            problems[key] = _("The year must be between %(min)d and %(max)d.") % {
                "min": YEAR_MIN,
                "max": YEAR_MAX,
            }
    if "year_to" not in problems and "year_from" not in problems and year_to < year_from:
        problems["year_to"] = _("The last year is before the first year.")
    if level not in UnitLevel.values:
        problems["level"] = not_one_of_message(level, UnitLevel.values)
    if bands:
        try:
            bands_parse(bands)
        except ValueError:
            problems["bands"] = _("Each band needs a minimum percentage (0–100) and a label.")
    if problems:
        raise ValidationError(problems)


def _rows_parse(*, rows: Iterable[NumberedRow], errors: RowErrors) -> list[_Row]:
    parsed: list[_Row] = []
    first_rows = FirstRows()
    for number, raw in rows:
        row = {column: (value or "").strip() for column, value in raw.items()}
        check = RowCheck(errors, number, row)
        item = _row_clean(check)
        first_rows.check(errors, number, "code", item.code)
        if not check.failed or item.code:
            parsed.append(item)
    return parsed


def _row_clean(check: RowCheck) -> _Row:
    code = _code_clean(check)
    check.required("name")
    max_points = _points_parse(check.row.get("max_points", ""), check.error)
    method = check.choice("method", _METHODS)
    return _Row(
        row=check.number,
        code=code,
        name=check.row.get("name", ""),
        description=check.row.get("description", ""),
        max_points=max_points,
        method=method or "",
        method_invalid=method is None,
    )


def _code_clean(check: RowCheck) -> str:
    """The row's outline number ("" when it is missing or wrong, reported)."""
    code = check.row.get("code", "").rstrip(".")
    if not code:
        check.error("code", required_message())
    elif not _CODE.fullmatch(code):
        check.error(
            "code",
            _("'%(value)s' is not an outline number like 1, 1.2 or 1.2.3")
            % {"value": check.row.get("code", "")},
        )
        code = ""
    elif code.count(".") + 1 > CRITERION_MAX_DEPTH:
        check.error(
            "code",
            _("'%(value)s' is deeper than %(depth)d levels (area, criterion, sub-criterion)")
            % {"value": code, "depth": CRITERION_MAX_DEPTH},
        )
        code = ""
    return code


def _points_parse(text: str, error) -> Decimal | None:
    if not text:
        error("max_points", required_message())
        return None
    value = decimal_parse(text.replace(" ", ""))
    if value is None:
        error("max_points", not_a_number_message(text))
        return None
    if value <= 0:
        error("max_points", _("must be greater than 0, not %(value)s") % {"value": text})
        return None
    if value >= _POINTS_LIMIT:
        error("max_points", _("must be less than %(limit)s") % {"limit": _POINTS_LIMIT})
        return None
    if -value.as_tuple().exponent > POINTS_DECIMAL_PLACES:
        error(
            "max_points",
            _("'%(value)s' has more than %(places)d decimal places")
            % {"value": text, "places": POINTS_DECIMAL_PLACES},
        )
        return None
    return value


def _check_tree(*, parsed: list[_Row], errors: RowErrors) -> None:
    by_code = {item.code: item for item in parsed if item.code}
    children: dict[str, list[_Row]] = {}
    for item in by_code.values():
        parent = item.parent_code
        if parent is None:
            continue
        if parent not in by_code:
            errors.add(
                item.row,
                "code",
                _("its parent '%(parent)s' is not in the file") % {"parent": parent},
            )
            continue
        children.setdefault(parent, []).append(item)
    for item in by_code.values():
        kids = children.get(item.code)
        if not kids:
            if not item.method and not item.method_invalid:
                errors.add(
                    item.row,
                    "method",
                    _("is required on a scored criterion (one without sub-criteria): %(choices)s")
                    % {"choices": "|".join(_METHODS)},
                )
            continue
        if item.max_points is None or any(kid.max_points is None for kid in kids):
            continue
        total = sum((kid.max_points for kid in kids), start=Decimal("0"))
        if total != item.max_points:
            kids.sort(key=lambda kid: criterion_sort_key(kid.code))
            errors.add(
                item.row,
                "max_points",
                _("the sub-criteria %(codes)s add up to %(total)s, not %(max)s")
                % {
                    "codes": ", ".join(kid.code for kid in kids),
                    "total": f"{total:.2f}",
                    "max": f"{item.max_points:.2f}",
                },
            )


def _criteria_write(*, framework: Framework, parsed: list[_Row]) -> None:
    parent_codes = {item.parent_code for item in parsed if item.parent_code}
    ids: dict[str, int] = {}
    for depth in range(1, CRITERION_MAX_DEPTH + 1):
        level_rows = sorted(
            (item for item in parsed if item.depth == depth),
            key=lambda item: criterion_sort_key(item.code),
        )
        if not level_rows:
            break
        created = Criterion.objects.bulk_create(
            [
                Criterion(
                    framework=framework,
                    parent_id=ids[item.parent_code] if item.parent_code else None,
                    code=item.code,
                    name=item.name,
                    description=item.description,
                    max_points=item.max_points,
                    method="" if item.code in parent_codes else item.method,
                    depth=depth,
                    is_leaf=item.code not in parent_codes,
                    sort_key=criterion_sort_key(item.code),
                )
                for item in level_rows
            ]
        )
        if any(criterion.pk is None for criterion in created):
            created = list(
                Criterion.objects.filter(framework=framework, depth=depth).only("id", "code")
            )
        ids.update({criterion.code: criterion.pk for criterion in created})
