"""greenscore's models, for Django (the app's models module): each lives in its feature.

- conservation actions and species: greenscore/actions/models.py
- the scorecard's tables: greenscore/scorecard/models.py
"""

from .actions.models import ActionPhoto, ActionSpecies, ConservationAction, Species
from .scorecard.models import (
    Indicator,
    IndicatorValue,
    Plot,
    ScorecardSnapshot,
    TreeMeasurement,
    VillageIndicator,
)

__all__ = [
    "ActionPhoto",
    "ActionSpecies",
    "ConservationAction",
    "Indicator",
    "IndicatorValue",
    "Plot",
    "ScorecardSnapshot",
    "Species",
    "TreeMeasurement",
    "VillageIndicator",
]
