"""Each printed form carries the official lines of its circular (Circular 01/2018 for dossiers
received before 1 July 2025, Circular 03/2025 after): the header block, the number and the
place-and-date line, the form's own sentences and its signatures; the stop notice exists only
for stopped 2025 dossiers; the register has the form's columns and opens one page at a time.
The expected lines are typed out here from the sources listed in docs/forms.md."""

import datetime as dt
import io
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dossiers import form_views, services
from procedures.models import ChannelProcessingTime
from procedures.services import DocumentSpec
from tests.factories import UnitFactory, local, received_dossier
from tests.steps import apology_issued, refused_at_intake, supplement_requested

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NATION = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def receive(commune_a, officer, version, when: str, **extra):
    return received_dossier(
        desk=commune_a,
        procedure_version=version,
        by=officer,
        received_at=local(when),
        applicant={
            "name": "Trần Thị B",
            "phone": "0912345678",
            "address": "Thôn 1, xã Chư Gu",
            "email": "b@example.vn",
        },
        backdate_reason="Nhập lại hồ sơ",
        **extra,
    )


@pytest.fixture
def dossier_2021(commune_a, officer, version):
    """Tue 2021-03-02 09:00, 3 working days: due Fri 2021-03-05 09:00."""
    return receive(commune_a, officer, version, "2021-03-02 09:00")


@pytest.fixture
def dossier_2025(commune_a, officer, version):
    """Tue 2025-08-05 09:00 (Decree 118/2025): due Fri 2025-08-08 09:00."""
    return receive(commune_a, officer, version, "2025-08-05 09:00")


def text_of(client, name: str, dossier, **params) -> str:
    response = client.get(reverse(f"dossier_forms:{name}", kwargs={"code": dossier.code}), params)
    assert response.status_code == 200
    return unescape(response.content.decode())


def assert_lines(html: str, *lines: str) -> None:
    missing = [line for line in lines if line not in html]
    assert not missing, missing


# The header of every slip -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "when, desk, basis",
    [
        ("2021-03-02 09:00", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", "Thông tư số 01/2018/TT-VPCP"),
        ("2025-08-05 09:00", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "Thông tư số 03/2025/TT-VPCP"),
    ],
)
def test_it_heads_a_slip_with_the_desk_the_number_the_nation_and_the_place_and_date(
    client, commune_a, officer, version, when, desk, basis
):
    dossier = receive(commune_a, officer, version, when)
    html = text_of(client, "receipt", dossier)

    day = local(when).date()
    assert_lines(
        html,
        "UBND XÃ CHƯ GU",
        desk,
        f"Số: {dossier.code}",
        *NATION,
        f"Chư Gu, ngày {day.day:02d} tháng {day.month} năm {day.year}",
        basis,
    )


# Mẫu 01 -----------------------------------------------------------------------------------------


def test_it_prints_the_receipt_of_circular_01_2018(client, dossier_2021):
    html = text_of(client, "receipt", dossier_2021)

    assert_lines(
        html,
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mẫu số 01 – Ban hành kèm theo Thông tư số 01/2018/TT-VPCP",
        f'Mã hồ sơ: <span data-testid="dossier-code">{dossier_2021.code}</span>',
        "Bộ phận tiếp nhận và trả kết quả xã Chư Gu:",
        "Tiếp nhận hồ sơ của: Trần Thị B",
        "Địa chỉ: Thôn 1, xã Chư Gu",
        "Số điện thoại: 0912345678    Email: b@example.vn",
        "Nội dung yêu cầu giải quyết: Đăng ký kết hôn",
        "1. Thành phần hồ sơ nộp gồm:",
        "Bản chính",
        "Bản chứng thực",
        "Bản photo",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 02 tháng 3 năm 2021",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 05 tháng 3 năm 2021",
        "6. Đăng ký nhận kết quả tại: UBND xã Chư Gu",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 2021, Số thứ tự: 1",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "(Ký và ghi rõ họ tên)",
        "Phạm Thị Hoa",
    )


