"""Printable forms (Mẫu 01–06 / Circular 03/2025) and the register export (mounted at /ho-so/)."""

from django.urls import path

from . import form_views

app_name = "dossier_forms"

urlpatterns = [
    path("<str:code>/in/tiep-nhan/", form_views.receipt, name="receipt"),
    path("<str:code>/in/bo-sung/", form_views.supplement, name="supplement"),
    path("<str:code>/in/tu-choi/", form_views.refusal, name="refusal"),
    path("<str:code>/in/xin-loi/", form_views.apology, name="apology"),
    path("<str:code>/in/dung-giai-quyet/", form_views.stop_notice, name="stop_notice"),
    path("<str:code>/in/kiem-soat/", form_views.control_sheet, name="control_sheet"),
    path("so-theo-doi/", form_views.register, name="register"),
]
