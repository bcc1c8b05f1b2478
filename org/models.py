"""Administrative units, staff memberships and the working-calendar overrides."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc_portal.fields import optional_user

# Decree 118/2025 and the 2025 Resolutions on administrative units: from this day local
# government has two levels (province, commune); districts ended the day before.
REFORM_DATE = dt.date(2025, 7, 1)

# Unit levels in the order a report of each regime lists them: before the reform the local
# levels first (the district's own desk, then its communes), top-down after it.
LEVEL_ORDER_2018 = ("district", "commune", "centre", "department", "province")
LEVEL_ORDER_2025 = ("province", "centre", "department", "commune", "district")
# Government tiers (a procedure's level, a ranking tier) in the same regime order.
TIER_ORDER_2018 = ("district", "commune", "province")
TIER_ORDER_2025 = ("province", "commune", "district")


def is_reformed(day: dt.date) -> bool:
    """Whether ``day`` falls under the two-tier regime of Decree 118/2025."""
    return day >= REFORM_DATE


def levels_in_order(day: dt.date) -> tuple[str, ...]:
    """Unit levels (:class:`UnitLevel` values) in the order of the regime in force on ``day``."""
    return LEVEL_ORDER_2025 if is_reformed(day) else LEVEL_ORDER_2018


def tiers_in_order(day: dt.date) -> tuple[str, ...]:
    """Province, district and commune in the order of the regime in force on ``day``."""
    return TIER_ORDER_2025 if is_reformed(day) else TIER_ORDER_2018


def path_depth(path: str) -> int:
    """Depth of a unit from its materialised path: "/1/" is a root (0), "/1/7/" its child (1)."""
    return max(path.count("/") - 2, 0)


def valid_on_condition(day: dt.date, prefix: str = "") -> Q:
    """The condition "in force on ``day``" (validity dates inclusive, open ends unbounded) on a
    unit, or on the unit behind ``prefix`` ("unit__"), for filters and ``Count(filter=…)``."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> UnitQuerySet:
        """Units in force on ``day`` (validity dates inclusive)."""
        return self.filter(valid_on_condition(day))

    def valid_during(self, start: dt.date, end: dt.date) -> UnitQuerySet:
        """Units in force on at least one day of [start, end]."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=start),
        )


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    CENTRE = "centre", _("One-stop centre")


class Unit(models.Model):
    """A node of the administrative tree, valid over a date range.

    Units are never deleted or re-parented across a reform: a merged commune keeps its row
    with ``valid_to`` set and points at its ``successors``, so reports of earlier periods still
    show the tree as it was. A unit whose territory went to several new units (a commune split
    between two new communes) has several successors.
    """

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("QCVN 102 identifier, e.g. 000.00.12.H30"),
    )
    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=20, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys, "/1/7/42/": a subtree is one indexed prefix match.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("successors"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        help_text=_("The units that took over after a merge, split or reorganisation."),
    )
    statistical_code = models.CharField(
        _("statistical code"),
        max_length=20,
        blank=True,
        help_text=_("Code in the national list of administrative divisions (GSO)."),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})
        if self.parent_id and self.pk:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("A unit cannot be inside itself.")})
                ancestor = ancestor.parent

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if new_path != self.path:
            old_path, self.path = self.path, new_path
            Unit.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    Unit.objects.filter(pk=child.pk).update(
                        path=new_path + child.path[len(old_path) :]
                    )

    @property
    def depth(self) -> int:
        """0 for a root unit, 1 for its children, … (from :attr:`path`)."""
        return path_depth(self.path)

    @property
    def root_id(self) -> int:
        return int(self.path.strip("/").split("/")[0])

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def is_valid_during(self, start: dt.date, end: dt.date) -> bool:
        """In force on at least one day of [start, end] (as ``Unit.objects.valid_during``)."""
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or start <= self.valid_to
        )

    def successors_label(self) -> str:
        """The successors' names for a message, "Xã Phú Túc, Xã Ia Dreh" ("" when none)."""
        return ", ".join(unit.name for unit in self.successors.order_by("name"))

    def validity_error(self, day: dt.date) -> str:
        """Why nothing can happen at this unit on ``day`` ("" when it is in force then)."""
        if self.is_valid_on(day):
            return ""
        if self.valid_from and day < self.valid_from:
            return _("%(unit)s only exists from %(start)s.") % {
                "unit": self.name,
                "start": f"{self.valid_from:%d/%m/%Y}",
            }
        successors = self.successors_label()
        if successors:
            return _("%(unit)s ended on %(end)s; its work passed to %(successors)s.") % {
                "unit": self.name,
                "end": f"{self.valid_to:%d/%m/%Y}",
                "successors": successors,
            }
        return _("%(unit)s ended on %(end)s.") % {
            "unit": self.name,
            "end": f"{self.valid_to:%d/%m/%Y}",
        }


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Desk officer")
    PROCESSING_OFFICER = "processing_officer", _("Processing officer")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    COMMITTEE_MEMBER = "committee_member", _("Steering committee member")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that see everything under the root of their unit's tree, not only their own subtree.
ROOT_WIDE_ROLES = frozenset({Role.COMMITTEE_MEMBER, Role.ADMINISTRATOR})


class Membership(models.Model):
    """A staff member's place: one unit and one role. A user has at most one active one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_active=True),
                name="membership_one_active_per_user",
                violation_error_message=_("This user already has an active membership."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit.name}"

    def clean(self) -> None:
        # Nobody starts work at a unit that has ended (or not yet begun).
        if self.is_active and self.unit_id and not self.pk:
            problem = self.unit.validity_error(timezone.localdate())
            if problem:
                raise ValidationError({"unit": problem})


class CalendarOverride(models.Model):
    """A decreed change to the working calendar: an extra day off or a working weekend day."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    notice = models.CharField(
        _("notice"),
        max_length=255,
        help_text=_("The document that decreed it, e.g. Thông báo 6150/TB-LĐTBXH."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = optional_user(_("created by"), on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"
