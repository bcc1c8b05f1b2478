from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # Connects the receivers that drop the cached working calendar on override changes.
        from org import signals  # noqa: F401
