"""Dossiers over REST: the same scoping, permissions and services as the desk pages.

- Every read starts from :func:`~dossiers.selectors.dossiers_visible_to`: a dossier outside it
  answers 404, for reading and for every step, so nobody learns that it exists.
- Intake is for the desk roles (:func:`~dossiers.permissions.can_receive`); the desk is the
  caller's membership unit.
- A step (``POST /dossiers/<code>/<action>/``) must be in
  :func:`~dossiers.permissions.actions_allowed` (403 otherwise, saying whether the role, the
  unit handling the dossier or the dossier's state is the reason); the service stays the last
  word (400 with its message: a frozen period, a unit not in force, a competence refusal…).
  ``expected_version`` is the optimistic check: a dossier changed since the caller read it
  answers 409.
- The checklist of papers handed in (``documents``) is given at intake (absent: the
  catalogue's required documents as listed; ``[]``: nothing) and when a supplement is
  completed; a bad line answers 400 naming the line, and nothing is written.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from org.models import Unit
from org.selectors import membership_of
from procedures.api import CodeRelatedField, _as_drf_error
from procedures.models import Channel, Procedure, ProcedureVersion
from procedures.selectors import procedure_version_on
from procedures.services import DocumentSpec

from . import services
from .models import (
    Apology,
    Dossier,
    DossierDocument,
    DossierStatus,
    Event,
    SupplementRequest,
    local_date,
)
from .permissions import ROLE_ACTIONS, Action, actions_allowed, can_receive, unit_refusal
from .queues import COUNT_CAP
from .selectors import dossier_search, dossiers_visible_to, transfer_targets
from .services import DOCUMENT_COUNT_MAX, DOCUMENTS_MAX
from .steps import step_take


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The dossier was changed by someone else meanwhile; reload it.")
    default_code = "changed_meanwhile"


# --- reading ----------------------------------------------------------------------------


def _apology_of(dossier: Dossier) -> Apology | None:
    try:
        return dossier.apology
    except ObjectDoesNotExist:
        return None


class MomentField(serializers.DateTimeField):
    """A date and time in; one so early that it has no UTC equivalent in Vietnam's zone
    (``0001-01-01T00:00``) is a 400 like any other bad date, not a 500."""

    default_error_messages = {"out_of_range": gettext_lazy("This date is out of range.")}

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("out_of_range")


class ApplicantSerializer(serializers.Serializer):
    name = serializers.CharField(source="applicant_name")
    id_number = serializers.CharField(source="applicant_id_number")
    phone = serializers.CharField(source="applicant_phone")
    email = serializers.CharField(source="applicant_email")
    address = serializers.CharField(source="applicant_address")


# Nullable references say so (allow_null), or the schema promises a string and the answer holds
# null: an event or request recorded by an import or a task has no user.
class EventSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    from_unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    to_unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = ["kind", "at", "by", "from_unit", "to_unit", "note", "step_due_at"]


class SupplementRequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = SupplementRequest
        fields = ["requested_at", "reason", "missing_documents", "completed_at", "requested_by"]


class DossierDocumentSerializer(serializers.ModelSerializer):
    supplement_requested_at = serializers.DateTimeField(
        source="supplement_request.requested_at",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy(
            "The supplement request the paper answered (its requested_at); null: at intake."
        ),
    )

    class Meta:
        model = DossierDocument
        fields = ["name", "originals", "certified_copies", "copies", "supplement_requested_at"]


class ApologySerializer(serializers.ModelSerializer):
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Apology
        fields = ["issued_at", "reason", "new_due_at", "late", "issued_by"]


class DossierSerializer(serializers.ModelSerializer):
    """One row of the list: the dossier's current state and what the caller may do now."""

    procedure_code = serializers.CharField(source="procedure_version.procedure.code")
    procedure_name = serializers.CharField(source="procedure_version.name")
    procedure_version = serializers.IntegerField(source="procedure_version.number")
    receiving_unit = serializers.CharField(source="receiving_unit.code")
    handling_unit = serializers.CharField(source="handling_unit.code")
    applicant_name = serializers.CharField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure_code",
            "procedure_name",
            "procedure_version",
            "receiving_unit",
            "handling_unit",
            "channel",
            "status",
            "applicant_name",
            "received_at",
            "due_at",
            "original_due_at",
            "rescheduled_due_at",
            "finished_at",
            "returned_at",
            "regime",
            "digitised",
            "sets_count",
            "version",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(Action))))
    def get_actions(self, dossier: Dossier) -> list[str]:
        allowed = actions_allowed(
            user=self.context["request"].user,
            dossier=dossier,
            has_apology=_apology_of(dossier) is not None,
        )
        return sorted(str(step) for step in allowed)


