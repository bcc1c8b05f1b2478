from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from .notifications import applicant_notify_enqueue
        from .signals import dossier_changed

        dossier_changed.connect(applicant_notify_enqueue, dispatch_uid="dossiers.applicant_notify")
