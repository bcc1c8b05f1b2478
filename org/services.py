"""Writes of the org app: the all-or-nothing unit import (DESIGN §4) and two-step login."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from audit.services import audit_entry, audit_record
from audit.services import snapshot as audit_snapshot
from org.models import Unit, UnitLevel
from org.tabular import FirstRows, ImportResult, NumberedRow, RowCheck, RowErrors, list_split

# Columns the import understands; any other column is ignored. A column that is absent from
# the file leaves that field of existing units as it is (a blank cell clears it).
UNIT_COLUMNS = (
    "code",
    "name",
    "level",
    "parent_code",
    "valid_from",
    "valid_to",
    "successor_code",
    "statistical_code",
)
UNIT_REQUIRED_COLUMNS = ("code", "name", "level")

# Field of the snapshot (see _units_snapshot) compared with each column.
_SNAPSHOT_KEY = {
    "name": "name",
    "level": "level",
    "parent_code": "parent__code",
    "valid_from": "valid_from",
    "valid_to": "valid_to",
    "statistical_code": "statistical_code",
}
_MODEL_FIELD = {
    "name": "name",
    "level": "level",
    "parent_code": "parent",
    "valid_from": "valid_from",
    "valid_to": "valid_to",
    "statistical_code": "statistical_code",
}


@dataclass
class _UnitRow:
    row: int
    code: str
    # False for a row without a code or repeating an earlier code: checked, never written.
    writable: bool = True
    # Column -> cleaned value, only for the columns the row carries; codes stay codes here.
    values: dict[str, Any] = field(default_factory=dict)


def units_import(
    *, rows: Iterable[NumberedRow], by: AbstractBaseUser | None = None
) -> ImportResult:
    """Create or update units from ``(row_number, {column: text})`` rows, matched by code.

    Every row is validated before anything is written; if any row is bad the result carries
    every error (``row N: column: message``) and the database is untouched. Otherwise all
    rows are written in one transaction, parents before children whatever the file order,
    and a unit whose values already match is not saved at all, so importing the same file
    twice changes nothing the second time. Each created or changed unit gets an audit entry
    (by ``by``, none for a command run from the shell).
    """
    with transaction.atomic():
        snapshot = _units_snapshot()
        errors = RowErrors()
        parsed = _units_parse(rows=rows, snapshot=snapshot, errors=errors)
        _units_check_references(parsed=parsed, snapshot=snapshot, errors=errors)
        if errors:
            return ImportResult(errors=errors)
        codes = [row.code for row in parsed if row.writable]
        before = {
            code: audit_snapshot(unit)
            for code, unit in Unit.objects.in_bulk(codes, field_name="code").items()
        }
        result = _units_write(parsed=parsed, snapshot=snapshot)
        _units_audit(codes=codes, before=before, by=by)
        return result


def _units_audit(
    *, codes: list[str], before: dict[str, dict[str, Any]], by: AbstractBaseUser | None
) -> None:
    """One audit entry per unit of the file that the import created or changed."""
    entries = []
    for code, unit in Unit.objects.in_bulk(codes, field_name="code").items():
        after = audit_snapshot(unit)
        old = before.get(code)
        if old != after:
            action = "create" if old is None else "update"
            entries.append(
                audit_entry(actor=by, action=action, instance=unit, before=old, after=after)
            )
    AuditEntry.objects.bulk_create(entries)


def _units_snapshot() -> dict[str, dict[str, Any]]:
    fields = ("pk", "code", "parent_id", *_SNAPSHOT_KEY.values())
    snapshot = {
        unit["code"]: {**unit, "successor_ids": set()} for unit in Unit.objects.values(*fields)
    }
    links = Unit.successors.through.objects.values_list("from_unit__code", "to_unit_id")
    for code, successor_id in links:
        snapshot[code]["successor_ids"].add(successor_id)
    return snapshot


def _units_parse(
    *, rows: Iterable[NumberedRow], snapshot: dict[str, dict[str, Any]], errors: RowErrors
) -> list[_UnitRow]:
    first_rows = FirstRows()
    parsed: list[_UnitRow] = []
    for number, raw in rows:
        row = {column: (value or "").strip() for column, value in raw.items()}
        unit, dates_ok = _unit_row_clean(RowCheck(errors, number, row))
        unit.writable = bool(unit.code) and first_rows.check(errors, number, "code", unit.code)
        if dates_ok:
            current = snapshot.get(unit.code) if unit.writable else None
            _units_check_range(unit=unit, current=current, errors=errors)
        parsed.append(unit)
    return parsed


def _unit_row_clean(check: RowCheck) -> tuple[_UnitRow, bool]:
    """The row's own values, each checked alone; also says whether its dates could be read."""
    row = check.row
    unit = _UnitRow(row=check.number, code=row.get("code", ""))
    check.required(*UNIT_REQUIRED_COLUMNS)
    for column in ("code", "name", "statistical_code"):
        check.max_length(column, Unit._meta.get_field(column).max_length)
    for column in ("name", "statistical_code"):
        if column in row:
            unit.values[column] = row[column]
    if "parent_code" in row:
        unit.values["parent_code"] = row["parent_code"] or None
    if "successor_code" in row:
        # Several successors (a unit split between new units) are separated by ";".
        unit.values["successor_code"] = tuple(sorted(set(list_split(row["successor_code"]))))
    if level := check.choice("level", UnitLevel.values, separator=", "):
        unit.values["level"] = level
    dates = check.dates("valid_from", "valid_to")
    unit.values.update(dates)
    dates_ok = all(column in dates for column in ("valid_from", "valid_to") if column in row)
    return unit, dates_ok


