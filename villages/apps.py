from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("Villages")

    def ready(self):
        from . import generalise, http_cache, tokens
        from .logs import kinds

        tokens.connect()  # a password change revokes the user's API tokens
        kinds.discover()  # every app's logkinds.py registers its log kinds
        http_cache.connect_signals()  # a change of data changes the public layers' ETags
        generalise.connect(self)  # villages' low-zoom shapes follow their boundaries

    def load_demo(self):
        """Demo data: the official register, then positions and Dusun Tuni."""
        from .services import import_admin_areas, load_demo_places

        fixtures = settings.BASE_DIR / "fixtures"
        report = import_admin_areas(path=fixtures / "ambon-admin-areas.csv")
        yield (
            f"register: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged"
        )
        result = load_demo_places(path=fixtures / "sog_places.json")
        yield "places: already loaded" if result.get("skipped") else f"places: {result}"