def test_it_prints_the_receipt_of_circular_03_2025(client, dossier_2025):
    html = text_of(client, "receipt", dossier_2025)

    assert_lines(
        html,
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mẫu số 01 – Phụ lục I ban hành kèm theo Thông tư số 03/2025/TT-VPCP",
        "Trung tâm phục vụ hành chính công xã Chư Gu:",
        "Nội dung yêu cầu giải quyết: Đăng ký kết hôn",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 08 tháng 8 năm 2025",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 2025, Số thứ tự: 1",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    )
    assert "01/2018/TT-VPCP" not in html


def test_it_prints_only_the_papers_handed_in_at_intake(client, commune_a, officer, version):
    dossier = receive(
        commune_a,
        officer,
        version,
        "2021-03-02 09:00",
        documents=[
            DocumentSpec("Tờ khai đăng ký kết hôn", originals=1),
            DocumentSpec("Giấy xác nhận tình trạng hôn nhân", certified_copies=1, copies=3),
            DocumentSpec("Bản sao hộ chiếu", originals=0),
        ],
    )
    supplement_requested(
        dossier, local("2021-03-03 09:00"), missing="Giấy khám sức khỏe", by=officer
    )
    services.supplement_complete(
        dossier=dossier,
        by=officer,
        at=local("2021-03-04 09:00"),
        documents=[DocumentSpec("Giấy khám sức khỏe", originals=1)],
    )

    html = text_of(client, "receipt", dossier)

    rows = html.split('data-testid="documents"')[1].split("</table>")[0]
    assert rows.count("<tr>") == 2 + 2  # two header rows, two papers with a count
    assert_lines(rows, "Tờ khai đăng ký kết hôn", "Giấy xác nhận tình trạng hôn nhân")
    assert '<td class="print-num">3</td>' in rows
    assert "Bản sao hộ chiếu" not in rows
    assert "Giấy khám sức khỏe" not in rows
    assert "(*)" not in html


def test_it_prints_the_catalogue_with_blank_counts_for_a_dossier_without_a_checklist(
    client, commune_a, officer, version
):
    # As an imported dossier, or one received before the checklist existed: no lines.
    dossier = receive(commune_a, officer, version, "2021-03-02 09:00", documents=[])
    assert not dossier.documents.exists()

    html = text_of(client, "receipt", dossier)

    rows = html.split('data-testid="documents"')[1].split("</table>")[0]
    assert_lines(rows, "Tờ khai đăng ký kết hôn", "Giấy xác nhận tình trạng hôn nhân")
    assert '<td class="print-num"></td>' in rows
    assert "(*) Danh mục thành phần hồ sơ theo thủ tục" in html


def test_it_states_the_processing_time_of_the_dossiers_channel(client, commune_a, officer, version):
    ChannelProcessingTime.objects.bulk_create(
        [
            ChannelProcessingTime(
                version=version,
                channel="online",
                processing_time=Decimal("16"),
                processing_unit="working_hours",
            )
        ]
    )
    online = receive(commune_a, officer, version, "2021-03-02 09:00", channel="online")

    html = text_of(client, "receipt", online)

    assert "Thời gian giải quyết hồ sơ theo quy định là: 16 giờ làm việc" in html


def test_it_enters_each_dossier_in_the_year_book_of_its_desk(client, commune_a, officer, version):
    first = receive(commune_a, officer, version, "2021-03-02 09:00")
    refused_at_intake(
        commune_a, version, local("2021-03-02 10:00"), name="Người bị từ chối", by=officer
    )
    receive(UnitFactory(name="UBND xã khác"), None, version, "2021-03-02 10:30")
    second = receive(commune_a, officer, version, "2021-03-02 11:00")
    next_year = receive(commune_a, officer, version, "2022-01-04 08:00")

    assert "Quyển số: 2021, Số thứ tự: 1" in text_of(client, "receipt", first)
    assert "Quyển số: 2021, Số thứ tự: 2" in text_of(client, "receipt", second)
    assert "Quyển số: 2022, Số thứ tự: 1" in text_of(client, "receipt", next_year)


