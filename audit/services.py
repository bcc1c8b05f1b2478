"""Writing the audit trail. Call ``audit_record`` inside the service's own transaction, so the
entry exists exactly when the change does."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from org.models import Unit

from .models import AuditEntry


def _json_safe(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # In UTC, as the database gives it back: the same moment always reads the same.
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values (foreign keys as ids), JSON-safe."""
    return {
        field.attname: _json_safe(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
    }


def changes_between(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for every field whose value differs."""
    before, after = before or {}, after or {}
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def audit_entry(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unit: Unit | None = None,
    unit_id: int | None = None,
) -> AuditEntry:
    """An unsaved entry: ``actor`` did ``action`` to ``instance`` (``before``/``after``:
    snapshots; a create with neither records every field of the instance)."""
    user = actor if actor is not None and actor.is_authenticated else None
    if after is None and before is None and action == "create":
        after = snapshot(instance)
    return AuditEntry(
        actor=user,
        actor_name=user.get_username() if user is not None else "",
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        unit_id=unit.pk if unit is not None else unit_id,
        changes=changes_between(before, after),
    )


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    instance: models.Model,
    **details: Any,
) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``instance``; call it inside the change's
    transaction. ``details``: ``before``, ``after``, ``unit``, ``unit_id``, as for
    ``audit_entry``."""
    entry = audit_entry(actor=actor, action=action, instance=instance, **details)
    entry.save()
    return entry


# Bound on the object references an import's entry lists: a file may touch a million rows,
# and the entry must stay a readable line of the trail; the count is always exact.
IMPORT_REFERENCES_MAX = 200


def import_audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    model: type[models.Model],
    source: str,
    counts: dict[str, int],
    references: list[str] | None = None,
    references_count: int | None = None,
    unit: Unit | None = None,
) -> AuditEntry:
    """Record that ``actor`` imported ``source`` (a file name) into ``model``'s table.

    One entry for the whole import, written inside the import's transaction, so it exists
    exactly when the import's rows do. An import changes many rows, not one, so the entry
    names the model only (empty ``object_id``); ``changes`` holds ``[None, value]`` pairs: the
    file, each count and, when given, the first :data:`IMPORT_REFERENCES_MAX` of the
    ``references`` (e.g. the codes of the dossiers changed) with their total,
    ``references_count`` (default: how many were given; a caller that keeps only the first
    ones of a long list says how many there were).
    """
    user = actor if actor is not None and actor.is_authenticated else None
    changes: dict[str, list[Any]] = {"file": [None, source]}
    changes.update({name: [None, value] for name, value in counts.items()})
    if references is not None:
        changes["references"] = [None, references[:IMPORT_REFERENCES_MAX]]
        total = len(references) if references_count is None else references_count
        changes["references_count"] = [None, total]
    label = str(model._meta.verbose_name_plural)
    entry = AuditEntry(
        actor=user,
        actor_name=user.get_username() if user is not None else "",
        action="import",
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id="",
        object_repr=f"{label}: {source}"[:255] if source else label[:255],
        unit_id=unit.pk if unit is not None else None,
        changes=changes,
    )
    entry.save()
    return entry
