from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<str:code>/", views.procedure_detail, name="detail"),
]
