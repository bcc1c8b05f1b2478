from rest_framework import generics, serializers

from .models import Unit
from .selectors import units_visible_to


class UnitSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(
        source="parent.code", default=None, read_only=True, allow_null=True
    )
    successor_codes = serializers.SlugRelatedField(
        source="successors", slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "level",
            "parent_code",
            "valid_from",
            "valid_to",
            "successor_codes",
        ]


class UnitListView(generics.ListAPIView):
    """Units the caller may see (their subtree; the whole tree for committee and admins)."""

    serializer_class = UnitSerializer

    def get_queryset(self):
        return (
            units_visible_to(self.request.user)
            .select_related("parent")
            .prefetch_related("successors")
        )
