"""The content of the printable forms (Mẫu 01–06 of Circular 01/2018, 01–07 of Circular 03/2025).

Pure builders: they read model instances and lists the views have already fetched and return
plain dataclasses for the templates; no query is made here. Official titles and legal-basis
lines are Vietnamese legal names (data), kept as constants; labels go through gettext.

Sources of the form table:

- Circular 01/2018/TT-VPCP of 23 November 2018 (guiding Decree 61/2018): Mẫu 01 receipt,
  02 supplement request, 03 refusal, 04 apology and new date, 05 process control sheet,
  06 register.
- Circular 03/2025/TT-VPCP of 15 September 2025 (guiding Decree 118/2025), Appendix I: Mẫu 01
  receipt, 02 supplement request, 03 refusal, 04 apology and request to extend the time,
  05 notice of stopping the processing, 06 process control sheet, 07 register (list confirmed
  against the published appendix summary; the portal prints 05 "stop" nowhere yet).
  Dossiers of regime "2025" received between 1 July and 14 September 2025 are printed on the
  2025 forms too: the regime is fixed per dossier at intake (DESIGN §1) and the forms follow it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.models import Unit, UnitLevel

from .models import (
    REGIME_2025_FROM,
    Dossier,
    DossierStatus,
    Event,
    EventKind,
    Regime,
    local_date,
)

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


class FormKind(StrEnum):
    RECEIPT = "receipt"
    SUPPLEMENT = "supplement"
    REFUSAL = "refusal"
    APOLOGY = "apology"
    STOP_NOTICE = "stop_notice"
    CONTROL_SHEET = "control_sheet"
    REGISTER = "register"


@dataclass(frozen=True)
class FormSpec:
    number: str
    title: str
    legal_basis: str

    @property
    def number_line(self) -> str:
        return f"Mẫu số {self.number}"


_BASIS_2018 = (
    "Ban hành kèm theo Thông tư số 01/2018/TT-VPCP ngày 23 tháng 11 năm 2018 "
    "của Văn phòng Chính phủ"
)
_BASIS_2025 = (
    "Phụ lục I ban hành kèm theo Thông tư số 03/2025/TT-VPCP ngày 15 tháng 9 năm 2025 "
    "của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ"
)


def _spec(basis: str, number: str, title: str) -> FormSpec:
    return FormSpec(number=number, title=title, legal_basis=f"Mẫu số {number} – {basis}")


# THE table of forms: (regime, form) -> official number, title, legal-basis line.
FORMS: dict[tuple[str, FormKind], FormSpec] = {
    (Regime.DECREE_61_2018, FormKind.RECEIPT): _spec(
        _BASIS_2018, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    ),
    (Regime.DECREE_61_2018, FormKind.SUPPLEMENT): _spec(
        _BASIS_2018, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
    ),
    (Regime.DECREE_61_2018, FormKind.REFUSAL): _spec(
        _BASIS_2018, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
    ),
    (Regime.DECREE_61_2018, FormKind.APOLOGY): _spec(
        _BASIS_2018, "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    ),
    (Regime.DECREE_61_2018, FormKind.CONTROL_SHEET): _spec(
        _BASIS_2018, "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"
    ),
    (Regime.DECREE_61_2018, FormKind.REGISTER): _spec(_BASIS_2018, "06", "Sổ theo dõi hồ sơ"),
    (Regime.DECREE_118_2025, FormKind.RECEIPT): _spec(
        _BASIS_2025, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    ),
    (Regime.DECREE_118_2025, FormKind.SUPPLEMENT): _spec(
        _BASIS_2025, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
    ),
    (Regime.DECREE_118_2025, FormKind.REFUSAL): _spec(
        _BASIS_2025, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
    ),
    (Regime.DECREE_118_2025, FormKind.APOLOGY): _spec(
        _BASIS_2025, "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    ),
    (Regime.DECREE_118_2025, FormKind.STOP_NOTICE): _spec(
        _BASIS_2025, "05", "Thông báo dừng giải quyết hồ sơ"
    ),
    (Regime.DECREE_118_2025, FormKind.CONTROL_SHEET): _spec(
        _BASIS_2025, "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"
    ),
    (Regime.DECREE_118_2025, FormKind.REGISTER): _spec(_BASIS_2025, "07", "Sổ theo dõi hồ sơ"),
}

# What the desk is called under each regime (DESIGN §1): the second line of the issuer block
# when the receiving unit is a people's committee itself.
DESK_NAMES: dict[str, str] = {
    Regime.DECREE_61_2018: "BỘ PHẬN MỘT CỬA",
    Regime.DECREE_118_2025: "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
}


def form_spec(*, regime: str, form: FormKind) -> FormSpec:
    try:
        return FORMS[(str(regime), form)]
    except KeyError:
        raise LookupError(f"No form {form} under regime {regime}.") from None


def regime_on(day: dt.date) -> str:
    return Regime.DECREE_118_2025 if day >= REGIME_2025_FROM else Regime.DECREE_61_2018


# Timeliness (DESIGN §3: compared by local date) ----------------------------------------------


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


TIMELINESS_LABELS = {
    Timeliness.EARLY: gettext_lazy("Early"),
    Timeliness.ON_TIME: gettext_lazy("On time"),
    Timeliness.LATE: gettext_lazy("Late"),
}


def timeliness(*, done_at: dt.datetime | None, due_at: dt.datetime | None) -> Timeliness | None:
    """Early / on time / late by local date; ``None`` when not done or nothing to judge by."""
    if done_at is None or due_at is None:
        return None
    done, due = local_date(done_at), local_date(due_at)
    if done < due:
        return Timeliness.EARLY
    if done == due:
        return Timeliness.ON_TIME
    return Timeliness.LATE


def step_timeliness(
    *,
    ended_at: dt.datetime | None,
    step_due_at: dt.datetime | None,
    is_last_step: bool,
    dossier_due_at: dt.datetime | None,
) -> Timeliness | None:
    """The result of one step of the control sheet (Mẫu 05 / 06).

    ``ended_at`` is when the next hand-over happened (``None``: the step is still running).
    A step without its own due date is judged only when it is the last processing step (the
    one that produced the result), against the dossier's due date.
    """
    due = step_due_at if step_due_at is not None else (dossier_due_at if is_last_step else None)
    return timeliness(done_at=ended_at, due_at=due)


# Shared pieces --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    """The issuer block at the top left of a slip: the authority above, the desk below."""

    upper: str
    lower: str


_PEOPLES_COMMITTEE_LEVELS = {UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE}


def issuer_for(*, unit: Unit, regime: str) -> Issuer:
    """A desk that is its own unit (a centre, a department's desk) sits under its parent; a
    people's committee receiving at its own desk prints its name over the desk's name."""
    if unit.level in _PEOPLES_COMMITTEE_LEVELS or unit.parent is None:
        return Issuer(upper=unit.name.upper(), lower=DESK_NAMES[str(regime)])
    return Issuer(upper=unit.parent.name.upper(), lower=unit.name.upper())


def person_name(user) -> str:
    """A staff member's name in Vietnamese order (family name first), else the login."""
    if user is None:
        return ""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()


def _first(events: Iterable[Event], kind: str) -> Event | None:
    return next((event for event in events if event.kind == kind), None)


@dataclass(frozen=True)
class SlipHeader:
    spec: FormSpec
    issuer: Issuer
    code: str
    national_name: str = NATIONAL_NAME
    national_motto: str = NATIONAL_MOTTO


def slip_header(*, dossier: Dossier, form: FormKind) -> SlipHeader:
    return SlipHeader(
        spec=form_spec(regime=dossier.regime, form=form),
        issuer=issuer_for(unit=dossier.receiving_unit, regime=dossier.regime),
        code=dossier.code,
    )


# Mẫu 01: receipt ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentLine:
    number: int
    name: str
    originals: int
    certified_copies: int
    copies: int


@dataclass(frozen=True)
class Receipt:
    header: SlipHeader
    dossier: Dossier
    procedure_name: str
    documents: list[DocumentLine]
    received_at: dt.datetime
    # The appointment given at intake: later pauses and apologies do not rewrite the receipt.
    appointment_at: dt.datetime
    collect_at: str
    officer_name: str


def receipt_build(*, dossier: Dossier, events: Sequence[Event], documents: Sequence) -> Receipt:
    received = _first(events, EventKind.RECEIVED)
    return Receipt(
        header=slip_header(dossier=dossier, form=FormKind.RECEIPT),
        dossier=dossier,
        procedure_name=dossier.procedure_version.name,
        documents=[
            DocumentLine(
                number=number,
                name=doc.name,
                originals=doc.originals,
                certified_copies=doc.certified_copies,
                copies=doc.copies,
            )
            for number, doc in enumerate(documents, start=1)
        ],
        received_at=dossier.received_at,
        appointment_at=dossier.original_due_at,
        collect_at=dossier.receiving_unit.name,
        officer_name=person_name(received.by if received else None),
    )


# Mẫu 02: supplement request ----------------------------------------------------------------


@dataclass(frozen=True)
class SupplementSlip:
    header: SlipHeader
    dossier: Dossier
    procedure_name: str
    reason: str
    missing_documents: list[str]
    requested_at: dt.datetime
    officer_name: str


def supplement_build(*, dossier: Dossier, request) -> SupplementSlip:
    return SupplementSlip(
        header=slip_header(dossier=dossier, form=FormKind.SUPPLEMENT),
        dossier=dossier,
        procedure_name=dossier.procedure_version.name,
        reason=request.reason,
        missing_documents=[
            line.strip() for line in request.missing_documents.splitlines() if line.strip()
        ],
        requested_at=request.requested_at,
        officer_name=person_name(request.requested_by),
    )


# Mẫu 03: refusal --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefusalSlip:
    header: SlipHeader
    dossier: Dossier
    procedure_name: str
    reason: str
    refused_at: dt.datetime
    officer_name: str


def refusal_build(*, dossier: Dossier, events: Sequence[Event]) -> RefusalSlip:
    refused = _first(events, EventKind.REFUSED)
    return RefusalSlip(
        header=slip_header(dossier=dossier, form=FormKind.REFUSAL),
        dossier=dossier,
        procedure_name=dossier.procedure_version.name,
        reason=refused.note if refused else "",
        refused_at=refused.at if refused else dossier.received_at,
        officer_name=person_name(refused.by if refused else None),
    )


# Mẫu 04: apology and new date ----------------------------------------------------------------


@dataclass(frozen=True)
class ApologySlip:
    header: SlipHeader
    dossier: Dossier
    procedure_name: str
    reason: str
    new_due_at: dt.datetime
    original_due_at: dt.datetime
    # Shown only when a supplement pause moved it: the date actually missed.
    shifted_due_at: dt.datetime | None
    issued_at: dt.datetime
    officer_name: str


def apology_build(*, dossier: Dossier, apology) -> ApologySlip:
    return ApologySlip(
        header=slip_header(dossier=dossier, form=FormKind.APOLOGY),
        dossier=dossier,
        procedure_name=dossier.procedure_version.name,
        reason=apology.reason,
        new_due_at=apology.new_due_at,
        original_due_at=dossier.original_due_at,
        shifted_due_at=dossier.due_at if dossier.due_at != dossier.original_due_at else None,
        issued_at=apology.issued_at,
        officer_name=person_name(apology.issued_by),
    )


# Mẫu 05 (2018) / 06 (2025): process control sheet ---------------------------------------------

# Events that are a hand-over of the dossier (a line of the control sheet).
HANDOVER_KINDS = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.TRANSFERRED,
        EventKind.FINISHED,
        EventKind.RETURNED,
        EventKind.WITHDRAWN,
        EventKind.STOPPED,
    }
)
# A step is judged only when it ended by handing the dossier on for processing or with the
# result; a withdrawal or a stop ends it without a result to judge.
_STEP_ENDINGS = frozenset({EventKind.TRANSFERRED, EventKind.FINISHED})


