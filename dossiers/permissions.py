"""Who may do which step of a dossier, now: one rule for the pages and the API.

A step is allowed when the dossier's status allows it (the services enforce that too, and
remain the last word) and the user's role is one that does it at a one-stop desk:

- desk officers receive, hand over, record the citizen's supplement, return results, and take
  withdrawals and apologies across the counter;
- processing officers hand over, ask for supplements, finish, stop and apologise;
- unit leaders may do everything their staff do.

A processing officer works on the dossiers their own unit handles, not on those of the units
they can see below it or before it: a district officer does not finish a commune's dossier,
and the processing officer of a new commune takes over an ended commune's dossier only once
it has been handed over to the new commune.

Committee members and administrators read; they do not process dossiers.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _

from org.models import Membership, Role
from org.selectors import membership_of

from .models import Dossier, DossierStatus


class Action(StrEnum):
    TRANSFER = "transfer"
    SUPPLEMENT_REQUEST = "supplement_request"
    SUPPLEMENT_COMPLETE = "supplement_complete"
    FINISH = "finish"
    RETURN = "return"
    WITHDRAW = "withdraw"
    STOP = "stop"
    APOLOGY = "apology"


_IN_PROCESS = frozenset(
    {
        Action.TRANSFER,
        Action.SUPPLEMENT_REQUEST,
        Action.FINISH,
        Action.WITHDRAW,
        Action.STOP,
        Action.APOLOGY,
    }
)

STATUS_ACTIONS: dict[str, frozenset[Action]] = {
    DossierStatus.RECEIVED: _IN_PROCESS,
    DossierStatus.PROCESSING: _IN_PROCESS,
    DossierStatus.SUPPLEMENT_REQUESTED: frozenset(
        {Action.SUPPLEMENT_COMPLETE, Action.WITHDRAW, Action.STOP, Action.APOLOGY}
    ),
    DossierStatus.FINISHED: frozenset({Action.RETURN}),
}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.DESK_OFFICER: frozenset(
        {
            Action.TRANSFER,
            Action.SUPPLEMENT_REQUEST,
            Action.SUPPLEMENT_COMPLETE,
            Action.RETURN,
            Action.WITHDRAW,
            Action.APOLOGY,
        }
    ),
    Role.PROCESSING_OFFICER: frozenset(
        {
            Action.TRANSFER,
            Action.SUPPLEMENT_REQUEST,
            Action.FINISH,
            Action.STOP,
            Action.APOLOGY,
        }
    ),
    Role.UNIT_LEADER: frozenset(Action),
}

# Roles that take dossiers in at the counter (intake and refusal at intake).
INTAKE_ROLES = frozenset({Role.DESK_OFFICER, Role.UNIT_LEADER})


def actions_allowed(
    *, user: AbstractBaseUser | AnonymousUser, dossier: Dossier, has_apology: bool
) -> frozenset[Action]:
    """The steps ``user`` may take on ``dossier`` now (visibility is checked by the caller).

    ``has_apology`` is passed in so that lists can compute it in their one query.
    """
    membership = membership_of(user)
    if membership is None or not _unit_may_act(membership, dossier):
        return frozenset()
    allowed = ROLE_ACTIONS.get(membership.role, frozenset()) & STATUS_ACTIONS.get(
        dossier.status, frozenset()
    )
    if has_apology:
        allowed -= {Action.APOLOGY}
    return allowed


def _unit_may_act(membership: Membership, dossier: Dossier) -> bool:
    return (
        membership.role != Role.PROCESSING_OFFICER or dossier.handling_unit_id == membership.unit_id
    )


def unit_refusal(*, user: AbstractBaseUser | AnonymousUser, dossier: Dossier) -> str:
    """Why ``user`` may take no step on ``dossier`` because of who handles it ("" if none)."""
    membership = membership_of(user)
    if membership is None or _unit_may_act(membership, dossier):
        return ""
    return _(
        "Dossier %(code)s is handled by %(unit)s: only its processing officers act on it. Ask "
        "that unit, or have the dossier handed over to %(own)s first."
    ) % {"code": dossier.code, "unit": dossier.handling_unit.name, "own": membership.unit.name}


def can_receive(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` works at a desk that takes dossiers in (their membership's unit)."""
    membership = membership_of(user)
    return membership is not None and membership.role in INTAKE_ROLES
