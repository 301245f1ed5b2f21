from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GreenscoreConfig(AppConfig):
    name = "greenscore"
    verbose_name = _("Green Score")

    def load_demo(self):
        """Demo data: species, demo coordinator and reviewer (no passwords), a season of actions."""
        from .actions.demo import load_demo_actions

        yield from load_demo_actions()
        # The scorecard's references, survey values and plots come after the season of logs.
        from .scorecard.demo import (
            load_scorecard_demo,
            load_season_2025,
            publish_demo_scorecards,
        )

        yield from load_scorecard_demo()
        # A 2025 season, then the public's scorecards: 2025 and the finished quarters of 2026.
        yield from load_season_2025()
        yield from publish_demo_scorecards()
