"""Each form fits its paper when Chromium prints it: the slips on one A5 portrait sheet (the
receipt with ten documents of long Vietnamese names too), the register on A4 landscape.

Pages are counted in the PDF Chromium writes with the page size the CSS asks for
(``prefer_css_page_size``): one ``/Type /Page`` object per sheet, and the sheet's MediaBox,
converted from points to whole millimetres (Chromium rounds the box to its pixel grid)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from dossiers.services import (
    dossier_finish,
    dossier_refuse,
    dossier_return,
    dossier_stop,
    dossier_transfer,
)
from org.models import Role, UnitLevel
from procedures.services import DocumentSpec
from tests.factories import MembershipFactory, UnitFactory, UserFactory, local, published_procedure
from tests.steps import apology_issued, supplement_requested

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "cchc-test-password"
A5_PORTRAIT = (148, 210)
A4_LANDSCAPE = (297, 210)

# Ten papers with names as long as the catalogue's long ones (about 130 characters each).
LONG_NAMES = [
    "Tờ khai đăng ký khai sinh theo mẫu quy định (trường hợp ủy quyền phải có văn bản ủy quyền "
    "được chứng thực theo quy định của pháp luật)",
    "Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp; trường hợp không có giấy chứng sinh thì "
    "nộp văn bản của người làm chứng xác nhận về việc sinh",
    "Bản chính hoặc bản sao có chứng thực Giấy chứng nhận kết hôn của cha, mẹ trẻ em (nếu cha, "
    "mẹ đã đăng ký kết hôn)",
    "Văn bản ủy quyền theo quy định của pháp luật trong trường hợp ủy quyền thực hiện việc đăng "
    "ký khai sinh cho trẻ em",
    "Giấy tờ chứng minh nơi cư trú của người yêu cầu đăng ký khai sinh trong trường hợp thông "
    "tin chưa có trên Cơ sở dữ liệu quốc gia về dân cư",
    "Biên bản xác nhận việc trẻ bị bỏ rơi do Ủy ban nhân dân cấp xã hoặc cơ quan công an nơi "
    "trẻ bị bỏ rơi lập (đối với trẻ em bị bỏ rơi)",
    "Văn bản chứng minh việc mang thai hộ theo quy định của pháp luật (đối với trường hợp trẻ em "
    "sinh ra do mang thai hộ)",
    "Hộ chiếu hoặc giấy tờ có giá trị thay thế hộ chiếu của cha, mẹ là người nước ngoài (bản "
    "sao có chứng thực kèm bản dịch công chứng)",
    "Giấy tờ chứng minh việc công dân Việt Nam cư trú ở nước ngoài đã về nước thường trú "
    "(trường hợp đăng ký khai sinh có yếu tố nước ngoài)",
    "Văn bản thỏa thuận của cha, mẹ về việc chọn quốc tịch cho con và xác nhận của cơ quan có "
    "thẩm quyền nước mà người đó là công dân",
]
APPLICANT = {
    "name": "Nguyễn Thị Thu Hương",
    "phone": "0905123456",
    "email": "huong.nguyen@example.vn",
    "address": "Thôn Quy Hậu, xã Phú Túc, tỉnh Gia Lai",
}
LONG_REASON = (
    "Hồ sơ cần xác minh thêm thông tin về nơi cư trú của người yêu cầu tại cơ quan công an "
    "và cơ quan đăng ký hộ tịch nơi người đó cư trú trước đây, chưa kịp giải quyết đúng hạn."
)


def pdf_sheets(pdf: bytes) -> tuple[int, tuple[int, int]]:
    """(number of pages, (width, height) of the first in mm)."""
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert box is not None
    width, height = (round(float(points) * 25.4 / 72) for points in box.groups())
    return pages, (width, height)


@pytest.fixture
def forms_setup():
    """A commune desk with one dossier for every form of both circulars."""
    commune = UnitFactory(code="X24076", name="Xã Phú Túc", level=UnitLevel.COMMUNE)
    office = UnitFactory(
        code="X24076.TP", name="Công chức Tư pháp - Hộ tịch", level=UnitLevel.CENTRE, parent=commune
    )
    user = UserFactory(username="motcua", first_name="Thị Hoa", last_name="Phạm")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(user=user, unit=commune, role=Role.DESK_OFFICER)
    version = published_procedure(
        code="1.001193",
        name="Đăng ký khai sinh có yếu tố nước ngoài cho người đã có hồ sơ, giấy tờ cá nhân",
        levels=("commune",),
    )
    papers = [
        DocumentSpec(name, originals=1, certified_copies=n % 2, copies=2 if n % 3 else 0)
        for n, name in enumerate(LONG_NAMES)
    ]
    from tests.factories import received_dossier

    def receive(when: str):
        return received_dossier(
            desk=commune,
            procedure_version=version,
            by=user,
            applicant=APPLICANT,
            received_at=local(when),
            documents=papers,
            backdate_reason="Nhập lại hồ sơ giấy",
        )

    codes = {}
    for regime, day in (("2018", "2021-03-02"), ("2025", "2025-08-05")):
        dossier = receive(f"{day} 09:00")
        codes[f"receipt_{regime}"] = dossier.code
        supplement_requested(
            dossier,
            dossier.received_at + dt.timedelta(hours=1),
            reason=LONG_REASON,
            missing="\n".join(LONG_NAMES[:5]),
            by=user,
        )
        codes[f"supplement_{regime}"] = dossier.code

        late = receive(f"{day} 10:00")
        apology_issued(
            late,
            late.received_at + dt.timedelta(days=1),
            late.due_at + dt.timedelta(days=5),
            reason=LONG_REASON,
            by=user,
        )
        codes[f"apology_{regime}"] = late.code

        handled = receive(f"{day} 11:00")
        start = handled.received_at
        dossier_transfer(
            dossier=handled,
            to_unit=office,
            by=user,
            at=start + dt.timedelta(hours=1),
            note=LONG_REASON,
            step_due_at=start + dt.timedelta(days=2),
        )
        dossier_finish(dossier=handled, by=None, at=start + dt.timedelta(days=1))
        dossier_return(dossier=handled, by=user, at=start + dt.timedelta(days=1, hours=2))
        codes[f"control_{regime}"] = handled.code

        refused = dossier_refuse(
            desk=commune,
            procedure_version=version,
            channel="direct",
            applicant=APPLICANT,
            received_at=local(f"{day} 14:00"),
            reason=LONG_REASON,
            by=user,
        )
        codes[f"refusal_{regime}"] = refused.code
    stopped = receive("2025-08-06 09:00")
    dossier_stop(dossier=stopped, by=user, at=local("2025-08-07 09:00"), reason=LONG_REASON)
    codes["stop_2025"] = stopped.code
    return codes


SLIPS = {
    "receipt": "tiep-nhan",
    "supplement": "bo-sung",
    "refusal": "tu-choi",
    "apology": "xin-loi",
    "control": "kiem-soat",
    "stop": "dung-giai-quyet",
}


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("motcua")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def test_every_slip_prints_on_one_a5_sheet_and_the_register_on_a4_landscape(
    page: Page, live_server, forms_setup
) -> None:
    base = live_server.url
    log_in(page, base)
    counts = {}
    for key, code in forms_setup.items():
        form, _regime = key.rsplit("_", 1)
        response = page.goto(f"{base}/ho-so/{code}/in/{SLIPS[form]}/")
        assert response is not None and response.status == 200, key
        counts[key] = pdf_sheets(page.pdf(prefer_css_page_size=True, print_background=True))

    assert counts == {key: (1, A5_PORTRAIT) for key in forms_setup}, counts

    page.goto(f"{base}/ho-so/so-theo-doi/?from=2021-03-01&to=2021-03-31")
    expect(page.get_by_test_id("form-title")).to_have_text("SỔ THEO DÕI HỒ SƠ")
    sheets, size = pdf_sheets(page.pdf(prefer_css_page_size=True))
    assert (sheets, size) == (1, A4_LANDSCAPE)


def test_the_receipt_lists_ten_long_papers_above_both_signatures(
    page: Page, live_server, forms_setup
) -> None:
    """The table does not squeeze the signatures off the sheet: both are on the page, below
    the tenth paper."""
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/ho-so/{forms_setup['receipt_2025']}/in/tiep-nhan/")
    page.emulate_media(media="print")
    rows = page.get_by_test_id("documents").locator("tbody tr")
    expect(rows).to_have_count(10)
    last_row = rows.nth(9).bounding_box()
    signers = page.get_by_test_id("signer")
    expect(signers).to_have_count(2)
    for index in range(2):
        assert signers.nth(index).bounding_box()["y"] > last_row["y"]
