"""Competence at intake, in real Chromium: a commune desk's type-ahead offers only the
procedures a commune may receive today, its most received ones first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from org.models import Role, UnitLevel
from tests.e2e.test_desk import PASSWORD, log_in
from tests.factories import MembershipFactory, UnitFactory, UserFactory, published_procedure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def commune_desk():
    province = UnitFactory(code="T99", name="Tỉnh Thử", level=UnitLevel.PROVINCE)
    commune = UnitFactory(
        code="X99001", name="Xã Thử", parent=province, valid_from=dt.date(2025, 7, 1)
    )
    since = dt.date(2025, 7, 1)
    published_procedure(
        code="1.000001", name="Đăng ký khai sinh", levels=("commune",), valid_from=since
    )
    published_procedure(
        code="1.000002", name="Đăng ký khai sinh có yếu tố nước ngoài", levels=("province",),
        valid_from=since,
    )  # fmt: skip
    published_procedure(
        code="1.000003", name="Đăng ký khai tử", levels=("commune",), valid_from=since
    )
    user = UserFactory(username="motcua.thu")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(user=user, unit=commune, role=Role.DESK_OFFICER)
    return commune


def test_the_commune_desk_is_offered_commune_procedures_only(
    page: Page, live_server, commune_desk
) -> None:
    assert timezone.localdate() >= dt.date(2025, 7, 1)
    log_in(page, live_server.url, "motcua.thu")
    page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    suggestions = page.get_by_test_id("procedure-suggestions")
    page.locator("#id_procedure_query").fill("dang ky khai")
    expect(suggestions.get_by_role("option")).to_have_count(2)
    expect(suggestions).to_contain_text("Đăng ký khai tử")
    expect(suggestions).not_to_contain_text("nước ngoài")
    page.locator("#id_procedure_query").fill("khai sinh")
    expect(suggestions.get_by_role("option")).to_have_count(1)
    expect(suggestions.get_by_role("option").first).to_contain_text("Đăng ký khai sinh")
