from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from dossiers.signals import dossier_changed

        from .receivers import rollups_dirty_on_change

        # Freshness of the rollups; the beat entry "rollups-sweep" (settings) is the safety net.
        dossier_changed.connect(rollups_dirty_on_change, dispatch_uid="reports.rollups_dirty")
