"""The content of the printable forms (Mẫu 01–06 of Circular 01/2018, 01–07 of Circular 03/2025).

Pure builders: they read model instances and lists the views have already fetched and return
plain dataclasses for the templates; no query is made here. A slip is a legal paper the citizen
signs, so everything printed on the sheet is the circulars' Vietnamese wording, kept below as
constants (data, not gettext); only the screen's toolbar and error pages are translated.
``docs/forms.md`` says which public reproduction each line was checked against.

Sources of the form table:

- Circular 01/2018/TT-VPCP of 23 November 2018 (guiding Decree 61/2018): Mẫu 01 receipt,
  02 supplement request, 03 refusal, 04 apology and new date, 05 process control sheet,
  06 register.
- Circular 03/2025/TT-VPCP of 15 September 2025 (guiding Decree 118/2025), Appendix I: Mẫu 01
  receipt, 02 supplement request, 03 refusal, 04 apology and request to extend the time,
  05 notice of stopping the processing, 06 process control sheet, 07 register.
  Dossiers of regime "2025" received between 1 July and 14 September 2025 are printed on the
  2025 forms too: the regime is fixed per dossier at intake (DESIGN §1) and the forms follow it.
  Circular 01/2018 has no stop notice: a stopped 2018 dossier prints its stop and reason on the
  control sheet (GHI CHÚ) and in the register, and the stop-notice page answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.models import Unit, UnitLevel, is_reformed

from .models import (
    RESULT_STATUSES,
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


def form_spec(*, regime: str, form: FormKind) -> FormSpec:
    try:
        return FORMS[(str(regime), form)]
    except KeyError:
        raise LookupError(f"No form {form} under regime {regime}.") from None


def form_applies(*, regime: str, form: FormKind) -> bool:
    return (str(regime), form) in FORMS


def regime_on(day: dt.date) -> str:
    return Regime.DECREE_118_2025 if is_reformed(day) else Regime.DECREE_61_2018


# The official wording (data) -------------------------------------------------------------------

# The one-stop desk's name in the header. Circular 01/2018's forms read "TRUNG TÂM PHỤC VỤ
# HÀNH CHÍNH CÔNG (hoặc) BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ": the centre at province level, the
# desk at district and commune level (Decree 61/2018 Art. 7). Under Decree 118/2025 both the
# province and the commune run a Trung tâm Phục vụ hành chính công.
CENTRE_NAME = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
DESK_NAME_2018 = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"

SIGN_HINT = "(Ký và ghi rõ họ tên)"
SIGN_HINT_SEAL = "(Ký, ghi rõ họ tên và đóng dấu)"
SIGN_APPLICANT = "NGƯỜI NỘP HỒ SƠ"
SIGN_RECEIVER = "NGƯỜI TIẾP NHẬN HỒ SƠ"
SIGN_GUIDE = "NGƯỜI HƯỚNG DẪN"
SIGN_HEAD = "THỦ TRƯỞNG CƠ QUAN"
RECIPIENTS = ("Nơi nhận:", "- Như trên;", "- Lưu: VT.")
BLANK = "……………"

LINE_RECEIVED_FROM = "Tiếp nhận hồ sơ của: {name}"
LINE_ADDRESS = "Địa chỉ: {address}"
LINE_CONTACT = "Số điện thoại: {phone}    Email: {email}"
LINE_REQUEST = "Nội dung yêu cầu giải quyết: {procedure}"
LINE_CODE = "Mã hồ sơ: {code}"
DEAR = "Kính gửi: Ông/Bà {name}"
DEAR_ADDRESS = "(Địa chỉ: {address})"

RECEIPT_DOCUMENTS = "1. Thành phần hồ sơ nộp gồm:"
RECEIPT_SETS = "2. Số lượng hồ sơ: {sets} (bộ)"
RECEIPT_PROCESSING_TIME = "3. Thời gian giải quyết hồ sơ theo quy định là: {time}"
RECEIPT_RECEIVED_AT = "4. Thời gian nhận hồ sơ: {moment}"
RECEIPT_DUE_AT = "5. Thời gian trả kết quả giải quyết hồ sơ: {moment}"
RECEIPT_COLLECT_AT = "6. Đăng ký nhận kết quả tại: {place}"
RECEIPT_BOOK = "Vào Sổ theo dõi hồ sơ, Quyển số: {book}, Số thứ tự: {number}"
# For a dossier recorded without the checklist (imported, or received before the checklist
# existed): the catalogue's list with the counts left blank, and this footnote.
RECEIPT_DOCUMENTS_FROM_CATALOGUE = (
    "(*) Danh mục thành phần hồ sơ theo thủ tục; số lượng giấy tờ đã nhận không được ghi "
    "trên hệ thống."
)

DOCUMENT_COLUMNS = ("TT", "Tên giấy tờ", "Bản chính", "Bản chứng thực", "Bản photo")
DOCUMENT_COUNTS_HEADER = "Số lượng"

SUPPLEMENT_ASK = "Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:"
SUPPLEMENT_COLUMNS = ("TT", "Nội dung yêu cầu bổ sung, hoàn thiện")
SUPPLEMENT_REASON = "Lý do: {reason}"
SUPPLEMENT_CONTACT = (
    "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với {officer}, "
    "{unit}, số điện thoại {phone} để được hướng dẫn./."
)
# The portal's rule (DESIGN §3 "Supplement"), said the way the citizen reads it.
SUPPLEMENT_CLOCK = (
    "Thời gian giải quyết hồ sơ tạm dừng kể từ khi có phiếu này và tiếp tục được tính khi "
    "Ông/Bà nộp đủ hồ sơ đã hoàn thiện; ngày hẹn trả kết quả được lùi lại tương ứng."
)

REFUSAL_REASON = (
    "Qua xem xét, {desk} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể "
    "như sau: {reason}"
)
REFUSAL_CLOSING = "Xin thông báo cho Ông/Bà được biết và thực hiện./."

APOLOGY_RECEIVED = (
    "Ngày {date}, {desk} tiếp nhận giải quyết hồ sơ của Ông/Bà đề nghị giải quyết thủ tục "
    "hành chính: {procedure}."
)
APOLOGY_DUE = "Thời gian hẹn trả kết quả giải quyết hồ sơ: {moment}."
APOLOGY_LATE = (
    "Tuy nhiên đến nay, {desk} chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng hạn được "
    "ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
)
APOLOGY_REASON = "Lý do: {reason}"
APOLOGY_PROMISE = {
    Regime.DECREE_61_2018: (
        "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {desk} xin lỗi Ông/Bà và sẽ trả kết quả "
        "giải quyết hồ sơ cho Ông/Bà vào {moment}."
    ),
    Regime.DECREE_118_2025: (
        "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {desk} xin lỗi Ông/Bà và đề nghị gia "
        "hạn thời gian giải quyết hồ sơ đến {moment}."
    ),
}
APOLOGY_THANKS = "Xin trân trọng cảm ơn./."

STOP_RECEIVED = APOLOGY_RECEIVED
STOP_NOTICE = (
    "{desk} thông báo dừng giải quyết hồ sơ của Ông/Bà kể từ {moment} với lý do cụ thể như "
    "sau: {reason}"
)
STOP_CLOSING = "Xin thông báo cho Ông/Bà được biết./."

CONTROL_ATTACHED = "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: {code})"
CONTROL_LEAD = "Cơ quan (bộ phận) giải quyết hồ sơ: {unit}"
CONTROL_COORDINATING = "Cơ quan phối hợp giải quyết hồ sơ: {units}"
CONTROL_COLUMNS = (
    "TÊN CƠ QUAN",
    "THỜI GIAN GIAO, NHẬN HỒ SƠ",
    "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)",
    "GHI CHÚ",
)
CONTROL_GIVE = "1. Giao: {unit}"
CONTROL_TAKE = "2. Nhận: {unit}"
CONTROL_GIVER = "Người giao"
CONTROL_TAKER = "Người nhận"
CONTROL_SIGN = "(Ký)"
CONTROL_STEP_DUE = "Hạn: {moment}"

HANDOVER_LABELS = {
    EventKind.RECEIVED: "Tiếp nhận hồ sơ",
    EventKind.TRANSFERRED: "Chuyển giải quyết",
    EventKind.FINISHED: "Có kết quả giải quyết",
    EventKind.RETURNED: "Trả kết quả",
    EventKind.WITHDRAWN: "Rút hồ sơ",
    EventKind.STOPPED: "Dừng giải quyết",
}

REGISTER_PERIOD = "Từ ngày {start} đến ngày {end}"

_TIME_UNITS = {
    "working_days": "ngày làm việc",
    "working_hours": "giờ làm việc",
    "calendar_days": "ngày",
}


# Dates and times as Vietnamese administrative papers write them --------------------------------


def vn_date(day: dt.date) -> str:
    """ "ngày 05 tháng 8 năm 2025": days below 10 and the months 1 and 2 take a leading zero
    (Decree 30/2020 on the format of administrative documents, Appendix I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, timezone.get_default_timezone())


