"""Public lookup of a dossier's status (mounted at /tra-cuu/, no login)."""

from django.urls import path

from . import lookup_views

app_name = "lookup"

urlpatterns = [
    path("", lookup_views.lookup, name="search"),
]
