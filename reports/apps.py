from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from dossiers.guards import dates_check_register
        from dossiers.signals import dossier_changed

        from .receivers import rollups_dirty_on_change
        from .write_guard import frozen_dates_refuse

        # Freshness of the rollups; the beat entry "rollups-sweep" (settings) is the safety net.
        dossier_changed.connect(rollups_dirty_on_change, dispatch_uid="reports.rollups_dirty")
        # Reported figures never change: writes dated in a frozen period are refused.
        dates_check_register(frozen_dates_refuse)
