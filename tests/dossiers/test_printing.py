"""The content of the printable forms: the regime's form table, the step classification of the
control sheet, the control-sheet rows of a real history, and the register's range and rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from dossiers import services
from dossiers.models import EventKind, Regime
from dossiers.printing import (
    FORMS,
    REGISTER_COLUMNS,
    REGISTER_PAGE_SIZE,
    FormKind,
    RegisterRange,
    RegisterRequestError,
    Timeliness,
    control_rows,
    form_spec,
    issuer_for,
    place_name,
    processing_time_text,
    register_headers,
    register_page_parse,
    register_range_parse,
    register_rows,
    step_timeliness,
    timeliness,
    vn_date,
    vn_moment,
)
from dossiers.register_export import register_dossiers
from org.models import UnitLevel
from tests.factories import MembershipFactory, UnitFactory, UserFactory, local, received_dossier
from tests.steps import refused_at_intake

UTC = dt.UTC


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def utc(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


# The form table -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form, number, title",
    [
        (FormKind.RECEIPT, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        (FormKind.SUPPLEMENT, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        (FormKind.REFUSAL, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        (FormKind.APOLOGY, "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        (FormKind.CONTROL_SHEET, "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        (FormKind.REGISTER, "06", "Sổ theo dõi hồ sơ"),
    ],
)
def test_it_numbers_the_forms_of_circular_01_2018(form, number, title):
    spec = form_spec(regime=Regime.DECREE_61_2018, form=form)
    assert (spec.number, spec.title) == (number, title)
    assert spec.legal_basis.startswith(f"Mẫu số {number} – ")
    assert "Thông tư số 01/2018/TT-VPCP" in spec.legal_basis


@pytest.mark.parametrize(
    "form, number, title",
    [
        (FormKind.RECEIPT, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        (FormKind.SUPPLEMENT, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        (FormKind.REFUSAL, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        (FormKind.APOLOGY, "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
        (FormKind.STOP_NOTICE, "05", "Thông báo dừng giải quyết hồ sơ"),
        (FormKind.CONTROL_SHEET, "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        (FormKind.REGISTER, "07", "Sổ theo dõi hồ sơ"),
    ],
)
def test_it_numbers_the_forms_of_circular_03_2025(form, number, title):
    spec = form_spec(regime=Regime.DECREE_118_2025, form=form)
    assert (spec.number, spec.title) == (number, title)
    assert "Thông tư số 03/2025/TT-VPCP" in spec.legal_basis


def test_it_has_no_stop_notice_under_the_2018_circular():
    with pytest.raises(LookupError):
        form_spec(regime=Regime.DECREE_61_2018, form=FormKind.STOP_NOTICE)


def test_it_gives_each_form_of_a_regime_its_own_number():
    for regime in Regime:
        numbers = [spec.number for (r, _form), spec in FORMS.items() if r == regime]
        assert len(numbers) == len(set(numbers))
    assert len([key for key in FORMS if key[0] == Regime.DECREE_61_2018]) == 6
    assert len([key for key in FORMS if key[0] == Regime.DECREE_118_2025]) == 7


@pytest.mark.django_db
def test_it_heads_a_slip_with_the_committee_and_its_desk():
    commune = UnitFactory(name="UBND xã Chư Gu", level=UnitLevel.COMMUNE)
    issuer = issuer_for(unit=commune, regime=Regime.DECREE_61_2018)
    assert (issuer.upper, issuer.lower) == ("UBND XÃ CHƯ GU", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ")
    assert issuer.desk == "Bộ phận tiếp nhận và trả kết quả xã Chư Gu"
    issuer = issuer_for(unit=commune, regime=Regime.DECREE_118_2025)
    assert issuer.lower == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
    assert issuer.desk == "Trung tâm phục vụ hành chính công xã Chư Gu"


@pytest.mark.django_db
def test_it_names_the_committee_of_a_unit_named_after_its_territory():
    commune = UnitFactory(name="Xã Phú Túc", level=UnitLevel.COMMUNE)
    issuer = issuer_for(unit=commune, regime=Regime.DECREE_118_2025)
    assert (issuer.upper, issuer.desk) == (
        "UBND XÃ PHÚ TÚC",
        "Trung tâm phục vụ hành chính công xã Phú Túc",
    )


@pytest.mark.django_db
def test_it_calls_a_provinces_own_desk_a_centre_under_both_regimes():
    province = UnitFactory(name="UBND tỉnh Gia Lai", level=UnitLevel.PROVINCE)
    for regime in Regime:
        assert issuer_for(unit=province, regime=regime).lower == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "names, place",
    [
        (["UBND xã Chư Gu"], "Chư Gu"),
        (["Xã Phú Túc"], "Phú Túc"),
        (["Phường 12"], "Phường 12"),
        (["Tỉnh Gia Lai", "Trung tâm Phục vụ hành chính công tỉnh Gia Lai"], "Gia Lai"),
        (["UBND huyện Krông Pa", "Phòng Tư pháp"], "Krông Pa"),
    ],
)
def test_it_dates_a_slip_at_the_locality_of_the_nearest_committee(names, place):
    parent = None
    for index, name in enumerate(names):
        level = UnitLevel.COMMUNE if index == 0 else UnitLevel.CENTRE
        if name.startswith(("Tỉnh", "UBND tỉnh")):
            level = UnitLevel.PROVINCE
        if "huyện" in name:
            level = UnitLevel.DISTRICT
        parent = UnitFactory(name=name, level=level, parent=parent)
    assert place_name(parent) == place


@pytest.mark.parametrize(
    "day, text",
    [
        (dt.date(2025, 8, 5), "ngày 05 tháng 8 năm 2025"),
        (dt.date(2021, 2, 28), "ngày 28 tháng 02 năm 2021"),
        (dt.date(2021, 1, 9), "ngày 09 tháng 01 năm 2021"),
        (dt.date(2021, 12, 31), "ngày 31 tháng 12 năm 2021"),
    ],
)
def test_it_writes_dates_as_administrative_papers_do(day, text):
    assert vn_date(day) == text


def test_it_writes_a_moment_on_the_wall_clock_of_ha_noi():
    assert vn_moment(utc("2021-03-02 02:05")) == "09 giờ 05 phút, ngày 02 tháng 3 năm 2021"
    assert vn_moment(None) == ""


@pytest.mark.parametrize(
    "value, unit, text",
    [
        (Decimal("3.00"), "working_days", "3 ngày làm việc"),
        (Decimal("0.50"), "working_days", "0,5 ngày làm việc"),
        (Decimal("8"), "working_hours", "8 giờ làm việc"),
        (Decimal("15"), "calendar_days", "15 ngày"),
        (Decimal("10"), "working_days", "10 ngày làm việc"),
    ],
)
def test_it_states_the_processing_time_in_its_own_unit(value, unit, text):
    assert processing_time_text(value, unit) == text


@pytest.mark.django_db
def test_it_heads_a_slip_of_a_centre_with_its_parent_above():
    district = UnitFactory(name="UBND huyện Krông Pa", level=UnitLevel.DISTRICT)
    centre = UnitFactory(name="Bộ phận Một cửa huyện", level=UnitLevel.CENTRE, parent=district)
    issuer = issuer_for(unit=centre, regime=Regime.DECREE_61_2018)
    assert (issuer.upper, issuer.lower) == ("UBND HUYỆN KRÔNG PA", "BỘ PHẬN MỘT CỬA HUYỆN")


# Early / on time / late by local date -----------------------------------------------------------


@pytest.mark.parametrize(
    "done, due, expected",
    [
        (local("2021-03-04 16:00"), local("2021-03-05 09:00"), Timeliness.EARLY),
        (local("2021-03-05 07:00"), local("2021-03-05 09:00"), Timeliness.ON_TIME),
        # Later the same day is still on time: the rule compares dates, not hours.
        (local("2021-03-05 16:59"), local("2021-03-05 09:00"), Timeliness.ON_TIME),
        (local("2021-03-08 07:30"), local("2021-03-05 09:00"), Timeliness.LATE),
        # 23:30 UTC on the 4th is 06:30 on the 5th in Hà Nội: on time, not early.
        (utc("2021-03-04 23:30"), local("2021-03-05 09:00"), Timeliness.ON_TIME),
        # 16:59 UTC is 23:59 local, still the 5th; 17:00 UTC is already the 6th.
        (utc("2021-03-05 16:59"), local("2021-03-05 09:00"), Timeliness.ON_TIME),
        (utc("2021-03-05 17:00"), local("2021-03-05 09:00"), Timeliness.LATE),
        # Across a month and a year.
        (local("2021-12-31 17:00"), local("2022-01-03 09:00"), Timeliness.EARLY),
        (local("2022-01-01 08:00"), local("2021-12-31 17:00"), Timeliness.LATE),
        (None, local("2021-03-05 09:00"), None),
        (local("2021-03-05 09:00"), None, None),
    ],
)
def test_it_judges_a_time_against_a_due_date_by_local_date(done, due, expected):
    assert timeliness(done_at=done, due_at=due) == expected


@pytest.mark.parametrize(
    "ended, step_due, is_last, dossier_due, expected",
    [
        # The step's own due date decides.
        (local("2021-03-03 10:00"), local("2021-03-04 17:00"), False, None, Timeliness.EARLY),
        (local("2021-03-04 10:00"), local("2021-03-04 17:00"), False, None, Timeliness.ON_TIME),
        (local("2021-03-05 10:00"), local("2021-03-04 17:00"), False, None, Timeliness.LATE),
        # Its own due date wins over the dossier's, even on the last step.
        (
            local("2021-03-05 10:00"),
            local("2021-03-04 17:00"),
            True,
            local("2021-03-09 09:00"),
            Timeliness.LATE,
        ),
        # No step due date: an intermediate step is not judged ...
        (local("2021-03-05 10:00"), None, False, local("2021-03-09 09:00"), None),
        # ... the last one is judged against the dossier's due date.
        (local("2021-03-08 10:00"), None, True, local("2021-03-09 09:00"), Timeliness.EARLY),
        (local("2021-03-09 16:00"), None, True, local("2021-03-09 09:00"), Timeliness.ON_TIME),
        (local("2021-03-10 08:00"), None, True, local("2021-03-09 09:00"), Timeliness.LATE),
        # Still running: blank, whatever the due dates.
        (None, local("2021-03-04 17:00"), False, None, None),
        (None, None, True, local("2021-03-09 09:00"), None),
    ],
)
def test_it_judges_a_step_of_the_control_sheet(ended, step_due, is_last, dossier_due, expected):
    assert (
        step_timeliness(
            ended_at=ended, step_due_at=step_due, is_last_step=is_last, dossier_due_at=dossier_due
        )
        == expected
    )


# Control sheet rows from a real history ---------------------------------------------------------


def _events(dossier):
    return list(dossier.events.select_related("from_unit", "to_unit", "by").order_by("at", "id"))


@pytest.mark.django_db
def test_it_lists_each_hand_over_of_a_dossier_transferred_twice():
    desk = UnitFactory(name="UBND xã A")
    office, department = UnitFactory(name="Công chức Tư pháp"), UnitFactory(name="Phòng Tư pháp")
    officer = UserFactory(first_name="Thị C", last_name="Lê")
    dossier = received_dossier(
        desk=desk, by=officer, backdate_reason="Nhập lại hồ sơ năm 2021"
    )  # due Fri 2021-03-05 09:00
    services.dossier_transfer(
        dossier=dossier,
        to_unit=office,
        by=officer,
        at=local("2021-03-02 10:00"),
        step_due_at=local("2021-03-03 17:00"),
    )
    # Handed on a day after its step's due date: late.
    services.dossier_transfer(
        dossier=dossier,
        to_unit=department,
        by=None,
        at=local("2021-03-04 08:00"),
        step_due_at=local("2021-03-05 12:00"),
    )
    # Finished the morning of its step's due day: on time.
    services.dossier_finish(dossier=dossier, by=None, at=local("2021-03-05 08:00"))
    services.dossier_return(dossier=dossier, by=officer, at=local("2021-03-08 09:00"))
    dossier.refresh_from_db()

    rows = control_rows(dossier=dossier, events=_events(dossier))

    assert [
        (row.kind, row.from_label, row.to_label, row.at, row.step_due_at, row.result)
        for row in rows
    ] == [
        (EventKind.RECEIVED, "Trần Thị B", "UBND xã A", local("2021-03-02 09:00"), None, None),
        (
            EventKind.TRANSFERRED,
            "UBND xã A",
            "Công chức Tư pháp",
            local("2021-03-02 10:00"),
            local("2021-03-03 17:00"),
            Timeliness.LATE,
        ),
        (
            EventKind.TRANSFERRED,
            "Công chức Tư pháp",
            "Phòng Tư pháp",
            local("2021-03-04 08:00"),
            local("2021-03-05 12:00"),
            Timeliness.ON_TIME,
        ),
        (EventKind.FINISHED, "Phòng Tư pháp", "UBND xã A", local("2021-03-05 08:00"), None, None),
        (EventKind.RETURNED, "Phòng Tư pháp", "Trần Thị B", local("2021-03-08 09:00"), None, None),
    ]
    assert [row.number for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0].officer_name == "Lê Thị C"
    assert [row.result_label for row in rows] == ["", "Late", "On time", "", ""]


@pytest.mark.django_db
def test_it_judges_the_last_step_without_its_own_due_date_by_the_dossier_due_date():
    dossier = received_dossier()  # due Fri 2021-03-05 09:00
    services.dossier_transfer(
        dossier=dossier, to_unit=UnitFactory(), by=None, at=local("2021-03-02 10:00")
    )
    services.dossier_finish(dossier=dossier, by=None, at=local("2021-03-04 15:00"))
    dossier.refresh_from_db()

    rows = control_rows(dossier=dossier, events=_events(dossier))

    # The first step ended by a transfer with no due date: blank; the last one: early.
    assert [row.result for row in rows] == [None, Timeliness.EARLY, None]


@pytest.mark.django_db
def test_it_leaves_the_running_step_blank():
    dossier = received_dossier()
    services.dossier_transfer(
        dossier=dossier,
        to_unit=UnitFactory(),
        by=None,
        at=local("2021-03-02 10:00"),
        step_due_at=local("2021-03-01 17:00"),  # already past, but the step is not over
    )
    dossier.refresh_from_db()

    rows = control_rows(dossier=dossier, events=_events(dossier))

    assert [(row.kind, row.result) for row in rows] == [
        (EventKind.RECEIVED, None),
        (EventKind.TRANSFERRED, None),
    ]


# Register ---------------------------------------------------------------------------------------


def test_it_reads_a_register_range():
    period = register_range_parse(start="2021-01-01", end="2021-03-31", output="xlsx")
    assert period == RegisterRange(
        start=dt.date(2021, 1, 1), end=dt.date(2021, 3, 31), output="xlsx"
    )
    assert register_range_parse(start="2021-03-01", end="2021-03-01").output == "html"


@pytest.mark.parametrize(
    "start, end, ok",
    [
        ("2021-01-01", "2021-12-31", True),  # a whole year
        ("2021-01-01", "2022-01-01", False),  # one day more
        ("2020-02-29", "2021-02-28", True),  # from a leap day: up to the day before 1 March
        ("2020-02-29", "2021-03-01", False),
    ],
)
def test_it_allows_a_register_of_at_most_one_year(start, end, ok):
    if ok:
        assert register_range_parse(start=start, end=end).end == dt.date.fromisoformat(end)
    else:
        with pytest.raises(RegisterRequestError, match="at most one year"):
            register_range_parse(start=start, end=end)


@pytest.mark.parametrize(
    "start, end, output, message",
    [
        (None, "2021-03-31", None, "The start date is required."),
        ("2021-03-01", "", None, "The end date is required."),
        ("01/03/2021", "2021-03-31", None, "The start date must look like 2021-03-31."),
        ("2021-03-01", "2021-02-30", None, "The end date must look like 2021-03-31."),
        ("2021-03-31", "2021-03-01", None, "The end date is before the start date."),
        ("2021-03-01", "2021-03-31", "pdf", "The format must be html or xlsx."),
    ],
)
def test_it_rejects_a_bad_register_range(start, end, output, message):
    with pytest.raises(RegisterRequestError) as error:
        register_range_parse(start=start, end=end, output=output)
    assert str(error.value) == message


def test_it_keeps_the_register_on_the_forms_in_force_at_its_end():
    assert register_range_parse(start="2025-06-01", end="2025-06-30").regime == "2018"
    assert register_range_parse(start="2025-06-01", end="2025-07-01").regime == "2025"


@pytest.mark.django_db
def test_it_lists_the_register_rows_of_the_visible_dossiers_received_in_the_range():
    desk = UnitFactory(name="UBND xã A")
    other_desk = UnitFactory(name="UBND xã B")
    office = UnitFactory(name="Công chức Địa chính")
    user = MembershipFactory(unit=desk).user
    # 00:30 on 1 March in Hà Nội is still 28 February in UTC: inside the range.
    first = received_dossier(desk=desk, received_at=local("2021-03-01 00:30"))
    second = received_dossier(desk=desk, received_at=local("2021-03-02 09:00"))
    services.dossier_transfer(dossier=second, to_unit=office, by=None, at=local("2021-03-02 10:00"))
    services.dossier_transfer(dossier=second, to_unit=desk, by=None, at=local("2021-03-03 10:00"))
    services.dossier_finish(
        dossier=second, by=None, at=local("2021-03-08 10:00")
    )  # due Fri 5th: late
    last = received_dossier(desk=desk, received_at=local("2021-03-31 23:59"))
    received_dossier(desk=desk, received_at=local("2021-04-01 00:00"))  # the day after
    received_dossier(desk=desk, received_at=local("2021-02-28 23:59"))  # the day before
    received_dossier(desk=other_desk, received_at=local("2021-03-02 09:00"))  # not visible
    refused_at_intake(
        desk, first.procedure_version, local("2021-03-03 09:00"), name="Người bị từ chối"
    )
    period = register_range_parse(start="2021-03-01", end="2021-03-31")

    rows = list(register_rows(register_dossiers(user=user, period=period)))

    assert [(row.number, row.code) for row in rows] == [
        (1, first.code),
        (2, second.code),
        (3, last.code),
    ]
    assert (rows[1].lead_unit, rows[1].transferred_at) == (
        "Công chức Địa chính",
        local("2021-03-02 10:00"),
    )
    assert rows[1].result_back_at == local("2021-03-08 10:00")
    assert rows[1].note == "Quá hạn"
    assert (rows[0].lead_unit, rows[0].note) == ("UBND xã A", "Đang giải quyết")
    assert rows[0].procedure_name == "Đăng ký khai sinh"
    assert (rows[0].sets_count, rows[0].address_and_phone) == (1, "0912345678")


@pytest.mark.django_db
def test_it_shows_no_result_coming_back_for_a_stopped_dossier():
    desk = UnitFactory(name="UBND xã A")
    user = MembershipFactory(unit=desk).user
    stopped = received_dossier(desk=desk, received_at=local("2021-03-02 09:00"))
    services.dossier_stop(
        dossier=stopped, by=None, at=local("2021-03-03 09:00"), reason="Không còn cần"
    )
    period = register_range_parse(start="2021-03-01", end="2021-03-31")

    [row] = register_rows(register_dossiers(user=user, period=period))

    assert (row.result_back_at, row.note) == (None, "Dừng giải quyết")


def test_it_heads_the_register_with_the_dates_grouped():
    top, bottom = register_headers()
    assert [cell.label for cell in top] == [
        "TT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Số lượng hồ sơ (bộ)",
        "Tên cá nhân, tổ chức",
        "Địa chỉ, số điện thoại",
        "Cơ quan chủ trì giải quyết",
        "Ngày, tháng, năm",
        "Ký nhận",
        "Ghi chú",
    ]
    assert (top[7].colspan, top[0].rowspan) == (5, 2)
    assert [cell.label for cell in bottom] == [
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Chuyển hồ sơ đến cơ quan giải quyết",
        "Nhận kết quả từ cơ quan giải quyết",
        "Trả kết quả cho cá nhân, tổ chức",
    ]
    assert len(REGISTER_COLUMNS) == 14


@pytest.mark.parametrize(
    "value, total, page",
    [
        (None, 0, 1),
        ("2", 0, 1),
        ("2", REGISTER_PAGE_SIZE + 1, 2),
        ("9", REGISTER_PAGE_SIZE + 1, 2),
        ("0", 500, 1),
        ("x", 500, 1),
    ],
)
def test_it_keeps_the_register_page_within_its_pages(value, total, page):
    assert register_page_parse(value, total=total) == page


def test_it_opens_the_register_on_the_current_month_without_dates():
    period = register_range_parse(start=None, end=None, today=dt.date(2024, 2, 10))
    assert (period.start, period.end) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period.title == "Từ ngày 01/02/2024 đến ngày 29/02/2024"
