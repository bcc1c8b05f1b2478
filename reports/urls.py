"""The steering committee's dashboard and its drill-down (mounted at /bao-cao/)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ho-so/", views.drilldown, name="drilldown"),
    path("bieu-do/<str:name>.svg", views.chart, name="chart"),
    path("xuat/<str:fmt>/", views.export, name="export"),
]
