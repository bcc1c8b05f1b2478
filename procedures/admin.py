"""The catalogue's admin: every write goes through ``procedures.services``.

Drafts are edited here; a published version is read-only and changes only by the actions
"New version", "Publish" and "Abolish", each behind a confirmation page and logged in the
admin history (LogEntry) as well as in the version's created_by / published_by.
"""

from __future__ import annotations

import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdminMixin
from org.admin import is_portal_administrator
from org.tabular import upload_check

from .forms import (
    AbolishForm,
    NewVersionForm,
    ProcedureCreateForm,
    ProcedureVersionForm,
    PublishForm,
    content_from_forms,
)
from .imports import PROCEDURE_OPTIONAL_COLUMNS, PROCEDURE_REQUIRED_COLUMNS
from .models import (
    ChannelProcessingTime,
    GovernmentLevel,
    ImportJobStatus,
    ProcedureImportJob,
    ProcedureLevel,
    ProcedureVersion,
    RequiredDocument,
    Sector,
    VersionStatus,
    search_normalise,
)
from .selectors import latest_versions
from .services import (
    procedure_abolish,
    procedure_create,
    procedure_draft_new,
    procedure_draft_update,
    procedure_import_job_create,
    procedure_publish,
)

# The catalogue's admin pages are for the portal's administrators.
is_catalogue_administrator = is_portal_administrator


IMPORT_MAX_BYTES = 20 * 1024 * 1024
IMPORT_RECENT_JOBS = 10

IMPORT_PHASES = {
    ImportJobStatus.QUEUED: _("Waiting to start…"),
    "reading": _("Reading the file…"),
    "checking": _("Checking rows…"),
    "writing": _("Checking against the catalogue and writing…"),
    ImportJobStatus.SUCCEEDED: _("Imported."),
    ImportJobStatus.FAILED: _("Nothing was imported."),
}