class DossierDetailSerializer(DossierSerializer):
    """The dossier with its applicant, its history, its supplement requests and apology, and
    the checklist of the papers handed in (at intake, then with each supplement)."""

    applicant = ApplicantSerializer(source="*", read_only=True)
    events = EventSerializer(many=True, read_only=True)
    supplement_requests = SupplementRequestSerializer(many=True, read_only=True)
    documents = DossierDocumentSerializer(many=True, read_only=True)
    apology = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = [
            *(name for name in DossierSerializer.Meta.fields if name != "applicant_name"),
            "applicant",
            "events",
            "supplement_requests",
            "documents",
            "apology",
        ]
        read_only_fields = fields

    @extend_schema_field(ApologySerializer(allow_null=True))
    def get_apology(self, dossier: Dossier) -> dict | None:
        apology = _apology_of(dossier)
        return ApologySerializer(apology).data if apology is not None else None


def _with_rows_for_list(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.select_related(
        "procedure_version__procedure", "receiving_unit", "handling_unit", "apology"
    )


def _with_rows_for_detail(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return _with_rows_for_list(dossiers).prefetch_related(
        Prefetch("events", queryset=Event.objects.select_related("by", "from_unit", "to_unit")),
        Prefetch(
            "supplement_requests",
            queryset=SupplementRequest.objects.select_related("requested_by"),
        ),
        Prefetch("documents", queryset=DossierDocument.objects.in_checklist_order()),
    )


class DossierFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DossierStatus.choices, required=False)
    receiving_unit = serializers.CharField(required=False, max_length=64)
    handling_unit = serializers.CharField(required=False, max_length=64)
    received_from = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])
    received_to = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def validate(self, data: dict) -> dict:
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"received_to": _("The end date must not be before the start date.")}
            )
        return data

    def apply(self, dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
        data = self.validated_data
        if "status" in data:
            dossiers = dossiers.filter(status=data["status"])
        if data.get("receiving_unit"):
            dossiers = dossiers.filter(receiving_unit__code=data["receiving_unit"])
        if data.get("handling_unit"):
            dossiers = dossiers.filter(handling_unit__code=data["handling_unit"])
        # received_date is the local date stored at save: the filter reads like the register.
        if data.get("received_from"):
            dossiers = dossiers.filter(received_date__gte=data["received_from"])
        if data.get("received_to"):
            dossiers = dossiers.filter(received_date__lte=data["received_to"])
        return dossier_search(dossiers, data.get("q") or "")


FILTER_PARAMETERS = [
    OpenApiParameter("status", str, enum=DossierStatus.values),
    OpenApiParameter("receiving_unit", str, description="Code of the receiving unit."),
    OpenApiParameter("handling_unit", str, description="Code of the unit handling it now."),
    OpenApiParameter("received_from", dt.date, description="Received on or after (local date)."),
    OpenApiParameter("received_to", dt.date, description="Received on or before (local date)."),
    OpenApiParameter(
        "q",
        str,
        description="Start of the code, part of the applicant's name, or the digits of their "
        "phone or ID number (as the desk's search).",
    ),
]


class CappedPaginator(Paginator):
    """Pages over the first ``COUNT_CAP`` dossiers of a list: counting stops there, and so does
    paging, so no request counts or skips (OFFSET) more than ``COUNT_CAP`` rows, however many
    the caller sees (DESIGN §5). A longer list is narrowed with the filters (received_from …)."""

    @cached_property
    def matched(self) -> int:
        """How many dossiers the list holds, up to ``COUNT_CAP + 1`` ("more than the cap")."""
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.matched, COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self.matched > COUNT_CAP


class DossierPagination(PageNumberPagination):
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"]["description"] = (
            f"How many dossiers match, counted up to {COUNT_CAP}."
        )
        paginated["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"More than {COUNT_CAP} dossiers match; only the first {COUNT_CAP} "
            "are paged through: narrow the list with the filters.",
        }
        paginated["required"] = [*paginated["required"], "count_capped"]
        return paginated


# --- intake -----------------------------------------------------------------------------


