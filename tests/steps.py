"""Lifecycle steps the tests take a dossier through, as an officer would (the services)."""

from dossiers.services import apology_issue, dossier_refuse, supplement_request


def supplement_requested(dossier, at, *, reason="Thiếu", missing="", by=None):
    """``dossier`` paused at ``at`` for a supplement, through ``supplement_request``."""
    return supplement_request(
        dossier=dossier, reason=reason, missing_documents=missing, by=by, at=at
    )


def apology_issued(dossier, at, new_due_at, *, reason="Chậm", by=None):
    """``dossier`` given a new appointment ``new_due_at`` at ``at``, through ``apology_issue``."""
    return apology_issue(dossier=dossier, reason=reason, new_due_at=new_due_at, by=by, at=at)


def refused_at_intake(
    desk, version, received_at, *, name="Lê Văn C", reason="Thiếu giấy tờ", by=None
):
    """A dossier of ``version`` refused at ``desk``'s counter, through ``dossier_refuse``."""
    return dossier_refuse(
        desk=desk,
        procedure_version=version,
        channel="direct",
        applicant={"name": name},
        received_at=received_at,
        reason=reason,
        by=by,
    )
