import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditAppendOnlyError, AuditEntry
from audit.services import audit_record, changes_between, snapshot
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_records_who_did_what_with_the_changed_fields():
    user = UserFactory(username="bcd1")
    unit = UnitFactory(name="Xã Hòa Bình", valid_from=dt.date(2020, 1, 1))
    before = snapshot(unit)
    unit.name = "Xã Hòa Bình Mới"
    unit.save()

    entry = audit_record(
        actor=user, action="update", instance=unit, before=before, after=snapshot(unit), unit=unit
    )

    entry.refresh_from_db()
    assert entry.actor == user and entry.actor_name == "bcd1"
    assert entry.object_id == str(unit.pk) and entry.object_repr == str(unit)
    assert entry.changes == {"name": ["Xã Hòa Bình", "Xã Hòa Bình Mới"]}
    assert entry.unit == unit


def test_it_keeps_every_field_of_a_created_object():
    unit = UnitFactory(valid_from=dt.date(2021, 3, 1))

    entry = audit_record(actor=None, action="create", instance=unit)

    assert entry.actor is None and entry.actor_name == ""
    assert entry.changes["valid_from"] == [None, "2021-03-01"]
    assert entry.changes["code"] == [None, unit.code]


def test_it_lists_only_differences():
    assert changes_between({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {
        "b": [2, 3],
        "c": [None, 4],
    }
    assert changes_between({"a": 1}, None) == {"a": [1, None]}


def test_the_application_cannot_change_or_delete_an_entry():
    entry = audit_record(actor=None, action="create", instance=UnitFactory())

    entry.action = "forged"
    with pytest.raises(AuditAppendOnlyError):
        entry.save()
    with pytest.raises(AuditAppendOnlyError):
        entry.delete()
    with pytest.raises(AuditAppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(AuditAppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "create"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_raw_updates_and_deletes():
    entry = audit_record(actor=None, action="create", instance=UnitFactory())

    for statement in (
        "UPDATE audit_auditentry SET action = 'forged' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "create"


def test_the_admin_lets_nobody_edit(admin_client):
    entry = audit_record(actor=None, action="create", instance=UnitFactory(name="Xã Tân Lập"))

    listing = admin_client.get("/admin/audit/auditentry/?q=T%C3%A2n+L%E1%BA%ADp")
    change = admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200 and "Xã Tân Lập" in listing.content.decode()
    assert change.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_rewrite_a_dossier_event():
    from dossiers.models import Event
    from tests.factories import received_dossier

    event = Event.objects.filter(dossier=received_dossier()).first()

    for statement in (
        "UPDATE dossiers_event SET note = 'forged' WHERE id = %s",
        "DELETE FROM dossiers_event WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert Event.objects.get(pk=event.pk).note == event.note
