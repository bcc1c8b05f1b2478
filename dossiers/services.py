"""Writes of the dossier lifecycle (DESIGN §1 "Lifecycle", §3 "Supplement" and "Apology").

Every service is keyword-only and runs in one transaction: it locks the dossier row
(``select_for_update``), checks the caller's ``expected_version`` when given (optimistic check
for forms that were open while someone else worked on the dossier), validates the transition,
bumps ``version``, appends exactly one :class:`Event`, and announces the change with
``dossier_changed`` inside the transaction (its receivers' rows commit with the change). An
illegal transition raises :class:`TransitionError` and writes nothing.

Choices written down here because the design is silent:

- A refusal at intake gets a code from the same per-unit, per-day sequence as accepted
  dossiers: the desk hands the citizen a refusal slip (Mẫu 03) that needs a reference, and the
  sequence stays gap-free either way. Its ``finished_at`` stays empty: it was never processed.
- ``dossier_transfer`` records the hand-over at the moment it is made unless ``at`` is given.
- Every write is dated (the received time, a step's ``at``) and refused when that date lies in
  a frozen period (:func:`dossiers.guards.dates_writable_check`), before anything is written.
- Intake checks, in this order, what the desk can fix: a received time in the future, a desk
  not in force on the received day (the message names its successors), a procedure version
  not in force or outside the desk's competence that day, a frozen period, and a back-dated
  time without a reason. The back-dating rule is about an officer entering a past time, so it
  applies to intakes made by someone (``by``); a record the system writes itself has nobody
  to give a reason.
- ``dossiers_hand_over`` moves the open dossiers of an ended unit to a successor: received and
  processing ones become processing (as a transfer does), a dossier waiting for the citizen's
  supplement keeps waiting. Dossiers whose result is ready stay where they are: the successor's
  desk sees them through the lineage and returns them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from org.calendar_source import working_calendar
from org.models import Unit
from procedures.models import ProcedureVersion
from procedures.selectors import procedure_version_receivable
from procedures.services import DocumentSpec, document_rows, version_documents

from .backdating import backdate_reason_required
from .codes import dossier_code_next
from .guards import dates_writable_check
from .lifecycle import due_after_pause, intake_due_dates, status_after
from .models import (
    OPEN_STATUSES,
    Apology,
    Dossier,
    DossierDocument,
    DossierStatus,
    Event,
    EventKind,
    SupplementRequest,
    local_date,
    regime_for,
)
from .signals import dossier_changed

# Accepted keys of the ``applicant`` dict, with or without the ``applicant_`` prefix.
_APPLICANT_FIELDS = ("name", "id_number", "phone", "email", "address")

# Where each transition may start from.
_FROM_RECEIVED_OR_PROCESSING = frozenset({DossierStatus.RECEIVED, DossierStatus.PROCESSING})


class TransitionError(ValidationError):
    """The dossier's current state does not allow this step; nothing was changed."""


