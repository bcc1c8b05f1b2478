"""The printable forms over HTTP: each slip for a dossier it applies to (code, QR, the title of
the dossier's regime, the dates), 404 where it does not apply or the dossier is another unit's,
and the register as HTML and XLSX with its range checks and a query count independent of rows."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dossiers import form_views, services
from dossiers.qr import qr_svg
from org.models import UnitLevel
from tests.factories import UnitFactory, local, received_dossier
from tests.steps import apology_issued, refused_at_intake, supplement_requested

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def dossier_2021(commune_a, officer, version):
    """Received Tue 2021-03-02 09:00, 3 working days: due Fri 2021-03-05 09:00."""
    return received_dossier(
        desk=commune_a,
        procedure_version=version,
        by=officer,
        applicant={"name": "Trần Thị B", "phone": "0912345678", "address": "Thôn 1, xã Chư Gu"},
        backdate_reason="Nhập lại hồ sơ năm 2021",
    )


@pytest.fixture
def dossier_2025(commune_a, officer, version):
    """Received Tue 2025-08-05 09:00 (Decree 118/2025): due Fri 2025-08-08 09:00."""
    return received_dossier(
        desk=commune_a,
        procedure_version=version,
        by=officer,
        received_at=local("2025-08-05 09:00"),
        backdate_reason="Nhập lại hồ sơ năm 2025",
    )


def url(name: str, dossier) -> str:
    return reverse(f"dossier_forms:{name}", kwargs={"code": dossier.code})


def lookup_qr(code: str) -> str:
    return str(qr_svg(f"http://testserver/tra-cuu/?code={code}"))


def page(response) -> str:
    return response.content.decode()


# Mẫu 01 receipt ---------------------------------------------------------------------------------


def test_it_prints_the_receipt_of_a_2021_dossier(client, dossier_2021):
    response = client.get(url("receipt", dossier_2021))

    assert response.status_code == 200
    html = page(response)
    assert dossier_2021.code in html
    assert lookup_qr(dossier_2021.code) in html
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html
    assert "Mẫu số 01 – Ban hành kèm theo Thông tư số 01/2018/TT-VPCP" in html
    assert "UBND XÃ CHƯ GU" in html and "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "09 giờ 00 phút, ngày 02 tháng 3 năm 2021" in html
    assert "09 giờ 00 phút, ngày 05 tháng 3 năm 2021" in html
    assert "Đăng ký kết hôn" in html and "Giấy xác nhận tình trạng hôn nhân" in html
    assert "Thôn 1, xã Chư Gu" in html and "0912345678" in html
    assert "Phạm Thị Hoa" in html  # the receiving officer, from the RECEIVED event


def test_it_prints_the_receipt_of_a_2025_dossier_under_circular_03_2025(client, dossier_2025):
    response = client.get(url("receipt", dossier_2025))

    assert response.status_code == 200
    html = page(response)
    assert lookup_qr(dossier_2025.code) in html
    assert "Mẫu số 01 – Phụ lục I ban hành kèm theo Thông tư số 03/2025/TT-VPCP" in html
    assert "01/2018/TT-VPCP" not in html
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in html
    assert "09 giờ 00 phút, ngày 08 tháng 8 năm 2025" in html


def test_it_keeps_the_appointment_given_at_intake_after_a_supplement(client, dossier_2021):
    supplement_requested(dossier_2021, local("2021-03-03 09:00"), reason="Thiếu giấy")
    # Paused Wed 09:00 → Thu 09:00: one working day more, due Mon 2021-03-08.
    completed = services.supplement_complete(
        dossier=dossier_2021, by=None, at=local("2021-03-04 09:00")
    )
    assert completed.due_at == local("2021-03-08 09:00")

    html = page(client.get(url("receipt", dossier_2021)))

    assert "09 giờ 00 phút, ngày 05 tháng 3 năm 2021" in html
    assert "ngày 08 tháng 3 năm 2021" not in html


def test_it_shows_the_page_in_vietnamese_by_default(client, dossier_2021):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = client.get(url("receipt", dossier_2021))
    assert response.status_code == 200
    assert '<html lang="vi">' in page(response)


# Mẫu 02 supplement ------------------------------------------------------------------------------


def test_it_prints_the_latest_supplement_request_or_the_one_asked_for(client, dossier_2021):
    supplement_requested(
        dossier_2021,
        local("2021-03-02 10:00"),
        reason="Thiếu bản sao giấy khai sinh",
        missing="Giấy khai sinh",
    )
    services.supplement_complete(dossier=dossier_2021, by=None, at=local("2021-03-02 15:00"))
    supplement_requested(
        dossier_2021,
        local("2021-03-03 14:00"),
        reason="Ảnh không đúng quy cách",
        missing="Ảnh 4x6\nBản sao CCCD",
    )
    first_id = dossier_2021.supplement_requests.order_by("requested_at").first().pk

    latest = client.get(url("supplement", dossier_2021))
    chosen = client.get(url("supplement", dossier_2021), {"request": first_id})

    assert latest.status_code == 200
    html = page(latest)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in html
    assert lookup_qr(dossier_2021.code) in html
    assert "Ảnh không đúng quy cách" in html and "<td>Bản sao CCCD</td>" in html
    assert "Chư Gu, ngày 03 tháng 3 năm 2021" in html
    assert chosen.status_code == 200
    assert "Thiếu bản sao giấy khai sinh" in page(chosen)
    assert "Ảnh không đúng quy cách" not in page(chosen)


def test_it_has_no_supplement_slip_without_a_request(client, dossier_2021):
    assert client.get(url("supplement", dossier_2021)).status_code == 404


def test_it_rejects_a_supplement_request_that_is_not_this_dossiers(
    client, dossier_2021, commune_a, version
):
    other = received_dossier(desk=commune_a, procedure_version=version)
    services.supplement_request(
        dossier=other, reason="Thiếu", missing_documents="", by=None, at=local("2021-03-02 10:00")
    )
    foreign_id = other.supplement_requests.get().pk

    assert client.get(url("supplement", dossier_2021), {"request": foreign_id}).status_code == 404
    bad = client.get(url("supplement", dossier_2021), {"request": "abc"})
    assert bad.status_code == 400
    assert "The request parameter must be a number." in page(bad)


# Mẫu 03 refusal ---------------------------------------------------------------------------------


def test_it_prints_the_refusal_slip_with_the_reason(client, commune_a, officer, version):
    refused = refused_at_intake(
        commune_a,
        version,
        local("2021-03-02 10:00"),
        name="Lê Văn D",
        reason="Không thuộc thẩm quyền giải quyết của xã",
        by=officer,
    )

    response = client.get(url("refusal", refused))

    assert response.status_code == 200
    html = page(response)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in html
    assert "Không thuộc thẩm quyền giải quyết của xã" in html
    assert lookup_qr(refused.code) in html
    # A refused dossier was never received: no receipt, no control sheet.
    assert client.get(url("receipt", refused)).status_code == 404
    assert client.get(url("control_sheet", refused)).status_code == 404


def test_it_has_no_refusal_slip_for_an_accepted_dossier(client, dossier_2021):
    assert client.get(url("refusal", dossier_2021)).status_code == 404


# Mẫu 04 apology ---------------------------------------------------------------------------------


def test_it_prints_the_apology_with_the_new_and_the_original_dates(client, dossier_2021):
    apology_issued(
        dossier_2021,
        local("2021-03-04 09:00"),
        local("2021-03-09 09:00"),
        reason="Cần xác minh thêm thông tin",
    )

    response = client.get(url("apology", dossier_2021))

    assert response.status_code == 200
    html = page(response)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in html
    assert "Cần xác minh thêm thông tin" in html
    assert "09 giờ 00 phút, ngày 09 tháng 3 năm 2021" in html  # the new appointment
    assert "ngày 05 tháng 3 năm 2021" in html  # the original one
    assert "ngày 04 tháng 3 năm 2021" in html  # issued on
    assert lookup_qr(dossier_2021.code) in html


def test_it_titles_the_apology_of_a_2025_dossier_as_circular_03_2025_does(client, dossier_2025):
    apology_issued(
        dossier_2025, local("2025-08-06 09:00"), local("2025-08-14 09:00"), reason="Cần xác minh"
    )
    html = page(client.get(url("apology", dossier_2025)))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in html
    assert "Mẫu số 04 – Phụ lục I" in html


def test_it_has_no_apology_slip_without_an_apology(client, dossier_2021):
    assert client.get(url("apology", dossier_2021)).status_code == 404


# Mẫu 05 / 06 control sheet ----------------------------------------------------------------------


def test_it_prints_the_control_sheet_with_each_step_judged(client, dossier_2021):
    services.dossier_transfer(
        dossier=dossier_2021,
        to_unit=UnitFactory(name="Công chức Tư pháp - Hộ tịch"),
        by=None,
        at=local("2021-03-02 10:00"),
        step_due_at=local("2021-03-04 17:00"),
    )
    services.dossier_finish(dossier=dossier_2021, by=None, at=local("2021-03-03 16:00"))

    response = client.get(url("control_sheet", dossier_2021))

    assert response.status_code == 200
    html = page(response)
    assert "Mẫu số 05 – Ban hành kèm theo Thông tư số 01/2018/TT-VPCP" in html
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in html
    assert "Công chức Tư pháp - Hộ tịch" in html
    assert '<div class="print-strong" data-testid="step-result">Trước hạn</div>' in html
    assert lookup_qr(dossier_2021.code) in html


def test_it_numbers_the_control_sheet_06_under_circular_03_2025(client, dossier_2025):
    html = page(client.get(url("control_sheet", dossier_2025)))
    assert "Mẫu số 06 – Phụ lục I ban hành kèm theo Thông tư số 03/2025/TT-VPCP" in html


# Access -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["receipt", "supplement", "refusal", "apology", "control_sheet"])
def test_it_hides_every_slip_of_another_communes_dossier(client, version, form):
    commune_b = UnitFactory(name="UBND xã Ia Rsai", level=UnitLevel.COMMUNE)
    theirs = received_dossier(desk=commune_b, procedure_version=version)
    services.supplement_request(
        dossier=theirs, reason="Thiếu", missing_documents="", by=None, at=local("2021-03-02 10:00")
    )
    apology_issued(theirs, local("2021-03-02 11:00"), local("2021-03-10 09:00"))
    assert client.get(url(form, theirs)).status_code == 404


def test_it_answers_404_for_an_unknown_code(client):
    response = client.get(reverse("dossier_forms:receipt", kwargs={"code": "H30-210302-9999"}))
    assert response.status_code == 404


def test_it_asks_an_anonymous_visitor_to_log_in(dossier_2021):
    from django.test import Client

    response = Client().get(url("receipt", dossier_2021))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Register ---------------------------------------------------------------------------------------


def register(client, **params):
    return client.get(reverse("dossier_forms:register"), params)


@pytest.fixture
def march_dossiers(commune_a, version):
    """Three dossiers of commune A in March 2021 (one transferred and finished late), one in
    April, and one of commune B in March."""
    first = received_dossier(
        desk=commune_a, procedure_version=version, received_at=local("2021-03-01 08:00")
    )
    second = received_dossier(
        desk=commune_a,
        procedure_version=version,
        received_at=local("2021-03-02 09:00"),
        applicant={"name": "Nguyễn Văn E", "address": "Thôn 3"},
    )
    services.dossier_transfer(
        dossier=second,
        to_unit=UnitFactory(name="Công chức Địa chính"),
        by=None,
        at=local("2021-03-02 10:30"),
    )
    services.dossier_finish(dossier=second, by=None, at=local("2021-03-08 10:00"))
    third = received_dossier(
        desk=commune_a, procedure_version=version, received_at=local("2021-03-31 16:00")
    )
    received_dossier(
        desk=commune_a, procedure_version=version, received_at=local("2021-04-01 08:00")
    )
    received_dossier(
        desk=UnitFactory(name="UBND xã B"),
        procedure_version=version,
        received_at=local("2021-03-02 09:00"),
    )
    return [first, second, third]


def test_it_prints_the_register_of_the_range(client, march_dossiers):
    response = register(client, **{"from": "2021-03-01", "to": "2021-03-31"})

    assert response.status_code == 200
    html = page(response)
    assert "SỔ THEO DÕI HỒ SƠ" in html
    assert "Mẫu số 06 – Ban hành kèm theo Thông tư số 01/2018/TT-VPCP" in html
    codes = [dossier.code for dossier in march_dossiers]
    positions = [html.index(code) for code in codes]
    assert positions == sorted(positions)
    assert html.count("<tr>") == 2 + 3  # two header rows and three rows
    assert "<td>Công chức Địa chính</td>" in html and "<td>02/03/2021 10:30</td>" in html
    assert "<td>08/03/2021 10:00</td>" in html and "<td>Quá hạn</td>" in html
    assert "Từ ngày 01/03/2021 đến ngày 31/03/2021" in html


def test_it_exports_the_register_as_xlsx(client, march_dossiers):
    response = register(client, **{"from": "2021-03-01", "to": "2021-03-31", "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="so-theo-doi-2021-03-01-2021-03-31.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Mẫu số 06 – Sổ theo dõi hồ sơ"
    assert rows[2][:3] == ("TT", "Mã hồ sơ", "Tên thủ tục hành chính")
    assert workbook.active["A3"].font.bold is True
    data = rows[3:]
    assert [row[1] for row in data] == [dossier.code for dossier in march_dossiers]
    second = data[1]
    assert second[0] == 2
    assert second[2:6] == ("Đăng ký kết hôn", 1, "Nguyễn Văn E", "Thôn 3")
    # Real dates, naive, in Hà Nội wall-clock time.
    assert second[6] == "Công chức Địa chính"
    assert second[7] == dt.datetime(2021, 3, 2, 9, 0)
    assert second[8] == dt.datetime(2021, 3, 5, 9, 0)
    assert second[9] == dt.datetime(2021, 3, 2, 10, 30)
    assert second[10] == dt.datetime(2021, 3, 8, 10, 0)
    assert second[11] is None
    assert second[13] == "Quá hạn"
    assert workbook.active["H5"].number_format == "dd/mm/yyyy hh:mm"


def test_it_narrows_the_register_to_a_visible_unit(client, commune_a, version, march_dossiers):
    hamlet_desk = UnitFactory(name="Điểm tiếp nhận thôn 2", parent=commune_a)
    theirs = received_dossier(
        desk=hamlet_desk, procedure_version=version, received_at=local("2021-03-03 08:00")
    )

    response = register(client, **{"from": "2021-03-01", "to": "2021-03-31", "unit": "001.37.H21"})
    only_hamlet = register(
        client, **{"from": "2021-03-01", "to": "2021-03-31", "unit": hamlet_desk.code}
    )

    assert theirs.code in page(response) and march_dossiers[0].code in page(response)
    assert theirs.code in page(only_hamlet)
    assert march_dossiers[0].code not in page(only_hamlet)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"to": "2021-03-31"}, "The start date is required."),
        ({"from": "2021-03-01"}, "The end date is required."),
        ({"from": "2021-3-1x", "to": "2021-03-31"}, "The start date must look like 2021-03-31."),
        ({"from": "2021-03-31", "to": "2021-03-01"}, "The end date is before the start date."),
        ({"from": "2021-01-01", "to": "2022-01-01"}, "at most one year"),
        ({"from": "2021-03-01", "to": "2021-03-31", "format": "csv"}, "html or xlsx"),
    ],
)
def test_it_rejects_a_bad_register_range(client, params, message):
    response = register(client, **params)
    assert response.status_code == 400
    assert message in page(response)


def test_it_rejects_a_unit_the_user_may_not_see(client):
    UnitFactory(code="999.99.H21", name="UBND xã khác")
    response = register(client, **{"from": "2021-03-01", "to": "2021-03-31", "unit": "999.99.H21"})
    assert response.status_code == 400
    assert "Unknown unit, or a unit you may not see: 999.99.H21." in page(response)


def test_it_pages_a_register_too_long_for_one_page(client, march_dossiers, monkeypatch):
    monkeypatch.setattr(form_views, "REGISTER_PAGE_SIZE", 2)

    response = register(client, **{"from": "2021-03-01", "to": "2021-03-31"})

    assert response.status_code == 200
    html = page(response)
    assert "Page 1 of 2 (3 dossiers)" in html
    assert march_dossiers[2].code not in html
    assert "format=xlsx" in html


def _register_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = register(client, **{"from": "2021-03-01", "to": "2021-03-31"})
    assert response.status_code == 200
    return len(queries)


def _more_dossiers(unit, version, count: int) -> None:
    for _ in range(count):
        dossier = received_dossier(
            desk=unit, procedure_version=version, received_at=local("2021-03-10 09:00")
        )
        services.dossier_transfer(
            dossier=dossier, to_unit=UnitFactory(), by=None, at=local("2021-03-10 10:00")
        )


def test_it_reads_the_register_in_the_same_number_of_queries_for_3_or_30_dossiers(
    client, commune_a, version
):
    _more_dossiers(commune_a, version, 3)
    with_three = _register_queries(client)
    _more_dossiers(commune_a, version, 27)
    with_thirty = _register_queries(client)

    assert with_three == with_thirty


def test_it_refuses_an_xlsx_longer_than_a_worksheet(client, march_dossiers, monkeypatch):
    monkeypatch.setattr(form_views, "REGISTER_XLSX_MAX_ROWS", 2)

    response = register(client, **{"from": "2021-03-01", "to": "2021-03-31", "format": "xlsx"})

    assert response.status_code == 400
    assert "more dossiers in this range than one worksheet holds" in page(response)
