"""The intake page at full speed (issue "desk"): a long procedure name, errors beside their
field, the checklist of papers handed in, the received time as one field, the focus."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from dossiers.models import Dossier, DossierDocument, Event
from org.models import Role, UnitLevel
from procedures.services import DocumentSpec
from tests.factories import VN, UnitFactory, published_procedure, received_dossier, staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# Vietnamese procedure names are often this long (the search box used to cap them at 200).
LONG_NAME = (
    "Thủ tục cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn "
    "liền với đất lần đầu cho hộ gia đình, cá nhân, cộng đồng dân cư đang sử dụng đất có giấy "
    "tờ về quyền sử dụng đất theo quy định tại Điều 137 Luật Đất đai năm 2024 và các văn bản "
    "hướng dẫn thi hành có liên quan"
)
DOCUMENTS = (
    DocumentSpec("Tờ khai đăng ký khai sinh", 1, 0, 0),
    DocumentSpec("Giấy chứng sinh", 1, 0, 0),
    DocumentSpec("Căn cước của cha hoặc mẹ", 0, 1, 0),
)


@pytest.fixture
def commune():
    district = UnitFactory(code="000.00.12.H30", name="UBND huyện", level=UnitLevel.DISTRICT)
    return UnitFactory(
        code="000.12.34.H30", name="UBND xã Lạc Đạo", level=UnitLevel.COMMUNE, parent=district
    )


@pytest.fixture
def version():
    return published_procedure(code="1.000001", name="Đăng ký khai sinh", documents=DOCUMENTS)


@pytest.fixture
def client(commune) -> Client:
    return staff(Role.DESK_OFFICER, commune)


def checklist(*lines, listed: int | None = None) -> dict:
    """The checklist formset as the page posts it: (name, originals, certified, copies)."""
    data = {"documents-TOTAL_FORMS": str(len(lines)), "documents-INITIAL_FORMS": "0"}
    for index, (name, originals, certified, copies) in enumerate(lines):
        data[f"documents-{index}-name"] = name
        if listed is None or index < listed:
            data[f"documents-{index}-listed"] = "1"
        data[f"documents-{index}-originals"] = str(originals)
        data[f"documents-{index}-certified_copies"] = str(certified)
        data[f"documents-{index}-copies"] = str(copies)
    return data


def intake_data(version, **overrides) -> dict:
    # A recent time: within the back-dating limit, so no reason is needed.
    now = dt.datetime.now(VN).replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    data = {
        "procedure_version": str(version.pk),
        "channel": "direct",
        "applicant_name": "Nguyễn Văn An",
        "applicant_phone": "0912 345 678",
        "sets_count": "1",
        "received_at": now.strftime("%d/%m/%Y %H:%M"),
        "decision": "receive",
    }
    data.update(overrides)
    return data


def field_block(html: str, field_id: str) -> str:
    """The markup from a field's input to the next field's wrapper (crispy's layout)."""
    start = html.index(f'id="{field_id}"')
    following = html.find('class="mb-3"', start)
    return html[start : following if following > 0 else len(html)]


def test_a_procedure_with_a_long_name_is_received(client, commune) -> None:
    version = published_procedure(code="1.012345", name=LONG_NAME)
    label = f"1.012345 – {LONG_NAME}"
    assert len(label) > 300
    # What an older page posted as the visible search text is ignored, whatever its length.
    response = client.post(
        reverse("dossiers:intake"), intake_data(version, procedure_query=label * 2)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Dossier.objects.get().procedure_version == version


def test_the_page_puts_the_cursor_in_the_search_and_the_time_outside_the_tab_order(
    client,
) -> None:
    html = client.get(reverse("dossiers:intake")).content.decode()
    search = re.search(r"<input id=\"id_procedure_query\"[^>]*>", html, re.S).group(0)
    assert "autofocus" in search
    assert 'role="combobox"' in search
    assert "maxlength" not in search
    assert 'data-focus="id_procedure_query"' in html
    received = re.search(r"<input[^>]*name=\"received_at\"[^>]*>", html, re.S).group(0)
    assert 'type="text"' in received
    assert 'tabindex="-1"' in received
    assert 'accesskey="t"' in received
    # Pre-filled with now, as dd/mm/yyyy hh:mm (one field, not six).
    assert re.search(r'value="\d\d/\d\d/\d{4} \d\d:\d\d"', received)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"procedure_version": ""},
            "procedure_version",
            "Choose a procedure from the suggestions.",
        ),
        ({"applicant_phone": "09a2345678"}, "applicant_phone", "A phone number has digits only"),
        ({"received_at": "01/01/2999 09:00"}, "received_at", "cannot be in the future"),
        ({"received_at": "hôm qua"}, "received_at", "Enter the received time as dd/mm/yyyy hh:mm."),
        ({"sets_count": "0"}, "sets_count", "A dossier has at least one set of papers."),
    ],
)
def test_bad_input_is_said_once_beside_its_field_and_writes_nothing(
    client, version, overrides, field, message
) -> None:
    response = client.post(reverse("dossiers:intake"), intake_data(version, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count(message) == 1
    focus_id = "id_procedure_query" if field == "procedure_version" else f"id_{field}"
    # The cursor goes to the field in error, and the message sits right after it.
    assert f'data-focus="{focus_id}"' in html
    assert message in field_block(html, focus_id)
    assert "correct the field marked below" in html
    assert not Dossier.objects.exists()
    assert not Event.objects.exists()


def test_a_procedure_of_another_level_is_refused_beside_the_search(client) -> None:
    provincial = published_procedure(code="2.000001", name="Cấp giấy phép", levels=("province",))
    response = client.post(reverse("dossiers:intake"), intake_data(provincial))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="procedure-error"' in html
    assert "2.000001" in field_block(html, "id_procedure_query")
    # The chosen procedure stays in the search box for the officer to change it.
    assert "2.000001 – Cấp giấy phép" in html
    assert not Dossier.objects.exists()


def test_the_checklist_keeps_what_the_applicant_handed_in(client, version) -> None:
    data = intake_data(
        version,
        **checklist(
            ("Tờ khai đăng ký khai sinh", 1, 0, 0),
            ("Giấy chứng sinh", 0, 0, 0),  # not handed in: not kept
            ("Căn cước của cha hoặc mẹ", 0, 1, 1),
            ("Giấy xác nhận cư trú", 0, 0, 2),  # typed in: the catalogue does not list it
            listed=3,
        ),
    )
    response = client.post(reverse("dossiers:intake"), data)
    assert response.status_code == 302
    lines = list(
        DossierDocument.objects.values_list(
            "position", "name", "originals", "certified_copies", "copies"
        )
    )
    assert lines == [
        (1, "Tờ khai đăng ký khai sinh", 1, 0, 0),
        (2, "Căn cước của cha hoặc mẹ", 0, 1, 1),
        (3, "Giấy xác nhận cư trú", 0, 0, 2),
    ]
    assert all(document.supplement_request_id is None for document in DossierDocument.objects.all())


def test_a_negative_count_is_refused_beside_it(client, version) -> None:
    data = intake_data(version, **checklist(("Tờ khai đăng ký khai sinh", -1, 0, 0)))
    response = client.post(reverse("dossiers:intake"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Enter a whole number, 0 or more.") == 1
    assert "Enter a whole number, 0 or more." in field_block(html, "id_documents-0-originals")
    assert 'data-focus="intake-documents"' in html
    assert not Dossier.objects.exists()
    assert not DossierDocument.objects.exists()


def test_a_paper_with_counts_needs_a_name(client, version) -> None:
    data = intake_data(version, **checklist(("", 0, 0, 1), listed=0))
    response = client.post(reverse("dossiers:intake"), data)
    assert response.status_code == 400
    assert "Name the paper." in response.content.decode()
    assert not Dossier.objects.exists()


def test_without_a_checklist_the_catalogue_lines_are_kept(commune, version) -> None:
    dossier = received_dossier(
        desk=commune,
        procedure_version=version,
        applicant={"name": "Trần Thị B"},
    )
    assert [(d.name, d.originals, d.certified_copies) for d in dossier.documents.all()] == [
        ("Tờ khai đăng ký khai sinh", 1, 0),
        ("Giấy chứng sinh", 1, 0),
        ("Căn cước của cha hoặc mẹ", 0, 1),
    ]


@pytest.mark.parametrize(
    "line, message",
    [
        (DocumentSpec("Tờ khai", originals=-1), "whole numbers, 0 or more"),
        (DocumentSpec("", copies=1), "has papers but no name"),
        (DocumentSpec("Tờ khai", copies=100), "at most 99 papers of a kind"),
        (DocumentSpec("x" * 501, copies=1), "longer than 500 characters"),
    ],
)
def test_the_service_refuses_a_bad_checklist_and_writes_nothing(
    commune, version, line, message
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        received_dossier(
            desk=commune,
            procedure_version=version,
            applicant={"name": "Trần Thị B"},
            documents=[DocumentSpec("Tờ khai", originals=1), line],
        )
    assert "Line 2 of the checklist" in refused.value.error_dict["documents"][0].message
    assert message in refused.value.error_dict["documents"][0].message
    assert not Dossier.objects.exists()
    assert not DossierDocument.objects.exists()


def test_the_checklist_fragment_is_pre_filled_from_the_catalogue(client, version) -> None:
    response = client.get(
        reverse("dossiers:intake_documents"), {"procedure_version": str(version.pk)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="documents-TOTAL_FORMS" value="4"' in html  # three listed, one free line
    assert "Giấy chứng sinh" in html
    assert re.search(r'name="documents-2-certified_copies"[^>]*value="1"', html)
    assert (
        client.get(reverse("dossiers:intake_documents"), {"procedure_version": "x"}).status_code
        == 400
    )


def test_a_refused_submit_keeps_the_checklist_as_typed(client, version) -> None:
    data = intake_data(
        version,
        applicant_name=" ",
        **checklist(("Tờ khai đăng ký khai sinh", 2, 0, 0), ("Giấy chứng sinh", 0, 0, 0)),
    )
    response = client.post(reverse("dossiers:intake"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'name="documents-0-originals"[^>]*value="2"', html)
    assert 'data-focus="id_applicant_name"' in html
