from django.urls import path

from . import api

urlpatterns = [
    path("units/", api.UnitListView.as_view(), name="api-unit-list"),
]
