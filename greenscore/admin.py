"""greenscore's admin pages, registered by each feature."""

from .actions import admin as actions_admin  # noqa: F401
from .scorecard import admin as scorecard_admin  # noqa: F401
