from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordingsConfig(AppConfig):
    name = "recordings"
    verbose_name = _("Recordings")

    def load_demo(self):
        """Three synthesised recordings, processed by the same pipeline as uploads."""
        from .demo import load_demo_recordings

        yield load_demo_recordings()
