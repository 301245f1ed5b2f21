"""Admin registrations; the scorecard tables register in admin_scorecard.py."""
from . import admin_scorecard  # noqa: F401  (importing registers them)
