"""Writes of the committee workspace: one transaction each, validated, audited.

Refusals raise ``ValidationError`` (bad input, with the field when there is one) or
``PermissionDenied`` (the user may not do this at all); either way nothing is written.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from org.calendar_source import working_calendar
from org.models import Membership, Unit
from org.selectors import units_visible_to
from org.workdays import WorkingCalendar

from .attachments import attachment_validate
from .deadlines import WORKING_DAYS_MAX, deadline_after_working_days, deadline_problem
from .models import (
    Conclusion,
    Meeting,
    MeetingAttachment,
    ReminderSent,
    Task,
    TaskReport,
)
from .permissions import is_standing_office, reporting_unit
from .reminders import reminder_due, reminder_horizon, working_days_left

logger = logging.getLogger(__name__)

MEETING_FIELDS = (
    "unit",
    "held_on",
    "kind",
    "title",
    "chair",
    "attendees",
    "minutes",
    "notice_number",
    "notice_date",
)


def _require_standing_office(user: AbstractBaseUser) -> None:
    if not is_standing_office(user):
        raise PermissionDenied(
            _("Only the committee's standing office records meetings and tasks.")
        )


def _require_visible(user: AbstractBaseUser, unit: Unit, field: str) -> None:
    if not units_visible_to(user).filter(pk=unit.pk).exists():
        raise ValidationError({field: _("%(unit)s is outside your units.") % {"unit": unit.name}})


def _require_meeting_access(user: AbstractBaseUser, meeting: Meeting) -> None:
    """The standing office writes only to the meetings of the committees of its tree."""
    _require_standing_office(user)
    if not units_visible_to(user).filter(pk=meeting.unit_id).exists():
        raise PermissionDenied(_("This meeting belongs to a committee outside your units."))


def _meeting_check(meeting: Meeting) -> None:
    if meeting.notice_date and meeting.held_on and meeting.notice_date < meeting.held_on:
        raise ValidationError(
            {"notice_date": _("The conclusion notice cannot be dated before the meeting.")}
        )
    meeting.full_clean()
    if meeting.pk:
        early = meeting.conclusions.filter(tasks__deadline__lt=meeting.held_on).exists()
        if early:
            raise ValidationError(
                {"held_on": _("Some tasks of this meeting are due before this date.")}
            )


# Meetings ---------------------------------------------------------------------------------


def meeting_create(
    *,
    by: AbstractBaseUser,
    unit: Unit,
    held_on: dt.date,
    kind: str,
    title: str,
    chair: str,
    attendees: str = "",
    minutes: str = "",
    notice_number: str = "",
    notice_date: dt.date | None = None,
) -> Meeting:
    _require_standing_office(by)
    _require_visible(by, unit, "unit")
    with transaction.atomic():
        meeting = Meeting(
            unit=unit,
            held_on=held_on,
            kind=kind,
            title=title.strip(),
            chair=chair.strip(),
            attendees=attendees.strip(),
            minutes=minutes.strip(),
            notice_number=notice_number.strip(),
            notice_date=notice_date,
            created_by=by,
        )
        _meeting_check(meeting)
        meeting.save()
        audit_record(actor=by, action="create", instance=meeting, unit=unit)
    return meeting


def meeting_update(*, meeting: Meeting, by: AbstractBaseUser, **fields) -> Meeting:
    """Change the given fields (any of ``MEETING_FIELDS``) of ``meeting``."""
    _require_meeting_access(by, meeting)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update() got unexpected fields: {sorted(unknown)}")
    if "unit" in fields:
        _require_visible(by, fields["unit"], "unit")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        before = snapshot(meeting)
        for name, value in fields.items():
            setattr(meeting, name, value.strip() if isinstance(value, str) else value)
        _meeting_check(meeting)
        meeting.save()
        audit_record(
            actor=by,
            action="update",
            instance=meeting,
            before=before,
            after=snapshot(meeting),
            unit=meeting.unit,
        )
    return meeting


def meeting_attachment_add(
    *, meeting: Meeting, by: AbstractBaseUser, upload: UploadedFile
) -> MeetingAttachment:
    _require_meeting_access(by, meeting)
    attachment_validate(upload)
    with transaction.atomic():
        attachment = MeetingAttachment(
            meeting=meeting,
            original_name=PurePath(upload.name).name[:255],
            size=upload.size,
            uploaded_by=by,
        )
        attachment.file.save(PurePath(upload.name).name, upload, save=False)
        attachment.save()
        audit_record(actor=by, action="create", instance=attachment, unit=meeting.unit)
    return attachment


# Conclusions and tasks --------------------------------------------------------------------


def conclusion_add(
    *, meeting: Meeting, by: AbstractBaseUser, text: str, number: int | None = None
) -> Conclusion:
    """Add a conclusion, numbered after the last one unless ``number`` is given."""
    _require_meeting_access(by, meeting)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the conclusion.")})
    with transaction.atomic():
        # Serialise the numbering of one meeting's conclusions.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        if number is None:
            last = meeting.conclusions.aggregate(last=Max("number"))["last"] or 0
            number = last + 1
        if meeting.conclusions.filter(number=number).exists():
            raise ValidationError(
                {"number": _("This meeting already has a conclusion with that number.")}
            )
        conclusion = Conclusion(meeting=meeting, number=number, text=text)
        conclusion.full_clean()
        conclusion.save()
        audit_record(actor=by, action="create", instance=conclusion, unit=meeting.unit)
    return conclusion


def task_assign(
    *,
    conclusion: Conclusion,
    by: AbstractBaseUser,
    title: str,
    lead_unit: Unit,
    supporting_units: Iterable[Unit] = (),
    deadline: dt.date | None = None,
    working_days: int | None = None,
    expected_output: str = "",
    content: str = "",
) -> Task:
    """Assign a task of ``conclusion``; give the deadline as a date or as working days from
    the conclusion notice (see ``committee.deadlines``)."""
    meeting = conclusion.meeting
    _require_meeting_access(by, meeting)
    deadline = _task_deadline(meeting, deadline, working_days)
    supporting = list(dict.fromkeys(supporting_units))
    _task_units_check(by, meeting, lead_unit, supporting)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Name the task.")})
    with transaction.atomic():
        task = Task(
            conclusion=conclusion,
            title=title,
            content=content.strip(),
            lead_unit=lead_unit,
            deadline=deadline,
            deadline_working_days=working_days,
            expected_output=expected_output.strip(),
            created_by=by,
        )
        task.full_clean()
        task.save()
        task.supporting_units.set(supporting)
        after = snapshot(task)
        after["supporting_units"] = sorted(unit.pk for unit in supporting)
        audit_record(actor=by, action="create", instance=task, after=after, unit=lead_unit)
    return task


def _task_deadline(meeting: Meeting, deadline: dt.date | None, working_days: int | None) -> dt.date:
    """The task's deadline, given as a date or as working days from the notice; checked."""
    calendar = working_calendar()
    if (deadline is None) == (working_days is None):
        raise ValidationError(
            {"deadline": _("Give the deadline either as a date or as a number of working days.")}
        )
    if working_days is not None:
        if not 1 <= working_days <= WORKING_DAYS_MAX:
            raise ValidationError(
                {
                    "working_days": _("Give between 1 and %(max)s working days.")
                    % {"max": WORKING_DAYS_MAX}
                }
            )
        deadline = deadline_after_working_days(
            start=meeting.reference_date, working_days=working_days, calendar=calendar
        )
    problem = deadline_problem(deadline=deadline, not_before=meeting.held_on, calendar=calendar)
    if problem:
        raise ValidationError({"deadline": problem})
    return deadline


