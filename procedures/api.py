"""The catalogue over REST: anyone reads the procedures in force; administrators draft and
publish through the same services as the admin."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from org.models import Unit

from .admin import is_catalogue_administrator
from .models import (
    Channel,
    ChannelProcessingTime,
    GovernmentLevel,
    OnlineLevel,
    ProcedureVersion,
    RequiredDocument,
    Sector,
    TimeUnit,
    VersionStatus,
)
from .selectors import catalogue_search
from .services import (
    ChannelTimeSpec,
    DocumentSpec,
    ProcedureContent,
    procedure_create,
    procedure_publish,
)


class IsCatalogueAdministratorOrReadOnly(permissions.BasePermission):
    def has_permission(self, request: Request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return is_catalogue_administrator(request.user)


class CodeRelatedField(serializers.SlugRelatedField):
    """A ``SlugRelatedField`` that first refuses what no database column can hold — a NUL or
    a lone surrogate — as an unknown code: the lookup would otherwise fail in PostgreSQL (a
    500). DRF's CharField has these checks; SlugRelatedField does not."""

    def to_internal_value(self, data):
        if isinstance(data, str) and any(
            char == "\x00" or "\ud800" <= char <= "\udfff" for char in data
        ):
            shown = data.encode("unicode_escape").decode("ascii")
            self.fail("does_not_exist", slug_name=self.slug_field, value=shown)
        return super().to_internal_value(data)


def _as_drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(
            {
                field: [str(message) for message in messages]
                for field, messages in error.message_dict.items()
            }
        )
    return serializers.ValidationError({"detail": [str(message) for message in error.messages]})


# --- reading ----------------------------------------------------------------------------


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name"]


class RequiredDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = ["name", "originals", "certified_copies", "copies"]


class ChannelTimeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChannelProcessingTime
        fields = ["channel", "processing_time", "processing_unit"]


class ProcedureSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="procedure.code", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    sector = SectorSerializer(read_only=True)
    levels = serializers.SlugRelatedField(slug_field="level", many=True, read_only=True)
    implementing_units = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    channel_times = ChannelTimeSerializer(many=True, read_only=True)
    documents = RequiredDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = ProcedureVersion
        fields = [
            "code",
            "version",
            "status",
            "valid_from",
            "valid_to",
            "abolished",
            "name",
            "sector",
            "levels",
            "implementing_units",
            "online_level",
            "fully_online_eligible",
            "processing_time",
            "processing_unit",
            "channel_times",
            "fee",
            "fee_description",
            "documents",
            "result_description",
            "paper_result_required",
            "legal_basis",
            "decision_number",
            "decision_date",
            "decision_effective_date",
        ]


class CatalogueFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="")
    sector = CodeRelatedField(slug_field="code", queryset=Sector.objects.all(), required=False)
    level = serializers.ChoiceField(choices=GovernmentLevel.choices, required=False)
    online_level = serializers.ChoiceField(choices=OnlineLevel.choices, required=False)
    on = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])

    def search_arguments(self) -> dict:
        data = self.validated_data
        sector = data.get("sector")
        return {
            "on": data.get("on") or timezone.localdate(),
            "query": data.get("q", ""),
            "sector_id": sector.pk if sector else None,
            "level": data.get("level", ""),
            "online_level": data.get("online_level", ""),
        }


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Code or name, with or without diacritics."),
    OpenApiParameter("sector", str, description="Sector code."),
    OpenApiParameter("level", str, enum=GovernmentLevel.values),
    OpenApiParameter("online_level", str, enum=OnlineLevel.values),
    OpenApiParameter("on", dt.date, description="In force on this day (default: today)."),
]
ON_PARAMETER = [FILTER_PARAMETERS[-1]]


# --- writing ----------------------------------------------------------------------------


class DocumentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    originals = serializers.IntegerField(min_value=0, default=0)
    certified_copies = serializers.IntegerField(min_value=0, default=0)
    copies = serializers.IntegerField(min_value=0, default=0)


class ChannelTimeInputSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    processing_time = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0)
    processing_unit = serializers.ChoiceField(
        choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )


