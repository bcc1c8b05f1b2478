"""Desk pages: intake, the dossier page, work queues and search (mounted at /ho-so/)."""

from django.urls import path, register_converter

from . import views
from .permissions import Action


class DossierCodeConverter:
    """``<unit code>-<YYMMDD>-<NNNN>``: keeps /ho-so/so-theo-doi/ and the like for other pages."""

    regex = r"[^/]+-\d{6}-\d{4,7}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ActionConverter:
    regex = "|".join(action.value for action in Action)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(DossierCodeConverter, "dossier_code")
register_converter(ActionConverter, "dossier_action")

app_name = "dossiers"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("thu-tuc-goi-y/", views.procedure_suggest, name="procedure_suggest"),
    path("han-tra/", views.due_preview, name="due_preview"),
    path("tiep-nhan/giay-to/", views.intake_documents, name="intake_documents"),
    path("<dossier_code:code>/", views.detail, name="detail"),
    path("<dossier_code:code>/<dossier_action:action>/", views.action, name="action"),
]