class DocumentLineSerializer(serializers.Serializer):
    """A line of the checklist: a paper and how many of each kind were handed in."""

    name = serializers.CharField(max_length=DossierDocument._meta.get_field("name").max_length)
    originals = serializers.IntegerField(min_value=0, max_value=DOCUMENT_COUNT_MAX, default=0)
    certified_copies = serializers.IntegerField(
        min_value=0, max_value=DOCUMENT_COUNT_MAX, default=0
    )
    copies = serializers.IntegerField(min_value=0, max_value=DOCUMENT_COUNT_MAX, default=0)

    def validate(self, data: dict) -> DocumentSpec:
        return DocumentSpec(**data)


class DocumentsField(serializers.ListField):
    """The checklist, at most ``DOCUMENTS_MAX`` lines; a line with no paper is not kept. A bad
    line is named in one message per error ("line 2: originals: …"), not as DRF's list of
    mostly empty objects."""

    child = DocumentLineSerializer()

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", DOCUMENTS_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> list[DocumentSpec]:
        # Counted before any line is read: a list of a million lines costs nothing.
        if isinstance(data, list) and len(data) > DOCUMENTS_MAX:
            self.fail("max_length", max_length=DOCUMENTS_MAX)
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if not isinstance(error.detail, dict):
                raise
            raise serializers.ValidationError(_line_messages(error.detail)) from error


def _line_messages(errors: dict) -> list[str]:
    messages = []
    for index, detail in sorted(errors.items()):
        if not isinstance(detail, dict):
            detail = {"": detail}
        for field, field_errors in detail.items():
            for message in field_errors if isinstance(field_errors, list) else [field_errors]:
                where = f"{field}: " if field and field != "non_field_errors" else ""
                messages.append(
                    _("line %(number)s: %(where)s%(message)s")
                    % {"number": index + 1, "where": where, "message": message}
                )
    return messages


class ApplicantInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class IntakeSerializer(serializers.Serializer):
    """A dossier taken in at the caller's desk, under the procedure version in force when it
    was received (``procedure_code``) or a version named by id (``procedure_version``)."""

    procedure_code = serializers.CharField(max_length=30, required=False)
    procedure_version = serializers.IntegerField(required=False, min_value=1)
    channel = serializers.ChoiceField(choices=Channel.choices)
    applicant = ApplicantInputSerializer()
    received_at = MomentField(required=False)

    def validate_received_at(self, value: dt.datetime) -> dt.datetime:
        if value > timezone.now():
            raise serializers.ValidationError(_("The time of receipt cannot be in the future."))
        return value

    def validate(self, data: dict) -> dict:
        received_at = data.setdefault("received_at", timezone.now())
        data["procedure_version"] = self._version(data, received_at)
        data.pop("procedure_code", None)
        return data

    def _version(self, data: dict, received_at: dt.datetime) -> ProcedureVersion:
        if data.get("procedure_version") is not None:
            version = (
                ProcedureVersion.objects.select_related("procedure")
                .filter(pk=data["procedure_version"])
                .first()
            )
            if version is None:
                raise serializers.ValidationError(
                    {"procedure_version": _("No procedure version has this id.")}
                )
            return version
        code = (data.get("procedure_code") or "").strip()
        if not code:
            raise serializers.ValidationError(
                {"procedure_code": _("Give the procedure code or a procedure version id.")}
            )
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            raise serializers.ValidationError(
                {"procedure_code": _("No procedure has the code %(code)s.") % {"code": code}}
            )
        day = local_date(received_at)
        version = procedure_version_on(procedure=procedure, on=day)
        if version is None:
            raise serializers.ValidationError(
                {
                    "procedure_code": _("Procedure %(code)s is not in force on %(day)s.")
                    % {"code": code, "day": day.strftime("%d/%m/%Y")}
                }
            )
        return version

    def service_arguments(self) -> dict:
        data = dict(self.validated_data)
        data["applicant"] = dict(data["applicant"])
        return data


class ReceiveSerializer(IntakeSerializer):
    sets_count = serializers.IntegerField(min_value=1, max_value=999, default=1)
    documents = DocumentsField(
        required=False,
        help_text=gettext_lazy(
            "The papers handed in, at most 60 lines; absent: the procedure version's required "
            "documents as the catalogue lists them; []: none."
        ),
    )
    digitised = serializers.BooleanField(default=False)
    backdate_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=gettext_lazy(
            "Why the dossier is entered late: required when received_at is more than "
            "INTAKE_BACKDATE_WORKING_DAYS working days ago."
        ),
    )


