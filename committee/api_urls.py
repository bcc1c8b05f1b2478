from django.urls import path

from . import api

urlpatterns = [
    path("committee/tasks/", api.TaskListView.as_view(), name="api-committee-task-list"),
]