class ProcedureCreateSerializer(serializers.Serializer):
    """A new procedure code with its first version, as a draft."""

    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=500)
    sector = CodeRelatedField(slug_field="code", queryset=Sector.objects.all())
    levels = serializers.ListField(
        child=serializers.ChoiceField(choices=GovernmentLevel.choices), min_length=1
    )
    online_level = serializers.ChoiceField(choices=OnlineLevel.choices)
    fully_online_eligible = serializers.BooleanField(default=False)
    processing_time = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0)
    processing_unit = serializers.ChoiceField(
        choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    fee = serializers.DecimalField(
        max_digits=14, decimal_places=0, min_value=0, required=False, allow_null=True
    )
    fee_description = serializers.CharField(required=False, allow_blank=True, default="")
    result_description = serializers.CharField(required=False, allow_blank=True, default="")
    paper_result_required = serializers.BooleanField(default=False)
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    decision_date = serializers.DateField(required=False, allow_null=True)
    decision_effective_date = serializers.DateField(required=False, allow_null=True)
    implementing_units = CodeRelatedField(
        slug_field="code", queryset=Unit.objects.all(), many=True, required=False
    )
    documents = DocumentInputSerializer(many=True, required=False)
    channel_times = ChannelTimeInputSerializer(many=True, required=False)

    def content(self) -> ProcedureContent:
        data = self.validated_data
        return ProcedureContent(
            **{name: data.get(name) for name in ProcedureContent.SCALAR_FIELDS if name in data},
            levels=tuple(data["levels"]),
            documents=tuple(DocumentSpec(**row) for row in data.get("documents", [])),
            channel_times=tuple(ChannelTimeSpec(**row) for row in data.get("channel_times", [])),
            implementing_unit_ids=frozenset(u.pk for u in data.get("implementing_units", [])),
        )


class PublishSerializer(serializers.Serializer):
    valid_from = serializers.DateField(input_formats=["%Y-%m-%d"])
    change_note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )


# --- views ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Sectors of the catalogue"),
    retrieve=extend_schema(summary="One sector, by code"),
)
class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Sector.objects.order_by("code")
    serializer_class = SectorSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"


@extend_schema_view(
    list=extend_schema(
        summary="Procedures in force", parameters=FILTER_PARAMETERS, responses=ProcedureSerializer
    ),
    retrieve=extend_schema(
        summary="One procedure in force, by code",
        parameters=ON_PARAMETER,
        responses=ProcedureSerializer,
    ),
    create=extend_schema(
        summary="Create a procedure as a draft (administrators)",
        request=ProcedureCreateSerializer,
        responses={201: ProcedureSerializer},
    ),
)
class ProcedureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The version of each procedure in force on a day (today unless ``on`` is given)."""

    serializer_class = ProcedureSerializer
    permission_classes = [IsCatalogueAdministratorOrReadOnly]
    lookup_field = "procedure__code"
    lookup_url_kwarg = "code"
    lookup_value_regex = r"[^/]+"
    queryset = ProcedureVersion.objects.none()

    def get_queryset(self) -> QuerySet[ProcedureVersion]:
        filters = CatalogueFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        arguments = filters.search_arguments()
        if self.action == "retrieve":
            arguments = {"on": arguments["on"]}
        return catalogue_search(**arguments).prefetch_related(
            "levels", "implementing_units", "channel_times", "documents"
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ProcedureCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            version = procedure_create(
                code=serializer.validated_data["code"],
                content=serializer.content(),
                by=request.user,
            )
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        return Response(ProcedureSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Publish the draft of a procedure (administrators)",
        request=PublishSerializer,
        responses=ProcedureSerializer,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, code: str) -> Response:
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = get_object_or_404(
            ProcedureVersion, procedure__code=code, status=VersionStatus.DRAFT
        )
        try:
            with transaction.atomic():
                version = procedure_publish(
                    version=draft, by=request.user, **serializer.validated_data
                )
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        return Response(ProcedureSerializer(version).data)
