"""Admin registrations; the scorecard tables live in admin_scorecard.py."""
from .admin_scorecard import *
