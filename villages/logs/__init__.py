"""The village log family in one place: the base model and status (models), the registry
of kinds (kinds), the writes every kind shares (services), the audit trail (audit), the
list filters (filters), the API (api), forms (forms), the coordinator pages
(coordinator), the review pages (review) and bulk import (importing).

Apps declare their kinds in a `logkinds.py` module; see villages/logs/kinds.py. Nothing
here imports an app above `villages`.
"""

from .services import (  # noqa: F401  (the writes, as villages.logs.<name>)
    FourEyes,
    LogConflict,
    check_can_edit,
    check_filing,
    create_once,
    delete_log,
    four_eyes_message,
    own_logs,
    review_logs,
    same_content,
    update_log,
)
