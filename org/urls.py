from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("don-vi/", views.unit_list, name="unit_list"),
    path("lich-lam-viec/", views.calendar, name="calendar"),
    path("xac-thuc-hai-buoc/", views.two_factor, name="two_factor"),
]