def _units_check_range(
    *, unit: _UnitRow, current: dict[str, Any] | None, errors: RowErrors
) -> None:
    """valid_to must not precede valid_from, counting a column the file lacks as unchanged."""

    def effective(column: str) -> dt.date | None:
        if column in unit.values:
            return unit.values[column]
        return current[column] if current else None

    valid_from, valid_to = effective("valid_from"), effective("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        errors.add(
            unit.row,
            "valid_to",
            _("%(valid_to)s is before valid_from %(valid_from)s")
            % {"valid_to": valid_to.isoformat(), "valid_from": valid_from.isoformat()},
        )


def _units_check_references(
    *, parsed: list[_UnitRow], snapshot: dict[str, dict[str, Any]], errors: RowErrors
) -> None:
    known = set(snapshot) | {unit.code for unit in parsed if unit.writable}
    for unit in parsed:
        targets = [("parent_code", unit.values.get("parent_code"))] + [
            ("successor_code", code) for code in unit.values.get("successor_code", ())
        ]
        for column, target in targets:
            if not target:
                continue
            if target == unit.code:
                message = (
                    _("a unit cannot be its own parent")
                    if column == "parent_code"
                    else _("a unit cannot be its own successor")
                )
                errors.add(unit.row, column, message)
            elif target not in known:
                errors.add(
                    unit.row,
                    column,
                    _("unknown unit '%(code)s': not in the database nor in this file")
                    % {"code": target},
                )

    parent_of = _parent_map(parsed=parsed, snapshot=snapshot)
    for unit in parsed:
        if not unit.writable:
            continue
        chain = [unit.code]
        ancestor = parent_of.get(unit.code)
        while ancestor and ancestor != unit.code and ancestor not in chain:
            chain.append(ancestor)
            ancestor = parent_of.get(ancestor)
        if ancestor == unit.code and len(chain) > 1:
            errors.add(
                unit.row,
                "parent_code",
                _("the parents form a cycle: %(chain)s")
                % {"chain": " → ".join([*chain, unit.code])},
            )


def _parent_map(
    *, parsed: list[_UnitRow], snapshot: dict[str, dict[str, Any]]
) -> dict[str, str | None]:
    """Each code's parent code once the file is applied; a file without the column keeps it."""
    parent_of = {code: unit["parent__code"] for code, unit in snapshot.items()}
    for unit in parsed:
        if not unit.writable:
            continue
        if "parent_code" in unit.values:
            parent_of[unit.code] = unit.values["parent_code"] or None
        else:
            parent_of.setdefault(unit.code, None)
    return parent_of


def _units_write(*, parsed: list[_UnitRow], snapshot: dict[str, dict[str, Any]]) -> ImportResult:
    depth_of = _depth_function(_parent_map(parsed=parsed, snapshot=snapshot))
    # Parents first: a unit's path is built from its parent's, so the parent must be saved.
    writable = [unit for unit in parsed if unit.writable]
    ordered = sorted(writable, key=lambda unit: (depth_of(unit.code), unit.row))
    writer = _UnitWriter(snapshot)
    status = {row.code: writer.row_write(row) for row in ordered}
    # Successors last: a merged commune usually points at a unit created by the same file.
    for row in ordered:
        if writer.successors_write(row) and status[row.code] == "unchanged":
            status[row.code] = "updated"
    result = ImportResult()
    for value in status.values():
        setattr(result, value, getattr(result, value) + 1)
    return result