def _task_units_check(
    by: AbstractBaseUser, meeting: Meeting, lead_unit: Unit, supporting: list[Unit]
) -> None:
    _require_visible(by, lead_unit, "lead_unit")
    for unit in supporting:
        _require_visible(by, unit, "supporting_units")
    if lead_unit in supporting:
        raise ValidationError(
            {"supporting_units": _("The lead unit cannot also be a supporting unit.")}
        )
    # A task goes to units that exist when the committee decides it.
    for field, units in (("lead_unit", [lead_unit]), ("supporting_units", supporting)):
        for unit in units:
            problem = unit.validity_error(meeting.held_on)
            if problem:
                raise ValidationError({field: problem})


# Progress reports -------------------------------------------------------------------------


def task_report_submit(
    *,
    task: Task,
    by: AbstractBaseUser,
    text: str,
    percent: int,
    attachment: UploadedFile | None = None,
    at: dt.datetime | None = None,
) -> TaskReport:
    """A unit's progress report on ``task``.

    Rules: only a user of the lead or a supporting unit reports, for that unit; a completed
    task takes no more reports; a unit's percentage never goes down (the table shows the
    latest, and a lower figure would silently undo what the unit claimed before); the lead
    unit's 100 % completes the task on the report's date.
    """
    unit = reporting_unit(by, task)
    if unit is None:
        raise PermissionDenied(_("Only the lead and supporting units report on this task."))
    text = _report_text_check(text, percent, attachment)
    at = at or timezone.now()
    reported_on = timezone.localdate(at)
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        _report_allowed_check(task, unit, reported_on, percent)
        report = TaskReport(
            task=task,
            unit=unit,
            by=by,
            at=at,
            reported_on=reported_on,
            text=text,
            percent=percent,
        )
        if attachment is not None:
            name = PurePath(attachment.name).name
            report.attachment_name = name[:255]
            report.attachment.save(name, attachment, save=False)
        report.full_clean()
        report.save()
        audit_record(actor=by, action="report", instance=report, after=snapshot(report), unit=unit)
        _task_progress_apply(task, by, unit, reported_on, percent)
    return report


