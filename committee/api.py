"""Read-only API of the committee's tasks (/api/v1/committee/tasks/), scoped like the pages:
the standing office gets every task of its tree, anyone else their own unit's tasks."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from org.calendar_source import working_calendar
from org.models import Unit

from .models import Task
from .selectors import task_row, tasks_filtered, tasks_for_table, tasks_visible_to
from .status import TaskStatus


class MeetingBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    held_on = serializers.DateField()
    notice_number = serializers.CharField()
    notice_date = serializers.DateField(allow_null=True)


class TaskSerializer(serializers.ModelSerializer):
    meeting = MeetingBriefSerializer(source="conclusion.meeting", read_only=True)
    conclusion_number = serializers.IntegerField(source="conclusion.number", read_only=True)
    lead_unit_code = serializers.CharField(source="lead_unit.code", read_only=True)
    supporting_unit_codes = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    working_days_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "meeting",
            "conclusion_number",
            "title",
            "lead_unit_code",
            "supporting_unit_codes",
            "deadline",
            "expected_output",
            "progress",
            "first_reported_on",
            "completed_on",
            "status",
            "working_days_overdue",
        ]

    def _row(self, task: Task):
        cache = self.context.setdefault("rows", {})
        if task.pk not in cache:
            cache[task.pk] = task_row(
                task, today=self.context["today"], calendar=self.context["calendar"]
            )
        return cache[task.pk]

    def get_supporting_unit_codes(self, task: Task) -> list[str]:
        return [unit.code for unit in task.supporting_units.all()]

    @extend_schema_field({"type": "string", "enum": [status.value for status in TaskStatus]})
    def get_status(self, task: Task) -> str:
        return self._row(task).status.value

    def get_working_days_overdue(self, task: Task) -> int:
        return self._row(task).days_overdue


@extend_schema(
    parameters=[
        OpenApiParameter("status", OpenApiTypes.STR, enum=[status.value for status in TaskStatus]),
        OpenApiParameter("unit", OpenApiTypes.STR, description="Lead or supporting unit code."),
    ]
)
class TaskListView(generics.ListAPIView):
    """Tasks the caller may see, by deadline; filter by ``status`` and ``unit`` (code)."""

    serializer_class = TaskSerializer

    def get_serializer_context(self) -> dict:
        return {
            **super().get_serializer_context(),
            "today": timezone.localdate(),
            "calendar": working_calendar(),
        }

    def get_queryset(self):
        params = self.request.query_params
        status = params.get("status", "")
        if status and status not in {value.value for value in TaskStatus}:
            raise ValidationError(
                {"status": [_("Unknown status: %(status)s.") % {"status": status}]}
            )
        unit = None
        if params.get("unit"):
            unit = Unit.objects.filter(code=params["unit"]).first()
            if unit is None:
                raise ValidationError(
                    {"unit": [_("Unknown unit: %(code)s.") % {"code": params["unit"]}]}
                )
        tasks = tasks_filtered(
            tasks_visible_to(self.request.user),
            today=timezone.localdate(),
            unit=unit,
            status=status,
        )
        return tasks_for_table(tasks)
