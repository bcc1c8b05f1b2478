"""The intake type-ahead: only what the desk may receive on the received day, its most received
procedures first, then the better match (whole words, prefixes, codes), in a constant number of
queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.selectors import procedure_receipt_counts, procedure_suggestions
from org.models import Role, UnitLevel
from procedures.selectors import MatchQuality, match_quality
from tests.factories import UnitFactory, local, published_procedure, received_dossier, staff
from tests.steps import refused_at_intake

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# The received day of these tests: Friday 15 August 2025 (two-tier government).
ON = dt.date(2025, 8, 15)
RECEIVED_AT = "2025-08-15T09:00"


@pytest.fixture
def units():
    province = UnitFactory(code="T52", name="UBND tỉnh Gia Lai", level=UnitLevel.PROVINCE)
    return {
        "province": province,
        "commune": UnitFactory(
            code="X24076", name="UBND xã Phú Túc", level=UnitLevel.COMMUNE, parent=province
        ),
        "centre": UnitFactory(
            code="T52.TTHCC",
            name="Trung tâm Phục vụ hành chính công tỉnh Gia Lai",
            level=UnitLevel.CENTRE,
            parent=province,
        ),
    }


@pytest.fixture
def civil_status():
    """Commune-level civil-status procedures of the seed's catalogue, and the district ones the
    reform moved to the province, all with no implementing unit listed."""
    names = {
        "1.004077": ("Đăng ký kết hôn", "commune"),
        "1.005525": ("Đăng ký khai sinh lưu động", "commune"),
        "1.007829": ("Đăng ký lại khai sinh", "commune"),
        "1.009816": (
            "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú",
            "commune",
        ),
        "2.001037": ("Đăng ký khai sinh kết hợp nhận cha, mẹ, con", "commune"),
        "2.002936": ("Đăng ký khai sinh", "commune"),
        "1.003710": ("Đăng ký khai sinh có yếu tố nước ngoài", "province"),
        "2.000211": ("Đăng ký lại khai sinh có yếu tố nước ngoài", "province"),
    }
    return {
        code: published_procedure(code=code, name=name, levels=(level,))
        for code, (name, level) in names.items()
    }


def desk(unit) -> Client:
    return staff(Role.DESK_OFFICER, unit)


def suggested_codes(client: Client, query: str, **params) -> list[str]:
    response = client.get(
        reverse("dossiers:procedure_suggest"),
        {"q": query, "received_at": RECEIVED_AT, **params},
    )
    assert response.status_code == 200
    return [version.procedure.code for version in response.context["versions"]]


def receive(unit, version, when: str, **overrides):
    return received_dossier(
        desk=unit, procedure_version=version, received_at=local(when), **overrides
    )


# Competence -------------------------------------------------------------------------------------


def test_it_offers_a_commune_desk_commune_procedures_only(units, civil_status):
    codes = suggested_codes(desk(units["commune"]), "khai sinh")
    assert "1.003710" not in codes
    assert "2.000211" not in codes
    assert sorted(codes) == ["1.005525", "1.007829", "1.009816", "2.001037", "2.002936"]


def test_it_offers_the_centre_province_procedures_only(units, civil_status):
    assert suggested_codes(desk(units["centre"]), "khai sinh") == ["1.003710", "2.000211"]


def test_it_offers_only_the_versions_in_force_on_the_received_day(units, civil_status):
    published_procedure(
        code="1.000100", name="Đăng ký khai sinh mới", levels=("commune",), valid_from=ON
    )
    client = desk(units["commune"])
    assert "1.000100" in suggested_codes(client, "khai sinh")
    assert "1.000100" not in suggested_codes(client, "khai sinh", received_at="2025-08-14T16:00")


def test_it_offers_nothing_to_a_user_without_a_unit(units, civil_status):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory())
    assert suggested_codes(client, "khai sinh") == []


def test_it_refuses_a_received_time_it_cannot_read(units, civil_status):
    response = desk(units["commune"]).get(
        reverse("dossiers:procedure_suggest"), {"q": "khai sinh", "received_at": "hôm qua"}
    )
    assert response.status_code == 400
    assert "Enter the received time as dd/mm/yyyy hh:mm" in response.text


def test_it_says_when_the_desk_may_receive_nothing_that_matches(units, civil_status):
    response = desk(units["commune"]).get(
        reverse("dossiers:procedure_suggest"), {"q": "nuoc ngoai", "received_at": RECEIVED_AT}
    )
    assert "No procedure that this desk may receive on 15/08/2025 matches." in response.text


# Ranking ----------------------------------------------------------------------------------------


def test_it_finds_dang_ky_khai_sinh_first_at_a_commune(units, civil_status):
    codes = suggested_codes(desk(units["commune"]), "khai sinh")
    assert codes[0] == "2.002936"


def test_it_ranks_the_procedures_this_desk_received_most_in_90_days_first(units, civil_status):
    commune = units["commune"]
    for when in ("2025-08-01 09:00", "2025-08-04 09:00", "2025-08-15 08:00"):
        receive(commune, civil_status["1.007829"], when)  # Đăng ký lại khai sinh, 3 times
    receive(commune, civil_status["1.005525"], "2025-07-10 09:00")  # lưu động, once
    codes = suggested_codes(desk(commune), "khai sinh")
    assert codes[:3] == ["1.007829", "1.005525", "2.002936"]


def test_it_ranks_by_the_receipts_of_this_desk_only(units, civil_status):
    other_commune = UnitFactory(code="X24100", level=UnitLevel.COMMUNE, parent=units["province"])
    receive(other_commune, civil_status["1.007829"], "2025-08-01 09:00")
    assert suggested_codes(desk(units["commune"]), "khai sinh")[0] == "2.002936"


def test_it_counts_the_90_days_that_end_with_the_received_day(units, civil_status):
    commune = units["commune"]
    version = civil_status["1.007829"]
    receive(commune, version, "2025-05-17 16:00")  # the 91st day back: not counted
    receive(commune, version, "2025-05-18 07:30")  # the 90th day: counted
    receive(commune, version, "2025-08-15 10:00")  # the received day itself: counted
    receive(commune, civil_status["2.002936"], "2025-08-16 08:00")  # after it: not counted
    counts = procedure_receipt_counts(unit=commune, on=ON)
    assert counts == {version.procedure_id: 2}


def test_it_does_not_count_dossiers_refused_at_intake(units, civil_status):

    commune = units["commune"]
    refused_at_intake(
        commune,
        civil_status["1.007829"],
        local("2025-08-01 09:00"),
        name="Trần Thị B",
        reason="Không thuộc thẩm quyền",
    )
    assert procedure_receipt_counts(unit=commune, on=ON) == {}


def test_it_counts_every_version_of_a_procedure_together(units, civil_status):
    from procedures.services import procedure_draft_new, procedure_publish

    commune = units["commune"]
    old = civil_status["1.007829"]
    receive(commune, old, "2025-07-01 09:00")
    new = procedure_publish(
        version=procedure_draft_new(procedure=old.procedure, by=None),
        valid_from=dt.date(2025, 8, 1),
        by=None,
    )
    receive(commune, new, "2025-08-05 09:00")
    assert procedure_receipt_counts(unit=commune, on=ON) == {old.procedure_id: 2}
    assert suggested_codes(desk(commune), "khai sinh")[0] == "1.007829"


def test_it_breaks_frequency_ties_by_match_quality(units):
    commune = units["commune"]
    prefix = published_procedure(code="1.000201", name="Chứng thực bản sao từ bản chính")
    whole = published_procedure(code="1.000202", name="Chứng thực chữ ký")
    for version in (prefix, whole):
        receive(commune, version, "2025-08-01 09:00")
    # Received as often: "chu" is a whole word of 1.000202 ("chữ"), only the start of "chứng"
    # in 1.000201.
    assert suggested_codes(desk(commune), "chu") == ["1.000202", "1.000201"]
    # One more receipt outranks the better match.
    receive(commune, prefix, "2025-08-04 09:00")
    assert suggested_codes(desk(commune), "chu") == ["1.000201", "1.000202"]


def test_it_puts_whole_words_before_prefixes_before_codes(units):
    published_procedure(code="1.000501", name="Gia hạn 300 ngày")  # starts a word: "300"
    published_procedure(code="1.000502", name="Cấp phép trong 30 ngày")  # a whole word
    published_procedure(code="1.000530", name="Thủ tục khác")  # only in the code
    published_procedure(code="1.000504", name="Thủ tục không khớp")  # not at all
    assert suggested_codes(desk(units["commune"]), "30") == ["1.000502", "1.000501", "1.000530"]


@pytest.mark.parametrize(
    "query, name, quality",
    [
        ("khai sinh", "Đăng ký khai sinh", MatchQuality.WHOLE_WORDS),
        ("KHAI SINH", "Đăng ký khai sinh", MatchQuality.WHOLE_WORDS),
        ("đăng ký", "Đăng ký khai sinh", MatchQuality.WHOLE_WORDS),
        ("dang k", "Đăng ký khai sinh", MatchQuality.PREFIXES),
        ("1.000948", "Đăng ký khai sinh", MatchQuality.CODE),
        ("000948", "Đăng ký khai sinh", MatchQuality.CODE),
        ("ang", "Đăng ký khai sinh", MatchQuality.PARTS_OF_WORDS),
    ],
)
def test_it_grades_the_match_without_diacritics(query, name, quality):
    assert match_quality(query=query, code="1.000948", name=name)[0] == quality


def test_it_prefers_the_typed_words_together_then_shorter_names():
    def key(name):
        return match_quality(query="khai sinh", code="1.000001", name=name)

    assert key("Đăng ký khai sinh") < key("Đăng ký khai sinh lưu động")
    assert key("Đăng ký khai sinh lưu động") < key("Đăng ký sinh con khai báo")


def test_it_keeps_the_query_count_constant(units, civil_status):
    commune = units["commune"]
    client = desk(commune)
    suggested_codes(client, "khai sinh")  # session and membership read once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            suggested_codes(client, "khai sinh")
        return len(captured)

    before = queries()
    for n in range(10):
        version = published_procedure(code=f"1.0004{n:02d}", name=f"Đăng ký khai sinh {n}")
        receive(commune, version, f"2025-08-{n + 1:02d} 09:00")
    assert queries() == before


def test_it_ranks_in_four_queries(units, civil_status):
    with CaptureQueriesContext(connection) as captured:
        procedure_suggestions(unit=units["commune"], on=ON, query="khai sinh", limit=15)
    assert len(captured) == 4
