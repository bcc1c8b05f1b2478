from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("Steering committee")

    def ready(self) -> None:
        from reports.dashboard import DashboardPanel, dashboard_panel_register

        from .dashboard import committee_tasks_panel

        dashboard_panel_register(
            DashboardPanel(
                name="committee-tasks",
                template_name="committee/_dashboard_tasks.html",
                context=committee_tasks_panel,
                order=50,
            )
        )