class DossierChangedMeanwhile(ValidationError):
    """Someone else changed the dossier since the caller read it; nothing was changed."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message or _("The dossier was changed by someone else meanwhile; reload it."),
            code="changed_meanwhile",
        )


# The checklist of papers handed in --------------------------------------------------------------

# More lines than any procedure lists (the catalogue's longest has 31): a bound on what a
# request may ask the database to write.
DOCUMENTS_MAX = 60
DOCUMENT_COUNT_MAX = 99
_DOCUMENT_NAME_MAX = DossierDocument._meta.get_field("name").max_length


def _documents_checked(documents: Sequence[DocumentSpec]) -> list[DocumentSpec]:
    """The lines worth keeping (at least one paper), or a ``documents`` error saying which line
    is wrong; nothing is written before this passes."""
    if len(documents) > DOCUMENTS_MAX:
        raise _field_error(
            "documents",
            _("A checklist has at most %(max)s lines.") % {"max": DOCUMENTS_MAX},
            code="documents",
        )
    kept = []
    for number, line in enumerate(documents, start=1):
        counts = (line.originals, line.certified_copies, line.copies)
        if any(not isinstance(count, int) or count < 0 for count in counts):
            raise _field_error(
                "documents",
                _("Line %(number)s of the checklist: the counts are whole numbers, 0 or more.")
                % {"number": number},
                code="documents",
            )
        if any(count > DOCUMENT_COUNT_MAX for count in counts):
            raise _field_error(
                "documents",
                _("Line %(number)s of the checklist: at most %(max)s papers of a kind.")
                % {"number": number, "max": DOCUMENT_COUNT_MAX},
                code="documents",
            )
        name = " ".join((line.name or "").split())
        if line.total and not name:
            raise _field_error(
                "documents",
                _("Line %(number)s of the checklist has papers but no name.") % {"number": number},
                code="documents",
            )
        if len(name) > _DOCUMENT_NAME_MAX:
            raise _field_error(
                "documents",
                _("Line %(number)s of the checklist: the name is longer than %(max)s characters.")
                % {"number": number, "max": _DOCUMENT_NAME_MAX},
                code="documents",
            )
        if line.total:
            kept.append(
                DocumentSpec(
                    name=name,
                    originals=line.originals,
                    certified_copies=line.certified_copies,
                    copies=line.copies,
                )
            )
    return kept


def _documents_save(
    *,
    dossier: Dossier,
    lines: Sequence[DocumentSpec],
    supplement_request: SupplementRequest | None = None,
) -> None:
    DossierDocument.objects.bulk_create(
        document_rows(
            DossierDocument, lines, dossier=dossier, supplement_request=supplement_request
        )
    )


# Intake ---------------------------------------------------------------------------------------


def dossier_receive(
    *,
    desk: Unit,
    procedure_version: ProcedureVersion,
    channel: str,
    applicant: dict,
    received_at: dt.datetime,
    by: AbstractBaseUser | None,
    digitised: bool = False,
    sets_count: int = 1,
    backdate_reason: str = "",
    documents: Sequence[DocumentSpec] | None = None,
) -> Dossier:
    """Accept a dossier at the desk: code, due date and regime fixed at intake.

    A received time more than ``settings.INTAKE_BACKDATE_WORKING_DAYS`` working days back needs
    ``backdate_reason``, kept as the RECEIVED event's note and in its audit entry.
    ``documents`` is the checklist of what the applicant handed in (lines with no paper are
    dropped); ``None`` takes the procedure version's required documents as listed.
    """
    lines = _intake_papers_checked(
        procedure_version=procedure_version, documents=documents, sets_count=sets_count
    )
    _intake_check(desk=desk, procedure_version=procedure_version, received_at=received_at)
    backdate_reason = _backdate_reason_check(reason=backdate_reason, received_at=received_at, by=by)
    with transaction.atomic():
        due = intake_due_dates(version=procedure_version, channel=channel, received_at=received_at)
        dossier = Dossier(
            code=dossier_code_next(unit=desk, on=received_at),
            procedure_version=procedure_version,
            receiving_unit=desk,
            handling_unit=desk,
            channel=channel,
            received_at=received_at,
            due_at=due.due_at,
            original_due_at=due.original_due_at,
            status=status_after("", EventKind.RECEIVED),
            regime=regime_for(received_at),
            digitised=digitised,
            sets_count=sets_count,
            **_applicant_fields(applicant),
        )
        _dossier_save_new(dossier)
        event = _event_record(
            dossier=dossier,
            kind=EventKind.RECEIVED,
            by=by,
            at=received_at,
            to_unit=desk,
            note=backdate_reason,
            audit_extra={"backdate_reason": backdate_reason} if backdate_reason else None,
        )
        _documents_save(dossier=dossier, lines=lines)
        _changed_announce(
            dossier=dossier,
            event=event,
            unit_ids={desk.pk},
            moments=[received_at],
        )
    return dossier


def _intake_papers_checked(
    *,
    procedure_version: ProcedureVersion,
    documents: Sequence[DocumentSpec] | None,
    sets_count: int,
) -> list[DocumentSpec]:
    """The checklist lines handed in (the version's required documents when not told), and at
    least one set of papers."""
    lines = _documents_checked(
        documents if documents is not None else version_documents(procedure_version)
    )
    if sets_count < 1:
        raise _field_error(
            "sets_count", _("A dossier has at least one set of papers."), code="sets_count"
        )
    return lines


def _backdate_reason_check(
    *, reason: str, received_at: dt.datetime, by: AbstractBaseUser | None
) -> str:
    """The reason for a back-dated intake, stripped; required of an officer entering a received
    time too far back."""
    reason = (reason or "").strip()
    if by is not None and not reason and backdate_reason_required(received_at=received_at):
        raise _field_error(
            "backdate_reason",
            _(
                "The received time %(time)s is more than %(days)s working days ago: give the "
                "reason for entering it late (for example, the dossier came by post or the "
                "system was down), or enter the real time of receipt."
            )
            % {"time": _local_text(received_at), "days": settings.INTAKE_BACKDATE_WORKING_DAYS},
            code="backdate_reason",
        )
    return reason


def dossier_refuse(
    *,
    desk: Unit,
    procedure_version: ProcedureVersion,
    channel: str,
    applicant: dict,
    received_at: dt.datetime,
    reason: str,
    by: AbstractBaseUser | None,
) -> Dossier:
    """Record a dossier the desk refused to accept (Mẫu 03); it never counts as received."""
    reason = _reason_required(reason)
    _intake_check(desk=desk, procedure_version=procedure_version, received_at=received_at)
    # Never accepted, so no legal due date: the fields are required, received_at it is.
    due = intake_due_dates(
        version=procedure_version, channel=channel, received_at=received_at, refused=True
    )
    with transaction.atomic():
        dossier = Dossier(
            code=dossier_code_next(unit=desk, on=received_at),
            procedure_version=procedure_version,
            receiving_unit=desk,
            handling_unit=desk,
            channel=channel,
            received_at=received_at,
            due_at=due.due_at,
            original_due_at=due.original_due_at,
            status=status_after("", EventKind.REFUSED),
            regime=regime_for(received_at),
            **_applicant_fields(applicant),
        )
        _dossier_save_new(dossier)
        event = _event_record(
            dossier=dossier,
            kind=EventKind.REFUSED,
            by=by,
            at=received_at,
            from_unit=desk,
            note=reason,
        )
        _changed_announce(
            dossier=dossier,
            event=event,
            unit_ids={desk.pk},
            moments=[received_at],
        )
    return dossier


# Processing -----------------------------------------------------------------------------------


def dossier_transfer(
    *,
    dossier: Dossier,
    to_unit: Unit,
    by: AbstractBaseUser | None,
    note: str = "",
    step_due_at: dt.datetime | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the dossier over to another unit (one line of the process control slip).

    ``at`` defaults to now; imports and back-office corrections pass the real hand-over time.
    """
    at = at or timezone.now()
    _writable_at(at)
    _in_force_for_hand_over_check(unit=to_unit, at=at)
    with transaction.atomic():
        dossier = _locked(dossier=dossier, expected_version=expected_version)
        _status_require(
            dossier,
            _FROM_RECEIVED_OR_PROCESSING,
            _("Only a received or processing dossier can be transferred."),
        )
        if to_unit.pk == dossier.handling_unit_id:
            raise TransitionError(
                _("The dossier is already handled by %(unit)s.") % {"unit": to_unit},
                code="same_unit",
            )
        _not_before(at, dossier.received_at, _("A dossier cannot be transferred before receipt."))
        _handling_unit_change(
            dossier=dossier, to_unit=to_unit, by=by, at=at, note=note, step_due_at=step_due_at
        )
    return dossier


def dossiers_hand_over(
    *,
    from_unit: Unit,
    to_unit: Unit,
    by: AbstractBaseUser | None,
    at: dt.datetime | None = None,
) -> int:
    """Hand every open dossier handled by ``from_unit``, which has ended, over to ``to_unit``,
    one of its successors in force: one TRANSFERRED event (and audit entry) each, all or none.

    Returns how many dossiers were handed over. ``at`` defaults to now.
    """
    at = at or timezone.now()
    _hand_over_units_check(from_unit=from_unit, to_unit=to_unit, day=local_date(at))
    _in_force_for_hand_over_check(unit=to_unit, at=at)
    _writable_at(at)
    note = _("%(unit)s ended on %(end)s; its open dossiers were handed over to %(successor)s.") % {
        "unit": from_unit.name,
        "end": f"{from_unit.valid_to:%d/%m/%Y}",
        "successor": to_unit.name,
    }
    with transaction.atomic():
        dossiers = list(
            Dossier.objects.select_for_update()
            .filter(handling_unit=from_unit, status__in=OPEN_STATUSES)
            .order_by("pk")
        )
        for dossier in dossiers:
            if at < dossier.received_at:
                raise TransitionError(
                    _(
                        "Dossier %(code)s was received after %(at)s: hand the dossiers over at "
                        "a later time."
                    )
                    % {"code": dossier.code, "at": _local_text(at)},
                    code="time_order",
                )
            dossier._audit_before = snapshot(dossier)
            _handling_unit_change(dossier=dossier, to_unit=to_unit, by=by, at=at, note=note)
    return len(dossiers)


def _hand_over_units_check(*, from_unit: Unit, to_unit: Unit, day: dt.date) -> None:
    """A whole unit's dossiers go only from a unit ended by ``day`` to one of its successors."""
    if from_unit.valid_to is None or from_unit.valid_to >= day:
        raise ValidationError(
            _(
                "%(unit)s has not ended on %(day)s, so its dossiers are not handed over all at "
                "once: transfer them one by one on each dossier's page."
            )
            % {"unit": from_unit.name, "day": f"{day:%d/%m/%Y}"},
            code="unit_not_ended",
        )
    if not from_unit.successors.filter(pk=to_unit.pk).exists():
        successors = from_unit.successors_label()
        if successors:
            message = _(
                "%(target)s is not a successor of %(unit)s. Hand its dossiers over to one of "
                "its successors: %(successors)s."
            )
        else:
            message = _(
                "%(target)s is not a successor of %(unit)s, which has none recorded. Record the "
                "unit's successors first (Units in the administration), then hand over."
            )
        raise ValidationError(
            message % {"target": to_unit.name, "unit": from_unit.name, "successors": successors},
            code="not_successor",
        )


def supplement_request(
    *,
    dossier: Dossier,
    reason: str,
    missing_documents: str,
    by: AbstractBaseUser | None,
    at: dt.datetime,
    expected_version: int | None = None,
) -> Dossier:
    """Ask the citizen to complete the dossier (Mẫu 02): the clock stops from ``at``."""
    reason = _reason_required(reason)
    _writable_at(at)
    with transaction.atomic():
        dossier = _locked(dossier=dossier, expected_version=expected_version)
        _status_require(
            dossier,
            _FROM_RECEIVED_OR_PROCESSING,
            _("A supplement can only be requested for a received or processing dossier."),
        )
        _not_before(at, dossier.received_at, _("A supplement cannot be requested before receipt."))
        request = SupplementRequest(
            dossier=dossier,
            requested_at=at,
            reason=reason,
            missing_documents=missing_documents,
            requested_by=by,
        )
        request.full_clean()
        request.save()
        dossier.status = status_after(dossier.status, EventKind.SUPPLEMENT_REQUESTED)
        _dossier_save(dossier)
        event = _event_record(
            dossier=dossier,
            kind=EventKind.SUPPLEMENT_REQUESTED,
            by=by,
            at=at,
            from_unit_id=dossier.handling_unit_id,
            note=_note_join(reason, missing_documents),
        )
        _changed_announce(dossier=dossier, event=event, moments=[at])
    return dossier


def supplement_complete(
    *,
    dossier: Dossier,
    by: AbstractBaseUser | None,
    at: dt.datetime,
    expected_version: int | None = None,
    documents: Sequence[DocumentSpec] = (),
) -> Dossier:
    """The citizen completed the dossier: the due date moves by the office time paused.

    ``documents`` are the papers handed in to complete it, added to the checklist as lines of
    the request they answer.
    """
    lines = _documents_checked(documents)
    _writable_at(at)
    with transaction.atomic():
        dossier = _locked(dossier=dossier, expected_version=expected_version)
        request = (
            SupplementRequest.objects.select_for_update()
            .filter(dossier=dossier, completed_at__isnull=True)
            .first()
        )
        if dossier.status != DossierStatus.SUPPLEMENT_REQUESTED or request is None:
            raise TransitionError(
                _("This dossier has no open supplement request."), code="no_open_request"
            )
        _not_before(
            at, request.requested_at, _("A supplement cannot be completed before it was requested.")
        )
        request.completed_at = at
        request.full_clean()
        request.save(update_fields=["completed_at"])
        _documents_save(dossier=dossier, lines=lines, supplement_request=request)
        previous_due_at = dossier.due_at
        dossier.due_at = due_after_pause(
            due_at=dossier.due_at, requested_at=request.requested_at, completed_at=at
        )
        dossier.status = status_after(dossier.status, EventKind.SUPPLEMENT_COMPLETED)
        _dossier_save(dossier)
        event = _event_record(
            dossier=dossier,
            kind=EventKind.SUPPLEMENT_COMPLETED,
            by=by,
            at=at,
            to_unit_id=dossier.handling_unit_id,
        )
        _changed_announce(
            dossier=dossier,
            event=event,
            moments=[at, previous_due_at, dossier.due_at],
        )
    return dossier


def dossier_finish(
    *,
    dossier: Dossier,
    by: AbstractBaseUser | None,
    at: dt.datetime,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The result is ready: processing ends at ``at``."""
    _writable_at(at)
    with transaction.atomic():
        dossier = _locked(dossier=dossier, expected_version=expected_version)
        _status_require(
            dossier,
            _FROM_RECEIVED_OR_PROCESSING,
            _("Only a received or processing dossier can be finished."),
        )
        _not_before(at, dossier.received_at, _("A dossier cannot be finished before receipt."))
        dossier.finished_at = at
        dossier.status = status_after(dossier.status, EventKind.FINISHED)
        _dossier_save(dossier)
        event = _event_record(
            dossier=dossier,
            kind=EventKind.FINISHED,
            by=by,
            at=at,
            from_unit_id=dossier.handling_unit_id,
            note=note,
        )
        _changed_announce(dossier=dossier, event=event, moments=[at])
    return dossier


def dossier_return(
    *,
    dossier: Dossier,
    by: AbstractBaseUser | None,
    at: dt.datetime,
    expected_version: int | None = None,
) -> Dossier:
    """The result was handed to the citizen."""
    _writable_at(at)
    with transaction.atomic():
        dossier = _locked(dossier=dossier, expected_version=expected_version)
        _status_require(
            dossier,
            {DossierStatus.FINISHED},
            _("Only a dossier whose result is ready can be returned."),
        )
        _not_before(at, dossier.finished_at, _("A result cannot be returned before it is ready."))
        dossier.returned_at = at
        dossier.status = status_after(dossier.status, EventKind.RETURNED)
        _dossier_save(dossier)
        event = _event_record(
            dossier=dossier,
            kind=EventKind.RETURNED,
            by=by,
            at=at,
            from_unit_id=dossier.handling_unit_id,
        )
        _changed_announce(dossier=dossier, event=event, moments=[at])
    return dossier


def dossier_withdraw(
    *,
    dossier: Dossier,
    by: AbstractBaseUser | None,
    at: dt.datetime,
    reason: str,
    expected_version: int | None = None,
) -> Dossier:
    """The citizen withdrew the dossier."""
    return _dossier_end(
        dossier=dossier,
        by=by,
        at=at,
        reason=reason,
        expected_version=expected_version,
        kind=EventKind.WITHDRAWN,
        refusal=_("Only an open dossier can be withdrawn."),
    )


def dossier_stop(
    *,
    dossier: Dossier,
    by: AbstractBaseUser | None,
    at: dt.datetime,
    reason: str,
    expected_version: int | None = None,
) -> Dossier:
    """Processing was stopped (e.g. the matter ceased to exist)."""
    return _dossier_end(
        dossier=dossier,
        by=by,
        at=at,
        reason=reason,
        expected_version=expected_version,
        kind=EventKind.STOPPED,
        refusal=_("Only an open dossier can be stopped."),
    )


def apology_issue(
    *,
    dossier: Dossier,
    reason: str,
    new_due_at: dt.datetime,
    by: AbstractBaseUser | None,
    at: dt.datetime,
    expected_version: int | None = None,
) -> Apology:
    """Issue the apology and new appointment (Mẫu 04); statistics still judge ``due_at``."""
    reason = _reason_required(reason)
    _writable_at(at)
    with transaction.atomic():
        dossier = _locked(dossier=dossier, expected_version=expected_version)
        _status_require(
            dossier, OPEN_STATUSES, _("An apology can only be issued for an open dossier.")
        )
        if Apology.objects.filter(dossier=dossier).exists():
            raise TransitionError(
                _("An apology was already issued for this dossier; only one is allowed."),
                code="apology_exists",
            )
        if new_due_at <= dossier.due_at:
            raise TransitionError(
                _("The new due date must be after the current due date."), code="new_due_at"
            )
        _not_before(at, dossier.received_at, _("An apology cannot be issued before receipt."))
        calendar = working_calendar()
        # Decree 61/2018 Art. 19: at least one working day before the due date; later is
        # still accepted but recorded as late.
        late = calendar.office_time_between(at, dossier.due_at) < calendar.working_day_length
        apology = Apology(
            dossier=dossier,
            issued_at=at,
            reason=reason,
            new_due_at=new_due_at,
            late=late,
            issued_by=by,
        )
        apology.full_clean()
        apology.save()
        dossier.rescheduled_due_at = new_due_at
        _dossier_save(dossier)
        event = _event_record(
            dossier=dossier,
            kind=EventKind.APOLOGY_ISSUED,
            by=by,
            at=at,
            from_unit_id=dossier.handling_unit_id,
            note=reason,
        )
        _changed_announce(dossier=dossier, event=event, moments=[at])
    return apology


# Helpers ----------------------------------------------------------------------------------------


def _dossier_end(
    *,
    dossier: Dossier,
    by: AbstractBaseUser | None,
    at: dt.datetime,
    reason: str,
    expected_version: int | None,
    kind: str,
    refusal: str,
) -> Dossier:
    reason = _reason_required(reason)
    _writable_at(at)
    with transaction.atomic():
        dossier = _locked(dossier=dossier, expected_version=expected_version)
        _status_require(dossier, OPEN_STATUSES, refusal)
        _not_before(at, dossier.received_at, _("A dossier cannot end before receipt."))
        # An open pause ends with the dossier: the unique "one open request" stays meaningful.
        SupplementRequest.objects.filter(dossier=dossier, completed_at__isnull=True).update(
            completed_at=at
        )
        dossier.finished_at = at
        dossier.status = status_after(dossier.status, kind)
        _dossier_save(dossier)
        event = _event_record(
            dossier=dossier,
            kind=kind,
            by=by,
            at=at,
            from_unit_id=dossier.handling_unit_id,
            note=reason,
        )
        _changed_announce(dossier=dossier, event=event, moments=[at])
    return dossier


def _handling_unit_change(
    *,
    dossier: Dossier,
    to_unit: Unit,
    by: AbstractBaseUser | None,
    at: dt.datetime,
    note: str = "",
    step_due_at: dt.datetime | None = None,
) -> None:
    """The hand-over itself (one line of the process control slip), on a locked dossier."""
    from_unit_id = dossier.handling_unit_id
    dossier.handling_unit = to_unit
    # A dossier waiting for the citizen's supplement keeps waiting at its new unit.
    dossier.status = status_after(dossier.status, EventKind.TRANSFERRED)
    _dossier_save(dossier)
    event = _event_record(
        dossier=dossier,
        kind=EventKind.TRANSFERRED,
        by=by,
        at=at,
        from_unit_id=from_unit_id,
        to_unit=to_unit,
        note=note,
        step_due_at=step_due_at,
    )
    _changed_announce(
        dossier=dossier,
        event=event,
        unit_ids={from_unit_id, to_unit.pk},
        moments=[at],
    )


def _writable_at(*moments: dt.datetime | None) -> None:
    """Refuse a write dated in a frozen period (the one check every service passes)."""
    dates_writable_check(local_date(moment) for moment in moments if moment is not None)


def _in_force_for_hand_over_check(*, unit: Unit, at: dt.datetime) -> None:
    day = local_date(at)
    reason = unit.validity_error(day)
    if reason:
        raise _field_error(
            "to_unit",
            _("%(reason)s Hand the dossier over to a unit in force on %(day)s.")
            % {"reason": reason, "day": f"{day:%d/%m/%Y}"},
            code="unit_not_in_force",
        )


def _intake_check(
    *, desk: Unit, procedure_version: ProcedureVersion, received_at: dt.datetime
) -> None:
    """What an intake (or a refusal at intake) must satisfy before anything is written."""
    if received_at > timezone.now():
        raise _field_error(
            "received_at", _("The received time cannot be in the future."), code="future"
        )
    day = local_date(received_at)
    reason = desk.validity_error(day)
    if reason:
        if desk.successors.exists():
            message = _(
                "%(reason)s No dossier can be received at its desk on %(day)s: receive it at "
                "the desk of %(successors)s."
            )
        else:
            message = _(
                "%(reason)s No dossier can be received at its desk on %(day)s: receive it at a "
                "desk in force that day."
            )
        raise ValidationError(
            message
            % {
                "reason": reason,
                "day": f"{day:%d/%m/%Y}",
                "successors": desk.successors_label(),
            },
            code="unit_not_in_force",
        )
    _version_in_force_check(procedure_version=procedure_version, received_at=received_at)
    if not procedure_version_receivable(version=procedure_version, unit=desk, on=day):
        raise _field_error(
            "procedure_version",
            _(
                "%(desk)s may not receive procedure %(code)s “%(name)s” on %(day)s: it is "
                "handled at another level or by other units. Direct the applicant to the "
                "competent desk, or choose a procedure this desk receives."
            )
            % {
                "desk": desk.name,
                "code": procedure_version.procedure.code,
                "name": procedure_version.name,
                "day": f"{day:%d/%m/%Y}",
            },
            code="competence",
        )
    _writable_at(received_at)


def _field_error(field: str, message: str, code: str) -> ValidationError:
    """A refusal tied to one input (forms show it under the field), keeping its code."""
    return ValidationError({field: ValidationError(message, code=code)})


def _local_text(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment, timezone.get_default_timezone()):%d/%m/%Y %H:%M}"


def _locked(*, dossier: Dossier, expected_version: int | None) -> Dossier:
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if expected_version is not None and locked.version != expected_version:
        raise DossierChangedMeanwhile()
    # The state before the step, for the audit entry _event_record writes after it.
    locked._audit_before = snapshot(locked)
    return locked


def _status_require(dossier: Dossier, allowed, message: str) -> None:
    if dossier.status not in allowed:
        raise TransitionError(
            _("%(message)s It is now: %(status)s.")
            % {"message": message, "status": dossier.get_status_display()},
            code="illegal_transition",
        )


def _not_before(at: dt.datetime, earliest: dt.datetime | None, message: str) -> None:
    if earliest is not None and at < earliest:
        raise TransitionError(message, code="time_order")


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("A reason is required.")}, code="required")
    return reason


def _note_join(*parts: str) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def _version_in_force_check(*, procedure_version: ProcedureVersion, received_at: dt.datetime):
    day = local_date(received_at)
    if not procedure_version.is_in_force_on(day):
        raise ValidationError(
            {
                "procedure_version": _(
                    "This version of procedure %(procedure)s is not in force on %(day)s."
                )
                % {"procedure": procedure_version.procedure.code, "day": day.isoformat()}
            },
            code="not_in_force",
        )


def _applicant_fields(applicant: dict) -> dict:
    fields = {}
    for key, value in applicant.items():
        name = key.removeprefix("applicant_")
        if name not in _APPLICANT_FIELDS:
            raise ValidationError(
                _("Unknown applicant detail: %(key)s.") % {"key": key}, code="applicant"
            )
        fields[f"applicant_{name}"] = value or ""
    return fields


_RELATIONS_CHECKED_BY_THE_DATABASE = (
    "procedure_version",
    "receiving_unit",
    "handling_unit",
    "dossier",
    "from_unit",
    "to_unit",
    "by",
)


def _dossier_save_new(dossier: Dossier) -> None:
    # received_date is derived in save(); fill it so full_clean does not flag it missing.
    dossier.received_date = local_date(dossier.received_at)
    # Related rows come in as instances the caller loaded and the code from the unit-day
    # counter: the database's foreign keys and unique index back them up, so the per-row
    # existence and uniqueness queries of a full check are skipped (7 of an intake's queries).
    dossier.full_clean(exclude=_RELATIONS_CHECKED_BY_THE_DATABASE, validate_unique=False)
    dossier.save()


def _dossier_save(dossier: Dossier) -> None:
    dossier.version += 1
    dossier.full_clean(exclude=_RELATIONS_CHECKED_BY_THE_DATABASE, validate_unique=False)
    dossier.save()


def _event_record(
    *,
    dossier: Dossier,
    kind: str,
    by,
    at: dt.datetime,
    note: str = "",
    audit_extra: dict | None = None,
    **units_and_due,
) -> Event:
    """The step's event in the dossier's history, and its audit entry (fields before → after;
    ``audit_extra`` adds values that are not fields of the dossier, e.g. a back-dating reason)."""
    event = Event(dossier=dossier, kind=kind, by=by, at=at, note=note, **units_and_due)
    event.full_clean(exclude=_RELATIONS_CHECKED_BY_THE_DATABASE)
    event.save()
    audit_record(
        actor=by,
        action=kind,
        instance=dossier,
        before=getattr(dossier, "_audit_before", None),
        after={**snapshot(dossier), **(audit_extra or {})},
        unit_id=dossier.handling_unit_id,
    )
    return event


def _changed_announce(
    *,
    dossier: Dossier,
    event: Event,
    moments: list[dt.datetime],
    unit_ids: set | None = None,
) -> None:
    units = set(unit_ids or ()) | {dossier.receiving_unit_id, dossier.handling_unit_id}
    dates = {dossier.received_date} | {local_date(moment) for moment in moments if moment}
    # Sent inside the transaction: a receiver's rows (the stale-rollup marks) commit or roll
    # back with the change; receivers that reach the outside world wait for the commit.
    dossier_changed.send(
        sender=Dossier,
        dossier_id=dossier.pk,
        unit_ids=frozenset(units),
        dates=frozenset(dates),
        event_kind=str(event.kind),
        event_id=event.pk,
    )


def dossier_applicant_correct(
    *,
    dossier: Dossier,
    by: AbstractBaseUser | None,
    expected_version: int | None = None,
    **fields: str,
) -> Dossier:
    """Correct the applicant's details of a dossier (an administrator's fix of a misspelt or
    unusable name): only ``applicant_*`` fields (with or without the prefix), nothing else.

    No :class:`Event`: the dossier took no step, and its figures do not change, so no
    ``dossier_changed`` either (the correction is allowed in a frozen period). The audit
    entry, by ``by``, holds each changed field before → after. Text with a C0 control character
    is refused as every form refuses it (:mod:`org.text`); a correction that changes nothing
    writes nothing.
    """
    from org.text import has_control_characters

    wanted = _applicant_fields(fields)
    for name, value in wanted.items():
        if has_control_characters(value):
            raise _field_error(
                name,
                _(
                    "This text holds a control character (such as Esc), which no text may "
                    "contain. Retype it."
                ),
                "control_character",
            )
    wanted = {name: value.strip() for name, value in wanted.items()}
    with transaction.atomic():
        dossier = _locked(dossier=dossier, expected_version=expected_version)
        if all(getattr(dossier, name) == value for name, value in wanted.items()):
            return dossier
        for name, value in wanted.items():
            setattr(dossier, name, value)
        _dossier_save(dossier)
        audit_record(
            actor=by,
            action="applicant_correct",
            instance=dossier,
            before=dossier._audit_before,
            after=snapshot(dossier),
            unit_id=dossier.handling_unit_id,
        )
    return dossier
