from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParIndexConfig(AppConfig):
    name = "committee.parindex"
    label = "parindex"
    verbose_name = _("PAR index")
