"""The statistics rollups: the table every dashboard and report reads (DESIGN §5, §6).

One :class:`Rollup` row holds the counters of DESIGN §3 (``reports.counters.COUNTERS``, under
exactly those names) of one period, one receiving unit and one procedure. The rows are derived
data: :mod:`reports.services` recomputes them from the dossiers, the Celery jobs of
:mod:`reports.tasks` keep them fresh, and a :class:`PeriodFreeze` turns a closed period's rows
into an immutable snapshot. An :class:`ExportJob` is a file export written by a worker.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc_portal.fields import optional_user
from org.models import Unit
from procedures.models import Procedure


def _counter() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(default=0)


class PeriodCounters(models.Model):
    """What every rollup row holds: its period (the key and its parts again, so that the admin
    and ad-hoc queries can filter on them), its receiving unit and the counters."""

    period_key = models.CharField(_("period"), max_length=40)
    scheme = models.CharField(_("scheme"), max_length=10)
    kind = models.CharField(_("kind"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    index = models.PositiveSmallIntegerField(_("index"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("receiving unit"), on_delete=models.PROTECT, related_name="+"
    )

    received_online = _counter()
    received_direct = _counter()
    received_postal = _counter()
    received_in_period = _counter()
    carried_over = _counter()
    received_total = _counter()
    resolved = _counter()
    resolved_early = _counter()
    resolved_on_time = _counter()
    resolved_late = _counter()
    in_progress = _counter()
    in_progress_within = _counter()
    in_progress_overdue = _counter()
    paused = _counter()
    withdrawn = _counter()
    refused = _counter()
    digitised = _counter()
    # Not an official counter: the part of ``digitised`` received in the period (the rest was
    # carried over). With it a quarter, half, year or year-to-date is the sum of its months
    # (reports.services derives them so); readers use reports.counters.COUNTERS only.
    digitised_received = _counter()

    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        abstract = True


class Rollup(PeriodCounters):
    """The counters of one period × receiving unit × procedure; only non-zero rows are stored."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")
        ordering = ["period_key", "unit", "procedure"]
        constraints = [
            # Its index (period_key, unit_id, procedure_id) also serves every read of a period
            # for a set of units, the upsert's conflict target and the replacement's delete.
            models.UniqueConstraint(
                fields=["period_key", "unit", "procedure"], name="rollup_period_unit_procedure"
            ),
        ]
        indexes = [
            models.Index(fields=["scheme", "kind", "year", "index"], name="rollup_period_parts"),
        ]

    def __str__(self) -> str:
        return f"{self.period_key} {self.unit_id} {self.procedure_id}"


class UnitRollup(PeriodCounters):
    """The counters of one period × receiving unit: the sum of its :class:`Rollup` cells.

    What the dashboard and the report read for totals and per-unit figures: one row per unit
    instead of one per unit × procedure used (thousands in a province quarter, more every
    year). Written by :mod:`reports.services` in the same transaction as the cells, from them,
    so it always equals their sum; only units with a cell have a row.
    """

    class Meta:
        verbose_name = _("unit rollup")
        verbose_name_plural = _("unit rollups")
        ordering = ["period_key", "unit"]
        constraints = [
            # Its index (period_key, unit_id) serves every read of a period for a set of units.
            models.UniqueConstraint(fields=["period_key", "unit"], name="unit_rollup_period_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.period_key} {self.unit_id}"


class RollupRun(models.Model):
    """When the rollups of a period were last computed for a receiving unit.

    Tells "computed, all zero" (a run, no rows) from "never computed" (no run).
    """

    period_key = models.CharField(_("period"), max_length=40)
    unit = models.ForeignKey(
        Unit, verbose_name=_("receiving unit"), on_delete=models.CASCADE, related_name="+"
    )
    computed_at = models.DateTimeField(_("computed at"))
    # The day the period was counted up to (its end, or "today" while it was not over).
    as_of = models.DateField(_("counted up to"), null=True, blank=True)

    class Meta:
        verbose_name = _("rollup run")
        verbose_name_plural = _("rollup runs")
        constraints = [
            models.UniqueConstraint(fields=["period_key", "unit"], name="rollup_run_period_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.period_key} {self.unit_id} {self.computed_at:%Y-%m-%d %H:%M}"


class RollupDirty(models.Model):
    """A (period, receiving unit[, procedure]) whose rollups a dossier change made stale.

    Written by the ``dossier_changed`` receiver inside the change's transaction, drained by
    ``reports.tasks``. A drain first claims its marks (``claimed_at``, committed at once), then
    recomputes, then deletes the marks still claimed by it: a new mark of the same cell meanwhile
    clears the claim (and ``marked_at`` moves forward), so the row is kept for the next run, and
    the desk's transaction never waits for a recompute. A claim older than a task's time limit
    is a drain that died: its marks are taken again. ``procedure_key`` is the id of the one
    procedure whose cell is stale (a change of one dossier), or 0 for every procedure of the
    unit (a bulk change); a plain number, not a foreign key, so that 0 can stand for "all" in
    the unique key.
    """

    period_key = models.CharField(_("period"), max_length=40)
    unit = models.ForeignKey(
        Unit, verbose_name=_("receiving unit"), on_delete=models.CASCADE, related_name="+"
    )
    procedure_key = models.PositiveIntegerField(_("procedure"), default=0)
    marked_at = models.DateTimeField(_("marked at"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stale rollup")
        verbose_name_plural = _("stale rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["period_key", "unit", "procedure_key"], name="rollup_dirty_period_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_key} {self.unit_id}"


class PeriodFreeze(models.Model):
    """A closed period whose rollups are an immutable snapshot: never recomputed again."""

    period_key = models.CharField(_("period"), max_length=40, unique=True)
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = optional_user(_("frozen by"), on_delete=models.PROTECT)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("frozen period")
        verbose_name_plural = _("frozen periods")
        ordering = ["-frozen_at"]

    def __str__(self) -> str:
        return self.period_key


class ExportJob(models.Model):
    """A file export asked for on a page and written by a Celery worker (DESIGN §2).

    The page shows its progress and, once it is done, a download link that only the user who
    asked for it may follow. :mod:`reports.export_jobs` creates, runs, sweeps and cleans them.
    """

    class Kind(models.TextChoices):
        REPORT_XLSX = "report_xlsx", _("Form II.06a (XLSX)")
        REPORT_DOCX = "report_docx", _("Word report (DOCX)")
        DOSSIERS_XLSX = "dossiers_xlsx", _("List of dossiers (XLSX)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What to export, as the page's query gave it (checked again when the job runs).
    parameters = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # An English msgid (translated when shown) naming the current step or the failure.
    message = models.CharField(_("message"), max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), upload_to="exports/", max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at"]
        indexes = [
            # The page's "my recent exports".
            models.Index(fields=["requested_by", "-created_at"], name="export_job_owner_recent"),
            # The sweep (stuck jobs) and the clean-up (old jobs).
            models.Index(fields=["status", "created_at"], name="export_job_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
