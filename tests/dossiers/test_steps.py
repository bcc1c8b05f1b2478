"""The step table (dossiers/steps.py) that the dossier page and the API share: every step has
one service, given the inputs both the page's form and the API's serializer name."""

import datetime as dt

import pytest

from dossiers import api
from dossiers.forms import ACTION_FORMS
from dossiers.models import Dossier, DossierStatus, EventKind
from dossiers.permissions import Action
from dossiers.steps import STEPS, step_take
from tests.factories import VN, UnitFactory, received_dossier

# The serializer each API endpoint validates a step with (dossiers.api.DossierViewSet).
API_SERIALIZERS = {
    Action.TRANSFER: api.TransferSerializer,
    Action.SUPPLEMENT_REQUEST: api.SupplementRequestInputSerializer,
    Action.SUPPLEMENT_COMPLETE: api.SupplementCompleteInputSerializer,
    Action.FINISH: api.FinishSerializer,
    Action.RETURN: api.StepSerializer,
    Action.WITHDRAW: api.ReasonSerializer,
    Action.STOP: api.ReasonSerializer,
    Action.APOLOGY: api.ApologyInputSerializer,
}


def test_it_has_one_service_for_every_step():
    assert set(STEPS) == set(Action) == set(ACTION_FORMS)


@pytest.mark.parametrize("step", list(Action))
def test_it_reads_inputs_the_api_serializer_gives(step):
    fields = set(API_SERIALIZERS[step]().fields) - {"expected_version"}
    assert set(STEPS[step].fields) == fields


@pytest.mark.parametrize("step", [s for s in Action if s != Action.SUPPLEMENT_COMPLETE])
def test_it_reads_inputs_the_page_form_gives(step):
    # The supplement's documents come from the form's checklist formset, not a field.
    assert set(STEPS[step].fields) <= set(ACTION_FORMS[step].base_fields)


def test_it_reads_the_supplements_documents_from_the_form_checklist():
    assert STEPS[Action.SUPPLEMENT_COMPLETE].fields == ("documents",)


@pytest.mark.django_db
def test_it_takes_a_step_with_only_the_inputs_its_service_takes():
    dossier = received_dossier()
    office = UnitFactory(code="PHONG-TP")
    at = dt.datetime(2021, 3, 2, 10, 0, tzinfo=VN)
    # The page's cleaned data carries more than the service takes (the hidden version).
    data = {"to_unit": office, "note": "Chuyển phòng", "step_due_at": None, "expected_version": 0}
    step_take(step=Action.TRANSFER, dossier=dossier, data=data, by=None, at=at, expected_version=0)
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.status == DossierStatus.PROCESSING
    assert fresh.handling_unit == office
    event = fresh.events.get(kind=EventKind.TRANSFERRED)
    assert (event.note, event.to_unit, event.at) == ("Chuyển phòng", office, at)
