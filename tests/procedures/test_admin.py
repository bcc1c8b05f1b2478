"""The catalogue admin: only administrators write, and every write goes through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from procedures.models import Procedure, ProcedureVersion
from procedures.services import procedure_create
from tests.factories import (
    SectorFactory,
    UserFactory,
    logged_in,
    procedure_content,
    published_procedure,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:procedures_procedureversion_changelist")
ADD = reverse("admin:procedures_procedureversion_add")


def change_url(version: ProcedureVersion) -> str:
    return reverse("admin:procedures_procedureversion_change", args=[version.pk])


def formset_data(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def version_post(sector, levels=("commune",), documents=(), **fields) -> dict:
    data = {
        "name": "Đăng ký kết hôn",
        "sector": str(sector.pk),
        "online_level": "partial",
        "processing_time": "5",
        "processing_unit": "working_days",
        "fee": "",
        "decision_number": "1234/QĐ-UBND",
        **fields,
    }
    data.update(formset_data("levels", [{"level": level} for level in levels]))
    data.update(formset_data("documents", list(documents)))
    data.update(formset_data("channel_times", []))
    return data


def test_it_refuses_the_catalogue_admin_to_a_desk_officer(desk_client):
    version = published_procedure()
    assert desk_client.get(CHANGELIST).status_code == 403
    assert desk_client.get(ADD).status_code == 403
    assert desk_client.get(change_url(version)).status_code == 403


def test_it_does_not_let_a_desk_officer_edit_a_draft(desk_client):
    draft = procedure_create(code="1.000002", content=procedure_content(), by=None)
    response = desk_client.post(change_url(draft), version_post(draft.sector, name="Đổi tên"))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.name == "Đăng ký khai sinh"


def test_it_does_not_let_a_desk_officer_publish(desk_client):
    draft = procedure_create(code="1.000002", content=procedure_content(), by=None)
    url = reverse("admin:procedures_publish", args=[draft.pk])
    response = desk_client.post(url, {"valid_from": "2024-01-01"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_it_refuses_a_staff_user_without_an_administrator_membership():
    user = UserFactory(username="nobody", is_staff=True)
    assert logged_in(user, language=None).get(CHANGELIST).status_code == 403


def test_it_lists_the_latest_version_of_each_procedure(admin_client):
    published_procedure(code="1.000001")
    newest = published_procedure(code="1.000002", name="Chứng thực bản sao")
    from procedures.services import procedure_draft_new

    draft = procedure_draft_new(procedure=newest.procedure, by=None)
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert {v.pk for v in shown} == {
        ProcedureVersion.objects.get(procedure__code="1.000001").pk,
        draft.pk,
    }


def test_it_searches_without_diacritics(admin_client):
    published_procedure(code="1.000001", name="Đăng ký khai sinh")
    published_procedure(code="1.000002", name="Chứng thực bản sao")
    response = admin_client.get(CHANGELIST, {"q": "dang ky khai"})
    assert [v.procedure.code for v in response.context["cl"].result_list] == ["1.000001"]
    response = admin_client.get(CHANGELIST, {"q": "1.000002"})
    assert [v.procedure.code for v in response.context["cl"].result_list] == ["1.000002"]


def test_it_filters_by_level_and_status(admin_client):
    published_procedure(code="1.000001", levels=("commune",))
    procedure_create(code="1.000002", content=procedure_content(levels=("district",)), by=None)
    response = admin_client.get(CHANGELIST, {"level": "district"})
    assert [v.procedure.code for v in response.context["cl"].result_list] == ["1.000002"]
    response = admin_client.get(CHANGELIST, {"status__exact": "published"})
    assert [v.procedure.code for v in response.context["cl"].result_list] == ["1.000001"]


def test_an_administrator_creates_a_draft_through_the_service(admin_client, admin_user):
    sector = SectorFactory(code="HT", name="Hộ tịch")
    data = version_post(
        sector,
        levels=("commune", "district"),
        documents=[
            {
                "position": "1",
                "name": "Tờ khai",
                "originals": "1",
                "certified_copies": "0",
                "copies": "0",
            }
        ],
        code="1.000894",
    )
    response = admin_client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    version = ProcedureVersion.objects.get(procedure__code="1.000894")
    assert version.status == "draft"
    assert version.created_by == admin_user
    assert version.search_text == "1.000894 dang ky ket hon"
    assert sorted(level.level for level in version.levels.all()) == ["commune", "district"]
    assert [d.name for d in version.documents.all()] == ["Tờ khai"]
    assert LogEntry.objects.filter(object_id=str(version.pk)).exists()


def test_it_requires_a_level_and_a_new_code(admin_client):
    published_procedure(code="1.000001")
    sector = SectorFactory()
    response = admin_client.post(ADD, version_post(sector, levels=(), code="1.000001"))
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    assert Procedure.objects.count() == 1


def test_an_administrator_edits_a_draft(admin_client):
    draft = procedure_create(code="1.000002", content=procedure_content(), by=None)
    data = version_post(draft.sector, levels=("province",), name="Đăng ký khai tử")
    data.update(formset_data("levels", [{"level": "province"}]))
    response = admin_client.post(change_url(draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "Đăng ký khai tử"
    assert [level.level for level in draft.levels.all()] == ["province"]


def test_a_published_version_is_read_only(admin_client):
    version = published_procedure()
    response = admin_client.get(change_url(version))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert not response.context["adminform"].form.fields
    for formset in response.context["inline_admin_formsets"]:
        assert formset.has_add_permission is False
        assert formset.has_change_permission is False

    response = admin_client.post(change_url(version), version_post(version.sector, name="Khác"))
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.name == "Đăng ký khai sinh"


def test_publishing_asks_for_confirmation_then_publishes(admin_client, admin_user):
    draft = procedure_create(code="1.000002", content=procedure_content(), by=None)
    url = reverse("admin:procedures_publish", args=[draft.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "valid_from" in response.context["form"].fields
    draft.refresh_from_db()
    assert draft.status == "draft"

    response = admin_client.post(url, {"valid_from": "2024-03-01", "change_note": "QĐ 12"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.valid_from == dt.date(2024, 3, 1)
    assert draft.published_by == admin_user
    assert LogEntry.objects.filter(object_id=str(draft.pk), action_flag=2).exists()


def test_a_publish_refused_by_the_service_is_shown_and_writes_nothing(admin_client):
    version = published_procedure(valid_from=dt.date(2024, 1, 1))
    from procedures.services import procedure_draft_new

    draft = procedure_draft_new(procedure=version.procedure, by=None)
    url = reverse("admin:procedures_publish", args=[draft.pk])
    response = admin_client.post(url, {"valid_from": "2023-06-01"}, follow=True)
    assert response.status_code == 200
    assert any("01/01/2024" in str(m) or "2023" in str(m) for m in response.context["messages"])
    draft.refresh_from_db()
    version.refresh_from_db()
    assert draft.status == "draft"
    assert version.valid_to is None


def test_new_version_copies_the_latest_after_confirmation(admin_client):
    version = published_procedure()
    url = reverse("admin:procedures_new_version", args=[version.pk])
    assert admin_client.get(url).status_code == 200
    assert version.procedure.versions.count() == 1
    response = admin_client.post(url)
    assert response.status_code == 302
    draft = version.procedure.versions.get(number=2)
    assert draft.status == "draft"
    assert response["Location"] == change_url(draft)

    response = admin_client.post(url, follow=True)
    assert version.procedure.versions.count() == 2
    assert any("dự thảo" in str(m) for m in response.context["messages"])


def test_abolish_asks_for_the_date(admin_client):
    version = published_procedure(valid_from=dt.date(2020, 1, 1))
    url = reverse("admin:procedures_abolish", args=[version.pk])
    assert "on" in admin_client.get(url).context["form"].fields
    response = admin_client.post(url, {"on": "2025-07-01"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.abolished
    assert version.valid_to == dt.date(2025, 6, 30)


def test_the_change_page_offers_the_actions_that_apply(admin_client):
    draft = procedure_create(code="1.000002", content=procedure_content(), by=None)
    labels = [label for label, _ in admin_client.get(change_url(draft)).context["version_actions"]]
    assert labels == ["Công bố"]
    version = published_procedure(code="1.000003")
    labels = [
        label for label, _ in admin_client.get(change_url(version)).context["version_actions"]
    ]
    assert labels == ["Phiên bản mới", "Bãi bỏ"]


def test_the_sector_admin_is_for_administrators_only(admin_client, desk_client):
    sector_list = reverse("admin:procedures_sector_changelist")
    assert admin_client.get(sector_list).status_code == 200
    assert desk_client.get(sector_list).status_code == 403


def test_a_refusal_by_the_service_keeps_the_input_and_writes_nothing(admin_client, monkeypatch):
    from django.core.exceptions import ValidationError

    import procedures.admin

    def refuse(**kwargs):
        procedure_create_real(**kwargs)  # writes, then fails: the rollback must undo it
        raise ValidationError("Dịch vụ từ chối.")

    procedure_create_real = procedures.admin.procedure_create
    monkeypatch.setattr(procedures.admin, "procedure_create", refuse)
    sector = SectorFactory()
    response = admin_client.post(ADD, version_post(sector, code="1.000894"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors() == ["Dịch vụ từ chối."]
    assert form["code"].value() == "1.000894"
    assert not Procedure.objects.exists()


def test_the_change_page_lists_the_other_versions(admin_client):
    version = published_procedure()
    from procedures.services import procedure_draft_new

    draft = procedure_draft_new(procedure=version.procedure, by=None)
    response = admin_client.get(change_url(draft))
    assert [v.pk for v in response.context["other_versions"]] == [version.pk]