def _report_text_check(text: str, percent: int, attachment: UploadedFile | None) -> str:
    """The report's text, stripped, once text, percentage and attachment are valid."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Describe what has been done.")})
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("The progress is a percentage from 0 to 100.")})
    if attachment is not None:
        try:
            attachment_validate(attachment)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from None
    return text


def _report_allowed_check(task: Task, unit: Unit, reported_on: dt.date, percent: int) -> None:
    """Refuse a report on a completed task, before the meeting, or lower than the unit's last."""
    if task.completed_on is not None:
        raise ValidationError(
            _("This task was completed on %(day)s; it takes no more reports.")
            % {"day": task.completed_on.strftime("%d/%m/%Y")}
        )
    if reported_on < task.conclusion.meeting.held_on:
        raise ValidationError(_("A report cannot be dated before the meeting."))
    previous = task.reports.filter(unit=unit).aggregate(best=Max("percent"))["best"]
    if previous is not None and percent < previous:
        raise ValidationError(
            {
                "percent": _(
                    "%(unit)s already reported %(previous)s%%; the progress cannot go down."
                )
                % {"unit": unit.name, "previous": previous}
            }
        )


def _task_progress_apply(
    task: Task, by: AbstractBaseUser, unit: Unit, reported_on: dt.date, percent: int
) -> None:
    """The task after a report: first report day, and the lead unit's progress and completion."""
    before = snapshot(task)
    if task.first_reported_on is None or reported_on < task.first_reported_on:
        task.first_reported_on = reported_on
    if unit.pk == task.lead_unit_id:
        task.progress = percent
        if percent == 100:
            task.completed_on = reported_on
    after = snapshot(task)
    if after != before:
        task.save(update_fields=["first_reported_on", "progress", "completed_on"])
        action = "complete" if task.completed_on and not before["completed_on"] else "update"
        audit_record(actor=by, action=action, instance=task, before=before, after=after, unit=unit)


# Reminders --------------------------------------------------------------------------------


