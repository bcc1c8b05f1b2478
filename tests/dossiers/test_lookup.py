"""The public lookup (/tra-cuu/): code + last 4 digits of the phone or ID, nothing personal
shown, one answer for "unknown" and "wrong digits", rate-limited per client address and per code."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from dossiers import services
from dossiers.ratelimit import client_ip, rate_limit_hit, rate_parse
from tests.factories import UnitFactory, UserFactory, local, published_procedure, received_dossier
from tests.steps import apology_issued, supplement_requested

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/tra-cuu/"
NOT_FOUND = "No dossier matches this code and these digits."


@pytest.fixture
def client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def dossier():
    return received_dossier(
        desk=UnitFactory(code="H30"),
        procedure_version=published_procedure(code="1.000001", name="Đăng ký khai sinh"),
        applicant={
            "name": "Trần Thị Bình",
            "phone": "0912 345 678",
            "id_number": "001200004321",
            "email": "binh@example.vn",
            "address": "12 Phố Huế",
        },
    )


def look_up(client: Client, code: str, digits: str, **extra):
    return client.post(URL, {"code": code, "digits": digits}, **extra)


def page_text(response, code: str) -> str:
    """The page without its per-request CSRF token and with the code typed blanked out."""
    content = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return content.replace(f'value="{code}"', 'value="CODE"')


def test_it_is_the_url_others_link_to():
    assert reverse("lookup:search") == URL


@pytest.mark.parametrize("digits", ["5678", "4321"], ids=["phone", "id_number"])
def test_it_finds_a_dossier_by_the_phone_or_id_digits(client, dossier, digits):
    response = look_up(client, "H30-210302-0001", digits)
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.code, result.procedure_name, result.status) == (
        "H30-210302-0001",
        "Đăng ký khai sinh",
        "received",
    )
    content = response.content.decode()
    assert "Đăng ký khai sinh" in content
    assert "has been received and is waiting to be processed" in content
    assert "09:00 02/03/2021" in content  # received
    assert "09:00 05/03/2021" in content  # appointment: 3 working days
    assert NOT_FOUND not in content


def test_the_code_may_be_typed_in_small_letters_and_with_spaces(client, dossier):
    response = look_up(client, "  h30-210302-0001 ", "5678")
    assert response.context["result"].code == "H30-210302-0001"


def test_it_shows_nothing_personal(client, dossier):
    officer = UserFactory(username="motcua.h30", first_name="Lan", last_name="Hoàng")
    services.dossier_transfer(
        dossier=dossier, to_unit=UnitFactory(), by=officer, note="Ghi chú nội bộ"
    )
    content = look_up(client, "H30-210302-0001", "5678").content.decode()
    for personal in (
        "Trần Thị Bình",
        "0912 345 678",
        "001200004321",
        "binh@example.vn",
        "12 Phố Huế",
        "motcua.h30",
        "Hoàng Lan",
        "Ghi chú nội bộ",
    ):
        assert personal not in content
    assert 'value="5678"' not in content  # the digits are not echoed back


def test_unknown_code_and_wrong_digits_get_the_same_answer(client, dossier):
    wrong_digits = look_up(client, "H30-210302-0001", "0000")
    unknown_code = look_up(client, "H30-210302-0002", "5678")
    assert wrong_digits.status_code == unknown_code.status_code == 200
    assert NOT_FOUND in wrong_digits.content.decode()
    # The form repeats the code typed; apart from it the two pages are the same.
    assert page_text(wrong_digits, "H30-210302-0001") == page_text(unknown_code, "H30-210302-0002")


def test_a_dossier_without_phone_or_id_cannot_be_looked_up(client):
    received_dossier(desk=UnitFactory(code="H32"), applicant={"name": "Ẩn danh"})
    response = look_up(client, "H32-210302-0001", "0000")
    assert response.context["result"] is None
    assert NOT_FOUND in response.content.decode()


def test_a_short_phone_cannot_match(client):
    received_dossier(desk=UnitFactory(code="H33"), applicant={"name": "X", "phone": "123"})
    assert NOT_FOUND in look_up(client, "H33-210302-0001", "0123").content.decode()


@pytest.mark.parametrize(
    "data", [{"code": "H30-210302-0001", "digits": "12a4"}, {"code": "", "digits": "1234"}]
)
def test_bad_input_is_400_with_a_message(client, dossier, data):
    response = client.post(URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert "result" not in response.context


def test_it_shows_an_open_supplement_request(client, dossier):
    supplement_requested(
        dossier, local("2021-03-03 10:00"), reason="Thiếu giấy tờ tùy thân", missing="Bản sao CCCD"
    )
    content = look_up(client, "H30-210302-0001", "5678").content.decode()
    assert "Waiting for supplement" in content
    assert "Thiếu giấy tờ tùy thân" in content
    assert "Bản sao CCCD" in content
    assert "Documents requested on 03/03/2021" in content


def test_it_shows_the_rescheduled_appointment(client, dossier):
    apology_issued(dossier, local("2021-03-03 10:00"), local("2021-03-10 16:00"))
    response = look_up(client, "H30-210302-0001", "5678")
    content = response.content.decode()
    assert "16:00 10/03/2021" in content
    assert "Rescheduled by a letter of apology" in content
    assert "the original appointment was 09:00 05/03/2021" in content


def test_it_shows_when_the_result_was_ready_and_returned(client, dossier):
    dossier = services.dossier_finish(dossier=dossier, by=None, at=local("2021-03-04 15:00"))
    services.dossier_return(dossier=dossier, by=None, at=local("2021-03-05 08:30"))
    response = look_up(client, "H30-210302-0001", "5678")
    content = response.content.decode()
    assert response.context["result"].status == "returned"
    assert "Result ready on" in content and "15:00 04/03/2021" in content
    assert "Result returned on" in content and "08:30 05/03/2021" in content


def test_it_shows_a_withdrawal(client, dossier):
    services.dossier_withdraw(dossier=dossier, by=None, at=local("2021-03-03 08:00"), reason="Rút")
    content = look_up(client, "H30-210302-0001", "5678").content.decode()
    assert "withdrawn at your request" in content
    assert "08:00 03/03/2021" in content
    assert "Rút" not in content.split("lookup-result")[1]


def test_it_shows_a_refusal_at_intake(client):
    services.dossier_refuse(
        desk=UnitFactory(code="H34"),
        procedure_version=published_procedure(code="1.000002"),
        channel="direct",
        applicant={"name": "Lê Văn D", "id_number": "001099998888"},
        received_at=local("2021-03-02 09:00"),
        reason="Không thuộc thẩm quyền",
        by=None,
    )
    response = look_up(client, "H34-210302-0001", "8888")
    content = response.content.decode()
    assert response.context["result"].refused
    assert "Refused at intake" in content
    assert "Appointment" not in content
    assert "Lê Văn D" not in content


def test_the_qr_link_prefills_the_code(client, dossier):
    response = client.get(URL, {"code": "H30-210302-0001"})
    assert response.status_code == 200
    assert 'value="H30-210302-0001"' in response.content.decode()
    assert "result" not in response.context


def test_a_link_with_both_values_looks_up(client, dossier):
    response = client.get(URL, {"code": "H30-210302-0001", "digits": "4321"})
    assert response.context["result"].code == "H30-210302-0001"


def test_the_form_is_csrf_protected(dossier):
    strict = Client(enforce_csrf_checks=True)
    assert look_up(strict, "H30-210302-0001", "5678").status_code == 403
    page = strict.get(URL)
    token = page.context["csrf_token"]
    response = strict.post(
        URL, {"code": "H30-210302-0001", "digits": "5678", "csrfmiddlewaretoken": str(token)}
    )
    assert response.status_code == 200


def test_anonymous_visitors_get_the_public_layout(client):
    content = client.get(URL).content.decode()
    assert 'data-testid="language-switch"' in content
    assert 'data-testid="logout"' not in content


# Rate limit -------------------------------------------------------------------------------


def test_it_answers_429_over_the_limit_without_looking_up(client, dossier, settings):
    settings.LOOKUP_RATE_LIMIT = "3/d"
    for _ in range(3):
        assert look_up(client, "H30-210302-0001", "5678").status_code == 200
    response = look_up(client, "H30-210302-0001", "5678")
    assert response.status_code == 429
    assert response["Retry-After"] == "86400"
    assert "Too many lookups" in response.content.decode()
    assert "result" not in response.context
    # Another address still may.
    other = look_up(client, "H30-210302-0001", "5678", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(client, dossier, settings):
    settings.LOOKUP_RATE_LIMIT = "1/d"
    forged = {"HTTP_X_FORWARDED_FOR": "1.1.1.1"}
    assert look_up(client, "H30-210302-0001", "5678", **forged).status_code == 200
    forged = {"HTTP_X_FORWARDED_FOR": "2.2.2.2"}
    assert look_up(client, "H30-210302-0001", "5678", **forged).status_code == 429
    settings.TRUSTED_PROXY_COUNT = 1
    assert look_up(client, "H30-210302-0001", "5678", **forged).status_code == 200


def test_one_code_cannot_be_guessed_from_many_addresses(client, dossier, settings):
    """Over the code's limit each network (/24) has a few tries left, right digits or not;
    the rules and the attacks are in tests/security/test_lookup_limits.py."""
    settings.LOOKUP_CODE_RATE_LIMIT = "3/h"
    settings.LOOKUP_CODE_NETWORK_RATE_LIMIT = "1/d"
    for n in range(4):
        address = {"REMOTE_ADDR": f"10.0.1.{n}"}
        assert look_up(client, "H30-210302-0001", f"000{n}", **address).status_code == 200
    response = look_up(client, "H30-210302-0001", "5678", REMOTE_ADDR="10.0.1.9")
    assert response.status_code == 429
    assert "result" not in response.context
    assert "tried with wrong digits too often" in response.content.decode()
    other_network = look_up(client, "H30-210302-0001", "5678", REMOTE_ADDR="10.0.2.9")
    assert other_network.context["result"].code == "H30-210302-0001"


@pytest.mark.parametrize(
    "forwarded, proxies, expected",
    [
        ("", 0, "127.0.0.1"),
        ("9.9.9.9", 0, "127.0.0.1"),
        ("9.9.9.9", 1, "9.9.9.9"),
        ("6.6.6.6, 9.9.9.9", 1, "9.9.9.9"),  # the client forged the first entry
        ("6.6.6.6, 9.9.9.9, 10.0.0.2", 2, "9.9.9.9"),
        ("9.9.9.9", 3, "9.9.9.9"),
    ],
)
def test_it_reads_the_client_address(rf, settings, forwarded, proxies, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get(URL, HTTP_X_FORWARDED_FOR=forwarded) if forwarded else rf.get(URL)
    assert client_ip(request) == expected


def test_the_limiter_counts_per_key():
    assert [rate_limit_hit("a", 2, 3600) for _ in range(4)] == [False, False, True, True]
    assert rate_limit_hit("b", 2, 3600) is False


@pytest.mark.parametrize(
    "rate, parsed", [("10/m", (10, 60)), ("5/s", (5, 1)), ("100/hour", (100, 3600))]
)
def test_it_parses_rates(rate, parsed):
    assert rate_parse(rate) == parsed


@pytest.mark.parametrize("rate", ["10", "ten/m", "10/w"])
def test_it_rejects_bad_rates(rate):
    with pytest.raises(ValueError):
        rate_parse(rate)