def _depth_function(parent_of: dict[str, str | None]) -> Callable[[str], int]:
    """A function giving each code's depth in the tree ``parent_of`` (a root is 0), memoised."""
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        climbed = []
        node: str | None = code
        while node is not None and node not in depth:
            climbed.append(node)
            node = parent_of.get(node)
        level = -1 if node is None else depth[node]
        for node in reversed(climbed):
            level += 1
            depth[node] = level
        return depth[code]

    return depth_of


class _UnitWriter:
    """Saves the rows of a checked file, parents before children."""

    def __init__(self, snapshot: dict[str, dict[str, Any]]) -> None:
        self.snapshot = snapshot
        self.pk_of = {code: unit["pk"] for code, unit in snapshot.items()}
        self.fresh: dict[int, Unit] = {}  # Units whose path is known to be current, by pk.

    def row_write(self, row: _UnitRow) -> str:
        """Create or update the row's unit: "created", "updated" or "unchanged"."""
        current = self.snapshot.get(row.code)
        wanted = dict(row.values)
        wanted.pop("successor_code", None)
        if current is None:
            unit = Unit(code=row.code)
            for column, value in wanted.items():
                _assign(unit=unit, column=column, value=value, pk_of=self.pk_of)
            self._save(unit)
            self.pk_of[row.code] = unit.pk
            return "created"
        changed = [
            column for column, value in wanted.items() if current[_SNAPSHOT_KEY[column]] != value
        ]
        if not changed:
            return "unchanged"
        unit = Unit.objects.get(pk=current["pk"])
        for column in changed:
            _assign(unit=unit, column=column, value=wanted[column], pk_of=self.pk_of)
        self._save(unit, update_fields=[_MODEL_FIELD[column] for column in changed])
        return "updated"

    def successors_write(self, row: _UnitRow) -> bool:
        """Set the successors the row gives; whether they changed."""
        if "successor_code" not in row.values:
            return False
        successor_ids = {self.pk_of[code] for code in row.values["successor_code"]}
        current = self.snapshot.get(row.code)
        if successor_ids == (current["successor_ids"] if current else set()):
            return False
        Unit.objects.get(pk=self.pk_of[row.code]).successors.set(successor_ids)
        return True

    def _instance(self, pk: int) -> Unit:
        if pk not in self.fresh:
            self.fresh[pk] = Unit.objects.get(pk=pk)
        return self.fresh[pk]

    def _save(self, unit: Unit, update_fields: list[str] | None = None) -> None:
        old_path = unit.path
        if unit.parent_id is not None:
            unit.parent = self._instance(unit.parent_id)
        unit.save(update_fields=update_fields)
        if old_path and unit.path != old_path:
            # The move rewrote the paths of the whole old subtree: cached copies are stale.
            self.fresh.clear()
        self.fresh[unit.pk] = unit


def _assign(*, unit: Unit, column: str, value: Any, pk_of: dict[str, int]) -> None:
    if column == "parent_code":
        unit.parent_id = pk_of[value] if value else None
    else:
        setattr(unit, _MODEL_FIELD[column], value)


# --- two-step login (TOTP) ---------------------------------------------------------------------


def two_factor_device_pending(*, user: AbstractBaseUser) -> TOTPDevice:
    """The user's authenticator key waiting to be confirmed (a new one if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def two_factor_enable(*, user: AbstractBaseUser, device: TOTPDevice, token: str) -> None:
    """Confirm ``device`` with a code it generated; from then on login asks for a code."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("Start the set-up again."), code="stale")
    if not device.verify_token(token):
        raise ValidationError(_("Wrong or expired code. Enter the code the app shows now."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=user, action="two_factor_enable", instance=user)


def two_factor_disable(*, user: AbstractBaseUser, token: str) -> None:
    """Switch two-step login off; a current code proves the user still holds the device."""
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not any(device.verify_token(token) for device in devices):
        raise ValidationError(_("Wrong or expired code. Enter the code the app shows now."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(actor=user, action="two_factor_disable", instance=user)
