"""Dossiers (hồ sơ) received at the one-stop desk, their append-only history and counters.

Times are stored in UTC and shown in Asia/Ho_Chi_Minh (DESIGN §3). Nothing here is ever
overwritten or deleted: every step of a dossier is an :class:`Event` row, and the dossier's own
columns are the current state derived from those steps (kept for the queues and the reports).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import (  # noqa: F401  (AppendOnlyError re-exported)
    AppendOnlyError,
    AppendOnlyModel,
    AppendOnlyQuerySet,
)
from cchc_portal.fields import optional_reference, optional_user
from org.models import Unit
from procedures.models import Channel, ProcedureVersion

# The lifecycle's rules and vocabulary, re-exported: they live in dossiers.lifecycle.
from .lifecycle import (  # noqa: F401
    ENDED_WITHOUT_RESULT_STATUSES,
    OPEN_STATUSES,
    RESULT_STATUSES,
    DossierStatus,
    EventKind,
    Regime,
    derived_fields,
    finished_date_of,
    local_date,
    local_midnight,
    regime_for,
)


class Dossier(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # No single-column index on either unit: dossier_unit_received and dossier_handling_status
    # lead with them and serve the same lookups (one index fewer to write per dossier).
    receiving_unit = models.ForeignKey(
        Unit,
        verbose_name=_("receiving unit"),
        on_delete=models.PROTECT,
        related_name="dossiers_received",
        db_index=False,
    )
    handling_unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="dossiers_handled",
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    applicant_name = models.CharField(_("applicant name"), max_length=255)
    applicant_id_number = models.CharField(_("applicant ID number"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("applicant phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("applicant e-mail"), blank=True)
    applicant_address = models.CharField(_("applicant address"), max_length=500, blank=True)
    sets_count = models.PositiveSmallIntegerField(_("number of sets"), default=1)

    received_at = models.DateTimeField(_("received at"))
    # The legal due date after any supplement pause; statistics judge against it.
    due_at = models.DateTimeField(_("due at"))
    # The due date computed at intake; never changes (DESIGN §3 "Supplement").
    original_due_at = models.DateTimeField(_("original due at"))
    # The new date promised by an apology; shown to the citizen, never used by statistics.
    rescheduled_due_at = models.DateTimeField(_("rescheduled due at"), null=True, blank=True)
    # When processing ended: result ready, or withdrawal / stop.
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    status = models.CharField(
        _("status"),
        max_length=30,
        choices=DossierStatus.choices,
        default=DossierStatus.RECEIVED,
    )
    regime = models.CharField(_("legal regime"), max_length=4, choices=Regime.choices)
    digitised = models.BooleanField(_("recorded in the electronic one-stop system"), default=False)
    # Derived from received_at on save: reports group by local date without computing it per row.
    received_date = models.DateField(_("received date"), editable=False)
    # Derived from due_at on save: the local due date that early / on time / late compare with.
    due_date = models.DateField(_("due date"), editable=False, blank=True)
    # Derived on save: the local date processing ended for the statistics (DESIGN §3) — the
    # earlier of result ready and returned for a finished or returned dossier, the withdrawal or
    # stop for the others; empty while open and for a refused dossier.
    finished_date = models.DateField(_("finished date"), editable=False, null=True, blank=True)
    # Optimistic locking: a service updates "WHERE version = <read>" and bumps it.
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at", "-id"]
        indexes = [
            # Per-unit drill-down and the register (Mẫu 06) for a date range.
            models.Index(fields=["receiving_unit", "received_at"], name="dossier_unit_received"),
            # Work queues of a unit by state.
            models.Index(fields=["handling_unit", "status"], name="dossier_handling_status"),
            # Overdue / due-soon queues read only open dossiers.
            models.Index(
                fields=["due_at"],
                condition=Q(finished_at__isnull=True),
                name="dossier_open_due",
            ),
            # Quarterly statistics by local date.
            models.Index(fields=["received_date"], name="dossier_received_date"),
            # Period statistics read the dossiers still relevant to [start, end]: received by
            # the end and not finished before the start, i.e. "finished_date IS NULL OR
            # finished_date >= start" AND "received_date <= end". Both columns in one index let
            # each arm of that OR be one index range whose received_date test needs no heap row
            # (1 M dossiers over 6 years, PostgreSQL: a recent quarter in 0.2 s instead of a 0.46 s
            # sequential scan; old quarters use dossier_received_date).
            models.Index(
                fields=["finished_date", "received_date"], name="dossier_finished_received"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs) -> None:
        derived = derived_fields(
            received_at=self.received_at,
            due_at=self.due_at,
            status=self.status,
            finished_at=self.finished_at,
            returned_at=self.returned_at,
            regime=self.regime,
        )
        if self.received_at is not None:
            self.received_date = derived.received_date
            self.regime = derived.regime
        if self.due_at is not None:
            self.due_date = derived.due_date
        self.finished_date = derived.finished_date
        update_fields = kwargs.get("update_fields")
        if update_fields:
            # The derived dates follow their sources even in a partial save.
            kwargs["update_fields"] = {*update_fields, "received_date", "due_date", "finished_date"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Event(AppendOnlyModel):
    """One step in a dossier's history (phiếu kiểm soát quá trình giải quyết): never changed."""

    Kind = EventKind

    # PROTECT everywhere: the audit trail must outlive nothing it refers to; staff accounts are
    # deactivated, never deleted.
    # Indexed by event_dossier_at, which leads with the dossier.
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    from_unit = optional_reference(Unit, _("from unit"), on_delete=models.PROTECT)
    to_unit = optional_reference(Unit, _("to unit"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"))
    by = optional_user(_("by"), on_delete=models.PROTECT)
    note = models.TextField(_("note"), blank=True)
    # The due date of this step (hand-over), to judge each step early / on time / late (Mẫu 05).
    step_due_at = models.DateTimeField(_("step due at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="event_dossier_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class SupplementRequest(models.Model):
    """A request to complete the dossier (Mẫu 02): the clock stops until ``completed_at``."""

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="supplement_requests",
    )
    requested_at = models.DateTimeField(_("requested at"))
    reason = models.TextField(_("reason"))
    missing_documents = models.TextField(_("missing documents"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    requested_by = optional_user(_("requested by"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["requested_at", "id"]
        constraints = [
            # At most one open request per dossier: the clock cannot stop twice.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(completed_at__isnull=True),
                name="supplement_one_open_per_dossier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None


class Apology(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả (Mẫu 04): at most one per dossier."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="apology"
    )
    issued_at = models.DateTimeField(_("issued at"))
    reason = models.TextField(_("reason"))
    new_due_at = models.DateTimeField(_("new due at"))
    # Issued later than one working day before the due date: accepted, but recorded as late.
    late = models.BooleanField(_("issued late"), default=False)
    issued_by = optional_user(_("issued by"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("apology")
        verbose_name_plural = _("apologies")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.issued_at:%Y-%m-%d}"


class DossierCodeCounter(models.Model):
    """The last sequence number handed out per receiving unit and local day (DESIGN §6)."""

    # Indexed by dossier_code_counter_unique, which leads with the unit.
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    day = models.DateField(_("day"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("dossier code counter")
        verbose_name_plural = _("dossier code counters")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="dossier_code_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.last}"


class DossierDocumentQuerySet(AppendOnlyQuerySet):
    def in_checklist_order(self) -> DossierDocumentQuerySet:
        """The papers of intake first, then those of each supplement in turn, each part in
        its own order; with the supplement request loaded."""
        return self.select_related("supplement_request").order_by(
            models.F("supplement_request__requested_at").asc(nulls_first=True), "position", "id"
        )


class DossierDocument(AppendOnlyModel):
    """A line of the dossier's checklist (thành phần hồ sơ): a paper the applicant handed in and
    how many of each kind — the receipt (Mẫu 01) prints these lines, not the catalogue's.

    Never changed: the papers handed in at intake have no ``supplement_request``; those handed
    in to complete the dossier are new lines of the request they answer.
    """

    # No database constraint here: on a partitioned database a foreign key to the dossiers is a
    # pair of triggers (migration 0009, dossiers.partitioning.reference_sql).
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="documents",
        db_constraint=False,
        db_index=False,
    )
    supplement_request = models.ForeignKey(
        SupplementRequest,
        verbose_name=_("supplement request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("certified copies"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)

    objects = DossierDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document received")
        verbose_name_plural = _("documents received")
        ordering = ["dossier", "position", "id"]
        indexes = [models.Index(fields=["dossier", "position"], name="dossier_document_order")]

    def __str__(self) -> str:
        return self.name

    @property
    def total(self) -> int:
        return self.originals + self.certified_copies + self.copies


class ApplicantNotice(models.Model):
    """The applicant's message about one step (received, supplement, apology, result), owed
    until sent: written in the step's own transaction, so a committed step always has its
    notice, whether or not the broker took the task that sends it.

    ``sent_at`` is set once the e-mail went out and the hooks were called (or when there was
    nothing to send): a notice already sent is never sent again, whoever runs it (the task, a
    redelivery, the catch-up job). ``given_up_at`` marks a notice left unsent for too long or
    refused by the mail server for good (``last_error`` says why).
    """

    # No database constraint here: on a partitioned database a foreign key to the dossiers is a
    # pair of triggers (migration 0010, dossiers.partitioning.reference_sql).
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="applicant_notices",
        db_constraint=False,
    )
    # One notice per step: a second supplement request is a new notice, a re-run is not.
    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="applicant_notice"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    given_up_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("applicant notice")
        verbose_name_plural = _("applicant notices")
        ordering = ["created_at", "id"]
        indexes = [
            # The catch-up job's scan: the few notices still owed, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True, given_up_at__isnull=True),
                name="applicant_notice_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} ({'sent' if self.sent_at else 'pending'})"
