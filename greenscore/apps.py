from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GreenscoreConfig(AppConfig):
    name = "greenscore"
    verbose_name = _("Green Score")