# Mẫu 02 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("dossier_fixture", ["dossier_2021", "dossier_2025"])
def test_it_prints_the_supplement_request(client, officer, request, dossier_fixture):
    dossier = request.getfixturevalue(dossier_fixture)
    at = dossier.received_at + dt.timedelta(hours=5)
    supplement_requested(
        dossier,
        at,
        reason="Ảnh không đúng quy cách",
        missing="Ảnh 4x6 nền trắng\n\nBản sao CCCD",
        by=officer,
    )
    first = dossier.supplement_requests.get()
    services.supplement_complete(dossier=dossier, by=officer, at=at + dt.timedelta(hours=1))
    supplement_requested(
        dossier,
        at + dt.timedelta(hours=2),
        reason="Thiếu giấy xác nhận",
        missing="Giấy xác nhận tình trạng hôn nhân",
        by=officer,
    )

    html = text_of(client, "supplement", dossier)
    earlier = text_of(client, "supplement", dossier, request=first.pk)

    assert_lines(
        html,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        f"Số: {dossier.code}/BS2",
        "Tiếp nhận hồ sơ của: Trần Thị B",
        "Nội dung yêu cầu giải quyết: Đăng ký kết hôn",
        "Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:",
        "<td>Giấy xác nhận tình trạng hôn nhân</td>",
        "Lý do: Thiếu giấy xác nhận",
        "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với Phạm Thị Hoa, "
        "UBND xã Chư Gu, số điện thoại",
        "để được hướng dẫn./.",
        "NGƯỜI HƯỚNG DẪN",
    )
    assert "NGƯỜI NỘP HỒ SƠ" not in html
    assert_lines(earlier, f"Số: {dossier.code}/BS1", "<td>Ảnh 4x6 nền trắng</td>")
    assert earlier.count("<td>Bản sao CCCD</td>") == 1


def test_it_says_the_clock_pauses_and_resumes_as_the_service_counts_it(client, dossier_2021):
    """DESIGN §3: the clock stops while the request is open and the due date moves later by
    the time it stopped; it does not start again from zero."""
    supplement_requested(dossier_2021, local("2021-03-03 09:00"))
    completed = services.supplement_complete(
        dossier=dossier_2021, by=None, at=local("2021-03-04 09:00")
    )

    html = text_of(client, "supplement", dossier_2021)

    assert completed.due_at == local("2021-03-08 09:00")  # one working day later
    assert_lines(html, "tạm dừng", "tiếp tục được tính", "lùi lại tương ứng")
    assert "từ đầu" not in html


# Mẫu 03 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when, desk",
    [
        ("2021-03-02 09:00", "Bộ phận tiếp nhận và trả kết quả xã Chư Gu"),
        ("2025-08-05 09:00", "Trung tâm phục vụ hành chính công xã Chư Gu"),
    ],
)
def test_it_prints_the_refusal(client, commune_a, officer, version, when, desk):
    refused = refused_at_intake(
        commune_a,
        version,
        local(when),
        reason="Không thuộc thẩm quyền giải quyết của xã",
        by=officer,
    )

    html = text_of(client, "refusal", refused)

    assert_lines(
        html,
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Tiếp nhận hồ sơ của: Lê Văn C",
        "Nội dung yêu cầu giải quyết: Đăng ký kết hôn",
        f"Qua xem xét, {desk} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể "
        "như sau: Không thuộc thẩm quyền giải quyết của xã",
        "Xin thông báo cho Ông/Bà được biết và thực hiện./.",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    )


# Mẫu 04 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dossier_fixture, title, promise",
    [
        (
            "dossier_2021",
            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            "xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào",
        ),
        (
            "dossier_2025",
            "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
            "xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ đến",
        ),
    ],
)
def test_it_prints_the_apology_as_a_letter_signed_by_the_head(
    client, officer, request, dossier_fixture, title, promise
):
    dossier = request.getfixturevalue(dossier_fixture)
    new_due = dossier.due_at + dt.timedelta(days=4)
    apology_issued(
        dossier,
        dossier.received_at + dt.timedelta(days=1),
        new_due,
        reason="Cần xác minh thêm thông tin",
        by=officer,
    )

    html = text_of(client, "apology", dossier)

    assert_lines(
        html,
        title,
        "Kính gửi: Ông/Bà Trần Thị B",
        "Lý do: Cần xác minh thêm thông tin",
        promise,
        "Tuy nhiên đến nay,",
        "Xin trân trọng cảm ơn./.",
        "THỦ TRƯỞNG CƠ QUAN",
        "Nơi nhận:",
    )
    assert "NGƯỜI NỘP HỒ SƠ" not in html and "NGƯỜI TIẾP NHẬN HỒ SƠ" not in html
    assert "Phạm Thị Hoa" not in html  # the head signs, not the officer who recorded it


