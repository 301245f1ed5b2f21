from .admin_scorecard import *  # noqa: F401,F403  (scorecard tables)