@dataclass(frozen=True)
class ControlRow:
    number: int
    kind: str
    kind_label: str
    from_label: str
    to_label: str
    at: dt.datetime
    step_due_at: dt.datetime | None
    result: Timeliness | None
    officer_name: str
    note: str

    @property
    def result_label(self) -> str:
        return str(TIMELINESS_LABELS[self.result]) if self.result else ""


def _unit_name(unit: Unit | None) -> str:
    return unit.name if unit is not None else ""


def control_rows(*, dossier: Dossier, events: Sequence[Event]) -> list[ControlRow]:
    """One row per hand-over, in order; ``events`` in time order with their units loaded."""
    handovers = [event for event in events if event.kind in HANDOVER_KINDS]
    rows = []
    for index, event in enumerate(handovers):
        following = handovers[index + 1] if index + 1 < len(handovers) else None
        ends_step = following is not None and following.kind in _STEP_ENDINGS
        from_label = _unit_name(event.from_unit)
        to_label = _unit_name(event.to_unit)
        if event.kind == EventKind.RECEIVED:
            from_label = from_label or dossier.applicant_name
        elif event.kind == EventKind.FINISHED:
            to_label = to_label or dossier.receiving_unit.name
        elif event.kind in (EventKind.RETURNED, EventKind.WITHDRAWN):
            to_label = to_label or dossier.applicant_name
        rows.append(
            ControlRow(
                number=index + 1,
                kind=event.kind,
                kind_label=str(EventKind(event.kind).label),
                from_label=from_label,
                to_label=to_label,
                at=event.at,
                step_due_at=event.step_due_at,
                result=step_timeliness(
                    ended_at=following.at if ends_step else None,
                    step_due_at=event.step_due_at,
                    is_last_step=ends_step and following.kind == EventKind.FINISHED,
                    dossier_due_at=dossier.due_at,
                ),
                officer_name=person_name(event.by),
                note=event.note,
            )
        )
    return rows