def vn_moment(moment: dt.datetime | None) -> str:
    """ "09 giờ 00 phút, ngày 02 tháng 3 năm 2021" on the portal's wall clock."""
    if moment is None:
        return ""
    local = _local(moment)
    return f"{local:%H} giờ {local:%M} phút, {vn_date(local.date())}"


def short_moment(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return f"{_local(moment):%d/%m/%Y %H:%M}"


def processing_time_text(value: Decimal | int | None, unit: str) -> str:
    """ "3 ngày làm việc", "0,5 ngày làm việc", "8 giờ làm việc", "15 ngày" (calendar days)."""
    if value is None:
        return BLANK
    number = Decimal(value).normalize()
    text = f"{number:f}".replace(".", ",")
    return f"{text} {_TIME_UNITS.get(unit, unit)}"


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
# As printed on the control sheet and in the register (the forms' own words).
TIMELINESS_PRINTED = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
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
    # How the body of the slip names the desk ("Bộ phận Tiếp nhận và Trả kết quả UBND xã …").
    desk: str = ""


_PEOPLES_COMMITTEE_LEVELS = {UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE}
_COMMITTEE_PREFIXES = ("ubnd ", "ủy ban nhân dân ", "uỷ ban nhân dân ")


def desk_name(*, regime: str, level: str) -> str:
    if str(regime) == Regime.DECREE_61_2018 and level != UnitLevel.PROVINCE:
        return DESK_NAME_2018
    return CENTRE_NAME


def committee_name(unit: Unit) -> str:
    """ "UBND xã Chư Gu" for a people's committee however the unit is named ("Xã Phú Túc")."""
    if unit.name.lower().startswith(_COMMITTEE_PREFIXES):
        return unit.name
    return f"UBND {unit.name[:1].lower()}{unit.name[1:]}"


def issuer_for(*, unit: Unit, regime: str) -> Issuer:
    """A desk that is its own unit (a centre, a department's desk) sits under its parent; a
    people's committee receiving at its own desk prints its name over the desk's name."""
    if unit.level in _PEOPLES_COMMITTEE_LEVELS or unit.parent is None:
        lower = desk_name(regime=regime, level=unit.level)
        committee = committee_name(unit)
        territory = next(
            (committee[len(p) :] for p in _COMMITTEE_PREFIXES if committee.lower().startswith(p)),
            committee,
        )
        return Issuer(
            upper=committee.upper(), lower=lower, desk=f"{lower.capitalize()} {territory}"
        )
    return Issuer(upper=unit.parent.name.upper(), lower=unit.name.upper(), desk=unit.name)


_PLACE_PREFIXES = (
    "ubnd ",
    "ủy ban nhân dân ",
    "uỷ ban nhân dân ",
    "tỉnh ",
    "huyện ",
    "quận ",
    "thị xã ",
    "thị trấn ",
    "xã ",
    "phường ",
    "đặc khu ",
    "thành phố ",
)


def place_name(unit: Unit) -> str:
    """The place of the date line: the locality of the nearest people's committee at or above
    the unit, without its administrative prefix ("Phú Túc", "Gia Lai"); a ward named by a
    number keeps it ("Phường 12"). Walks ``parent`` (loaded by the views)."""
    committee = unit
    while committee.level not in _PEOPLES_COMMITTEE_LEVELS and committee.parent is not None:
        committee = committee.parent
    name = committee.name.strip()
    changed = True
    while changed:
        changed = False
        for prefix in _PLACE_PREFIXES:
            rest = name[len(prefix) :]
            if name.lower().startswith(prefix) and rest and not rest.isdigit():
                name, changed = rest.strip(), True
    return name


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
    number: str
    place_date: str
    code: str
    national_name: str = NATIONAL_NAME
    national_motto: str = NATIONAL_MOTTO

    @property
    def number_line(self) -> str:
        return f"Số: {self.number}"

    @property
    def code_line(self) -> str:
        return LINE_CODE.format(code=self.code)

    @property
    def code_label(self) -> str:
        return LINE_CODE.format(code="").rstrip()


def slip_header(
    *, dossier: Dossier, form: FormKind, on: dt.datetime, number: str | None = None
) -> SlipHeader:
    """The slip's number is the dossier code (the portal keeps no separate outgoing register
    for slips); the place-and-date line is dated ``on``."""
    unit = dossier.receiving_unit
    return SlipHeader(
        spec=form_spec(regime=dossier.regime, form=form),
        issuer=issuer_for(unit=unit, regime=dossier.regime),
        number=number or dossier.code,
        place_date=f"{place_name(unit)}, {vn_date(local_date(on))}",
        code=dossier.code,
    )


def applicant_lines(dossier: Dossier, procedure_name: str) -> list[str]:
    """The applicant block every slip repeats: who, where, how to reach, what they ask."""
    return [
        LINE_RECEIVED_FROM.format(name=dossier.applicant_name),
        LINE_ADDRESS.format(address=dossier.applicant_address or BLANK),
        LINE_CONTACT.format(
            phone=dossier.applicant_phone or BLANK, email=dossier.applicant_email or BLANK
        ),
        LINE_REQUEST.format(procedure=procedure_name),
    ]


@dataclass(frozen=True)
class Signature:
    title: str
    hint: str
    name: str = ""


# Mẫu 01: receipt ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentLine:
    number: int
    name: str
    # None: not recorded (a dossier without a checklist prints the catalogue's names only).
    originals: int | None
    certified_copies: int | None
    copies: int | None


@dataclass(frozen=True)
class Receipt:
    header: SlipHeader
    dossier: Dossier
    desk_line: str
    applicant_lines: list[str]
    documents: list[DocumentLine]
    documents_note: str
    sets_line: str
    processing_time_line: str
    received_line: str
    appointment_line: str
    collect_line: str
    book_line: str
    signatures: tuple[Signature, Signature]
    # The appointment given at intake: later pauses and apologies do not rewrite the receipt.
    appointment_at: dt.datetime
    documents_heading: str = RECEIPT_DOCUMENTS
    document_columns: tuple[str, ...] = DOCUMENT_COLUMNS
    counts_header: str = DOCUMENT_COUNTS_HEADER


def receipt_documents(*, received: Sequence, catalogue: Sequence) -> tuple[list[DocumentLine], str]:
    """The papers handed in at intake; without any, the catalogue's names with blank counts
    and the footnote saying so (never the catalogue's counts as if received)."""
    if received:
        return [
            DocumentLine(number, doc.name, doc.originals, doc.certified_copies, doc.copies)
            for number, doc in enumerate(received, start=1)
        ], ""
    lines = [
        DocumentLine(number, doc.name, None, None, None)
        for number, doc in enumerate(catalogue, start=1)
    ]
    return lines, RECEIPT_DOCUMENTS_FROM_CATALOGUE if lines else ""


def receipt_build(
    *,
    dossier: Dossier,
    events: Sequence[Event],
    received_documents: Sequence,
    catalogue_documents: Sequence,
    processing_time: tuple,
    book: tuple[int, int],
) -> Receipt:
    """``processing_time`` is (value, unit) for the dossier's channel; ``book`` is (book number,
    position in it) as ``register_export.register_book_position`` gives them."""
    received = _first(events, EventKind.RECEIVED)
    header = slip_header(dossier=dossier, form=FormKind.RECEIPT, on=dossier.received_at)
    documents, note = receipt_documents(received=received_documents, catalogue=catalogue_documents)
    book_number, position = book
    return Receipt(
        header=header,
        dossier=dossier,
        desk_line=f"{header.issuer.desk}:",
        applicant_lines=applicant_lines(dossier, dossier.procedure_version.name),
        documents=documents,
        documents_note=note,
        sets_line=RECEIPT_SETS.format(sets=f"{dossier.sets_count:02d}"),
        processing_time_line=RECEIPT_PROCESSING_TIME.format(
            time=processing_time_text(*processing_time)
        ),
        received_line=RECEIPT_RECEIVED_AT.format(moment=vn_moment(dossier.received_at)),
        appointment_line=RECEIPT_DUE_AT.format(moment=vn_moment(dossier.original_due_at)),
        collect_line=RECEIPT_COLLECT_AT.format(place=dossier.receiving_unit.name),
        book_line=RECEIPT_BOOK.format(book=book_number, number=position),
        signatures=(
            Signature(SIGN_APPLICANT, SIGN_HINT, dossier.applicant_name),
            Signature(SIGN_RECEIVER, SIGN_HINT, person_name(received.by if received else None)),
        ),
        appointment_at=dossier.original_due_at,
    )


# Mẫu 02: supplement request ----------------------------------------------------------------


@dataclass(frozen=True)
class SupplementSlip:
    header: SlipHeader
    dossier: Dossier
    desk_line: str
    applicant_lines: list[str]
    ask_line: str
    missing_documents: list[str]
    reason_line: str
    contact_line: str
    clock_line: str
    signatures: tuple[Signature, ...]
    requested_at: dt.datetime
    columns: tuple[str, ...] = SUPPLEMENT_COLUMNS


def supplement_build(*, dossier: Dossier, request, sequence: int) -> SupplementSlip:
    """``sequence`` is the request's number among the dossier's requests (1 for the first): the
    slip is numbered "<code>/BS<sequence>" so two requests never share a number."""
    header = slip_header(
        dossier=dossier,
        form=FormKind.SUPPLEMENT,
        on=request.requested_at,
        number=f"{dossier.code}/BS{sequence}",
    )
    officer = person_name(request.requested_by)
    return SupplementSlip(
        header=header,
        dossier=dossier,
        desk_line=f"{header.issuer.desk}:",
        applicant_lines=applicant_lines(dossier, dossier.procedure_version.name),
        ask_line=SUPPLEMENT_ASK,
        missing_documents=[
            line.strip() for line in request.missing_documents.splitlines() if line.strip()
        ],
        reason_line=SUPPLEMENT_REASON.format(reason=request.reason),
        contact_line=SUPPLEMENT_CONTACT.format(
            officer=officer or BLANK, unit=dossier.receiving_unit.name, phone=BLANK
        ),
        clock_line=SUPPLEMENT_CLOCK,
        signatures=(Signature(SIGN_GUIDE, SIGN_HINT, officer),),
        requested_at=request.requested_at,
    )


# Mẫu 03: refusal --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefusalSlip:
    header: SlipHeader
    dossier: Dossier
    desk_line: str
    applicant_lines: list[str]
    reason_line: str
    closing_line: str
    signatures: tuple[Signature, Signature]
    refused_at: dt.datetime


def refusal_build(*, dossier: Dossier, events: Sequence[Event]) -> RefusalSlip:
    refused = _first(events, EventKind.REFUSED)
    refused_at = refused.at if refused else dossier.received_at
    header = slip_header(dossier=dossier, form=FormKind.REFUSAL, on=refused_at)
    return RefusalSlip(
        header=header,
        dossier=dossier,
        desk_line=f"{header.issuer.desk}:",
        applicant_lines=applicant_lines(dossier, dossier.procedure_version.name),
        reason_line=REFUSAL_REASON.format(
            desk=header.issuer.desk, reason=refused.note if refused else ""
        ),
        closing_line=REFUSAL_CLOSING,
        signatures=(
            Signature(SIGN_APPLICANT, SIGN_HINT, dossier.applicant_name),
            Signature(SIGN_RECEIVER, SIGN_HINT, person_name(refused.by if refused else None)),
        ),
        refused_at=refused_at,
    )


# Mẫu 04: apology letter, Mẫu 05 (2025): stop notice -------------------------------------------


@dataclass(frozen=True)
class Letter:
    """A letter to the applicant signed by the head of the unit only (Mẫu 04, Mẫu 05/2025)."""

    header: SlipHeader
    dossier: Dossier
    dear_line: str
    address_line: str
    paragraphs: list[str]
    recipients: tuple[str, ...]
    signatures: tuple[Signature, ...]


def _dear(dossier: Dossier) -> tuple[str, str]:
    address = (
        DEAR_ADDRESS.format(address=dossier.applicant_address) if dossier.applicant_address else ""
    )
    return DEAR.format(name=dossier.applicant_name), address


def _letter(
    *,
    dossier: Dossier,
    form: FormKind,
    on: dt.datetime,
    opening: str,
    body: Callable[[str], list[str]],
) -> Letter:
    """A letter to the applicant signed by the head of the unit only (Mẫu 04, Mẫu 05/2025):
    ``opening`` (with {date}, {desk}, {procedure}) names the dossier, the code line follows,
    then the paragraphs ``body(desk)`` writes."""
    header = slip_header(dossier=dossier, form=form, on=on)
    desk = header.issuer.desk
    dear, address = _dear(dossier)
    received_on = vn_date(local_date(dossier.received_at)).removeprefix("ngày ")
    return Letter(
        header=header,
        dossier=dossier,
        dear_line=dear,
        address_line=address,
        paragraphs=[
            opening.format(date=received_on, desk=desk, procedure=dossier.procedure_version.name),
            header.code_line + ".",
            *body(desk),
        ],
        recipients=RECIPIENTS,
        signatures=(Signature(SIGN_HEAD, SIGN_HINT_SEAL),),
    )


def apology_build(*, dossier: Dossier, apology) -> Letter:
    return _letter(
        dossier=dossier,
        form=FormKind.APOLOGY,
        on=apology.issued_at,
        opening=APOLOGY_RECEIVED,
        body=lambda desk: [
            APOLOGY_DUE.format(moment=vn_moment(dossier.original_due_at)),
            APOLOGY_LATE.format(desk=desk),
            APOLOGY_REASON.format(reason=apology.reason),
            APOLOGY_PROMISE[dossier.regime].format(desk=desk, moment=vn_moment(apology.new_due_at)),
            APOLOGY_THANKS,
        ],
    )


def stop_notice_build(*, dossier: Dossier, events: Sequence[Event]) -> Letter:
    stopped = _first(events, EventKind.STOPPED)
    stopped_at = stopped.at if stopped else dossier.finished_at or dossier.received_at
    return _letter(
        dossier=dossier,
        form=FormKind.STOP_NOTICE,
        on=stopped_at,
        opening=STOP_RECEIVED,
        body=lambda desk: [
            STOP_NOTICE.format(
                desk=desk, moment=vn_moment(stopped_at), reason=stopped.note if stopped else ""
            ),
            STOP_CLOSING,
        ],
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

    @property
    def result_printed(self) -> str:
        return TIMELINESS_PRINTED[self.result] if self.result else ""

    @property
    def give_line(self) -> str:
        return CONTROL_GIVE.format(unit=self.from_label or BLANK)

    @property
    def take_line(self) -> str:
        return CONTROL_TAKE.format(unit=self.to_label or BLANK)

    @property
    def moment_line(self) -> str:
        return vn_moment(self.at)

    @property
    def step_due_line(self) -> str:
        return (
            CONTROL_STEP_DUE.format(moment=vn_moment(self.step_due_at)) if self.step_due_at else ""
        )

    @property
    def remark(self) -> str:
        label = HANDOVER_LABELS.get(self.kind, "")
        return f"{label}: {self.note}" if self.note else label


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
            to_label = to_label or dossier.receiving_unit.name
        elif event.kind == EventKind.FINISHED:
            to_label = to_label or dossier.receiving_unit.name
        elif event.kind in (EventKind.RETURNED, EventKind.WITHDRAWN):
            from_label = from_label or dossier.receiving_unit.name
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
    lines: list[str]
    columns: tuple[str, ...]
    rows: list[ControlRow]
    giver: str = CONTROL_GIVER
    taker: str = CONTROL_TAKER
    sign_hint: str = CONTROL_SIGN


def control_sheet_build(*, dossier: Dossier, events: Sequence[Event]) -> ControlSheet:
    """The lead unit is the first the desk handed the dossier to (the desk itself when it
    handles its own dossiers); later recipients are the coordinating units."""
    transfers = [event.to_unit for event in events if event.kind == EventKind.TRANSFERRED]
    lead = transfers[0] if transfers else dossier.handling_unit
    coordinating = []
    for unit in transfers[1:]:
        if unit is not None and unit != lead and unit.name not in coordinating:
            coordinating.append(unit.name)
    return ControlSheet(
        header=slip_header(dossier=dossier, form=FormKind.CONTROL_SHEET, on=dossier.received_at),
        dossier=dossier,
        lines=[
            CONTROL_ATTACHED.format(code=dossier.code),
            LINE_RECEIVED_FROM.format(name=dossier.applicant_name),
            LINE_REQUEST.format(procedure=dossier.procedure_version.name),
            RECEIPT_RECEIVED_AT.removeprefix("4. ").format(moment=vn_moment(dossier.received_at)),
            RECEIPT_DUE_AT.removeprefix("5. ").format(moment=vn_moment(dossier.due_at)),
            CONTROL_LEAD.format(unit=_unit_name(lead) or BLANK),
            CONTROL_COORDINATING.format(units=", ".join(coordinating) or BLANK),
        ],
        columns=CONTROL_COLUMNS,
        rows=control_rows(dossier=dossier, events=events),
    )


# Mẫu 06 (2018) / 07 (2025): register ---------------------------------------------------------

# One page of the register on screen; the XLSX holds the whole range. A4 landscape prints about
# twenty lines a sheet, so a page is about ten sheets.
REGISTER_PAGE_SIZE = 200
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

    @property
    def title(self) -> str:
        return REGISTER_PERIOD.format(
            start=self.start.strftime("%d/%m/%Y"), end=self.end.strftime("%d/%m/%Y")
        )


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


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def register_range_parse(
    *, start: str | None, end: str | None, output: str | None = None, today: dt.date | None = None
) -> RegisterRange:
    """Validate ``from`` / ``to`` (local dates, inclusive, at most one year) and the format.
    With neither date given (the menu's link), the month of ``today``."""
    output = output or "html"
    if output not in REGISTER_FORMATS:
        raise RegisterRequestError(_("The format must be html or xlsx."))
    if not start and not end and today is not None:
        start_day, end_day = month_of(today)
        return RegisterRange(start=start_day, end=end_day, output=output)
    start_day = _date_param(start, _("start"))
    end_day = _date_param(end, _("end"))
    if end_day < start_day:
        raise RegisterRequestError(_("The end date is before the start date."))
    if end_day >= _one_year_after(start_day):
        raise RegisterRequestError(_("The register covers at most one year; shorten the range."))
    return RegisterRange(start=start_day, end=end_day, output=output)


def register_pages(total: int, size: int = REGISTER_PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def register_page_parse(value: str | None, *, total: int, size: int = REGISTER_PAGE_SIZE) -> int:
    """The 1-based page asked for, within the register's pages (a bad value: the first)."""
    pages = register_pages(total, size)
    if value is None or not value.isdecimal():
        return 1
    return min(max(1, int(value)), pages)


@dataclass(frozen=True)
class RegisterColumn:
    header: str
    # Printed under a shared header ("Ngày, tháng, năm") when set.
    group: str = ""
    xlsx_width: int = 16
    is_moment: bool = False


_DATES = "Ngày, tháng, năm"
# THE columns of the register, in the form's order, for the page and the XLSX alike.
REGISTER_COLUMNS: tuple[RegisterColumn, ...] = (
    RegisterColumn("TT", xlsx_width=6),
    RegisterColumn("Mã hồ sơ", xlsx_width=24),
    RegisterColumn("Tên thủ tục hành chính", xlsx_width=45),
    RegisterColumn("Số lượng hồ sơ (bộ)", xlsx_width=9),
    RegisterColumn("Tên cá nhân, tổ chức", xlsx_width=24),
    RegisterColumn("Địa chỉ, số điện thoại", xlsx_width=32),
    RegisterColumn("Cơ quan chủ trì giải quyết", xlsx_width=28),
    RegisterColumn("Nhận hồ sơ", _DATES, 17, True),
    RegisterColumn("Hẹn trả kết quả", _DATES, 17, True),
    RegisterColumn("Chuyển hồ sơ đến cơ quan giải quyết", _DATES, 17, True),
    RegisterColumn("Nhận kết quả từ cơ quan giải quyết", _DATES, 17, True),
    RegisterColumn("Trả kết quả cho cá nhân, tổ chức", _DATES, 17, True),
    RegisterColumn("Ký nhận", xlsx_width=14),
    RegisterColumn("Ghi chú", xlsx_width=30),
)


@dataclass(frozen=True)
class HeaderCell:
    label: str
    rowspan: int = 1
    colspan: int = 1


def register_headers(
    columns: Sequence[RegisterColumn] = REGISTER_COLUMNS,
) -> tuple[list[HeaderCell], list[HeaderCell]]:
    """The register's two header rows: a grouped column spans both rows' worth of its group."""
    top: list[HeaderCell] = []
    bottom: list[HeaderCell] = []
    for column in columns:
        if not column.group:
            top.append(HeaderCell(column.header, rowspan=2))
            continue
        if top and top[-1].label == column.group:
            top[-1] = HeaderCell(column.group, colspan=top[-1].colspan + 1)
        else:
            top.append(HeaderCell(column.group))
        bottom.append(HeaderCell(column.header))
    return top, bottom


_REGISTER_STATUS_NOTES = {
    DossierStatus.RECEIVED: "Đang giải quyết",
    DossierStatus.PROCESSING: "Đang giải quyết",
    DossierStatus.SUPPLEMENT_REQUESTED: "Chờ bổ sung hồ sơ",
    DossierStatus.WITHDRAWN: "Rút hồ sơ",
    DossierStatus.STOPPED: "Dừng giải quyết",
}
REGISTER_RESCHEDULED = "Hẹn lại ngày trả: {date}"


@dataclass(frozen=True)
class RegisterRow:
    number: int
    code: str
    procedure_name: str
    sets_count: int
    applicant_name: str
    applicant_address: str
    applicant_phone: str
    lead_unit: str
    received_at: dt.datetime
    due_at: dt.datetime
    transferred_at: dt.datetime | None
    result_back_at: dt.datetime | None
    returned_at: dt.datetime | None
    note: str
    result: Timeliness | None = None
    # The citizen signs here when the result is handed back: always blank on paper.
    signature: str = field(default="")

    @property
    def address_and_phone(self) -> str:
        return ", ".join(part for part in (self.applicant_address, self.applicant_phone) if part)

    def values(self) -> list:
        """The row in :data:`REGISTER_COLUMNS` order; moments as datetimes."""
        return [
            self.number,
            self.code,
            self.procedure_name,
            self.sets_count,
            self.applicant_name,
            self.address_and_phone,
            self.lead_unit,
            self.received_at,
            self.due_at,
            self.transferred_at,
            self.result_back_at,
            self.returned_at,
            self.signature,
            self.note,
        ]

    def cells(self) -> list[str]:
        """The row as printed: moments as "dd/mm/yyyy hh:mm"."""
        return [
            short_moment(value) if column.is_moment else ("" if value is None else str(value))
            for value, column in zip(self.values(), REGISTER_COLUMNS, strict=True)
        ]


def register_note(dossier: Dossier) -> tuple[Timeliness | None, str]:
    """Early / on time / late once the result is ready (else where the dossier stands), and the
    date an apology promised."""
    result = None
    if dossier.status in RESULT_STATUSES:
        result = timeliness(done_at=dossier.finished_at, due_at=dossier.due_at)
        parts = [TIMELINESS_PRINTED[result]] if result else []
    else:
        parts = [_REGISTER_STATUS_NOTES.get(dossier.status, "")]
    if dossier.rescheduled_due_at is not None:
        day = local_date(dossier.rescheduled_due_at).strftime("%d/%m/%Y")
        parts.append(REGISTER_RESCHEDULED.format(date=day))
    return result, "; ".join(part for part in parts if part)


def register_row(*, number: int, dossier: Dossier) -> RegisterRow:
    """A register line from a dossier annotated with ``transferred_to_name`` and
    ``transferred_at`` (its first hand-over) and loaded with its procedure version and
    handling unit."""
    resolved = dossier.status in RESULT_STATUSES
    result, note = register_note(dossier)
    return RegisterRow(
        number=number,
        code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        sets_count=dossier.sets_count,
        applicant_name=dossier.applicant_name,
        applicant_address=dossier.applicant_address,
        applicant_phone=dossier.applicant_phone,
        lead_unit=getattr(dossier, "transferred_to_name", None) or dossier.handling_unit.name,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        transferred_at=getattr(dossier, "transferred_at", None),
        # finished_at also records a withdrawal or a stop: only a result "comes back".
        result_back_at=dossier.finished_at if resolved else None,
        returned_at=dossier.returned_at,
        note=note,
        result=result,
    )


def register_rows(dossiers: Iterable[Dossier], *, first_number: int = 1) -> Iterable[RegisterRow]:
    for number, dossier in enumerate(dossiers, start=first_number):
        yield register_row(number=number, dossier=dossier)
