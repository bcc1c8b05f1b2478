"""The steering committee's meetings, their numbered conclusions and the tasks they assign.

A meeting of the committee of a unit (the district's Ban chỉ đạo CCHC) ends with a conclusion
notice (Thông báo kết luận); each conclusion assigns tasks to a lead unit, with supporting units,
a deadline and an expected output. Units report progress on a task; the lead unit's report of
100 % completes it. Status is never stored: it follows from the dates (``committee.status``).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc_portal.fields import optional_user
from org.models import Unit


class MeetingKind(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    THEMATIC = "thematic", _("Thematic")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")


class Meeting(models.Model):
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("committee of"),
        on_delete=models.PROTECT,
        related_name="committee_meetings",
        help_text=_("The unit whose steering committee met, e.g. the district."),
    )
    held_on = models.DateField(_("meeting date"))
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=255)
    chair = models.CharField(_("chaired by"), max_length=255)
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    notice_number = models.CharField(_("conclusion notice number"), max_length=60, blank=True)
    notice_date = models.DateField(_("conclusion notice date"), null=True, blank=True)
    created_by = optional_user(_("recorded by"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_date__isnull=True) | Q(notice_date__gte=models.F("held_on")),
                name="committee_meeting_notice_after_meeting",
                violation_error_message=_(
                    "The conclusion notice cannot be dated before the meeting."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    @property
    def reference_date(self):
        """The date working-day deadlines count from: the notice's, else the meeting's."""
        return self.notice_date or self.held_on


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="committee/meetings/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = optional_user(_("uploaded by"), on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting attachment")
        verbose_name_plural = _("meeting attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Conclusion(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="conclusions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("conclusion"))

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="committee_conclusion_number_unique",
                violation_error_message=_(
                    "This meeting already has a conclusion with that number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class Task(models.Model):
    conclusion = models.ForeignKey(
        Conclusion, verbose_name=_("conclusion"), on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(_("task"), max_length=500)
    content = models.TextField(_("details"), blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    supporting_units = models.ManyToManyField(
        Unit, verbose_name=_("supporting units"), blank=True, related_name="supported_tasks"
    )
    deadline = models.DateField(_("deadline"))
    # How the deadline was entered, when it was "N working days from the notice": kept so the
    # follow-up table can say so; the date above is what every rule reads.
    deadline_working_days = models.PositiveSmallIntegerField(
        _("deadline in working days"), null=True, blank=True
    )
    expected_output = models.CharField(_("expected output"), max_length=500, blank=True)
    # Derived from the reports (task_report_submit keeps them), so lists and filters by status
    # are plain indexed queries: the first report of any unit, the lead unit's latest
    # percentage, and the day the lead unit reported 100 %.
    first_reported_on = models.DateField(_("first report"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = optional_user(_("assigned by"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assigned task")
        verbose_name_plural = _("assigned tasks")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["lead_unit", "deadline"], name="committee_task_lead_deadline"),
            # The reminder job and the overdue list read the open tasks by deadline.
            models.Index(
                fields=["deadline"],
                condition=Q(completed_on__isnull=True),
                name="committee_task_open_deadline",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="committee_task_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TaskReport(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="task_reports"
    )
    by = optional_user(_("reported by"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("reported at"))
    reported_on = models.DateField(_("report date"))
    text = models.TextField(_("progress report"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    attachment = models.FileField(_("attachment"), upload_to="committee/reports/%Y/%m/", blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="committee_report_percent_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} – {self.unit.name} – {self.percent}%"


class ReminderKind(models.TextChoices):
    DAYS_7 = "7", _("7 working days before")
    DAYS_3 = "3", _("3 working days before")
    DAYS_1 = "1", _("1 working day before")
    OVERDUE = "overdue", _("Overdue")


class ReminderSent(models.Model):
    """One reminder e-mail of a task; the unique pair is what makes a re-run send nothing."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sent_on = models.DateField(_("sent on"))
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind"], name="committee_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.task} – {self.get_kind_display()} – {self.sent_on:%d/%m/%Y}"