@dataclass(frozen=True)
class ControlSheet:
    header: SlipHeader
    dossier: Dossier
    procedure_name: str
    rows: list[ControlRow]


def control_sheet_build(*, dossier: Dossier, events: Sequence[Event]) -> ControlSheet:
    return ControlSheet(
        header=slip_header(dossier=dossier, form=FormKind.CONTROL_SHEET),
        dossier=dossier,
        procedure_name=dossier.procedure_version.name,
        rows=control_rows(dossier=dossier, events=events),
    )


# Mẫu 06 (2018) / 07 (2025): register ---------------------------------------------------------

# The register is for printing: above this many rows the page refuses and points to the XLSX.
REGISTER_HTML_MAX_ROWS = 5000
# One worksheet holds 1,048,576 rows; the register's title and header take three.
REGISTER_XLSX_MAX_ROWS = 1_048_576 - 3
REGISTER_FORMATS = ("html", "xlsx")


class RegisterRequestError(ValueError):
    """The register's parameters are invalid; the message says why (shown with a 400)."""


@dataclass(frozen=True)
class RegisterRange:
    start: dt.date
    end: dt.date
    output: str = "html"

    @property
    def regime(self) -> str:
        # A register spanning 1 July 2025 is kept on the forms in force at its end.
        return regime_on(self.end)


