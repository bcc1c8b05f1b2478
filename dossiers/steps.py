"""The step table: which service takes each step of a dossier, and what it is given.

The dossier page (``dossiers.views.action``) and the API (``DossierViewSet._step``) both call
:func:`step_take`, so a step does the same thing whichever way it is taken; each validates its
input its own way (a form, a serializer) into the field names listed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from . import services
from .models import Dossier
from .permissions import Action


@dataclass(frozen=True)
class Step:
    # Called with dossier, by, at and expected_version, plus ``fields`` from the input.
    service: Callable[..., object]
    # The inputs the service takes besides those four, named as the form and serializer do.
    fields: tuple[str, ...] = ()


STEPS: dict[Action, Step] = {
    Action.TRANSFER: Step(services.dossier_transfer, ("to_unit", "note", "step_due_at")),
    Action.SUPPLEMENT_REQUEST: Step(services.supplement_request, ("reason", "missing_documents")),
    Action.SUPPLEMENT_COMPLETE: Step(services.supplement_complete, ("documents",)),
    Action.FINISH: Step(services.dossier_finish, ("note",)),
    Action.RETURN: Step(services.dossier_return),
    Action.WITHDRAW: Step(services.dossier_withdraw, ("reason",)),
    Action.STOP: Step(services.dossier_stop, ("reason",)),
    Action.APOLOGY: Step(services.apology_issue, ("reason", "new_due_at")),
}


def step_take(
    *,
    step: Action,
    dossier: Dossier,
    data: Mapping,
    by: AbstractBaseUser | None,
    at: dt.datetime,
    expected_version: int | None,
) -> object:
    """Take ``step`` on ``dossier`` with the inputs of :data:`STEPS` read from ``data`` (a
    form's cleaned data or a serializer's validated data). The service's refusals propagate:
    ``ValidationError`` (nothing written), ``DossierChangedMeanwhile``."""
    spec = STEPS[step]
    return spec.service(
        dossier=dossier,
        by=by,
        at=at,
        expected_version=expected_version,
        **{name: data[name] for name in spec.fields},
    )
