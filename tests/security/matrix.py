"""Walking the project's URL resolver: every named pattern, with sample arguments."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import PROCEDURE_CODE, World

# Scopes of the URLs that name a dossier: the desk's own commune, a commune of another district
# of the same province, a commune of another province.
DOSSIER_SCOPES = ("own", "neighbour", "other")
MISSING_PK = 999999


@dataclass(frozen=True)
class NamedPattern:
    name: str
    route: str
    arguments: tuple[str, ...]


def _route_arguments(route: str) -> tuple[str, ...]:
    converters = re.findall(r"<(?:\w+:)?(\w+)>", route)
    groups = re.findall(r"\(\?P<(\w+)>", route)
    return tuple(converters + groups)


def _walk(patterns, prefix: str, namespace: str | None) -> Iterator[NamedPattern]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            route = prefix + str(pattern.pattern)
            yield NamedPattern(name=name, route=route, arguments=_route_arguments(route))


def named_patterns() -> list[NamedPattern]:
    """Every named URL pattern of the project (first registration of a name wins)."""
    seen: dict[str, NamedPattern] = {}
    for item in _walk(get_resolver().url_patterns, "", None):
        seen.setdefault(item.name, item)
    return list(seen.values())


def is_scoped(pattern: NamedPattern) -> bool:
    """Whether the pattern names one unit's object, a dossier or a PAR-index self-assessment
    (and so is checked for each scope)."""
    if "code" in pattern.arguments:
        return pattern.name.startswith(("dossiers:", "dossier_forms:", "api-dossier-"))
    return "pk" in pattern.arguments and (
        pattern.name.startswith(("parindex:assessment_", "parindex:evidence_"))
        or pattern.name in COMMITTEE_OBJECTS
    )


# Committee URLs naming one unit's object -> the attribute of a Side holding it.
COMMITTEE_OBJECTS = {
    "committee:meeting_detail": "meeting",
    "committee:meeting_update": "meeting",
    "committee:conclusion_add": "meeting",
    "committee:task_assign": "meeting",
    "committee:attachment_add": "meeting",
    "committee:attachment_download": "attachment",
    "committee:task_detail": "task",
    "committee:task_report": "task",
    "committee:report_attachment": "report",
}


def _admin_kwargs(pattern: NamedPattern) -> dict:
    kwargs: dict = {}
    for argument in pattern.arguments:
        if argument == "object_id":
            kwargs[argument] = str(MISSING_PK)
        elif argument == "app_label":
            kwargs[argument] = "org"
        elif argument in {"content_type_id", "job_id", "pk"}:
            kwargs[argument] = MISSING_PK
        elif argument == "url":
            kwargs[argument] = "khong-co/"
        else:
            kwargs[argument] = "x"
    return kwargs


def sample_url(pattern: NamedPattern, world: World, scope: str | None) -> str:
    """The URL of ``pattern`` with sample arguments; dossier URLs name the scope's dossier."""
    if pattern.name.startswith("admin:"):
        if pattern.name == "admin:view_on_site":
            return reverse(pattern.name, kwargs={"content_type_id": MISSING_PK, "object_id": 1})
        return reverse(pattern.name, kwargs=_admin_kwargs(pattern))
    kwargs: dict = {}
    side = getattr(world, scope) if scope else None
    for argument in pattern.arguments:
        if argument == "code" and side is not None:
            refused = pattern.name == "dossier_forms:refusal"
            kwargs["code"] = (side.refused if refused else side.dossier).code
        elif argument == "code" and pattern.name == "api-sector-detail":
            kwargs["code"] = "HT"
        elif argument == "code":
            kwargs["code"] = PROCEDURE_CODE
        elif argument == "action":
            kwargs["action"] = "finish"
        elif argument == "name":
            kwargs["name"] = "trend"
        elif argument == "fmt":
            kwargs["fmt"] = "xlsx"
        elif argument == "job_id":
            kwargs["job_id"] = uuid.UUID(int=MISSING_PK)
        elif argument == "pk" and side is not None and pattern.name in COMMITTEE_OBJECTS:
            kwargs["pk"] = getattr(side, COMMITTEE_OBJECTS[pattern.name]).pk
        elif argument == "pk" and side is not None:
            kwargs["pk"] = side.assessment.pk
        elif argument == "evidence_pk" and side is not None:
            kwargs["evidence_pk"] = side.evidence.pk
        elif argument == "pk" and pattern.name.startswith("parindex:framework_"):
            kwargs["pk"] = world.framework.pk
        elif argument in {"pk", "evidence_pk"}:
            kwargs[argument] = MISSING_PK
        else:
            raise AssertionError(f"no sample value for <{argument}> of {pattern.name}")
    return reverse(pattern.name, kwargs=kwargs)