# Mẫu 05 (2025): stop notice -----------------------------------------------------------------


def test_it_prints_the_stop_notice_of_a_stopped_2025_dossier(client, officer, dossier_2025):
    services.dossier_stop(
        dossier=dossier_2025,
        by=officer,
        at=local("2025-08-06 10:15"),
        reason="Người yêu cầu đã chết",
    )

    html = text_of(client, "stop_notice", dossier_2025)

    assert_lines(
        html,
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Mẫu số 05 – Phụ lục I ban hành kèm theo Thông tư số 03/2025/TT-VPCP",
        "Chư Gu, ngày 06 tháng 8 năm 2025",
        "Kính gửi: Ông/Bà Trần Thị B",
        "Trung tâm phục vụ hành chính công xã Chư Gu thông báo dừng giải quyết hồ sơ của Ông/Bà "
        "kể từ 10 giờ 15 phút, ngày 06 tháng 8 năm 2025 với lý do cụ thể như sau: "
        "Người yêu cầu đã chết",
        "THỦ TRƯỞNG CƠ QUAN",
    )


def test_it_has_no_stop_notice_for_an_open_dossier_or_under_circular_01_2018(
    client, officer, dossier_2021, dossier_2025
):
    services.dossier_stop(
        dossier=dossier_2021, by=officer, at=local("2021-03-03 09:00"), reason="Dừng"
    )
    url = "dossier_forms:stop_notice"

    assert client.get(reverse(url, kwargs={"code": dossier_2025.code})).status_code == 404
    assert client.get(reverse(url, kwargs={"code": dossier_2021.code})).status_code == 404
    # A stopped 2018 dossier prints its stop on the control sheet instead.
    assert "Dừng giải quyết: Dừng" in text_of(client, "control_sheet", dossier_2021)


def test_it_hides_another_units_stop_notice(client, version):
    theirs = received_dossier(
        desk=UnitFactory(name="UBND xã B"),
        procedure_version=version,
        received_at=local("2025-08-05 09:00"),
        backdate_reason="Nhập lại",
    )
    services.dossier_stop(dossier=theirs, by=None, at=local("2025-08-06 09:00"), reason="Dừng")
    url = reverse("dossier_forms:stop_notice", kwargs={"code": theirs.code})
    assert client.get(url).status_code == 404


# Mẫu 05 (2018) / 06 (2025): control sheet ---------------------------------------------------


@pytest.mark.parametrize("dossier_fixture", ["dossier_2021", "dossier_2025"])
def test_it_prints_the_control_sheet_with_each_hand_over(client, officer, request, dossier_fixture):
    dossier = request.getfixturevalue(dossier_fixture)
    office = UnitFactory(name="Công chức Tư pháp - Hộ tịch")
    start = dossier.received_at
    services.dossier_transfer(
        dossier=dossier,
        to_unit=office,
        by=officer,
        at=start + dt.timedelta(hours=1),
        step_due_at=start + dt.timedelta(days=2),
    )
    services.dossier_finish(dossier=dossier, by=None, at=start + dt.timedelta(days=1))
    services.dossier_return(dossier=dossier, by=officer, at=start + dt.timedelta(days=1, hours=2))

    html = text_of(client, "control_sheet", dossier)

    assert_lines(
        html,
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: {dossier.code})",
        "Cơ quan (bộ phận) giải quyết hồ sơ: Công chức Tư pháp - Hộ tịch",
        "Cơ quan phối hợp giải quyết hồ sơ:",
        "TÊN CƠ QUAN",
        "THỜI GIAN GIAO, NHẬN HỒ SƠ",
        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)",
        "GHI CHÚ",
        "1. Giao: UBND xã Chư Gu",
        "2. Nhận: Công chức Tư pháp - Hộ tịch",
        "1. Giao: Công chức Tư pháp - Hộ tịch",
        "2. Nhận: Trần Thị B",
        "Người giao",
        "Người nhận",
        '<div class="print-strong" data-testid="step-result">Trước hạn</div>',
        "Hạn: ",
    )
    assert html.count('class="print-handover"') == 4  # received, transferred, finished, returned


