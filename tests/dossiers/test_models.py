"""The dossier rows: derived keys on save, append-only events, one apology, one open
supplement request."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from dossiers.codes import dossier_code_next
from dossiers.models import (
    Apology,
    AppendOnlyError,
    Dossier,
    DossierStatus,
    Event,
    Regime,
    SupplementRequest,
)
from tests.factories import VN, UnitFactory, published_procedure

MORNING = dt.datetime(2021, 3, 9, 8, 0, tzinfo=VN)


def dossier_make(**fields) -> Dossier:
    unit = fields.pop("unit", None) or UnitFactory()
    received_at = fields.pop("received_at", MORNING)
    with transaction.atomic():
        return Dossier.objects.create(
            code=dossier_code_next(unit=unit, on=received_at),
            procedure_version=fields.pop("procedure_version", None) or published_procedure(),
            receiving_unit=unit,
            handling_unit=unit,
            channel="direct",
            applicant_name="Nguyễn Văn An",
            received_at=received_at,
            due_at=received_at,
            original_due_at=received_at,
            **fields,
        )


@pytest.mark.django_db
def test_it_stores_the_local_received_date_and_the_regime():
    dossier = dossier_make(received_at=dt.datetime(2025, 6, 30, 17, 30, tzinfo=dt.UTC))
    dossier.refresh_from_db()
    assert dossier.received_date == dt.date(2025, 7, 1)
    assert dossier.regime == Regime.DECREE_118_2025
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.version == 0


@pytest.mark.django_db
def test_it_never_changes_or_deletes_an_event():
    dossier = dossier_make()
    event = Event.objects.create(dossier=dossier, kind=Event.Kind.RECEIVED, at=MORNING)
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.note == ""


@pytest.mark.django_db
def test_it_allows_one_apology_per_dossier():
    dossier = dossier_make()
    Apology.objects.create(dossier=dossier, issued_at=MORNING, reason="x", new_due_at=MORNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Apology.objects.create(dossier=dossier, issued_at=MORNING, reason="y", new_due_at=MORNING)


@pytest.mark.django_db
def test_it_allows_one_open_supplement_request_per_dossier():
    dossier = dossier_make()
    SupplementRequest.objects.create(dossier=dossier, requested_at=MORNING, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        SupplementRequest.objects.create(dossier=dossier, requested_at=MORNING, reason="y")
