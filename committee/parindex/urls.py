"""PAR index (Chỉ số CCHC), mounted at /chi-so-cchc/."""

from django.urls import path

from . import views

app_name = "parindex"

urlpatterns = [
    path("", views.index, name="index"),
    path("xep-hang/", views.ranking, name="ranking"),
    path("bo-chi-so/", views.framework_list, name="framework_list"),
    path("bo-chi-so/nhap/", views.framework_import_upload, name="framework_import"),
    path("bo-chi-so/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("bo-chi-so/<int:pk>/cong-bo/", views.framework_publish, name="framework_publish"),
    path("bo-chi-so/<int:pk>/xoa/", views.framework_delete, name="framework_delete"),
    path("tu-danh-gia/bat-dau/", views.assessment_start, name="assessment_start"),
    path("tu-danh-gia/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("tu-danh-gia/<int:pk>/cham-diem/", views.assessment_edit, name="assessment_edit"),
    path("tu-danh-gia/<int:pk>/minh-chung/", views.evidence_upload, name="evidence_upload"),
    path(
        "tu-danh-gia/<int:pk>/minh-chung/<int:evidence_pk>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "tu-danh-gia/<int:pk>/minh-chung/<int:evidence_pk>/xoa/",
        views.evidence_delete,
        name="evidence_delete",
    ),
    path("tu-danh-gia/<int:pk>/tham-dinh/", views.assessment_appraise, name="assessment_appraise"),
    path("tu-danh-gia/<int:pk>/tra-lai/", views.assessment_return, name="assessment_return"),
    path(
        "tu-danh-gia/<int:pk>/mo-lai-tham-dinh/", views.assessment_reopen, name="assessment_reopen"
    ),
]
