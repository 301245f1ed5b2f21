from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TourismConfig(AppConfig):
    name = "tourism"
    verbose_name = _("Tourism")

    def load_demo(self):
        """Demo attractions, homestays, trails and a season of events (after the villages' places)."""
        from .demo import load_demo

        yield from load_demo(path=settings.BASE_DIR / "fixtures" / "tourism" / "demo.json")