def _date_param(value: str | None, label: str) -> dt.date:
    if not value:
        raise RegisterRequestError(_("The %(field)s date is required.") % {"field": label})
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RegisterRequestError(
            _("The %(field)s date must look like 2021-03-31.") % {"field": label}
        ) from None


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return dt.date(day.year + 1, 3, 1)


def register_range_parse(
    *, start: str | None, end: str | None, output: str | None = None
) -> RegisterRange:
    """Validate ``from`` / ``to`` (local dates, inclusive, at most one year) and the format."""
    output = output or "html"
    if output not in REGISTER_FORMATS:
        raise RegisterRequestError(_("The format must be html or xlsx."))
    start_day = _date_param(start, _("start"))
    end_day = _date_param(end, _("end"))
    if end_day < start_day:
        raise RegisterRequestError(_("The end date is before the start date."))
    if end_day >= _one_year_after(start_day):
        raise RegisterRequestError(_("The register covers at most one year; shorten the range."))
    return RegisterRange(start=start_day, end=end_day, output=output)


@dataclass(frozen=True)
class RegisterRow:
    number: int
    code: str
    procedure_name: str
    applicant_name: str
    applicant_address: str
    received_at: dt.datetime
    due_at: dt.datetime
    transferred_to: str
    transferred_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    result_label: str
    note: str


_RESOLVED_STATUSES = frozenset({DossierStatus.FINISHED, DossierStatus.RETURNED})


def register_result_label(dossier: Dossier) -> str:
    """Early / on time / late once the result is ready; otherwise the dossier's status."""
    if dossier.status in _RESOLVED_STATUSES:
        result = timeliness(done_at=dossier.finished_at, due_at=dossier.due_at)
        if result is not None:
            return str(TIMELINESS_LABELS[result])
    return str(DossierStatus(dossier.status).label)


def register_row(*, number: int, dossier: Dossier) -> RegisterRow:
    """A register line from a dossier annotated with ``transferred_to_name`` and
    ``transferred_at`` (its first hand-over) and loaded with its procedure version."""
    note = ""
    if dossier.rescheduled_due_at is not None:
        note = _("Rescheduled to %(date)s") % {
            "date": local_date(dossier.rescheduled_due_at).strftime("%d/%m/%Y")
        }
    return RegisterRow(
        number=number,
        code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        applicant_name=dossier.applicant_name,
        applicant_address=dossier.applicant_address,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        transferred_to=getattr(dossier, "transferred_to_name", None) or "",
        transferred_at=getattr(dossier, "transferred_at", None),
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        result_label=register_result_label(dossier),
        note=note,
    )


def register_rows(dossiers: Iterable[Dossier]) -> Iterable[RegisterRow]:
    for number, dossier in enumerate(dossiers, start=1):
        yield register_row(number=number, dossier=dossier)
