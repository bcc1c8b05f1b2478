"""The catalogue of administrative procedures (thủ tục hành chính), versioned.

A ``Procedure`` is the identity (its national code); its content lives in ``ProcedureVersion``
rows. A version is edited as a draft, then published with a validity window; a published version
is never edited in place (a new draft is made from it) and the windows of one code never
overlap. Dossiers keep a reference to the exact version they were received under.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc_portal.fields import optional_user
from org.models import Unit

PROCEDURE_CODE_VALIDATOR = RegexValidator(
    r"^\d\.\d{6}(\.[A-Z0-9]{2,6})?$",
    _("A procedure code looks like 1.000948, or 1.000948.H30 when localised."),
)


def search_normalise(text: str) -> str:
    """Lower-case, without Vietnamese diacritics, so that "dang ky khai sinh" finds
    "Đăng ký khai sinh"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


class GovernmentLevel(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


class OnlineLevel(models.TextChoices):
    # Decree 43/2011 levels, used before Decree 42/2022.
    LEVEL_1 = "1", _("Level 1")
    LEVEL_2 = "2", _("Level 2")
    LEVEL_3 = "3", _("Level 3")
    LEVEL_4 = "4", _("Level 4")
    # Decree 42/2022.
    PARTIAL = "partial", _("Partly online")
    FULL = "full", _("Fully online")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


class Channel(models.TextChoices):
    DIRECT = "direct", _("In person")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("Public postal service")


class PublishedVersionImmutable(ValidationError):
    def __init__(self) -> None:
        super().__init__(_("A published version cannot be changed; draft a new version."))


class Sector(models.Model):
    """Lĩnh vực: the field a procedure belongs to (civil status, land, construction, …)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    code = models.CharField(
        _("code"), max_length=30, unique=True, validators=[PROCEDURE_CODE_VALIDATOR]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


# The scalar fields of a version's content (ProcedureContent): what an administrator edits on a
# draft (in this order on the page), what a new draft copies and an import compares; the
# levels, documents, channel times and implementing units are the rest of the content.
CONTENT_SCALAR_FIELDS = (
    "name",
    "sector",
    "online_level",
    "fully_online_eligible",
    "processing_time",
    "processing_unit",
    "fee",
    "fee_description",
    "result_description",
    "paper_result_required",
    "legal_basis",
    "decision_number",
    "decision_date",
    "decision_effective_date",
)


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    abolished = models.BooleanField(
        _("abolished"),
        default=False,
        help_text=_("The procedure ends with this version's validity."),
    )

    name = models.CharField(_("name"), max_length=500)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="versions"
    )
    implementing_units = models.ManyToManyField(
        Unit, verbose_name=_("implementing units"), blank=True, related_name="procedure_versions"
    )
    online_level = models.CharField(_("online level"), max_length=10, choices=OnlineLevel.choices)
    fully_online_eligible = models.BooleanField(_("eligible for fully online"), default=False)
    processing_time = models.DecimalField(
        _("processing time"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    processing_unit = models.CharField(
        _("unit of time"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    fee = models.DecimalField(
        _("fee (VND)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    fee_description = models.TextField(_("fee details"), blank=True)
    result_description = models.TextField(_("result"), blank=True)
    paper_result_required = models.BooleanField(_("paper result required"), default=False)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    decision_number = models.CharField(_("announcing decision"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_effective_date = models.DateField(_("decision effective date"), null=True, blank=True)

    # Derived: the name without diacritics, for search that forgives missing accents.
    search_text = models.TextField(editable=False, default="")

    created_by = optional_user(_("created by"), on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_by = optional_user(_("published by"), on_delete=models.SET_NULL)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    change_note = models.CharField(_("change note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="procedure_version_number_unique"
            ),
            # One draft at a time per procedure.
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status="draft"),
                name="procedure_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(valid_from__isnull=False),
                name="procedure_published_has_valid_from",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="procedure_version_valid_range",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_from", "valid_to"], name="procedure_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} – {self.name}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def is_in_force_on(self, day: dt.date) -> bool:
        return (
            self.is_published
            and self.valid_from is not None
            and self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
        )

    def processing_time_for(self, channel: str) -> tuple:
        """(value, unit) for a channel: a per-channel override, else the general time."""
        for override in self.channel_times.all():
            if override.channel == channel:
                return override.processing_time, override.processing_unit
        return self.processing_time, self.processing_unit

    def save(self, *args, **kwargs) -> None:
        if self.pk and ProcedureVersion.objects.filter(pk=self.pk, status="published").exists():
            raise PublishedVersionImmutable()
        self.search_text = search_normalise(f"{self.procedure.code} {self.name}")
        super().save(*args, **kwargs)


class VersionPart(models.Model):
    """A row that belongs to a version's content and freezes with it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.version.is_published:
            raise PublishedVersionImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.version.is_published:
            raise PublishedVersionImmutable()
        return super().delete(*args, **kwargs)


class ProcedureLevel(VersionPart):
    """A government level that handles the procedure under this version (cấp thực hiện)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="levels")
    level = models.CharField(_("level"), max_length=20, choices=GovernmentLevel.choices)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(fields=["version", "level"], name="procedure_level_unique"),
        ]

    def __str__(self) -> str:
        return self.get_level_display()


class ChannelProcessingTime(VersionPart):
    """A processing time that differs by channel (e.g. shorter when submitted online)."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="channel_times"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    processing_time = models.DecimalField(
        _("processing time"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )
    processing_unit = models.CharField(
        _("unit of time"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )

    class Meta:
        verbose_name = _("processing time by channel")
        verbose_name_plural = _("processing times by channel")
        constraints = [
            models.UniqueConstraint(fields=["version", "channel"], name="channel_time_unique"),
        ]

    def __str__(self) -> str:
        unit = self.get_processing_unit_display()
        return f"{self.get_channel_display()}: {self.processing_time} {unit}"


class RequiredDocument(VersionPart):
    """One paper of the dossier (thành phần hồ sơ) with how many copies of each kind."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="documents"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("certified copies"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class ProcedureImportJob(models.Model):
    """A catalogue file uploaded in the admin and imported by a background task (DESIGN §4).

    The import is all or nothing: a failed job wrote no procedure, and ``errors`` holds one
    ``row N: column: message`` line per problem (or the one line saying why the file as a whole
    could not be read).
    """

    upload = models.FileField(
        _("file"),
        upload_to="imports/%Y/%m/",
        validators=[FileExtensionValidator(["csv", "xlsx"])],
    )
    filename = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    # Unknown (null) until the file has been read through once.
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.TextField(_("errors"), blank=True)
    # An English msgid (translated when shown) saying why a queued job waits; see
    # cchc_portal.jobs, which also keeps attempts and started_at for its sweep.
    message = models.CharField(_("message"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_by = optional_user(_("created by"), on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportJobStatus.SUCCEEDED, ImportJobStatus.FAILED)

    @property
    def phase(self) -> str:
        """Where a running job is: reading the file through, checking rows, or writing.

        Rows are checked outside the import's transaction, so their progress is visible while
        it happens; the checks against the database and the writes are one transaction and
        show as a single phase.
        """
        if self.status != ImportJobStatus.RUNNING:
            return self.status
        if self.rows_total is None:
            return "reading"
        if self.rows_done < self.rows_total:
            return "checking"
        return "writing"

    def error_lines(self) -> list[str]:
        return self.errors.splitlines()