# Register (Mẫu 06 / 07) -------------------------------------------------------------------------


def register(client, **params):
    return client.get(reverse("dossier_forms:register"), params)


@pytest.fixture
def march(commune_a, officer, version):
    dossiers = [
        receive(commune_a, officer, version, f"2021-03-{day:02d} 09:00", sets_count=day)
        for day in (1, 2, 3)
    ]
    office = UnitFactory(name="Công chức Địa chính")
    services.dossier_transfer(
        dossier=dossiers[1], to_unit=office, by=None, at=local("2021-03-02 10:30")
    )
    services.dossier_finish(dossier=dossiers[1], by=None, at=local("2021-03-08 10:00"))
    services.dossier_return(dossier=dossiers[1], by=None, at=local("2021-03-09 08:00"))
    return dossiers


def test_it_prints_the_register_with_the_forms_columns(client, march):
    response = register(client, **{"from": "2021-03-01", "to": "2021-03-31"})

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert_lines(
        html,
        "SỔ THEO DÕI HỒ SƠ",
        "Mẫu số 06",
        "Từ ngày 01/03/2021 đến ngày 31/03/2021",
        "Số lượng hồ sơ (bộ)",
        "Địa chỉ, số điện thoại",
        "Cơ quan chủ trì giải quyết",
        "Nhận kết quả từ cơ quan giải quyết",
        "Trả kết quả cho cá nhân, tổ chức",
        "Ký nhận",
        "Ghi chú",
        # The second dossier: 2 sets, its phone, the office in charge, back on the 8th, late.
        "<td>2</td><td>Trần Thị B</td><td>Thôn 1, xã Chư Gu, 0912345678</td>"
        "<td>Công chức Địa chính</td>",
        "<td>02/03/2021 10:30</td><td>08/03/2021 10:00</td><td>09/03/2021 08:00</td>"
        "<td></td><td>Quá hạn</td>",
    )
    codes = [dossier.code for dossier in march]
    assert [html.index(code) for code in codes] == sorted(html.index(code) for code in codes)


def test_it_opens_the_register_one_page_at_a_time(client, march, monkeypatch):
    monkeypatch.setattr(form_views, "REGISTER_PAGE_SIZE", 2)
    params = {"from": "2021-03-01", "to": "2021-03-31"}

    first = unescape(register(client, **params).content.decode())
    second = unescape(register(client, **params, page="2").content.decode())

    assert march[0].code in first and march[1].code in first and march[2].code not in first
    assert "Page 1 of 2 (3 dossiers)" in first and "page=2" in first
    assert march[2].code in second and march[0].code not in second
    assert "<td>3</td><td>" in second  # numbering goes on from the first page


def test_it_opens_the_register_on_this_month_from_the_menu(client, officer, commune_a, version):
    today = dt.date.today()
    response = register(client)

    assert response.status_code == 200
    assert f"Từ ngày 01/{today:%m/%Y}" in unescape(response.content.decode())


def test_it_exports_the_register_with_the_same_columns(client, march):
    response = register(client, **{"from": "2021-03-01", "to": "2021-03-31", "format": "xlsx"})

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Mẫu số 06 – Sổ theo dõi hồ sơ"
    assert rows[1][0] == "Từ ngày 01/03/2021 đến ngày 31/03/2021"
    assert rows[2][:4] == ("TT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)")
    assert rows[2][7] == "Nhận hồ sơ (ngày, tháng, năm)"
    second = rows[4]
    assert second[:7] == (
        2,
        march[1].code,
        "Đăng ký kết hôn",
        2,
        "Trần Thị B",
        "Thôn 1, xã Chư Gu, 0912345678",
        "Công chức Địa chính",
    )
    assert second[7:12] == (
        dt.datetime(2021, 3, 2, 9, 0),
        dt.datetime(2021, 3, 5, 9, 0),
        dt.datetime(2021, 3, 2, 10, 30),
        dt.datetime(2021, 3, 8, 10, 0),
        dt.datetime(2021, 3, 9, 8, 0),
    )
    assert second[13] == "Quá hạn"
