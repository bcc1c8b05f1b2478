"""The main pages of the portal and who opens them, kept beside the URL conf.

The layout test (tests/e2e/test_fit_1366.py) opens each page as each role at 1366×768, the
office screen, and checks that nothing scrolls sideways. A new page a role works in belongs
here. Print slips (A4 forms), file downloads, exports, POST-only views and the API are not
screens and are left out.

A page that names an object says which sample it needs (``dossier``, ``procedure``,
``meeting``, ``task``, ``assessment``, ``framework``, ``unit``); the caller supplies the
samples, e.g. from the demo data, as a mapping of sample name to URL argument.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from org.models import Role

ANONYMOUS = "anonymous"

STAFF = frozenset(Role)
DESK = frozenset({Role.DESK_OFFICER, Role.UNIT_LEADER})
COMMUNE_STAFF = frozenset({Role.DESK_OFFICER, Role.PROCESSING_OFFICER, Role.UNIT_LEADER})
STANDING_OFFICE = frozenset({Role.COMMITTEE_MEMBER, Role.ADMINISTRATOR})
PUBLIC = frozenset({ANONYMOUS, *STAFF})


@dataclass(frozen=True)
class Page:
    url_name: str
    roles: frozenset[str]
    # The sample object the URL names, if any.
    sample: str = ""
    # A query string with ``{sample}`` fields, for pages that list one figure's rows.
    query: str = ""
    # False for pages with a layout of their own (a printable register, the Django admin).
    top_bar: bool = True

    def url(self, samples: dict[str, object]) -> str:
        args = [samples[self.sample]] if self.sample else []
        path = reverse(self.url_name, args=args)
        return f"{path}?{self.query.format(**samples)}" if self.query else path


MAIN_PAGES: tuple[Page, ...] = (
    Page("login", frozenset({ANONYMOUS})),
    Page("lookup:search", PUBLIC),
    Page("procedures:catalogue", PUBLIC),
    Page("procedures:detail", PUBLIC, "procedure"),
    Page("home", STAFF),
    Page("dossiers:queue", STAFF),
    Page("dossiers:intake", DESK),
    Page("dossiers:detail", STAFF, "dossier"),
    Page("dossier_forms:register", STAFF, top_bar=False),
    Page("reports:dashboard", STAFF),
    Page("reports:dashboard_units", STAFF),
    Page("reports:dashboard_digitisation", STAFF),
    Page(
        "reports:drilldown",
        STAFF,
        query="period=calendar:quarter:2021:1&unit={unit}&counter=received_total",
    ),
    Page("committee:unit_tasks", STAFF),
    Page("committee:task_detail", STAFF, "task"),
    Page("committee:meeting_list", STANDING_OFFICE),
    Page("committee:meeting_create", STANDING_OFFICE),
    Page("committee:meeting_detail", STANDING_OFFICE, "meeting"),
    Page("committee:task_list", STANDING_OFFICE),
    Page("committee:overdue_list", STANDING_OFFICE),
    Page("parindex:index", STAFF),
    Page("parindex:ranking", STANDING_OFFICE),
    Page("parindex:framework_list", STAFF),
    Page("parindex:framework_detail", STAFF, "framework"),
    Page("parindex:assessment_detail", STAFF, "assessment"),
    Page("parindex:assessment_edit", COMMUNE_STAFF, "assessment"),
    Page("org:unit_list", STAFF),
    Page("org:calendar", STAFF),
    Page("org:two_factor", STANDING_OFFICE),
    Page("admin:index", frozenset({Role.ADMINISTRATOR}), top_bar=False),
)


def pages_of(role: str) -> list[Page]:
    """The main pages ``role`` (a :class:`Role` value or ``ANONYMOUS``) opens."""
    return [page for page in MAIN_PAGES if role in page.roles]
