"""Load the demo data of `make run`: the seed district in Q1 2021 and its units today."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from committee.demo import demo_committee_load, demo_committee_present_load
from committee.parindex.demo import demo_parindex_load
from dossiers.demo import demo_dossiers_load
from dossiers.demo_present import demo_present_load
from org.demo import DEMO_USERS, demo_organisation_load
from org.models import Role, Unit
from procedures.demo import demo_catalogue_load
from reports.demo import demo_quarters_freeze
from reports.receivers import rollups_refresh_deferred


class Command(BaseCommand):
    help = (
        "Load the demo units, users, catalogue, the dossiers of Q1 2021 and those of today's "
        "units since 1 July 2025, and freeze every finished quarter (never in production "
        "settings). Idempotent."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is never loaded in production settings (DJANGO_DEBUG=0).")
        units = demo_organisation_load(password=settings.DEMO_PASSWORD)
        catalogue = demo_catalogue_load()
        dossiers = demo_dossiers_load()
        for label, result in (("units", units), ("procedures", catalogue), ("dossiers", dossiers)):
            self.stdout.write(
                f"Demo {label}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        with rollups_refresh_deferred():
            present = demo_present_load()
        self.stdout.write(
            f"Demo dossiers since 01/07/2025: {present.created} created, "
            f"{present.unchanged} unchanged."
        )
        frozen = demo_quarters_freeze()
        if frozen:
            self.stdout.write(f"Frozen quarters: {', '.join(frozen)}.")
        meeting = demo_committee_load()
        self.stdout.write(f"Demo committee meeting: {meeting}.")
        self.stdout.write(f"Demo committee meeting: {demo_committee_present_load()}.")
        parindex = demo_parindex_load()
        self.stdout.write(
            f"Demo PAR index: {parindex.framework}, {parindex.assessments} assessments."
        )
        self.stdout.write(f"Demo users (password: {settings.DEMO_PASSWORD}):")
        for username, _family, _given, role, unit_code in DEMO_USERS:
            unit = Unit.objects.get(code=unit_code)
            self.stdout.write(f"  {username:<14} {Role(role).label:<28} {unit.name}")
