from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GreenscoreConfig(AppConfig):
    name = "greenscore"
    verbose_name = _("Green Score")

    def load_demo(self):
        """Demo data; each part loads once and never overwrites edits."""
        from .demo_scorecard import load_scorecard_demo

        yield from load_scorecard_demo()