class RefuseSerializer(IntakeSerializer):
    reason = serializers.CharField()


# --- steps ------------------------------------------------------------------------------


class StepSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text=gettext_lazy("The version the caller read; a changed dossier answers 409."),
    )


class TransferSerializer(StepSerializer):
    to_unit = CodeRelatedField(slug_field="code", queryset=Unit.objects.all())
    note = serializers.CharField(required=False, allow_blank=True, default="")
    # Whether the unit is in force on the step's day is the service's check (400, naming the
    # unit's successors).
    step_due_at = MomentField(required=False, allow_null=True, default=None)


class SupplementRequestInputSerializer(StepSerializer):
    reason = serializers.CharField()
    missing_documents = serializers.CharField(required=False, allow_blank=True, default="")


class SupplementCompleteInputSerializer(StepSerializer):
    documents = DocumentsField(
        required=False,
        default=list,
        help_text=gettext_lazy(
            "The papers handed in to complete the dossier, at most 60 lines; absent: none."
        ),
    )


class FinishSerializer(StepSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(StepSerializer):
    reason = serializers.CharField()


class ApologyInputSerializer(StepSerializer):
    reason = serializers.CharField()
    new_due_at = MomentField()


STEP_RESPONSES = {
    200: DossierDetailSerializer,
    400: OpenApiResponse(description="Invalid input, or the service refused the step."),
    403: OpenApiResponse(description="The caller's role or the dossier's state forbids it."),
    404: OpenApiResponse(description="No such dossier among those the caller may see."),
    409: OpenApiResponse(description="The dossier changed since expected_version."),
}


def _step_schema(summary: str, request: type[serializers.Serializer]):
    return extend_schema(summary=summary, request=request, responses=STEP_RESPONSES)


def _transfer_target_check(user, dossier: Dossier, to_unit: Unit) -> None:
    """The API hands a dossier only to the units the dossier page offers (400 otherwise). The
    unit handling it already, or no longer in force, is left to the service, whose refusal says
    so (naming the successors)."""
    if to_unit.pk == dossier.handling_unit_id or not to_unit.is_valid_on(timezone.localdate()):
        return
    if not transfer_targets(user, dossier).filter(pk=to_unit.pk).exists():
        raise exceptions.ValidationError(
            {
                "to_unit": [
                    _(
                        "You cannot hand this dossier to %(unit)s: choose a unit in force that "
                        "you hand dossiers to (the dossier page lists them)."
                    )
                    % {"unit": to_unit.code}
                ]
            }
        )


# --- views ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Dossiers the caller may see", parameters=FILTER_PARAMETERS),
    retrieve=extend_schema(summary="One dossier with its history, by code"),
)
class DossierViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    queryset = Dossier.objects.none()
    pagination_class = DossierPagination

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return DossierSerializer if self.action == "list" else DossierDetailSerializer

    def get_queryset(self) -> QuerySet[Dossier]:
        dossiers = dossiers_visible_to(self.request.user)
        if self.action == "list":
            filters = DossierFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return _with_rows_for_list(filters.apply(dossiers))
        return _with_rows_for_detail(dossiers)

    def _detail(self, dossier: Dossier, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = _with_rows_for_detail(Dossier.objects.all()).get(pk=dossier.pk)
        serializer = DossierDetailSerializer(fresh, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    # Intake -----------------------------------------------------------------------------

    def _desk_or_403(self, request: Request) -> Unit:
        if not can_receive(request.user):
            raise exceptions.PermissionDenied(
                _("Only desk officers and unit leaders take in dossiers.")
            )
        return membership_of(request.user).unit

    @extend_schema(
        summary="Receive a dossier at the caller's desk",
        request=ReceiveSerializer,
        responses={201: DossierDetailSerializer, 400: OpenApiResponse(), 403: OpenApiResponse()},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        desk = self._desk_or_403(request)
        serializer = ReceiveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            dossier = services.dossier_receive(
                desk=desk, by=request.user, **serializer.service_arguments()
            )
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        return self._detail(dossier, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a dossier refused at intake (Mẫu 03)",
        request=RefuseSerializer,
        responses={201: DossierDetailSerializer, 400: OpenApiResponse(), 403: OpenApiResponse()},
    )
    @action(detail=False, methods=["post"])
    def refuse(self, request: Request) -> Response:
        desk = self._desk_or_403(request)
        serializer = RefuseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            dossier = services.dossier_refuse(
                desk=desk, by=request.user, **serializer.service_arguments()
            )
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        return self._detail(dossier, status.HTTP_201_CREATED)

    # Steps ------------------------------------------------------------------------------

    def _step(
        self,
        request: Request,
        code: str,
        step: Action,
        serializer_class: type[StepSerializer],
    ) -> Response:
        dossier = get_object_or_404(
            dossiers_visible_to(request.user).select_related("apology"), code=code
        )
        # A role that never takes this step hears so whatever it sent (not "invalid input");
        # the dossier's state is checked after the optimistic check, below.
        membership = membership_of(request.user)
        if membership is None or step not in ROLE_ACTIONS.get(membership.role, frozenset()):
            raise exceptions.PermissionDenied(_("Your role does not allow this step."))
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        arguments = dict(serializer.validated_data)
        expected_version = arguments.pop("expected_version", None)
        if expected_version is not None and expected_version != dossier.version:
            raise Conflict()
        self._allowed_or_403(request, dossier, step)
        if step == Action.TRANSFER:
            _transfer_target_check(request.user, dossier, arguments["to_unit"])
        try:
            step_take(
                step=step,
                dossier=dossier,
                data=arguments,
                by=request.user,
                at=timezone.now(),
                expected_version=expected_version,
            )
        except services.DossierChangedMeanwhile as error:
            raise Conflict(error.messages[0]) from error
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        return self._detail(dossier)

    def _allowed_or_403(self, request: Request, dossier: Dossier, step: Action) -> None:
        allowed = actions_allowed(
            user=request.user, dossier=dossier, has_apology=_apology_of(dossier) is not None
        )
        if step in allowed:
            return
        if refusal := unit_refusal(user=request.user, dossier=dossier):
            raise exceptions.PermissionDenied(refusal)
        membership = membership_of(request.user)
        if membership is None or step not in ROLE_ACTIONS.get(membership.role, frozenset()):
            raise exceptions.PermissionDenied(_("Your role does not allow this step."))
        if step == Action.APOLOGY and _apology_of(dossier) is not None:
            raise exceptions.PermissionDenied(
                _("An apology was already issued for this dossier; only one is allowed.")
            )
        raise exceptions.PermissionDenied(
            _("This step is not possible now: the dossier is %(status)s.")
            % {"status": dossier.get_status_display()}
        )

    @_step_schema("Hand the dossier over to another unit", TransferSerializer)
    @action(detail=True, methods=["post"], url_path="transfer")
    def transfer(self, request: Request, code: str) -> Response:
        return self._step(request, code, Action.TRANSFER, TransferSerializer)

    @_step_schema("Ask the applicant to complete the dossier", SupplementRequestInputSerializer)
    @action(detail=True, methods=["post"], url_path="supplement_request")
    def supplement_request(self, request: Request, code: str) -> Response:
        return self._step(
            request,
            code,
            Action.SUPPLEMENT_REQUEST,
            SupplementRequestInputSerializer,
        )

    @_step_schema("The applicant completed the dossier", SupplementCompleteInputSerializer)
    @action(detail=True, methods=["post"], url_path="supplement_complete")
    def supplement_complete(self, request: Request, code: str) -> Response:
        return self._step(
            request,
            code,
            Action.SUPPLEMENT_COMPLETE,
            SupplementCompleteInputSerializer,
        )

    @_step_schema("The result is ready", FinishSerializer)
    @action(detail=True, methods=["post"], url_path="finish")
    def finish(self, request: Request, code: str) -> Response:
        return self._step(request, code, Action.FINISH, FinishSerializer)

    @_step_schema("The result was handed to the applicant", StepSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_result(self, request: Request, code: str) -> Response:
        return self._step(request, code, Action.RETURN, StepSerializer)

    @_step_schema("The applicant withdrew the dossier", ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="withdraw")
    def withdraw(self, request: Request, code: str) -> Response:
        return self._step(request, code, Action.WITHDRAW, ReasonSerializer)

    @_step_schema("Stop processing the dossier", ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="stop")
    def stop(self, request: Request, code: str) -> Response:
        return self._step(request, code, Action.STOP, ReasonSerializer)

    @_step_schema("Issue the apology and a new appointment (Mẫu 04)", ApologyInputSerializer)
    @action(detail=True, methods=["post"], url_path="apology")
    def apology(self, request: Request, code: str) -> Response:
        return self._step(request, code, Action.APOLOGY, ApologyInputSerializer)
