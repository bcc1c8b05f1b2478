"""Each catalogue and unit write leaves its audit entry (issue 9: who, when, before → after)."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from org.models import Membership, Role, Unit
from org.services import units_import
from procedures import services
from tests.factories import UnitFactory, UserFactory, procedure_content

pytestmark = pytest.mark.django_db

UNITS = [
    (2, {"code": "T75", "name": "Tỉnh Đồng Nai", "level": "province", "parent_code": ""}),
    (3, {"code": "X01", "name": "Xã Tân Phú", "level": "commune", "parent_code": "T75"}),
]


def entries_for(instance) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
        ).order_by("id")
    )


def test_each_catalogue_service_writes_its_entry():
    admin = UserFactory(username="quantri1")

    draft = services.procedure_create(code="1.000948", content=procedure_content(), by=admin)
    services.procedure_draft_update(
        version=draft, content=procedure_content(name="Đăng ký khai tử"), by=admin
    )
    services.procedure_publish(version=draft, valid_from=dt.date(2021, 1, 1), by=admin)
    second = services.procedure_draft_new(procedure=draft.procedure, by=admin)
    services.procedure_publish(version=second, valid_from=dt.date(2022, 1, 1), by=admin)
    services.procedure_abolish(procedure=draft.procedure, on=dt.date(2023, 1, 1), by=admin)

    first_actions = [(entry.action, entry.actor_name) for entry in entries_for(draft)]
    assert first_actions == [
        ("create", "quantri1"),
        ("update", "quantri1"),
        ("publish", "quantri1"),
    ]
    update, publish = entries_for(draft)[1:]
    assert update.changes["name"] == ["Đăng ký khai sinh", "Đăng ký khai tử"]
    assert publish.changes["status"] == ["draft", "published"]
    assert publish.changes["valid_from"] == [None, "2021-01-01"]
    assert [entry.action for entry in entries_for(second)] == ["create", "publish", "abolish"]
    assert entries_for(second)[-1].changes["valid_to"] == [None, "2022-12-31"]


def test_a_refused_change_leaves_no_entry():
    draft = services.procedure_create(code="1.000949", content=procedure_content(), by=None)
    services.procedure_publish(version=draft, valid_from=dt.date(2021, 1, 1), by=None)
    before = AuditEntry.objects.count()

    with pytest.raises(ValidationError):
        services.procedure_publish(version=draft, valid_from=dt.date(2021, 6, 1), by=None)

    assert AuditEntry.objects.count() == before


def test_the_unit_import_records_created_and_changed_units_only():
    user = UserFactory(username="quantri2")
    units_import(rows=UNITS, by=user)
    province = Unit.objects.get(code="T75")
    assert [(e.action, e.actor_name) for e in entries_for(province)] == [("create", "quantri2")]

    renamed = [UNITS[0], (3, {**UNITS[1][1], "name": "Xã Tân Phú Mới"})]
    units_import(rows=renamed, by=user)

    commune = Unit.objects.get(code="X01")
    assert len(entries_for(province)) == 1  # unchanged: no entry
    assert [e.action for e in entries_for(commune)] == ["create", "update"]
    assert entries_for(commune)[-1].changes == {"name": ["Xã Tân Phú", "Xã Tân Phú Mới"]}


def test_the_admin_records_membership_changes(admin_client):
    unit = UnitFactory(name="Xã Phú Lập")
    user = UserFactory(username="motcua9")

    admin_client.post(
        "/admin/org/membership/add/",
        {"user": user.pk, "unit": unit.pk, "role": Role.DESK_OFFICER, "is_active": "on"},
    )
    membership = Membership.objects.get(user=user)
    admin_client.post(
        f"/admin/org/membership/{membership.pk}/change/",
        {"user": user.pk, "unit": unit.pk, "role": Role.UNIT_LEADER, "is_active": "on"},
    )
    admin_client.post(f"/admin/org/membership/{membership.pk}/delete/", {"post": "yes"})

    entries = entries_for(membership)
    assert [entry.action for entry in entries] == ["create", "update", "delete"]
    assert entries[1].changes == {"role": ["desk_officer", "unit_leader"]}
    assert all(entry.unit == unit for entry in entries)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_each_dossier_step_writes_its_entry_with_the_fields_it_changed():
    import zoneinfo

    from dossiers.services import dossier_finish, dossier_return, dossier_transfer
    from tests.factories import received_dossier

    vn = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    officer = UserFactory(username="motcua7")
    dossier = received_dossier()
    office = UnitFactory(name="Phòng Tư pháp")

    dossier = dossier_transfer(
        dossier=dossier, to_unit=office, by=officer, at=dt.datetime(2021, 3, 2, 10, tzinfo=vn)
    )
    dossier = dossier_finish(dossier=dossier, by=officer, at=dt.datetime(2021, 3, 3, 9, tzinfo=vn))
    dossier_return(dossier=dossier, by=officer, at=dt.datetime(2021, 3, 3, 15, tzinfo=vn))

    entries = entries_for(dossier)
    assert [entry.action for entry in entries][-3:] == ["transferred", "finished", "returned"]
    transfer, finish, returned = entries[-3:]
    assert transfer.actor_name == "motcua7"
    assert transfer.changes["handling_unit_id"][1] == office.pk
    assert transfer.changes["version"] == [0, 1]
    assert "received_at" not in transfer.changes  # only what the step changed
    assert finish.changes["status"][1] == "finished"
    assert finish.changes["finished_at"] == [None, "2021-03-03T02:00:00+00:00"]
    assert "returned_at" in returned.changes
    assert transfer.unit_id == office.pk