def unit_emails(unit_ids: Iterable[int]) -> dict[int, list[str]]:
    """The e-mail addresses of each unit's active staff (one query for all the units)."""
    emails: dict[int, list[str]] = {unit_id: [] for unit_id in unit_ids}
    rows = (
        Membership.objects.filter(unit_id__in=list(emails), is_active=True, user__is_active=True)
        .exclude(user__email="")
        .order_by("unit_id", "user_id")
        .values_list("unit_id", "user__email")
    )
    for unit_id, email in rows:
        if email not in emails[unit_id]:
            emails[unit_id].append(email)
    return emails


def reminder_recipients(
    task: Task, emails: dict[int, list[str]] | None = None
) -> tuple[list[str], list[str]]:
    """(to, cc): the e-mail addresses of the lead unit's active staff, and of the supporting
    units' staff in copy — they have their part to deliver by the same deadline. ``emails``:
    :func:`unit_emails` of (at least) the task's units, read once for a whole run."""
    supporting = [unit.pk for unit in task.supporting_units.all()]
    if emails is None:
        emails = unit_emails([task.lead_unit_id, *supporting])
    to = list(emails.get(task.lead_unit_id, []))
    cc: list[str] = []
    for unit_id in supporting:
        cc += [address for address in emails.get(unit_id, []) if address not in to + cc]
    return to, cc


def _task_url(task: Task) -> str:
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return f"{base}{reverse('committee:task_detail', args=[task.pk])}"


def reminder_message(
    *, task: Task, kind: str, today: dt.date, calendar: WorkingCalendar | None = None
) -> tuple[str, str]:
    """The reminder (subject, body) in the portal's default language."""
    calendar = calendar or working_calendar()
    context = {
        "task": task,
        "kind": kind,
        "meeting": task.conclusion.meeting,
        "conclusion": task.conclusion,
        "days_left": working_days_left(deadline=task.deadline, today=today, calendar=calendar),
        "url": _task_url(task),
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("committee/email/reminder.txt", context)
    subject, _sep, body = text.strip().partition("\n")
    return " ".join(subject.split()), body.strip() + "\n"


def task_reminders_send(*, today: dt.date) -> int:
    """Send the reminders due on ``today`` (``committee.reminders``); the e-mails sent.

    Each reminder is recorded (``ReminderSent``, unique per task and kind) in the same
    transaction as its e-mail is sent: a re-run, a retry or a second worker finds the row and
    sends nothing; a failed e-mail rolls the row back so the next run tries again.
    """
    calendar = working_calendar()
    if not calendar.is_working_day(today):
        return 0
    tasks = (
        Task.objects.filter(
            completed_on__isnull=True,
            deadline__lte=reminder_horizon(today=today, calendar=calendar),
            conclusion__meeting__held_on__lte=today,
        )
        .exclude(reminders__kind="overdue")
        .select_related("lead_unit", "conclusion", "conclusion__meeting")
        .prefetch_related("reminders", "supporting_units")
        .order_by("deadline", "id")
    )
    due = []
    for task in tasks:
        kind = reminder_due(
            deadline=task.deadline,
            today=today,
            calendar=calendar,
            sent=[reminder.kind for reminder in task.reminders.all()],
        )
        if kind is not None:
            due.append((task, kind))
    unit_ids = {task.lead_unit_id for task, _kind in due} | {
        unit.pk for task, _kind in due for unit in task.supporting_units.all()
    }
    emails = unit_emails(unit_ids)
    sent = 0
    for task, kind in due:
        to, cc = reminder_recipients(task, emails)
        try:
            with transaction.atomic():
                reminder = ReminderSent.objects.create(
                    task=task, kind=kind, sent_on=today, recipients=", ".join(to + cc)
                )
                audit_record(actor=None, action="remind", instance=reminder, unit=task.lead_unit)
                if to or cc:
                    subject, body = reminder_message(
                        task=task, kind=kind, today=today, calendar=calendar
                    )
                    sent += EmailMessage(subject, body, None, to or cc, cc=cc if to else []).send()
        except IntegrityError:
            # Another run recorded this reminder first: it sent the e-mail.
            continue
    return sent
