"""The steering committee's dashboard and its drill-down (mounted at /bao-cao/)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("don-vi/", views.dashboard_units, name="dashboard_units"),
    path("so-hoa/", views.dashboard_digitisation, name="dashboard_digitisation"),
    path("ho-so/", views.drilldown, name="drilldown"),
    path("bieu-do/<str:name>.svg", views.chart, name="chart"),
    path("ho-so/xuat/", views.drilldown_export, name="drilldown_export"),
    path("xuat/viec/<uuid:job_id>/", views.export_job, name="export_job"),
    path("xuat/viec/<uuid:job_id>/tai-ve/", views.export_download, name="export_download"),
    path("xuat/<str:fmt>/", views.export, name="export"),
]