class ImportUploadForm(forms.Form):
    upload = forms.FileField(
        label=_("Catalogue file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = gettext(
            "CSV (UTF-8) or XLSX with a header row, at most %(size)s."
        ) % {"size": filesizeformat(IMPORT_MAX_BYTES)}

    def clean_upload(self):
        return upload_check(self.cleaned_data["upload"], IMPORT_MAX_BYTES)


def import_job_status(job: ProcedureImportJob) -> dict:
    """What the job page polls: enough to draw the progress bar and know when to reload."""
    phase = job.phase
    message = str(IMPORT_PHASES[phase])
    if phase == ImportJobStatus.QUEUED and job.message:
        # Why it waits: the job queue cannot be reached, or it is being run again.
        message = gettext(job.message)
    percent = 0
    if job.is_finished:
        percent = 100
    elif job.rows_total:
        percent = min(100, job.rows_done * 100 // job.rows_total)
    elif job.rows_total == 0:
        percent = 100
    return {
        "id": job.pk,
        "status": job.status,
        "phase": phase,
        "message": message,
        "finished": job.is_finished,
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "percent": percent,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "error_count": len(job.error_lines()),
    }


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class CatalogueAdminMixin:
    """Only catalogue administrators see or change the catalogue in the admin."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_catalogue_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_catalogue_administrator(request.user)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return is_catalogue_administrator(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_catalogue_administrator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # versions are referenced by dossiers and never deleted


@admin.register(Sector)
class SectorAdmin(CatalogueAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class VersionPartInline(CatalogueAdminMixin, admin.TabularInline):
    """Rows of a version's content: editable only while the version is a draft."""

    extra = 0

    def _is_draft(self, obj: ProcedureVersion | None) -> bool:
        return obj is None or obj.status == VersionStatus.DRAFT

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._is_draft(obj) and is_catalogue_administrator(request.user)


class ProcedureLevelInline(VersionPartInline):
    model = ProcedureLevel
    min_num = 1
    validate_min = True
    max_num = len(GovernmentLevel.choices)


class RequiredDocumentInline(VersionPartInline):
    model = RequiredDocument
    fields = ["position", "name", "originals", "certified_copies", "copies"]


class ChannelProcessingTimeInline(VersionPartInline):
    model = ChannelProcessingTime


class LevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return GovernmentLevel.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(levels__level=self.value()).distinct()
        return queryset


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(CatalogueAdminMixin, admin.ModelAdmin):
    form = ProcedureVersionForm
    add_form = ProcedureCreateForm
    change_form_template = "procedures/admin/change_form.html"
    change_list_template = "procedures/admin/change_list.html"
    inlines = [ProcedureLevelInline, RequiredDocumentInline, ChannelProcessingTimeInline]
    list_display = [
        "code",
        "name",
        "sector",
        "level_list",
        "online_level",
        "time_limit",
        "status",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["sector", LevelFilter, "online_level", "status"]
    search_fields = ["procedure__code", "name", "search_text"]
    list_select_related = ["procedure", "sector"]
    list_per_page = 50
    filter_horizontal = ["implementing_units"]
    formfield_overrides = {models.TextField: {"widget": admin.widgets.AdminTextareaWidget}}
    history_fields = [
        "procedure",
        "number",
        "status",
        "valid_from",
        "valid_to",
        "abolished",
        "created_by",
        "created_at",
        "published_by",
        "published_at",
        "change_note",
    ]

    # --- list ---------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProcedureVersion]:
        match = request.resolver_match
        if match and match.url_name == "procedures_procedureversion_changelist":
            versions = latest_versions()
        else:
            versions = ProcedureVersion.objects.all()
        return versions.select_related("procedure", "sector").prefetch_related(
            Prefetch("levels", queryset=ProcedureLevel.objects.order_by("level"))
        )

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = search_normalise(search_term).split()
        if words:
            unaccented = queryset
            for word in words:
                unaccented = unaccented.filter(search_text__contains=word)
            results = results | unaccented
        return results, may_have_duplicates

    @admin.display(description=_("code"), ordering="procedure__code")
    def code(self, obj: ProcedureVersion) -> str:
        return obj.procedure.code

    @admin.display(description=_("levels"))
    def level_list(self, obj: ProcedureVersion) -> str:
        return ", ".join(str(level.get_level_display()) for level in obj.levels.all())

    @admin.display(description=_("processing time"), ordering="processing_time")
    def time_limit(self, obj: ProcedureVersion) -> str:
        return f"{obj.processing_time.normalize():f} {obj.get_processing_unit_display()}"

    # --- forms --------------------------------------------------------------------------

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
            kwargs["fields"] = None
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):
            """The same input again, invalid with the reason the service gave."""

            def clean(self):
                super().clean()
                raise ValidationError(refusal.messages)

        return RefusedForm

    def get_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return ["code", *ProcedureVersionForm.Meta.fields]
        if obj.status != VersionStatus.DRAFT:
            return [*self.history_fields, *ProcedureVersionForm.Meta.fields]
        return [*ProcedureVersionForm.Meta.fields, *self.history_fields]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return []
        if obj.status != VersionStatus.DRAFT:
            return [*self.history_fields, *ProcedureVersionForm.Meta.fields]
        return self.history_fields

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return False  # published: view only; changes go through "New version"
        return super().has_change_permission(request, obj)

    # --- saving through the services ----------------------------------------------------

    def save_model(self, request, obj, form, change) -> None:
        # Nothing yet: the service writes the version and its rows together in save_related.
        pass

    def save_related(self, request, form, formsets, change) -> None:
        content = content_from_forms(form, formsets)
        if change:
            version = procedure_draft_update(
                version=form.instance, content=content, by=request.user
            )
        else:
            version = procedure_create(
                code=form.cleaned_data["code"], content=content, by=request.user
            )
        form.instance.pk = version.pk
        form.instance.procedure = version.procedure
        form.instance.number = version.number

    def construct_change_message(self, request, form, formsets, add=False):
        # The inline rows were rewritten by the service, not saved by the formsets.
        return super().construct_change_message(request, form, [], add)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            if request.method != "POST" or hasattr(request, "_service_refusal"):
                raise
            # The admin's transaction has been rolled back, so nothing was written: show the
            # form again with what was typed and the service's reason.
            request._service_refusal = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["version_actions"] = self._actions_for(obj) if obj is not None else []
        context["other_versions"] = (
            obj.procedure.versions.exclude(pk=obj.pk).order_by("-number") if obj is not None else []
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- publish / new version / abolish ------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="procedures_import"),
            path("import/<int:job_id>/", view(self.import_job_view), name="procedures_import_job"),
            path(
                "import/<int:job_id>/status/",
                view(self.import_status_view),
                name="procedures_import_status",
            ),
            path(
                "import/<int:job_id>/errors.csv",
                view(self.import_errors_view),
                name="procedures_import_errors",
            ),
            path("<path:object_id>/publish/", view(self.publish_view), name="procedures_publish"),
            path(
                "<path:object_id>/new-version/",
                view(self.new_version_view),
                name="procedures_new_version",
            ),
            path("<path:object_id>/abolish/", view(self.abolish_view), name="procedures_abolish"),
            *super().get_urls(),
        ]

    # --- import from a file ---------------------------------------------------------------

    def _import_context(self, request: HttpRequest, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "has_view_permission": True,
        }

    def _import_job(self, request: HttpRequest, job_id: int) -> ProcedureImportJob:
        if not is_catalogue_administrator(request.user):
            raise PermissionDenied
        return get_object_or_404(ProcedureImportJob, pk=job_id)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not is_catalogue_administrator(request.user):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
        if posted and form.is_valid():
            job = procedure_import_job_create(upload=form.cleaned_data["upload"], by=request.user)
            return HttpResponseRedirect(reverse("admin:procedures_import_job", args=[job.pk]))
        context = {
            **self._import_context(request, gettext("Import the catalogue")),
            "form": form,
            "required_columns": PROCEDURE_REQUIRED_COLUMNS,
            "optional_columns": PROCEDURE_OPTIONAL_COLUMNS,
            "jobs": ProcedureImportJob.objects.select_related("created_by")[:IMPORT_RECENT_JOBS],
        }
        return TemplateResponse(request, "procedures/admin/import_upload.html", context)

    def import_job_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = self._import_job(request, job_id)
        context = {
            **self._import_context(request, gettext("Import of %(name)s") % {"name": job}),
            "job": job,
            "progress": import_job_status(job),
            "error_lines": job.error_lines(),
            # The sentence the import_procedures command prints.
            "counts": gettext(
                "Procedures: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
            )
            % {"created": job.created, "updated": job.updated, "unchanged": job.unchanged},
            # The same sentence as the page's, filled in by the polling script.
            "rows_template": gettext("%(done)s of %(total)s rows checked")
            % {"done": "__done__", "total": "__total__"},
        }
        return TemplateResponse(request, "procedures/admin/import_job.html", context)

    def import_status_view(self, request: HttpRequest, job_id: int) -> JsonResponse:
        return JsonResponse(import_job_status(self._import_job(request, job_id)))

    def import_errors_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = self._import_job(request, job_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
        # A byte order mark, so that Excel opens the Vietnamese text as UTF-8.
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(["row", "column", "message"])
        for line in job.error_lines():
            writer.writerow(_error_report_row(line))
        return response

    def _actions_for(self, version: ProcedureVersion) -> list[tuple[str, str]]:
        is_latest = not version.procedure.versions.filter(number__gt=version.number).exists()
        actions = []
        if version.status == VersionStatus.DRAFT:
            actions.append((gettext("Publish"), "admin:procedures_publish"))
        elif is_latest:
            actions.append((gettext("New version"), "admin:procedures_new_version"))
            if not version.abolished:
                actions.append((gettext("Abolish"), "admin:procedures_abolish"))
        return [(label, reverse(name, args=[version.pk])) for label, name in actions]

    def _confirm(
        self, request, object_id: str, form_class, title: str, perform, question: str
    ) -> HttpResponse:
        if not is_catalogue_administrator(request.user):
            raise PermissionDenied
        version = get_object_or_404(
            ProcedureVersion.objects.select_related("procedure"), pk=unquote(object_id)
        )
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                result, message = perform(version, form.cleaned_data)
            except ValidationError as error:
                self.message_user(request, _error_text(error), messages.ERROR)
            else:
                self.log_change(request, result, message)
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:procedures_procedureversion_change", args=[result.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "question": question,
            "version": version,
            "form": form,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "procedures/admin/confirm.html", context)

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def perform(version, data):
            published = procedure_publish(
                version=version,
                valid_from=data["valid_from"],
                by=request.user,
                change_note=data["change_note"],
            )
            return published, gettext("Published, in force from %(date)s.") % {
                "date": published.valid_from.strftime("%d/%m/%Y")
            }

        return self._confirm(
            request,
            object_id,
            PublishForm,
            gettext("Publish"),
            perform,
            gettext(
                "Once published, this version can no longer be changed. The version in force "
                "before it ends the day before the date below."
            ),
        )

    def new_version_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def perform(version, data):
            draft = procedure_draft_new(procedure=version.procedure, by=request.user)
            self.log_addition(request, draft, gettext("New draft version created."))
            return draft, gettext("Draft version %(number)s created from the latest version.") % {
                "number": draft.number
            }

        return self._confirm(
            request,
            object_id,
            NewVersionForm,
            gettext("New version"),
            perform,
            gettext("A new draft copying the latest version will be created for editing."),
        )

    def abolish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def perform(version, data):
            last = procedure_abolish(
                procedure=version.procedure,
                on=data["on"],
                by=request.user,
                change_note=data["change_note"],
            )
            return last, gettext("Abolished: no longer in force from %(date)s.") % {
                "date": data["on"].strftime("%d/%m/%Y")
            }

        return self._confirm(
            request,
            object_id,
            AbolishForm,
            gettext("Abolish"),
            perform,
            gettext("The procedure will no longer be in force from the date below."),
        )


def _error_report_row(line: str) -> list[str]:
    """``row N: column: message`` as three cells; a whole-file error is only a message."""
    if line.startswith("row "):
        parts = line.removeprefix("row ").split(": ", 2)
        if len(parts) == 3 and parts[0].isdigit():
            return parts
    return ["", "", line]
