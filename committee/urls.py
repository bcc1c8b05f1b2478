from django.urls import path

from . import views

app_name = "committee"

urlpatterns = [
    path("", views.index, name="index"),
    path("cuoc-hop/", views.meeting_list, name="meeting_list"),
    path("cuoc-hop/moi/", views.meeting_create, name="meeting_create"),
    path("cuoc-hop/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("cuoc-hop/<int:pk>/sua/", views.meeting_update, name="meeting_update"),
    path("cuoc-hop/<int:pk>/ket-luan/", views.conclusion_add, name="conclusion_add"),
    path("cuoc-hop/<int:pk>/nhiem-vu/", views.task_assign, name="task_assign"),
    path("cuoc-hop/<int:pk>/tep/", views.attachment_add, name="attachment_add"),
    path("tep/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("nhiem-vu/", views.task_list, name="task_list"),
    path("nhiem-vu/qua-han/", views.overdue_list, name="overdue_list"),
    path("nhiem-vu/xuat-xlsx/", views.task_export, name="task_export"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:pk>/bao-cao/", views.task_report, name="task_report"),
    path(
        "bao-cao-tien-do/<int:pk>/tep/", views.report_attachment_download, name="report_attachment"
    ),
    path("nhiem-vu-cua-don-vi/", views.unit_tasks, name="unit_tasks"),
]
