"""Writes shared by every kind of village log (actions, guest stays, event reports).

- `create_once`: a create keyed by the client's UUID, so a phone's retry is
  stored once (same content: the existing record; different content: a
  conflict), backed by the database's unique constraint.
- `update_log`, `delete_log`: the author's changes until AMO has verified.
- `review_logs`: AMO's verify / reject (with a reason), one or many; never by the
  log's own author (four eyes).
Each write records an audit entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import audit, roles

GEOMETRY_TOLERANCE_DEG = 1e-9  # a retry re-sends the same numbers; allow float noise only


class LogConflict(Exception):
    """The request contradicts the stored state (HTTP 409)."""

    def __init__(self, message: str, *, code: str, existing=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.existing = existing


def same_content(a: Mapping, b: Mapping) -> bool:
    """Whether two content dicts describe the same log (geometry compared with a tolerance)."""
    if set(a) != set(b):
        return False
    for key, left in a.items():
        right = b[key]
        if isinstance(left, GEOSGeometry) or isinstance(right, GEOSGeometry):
            if not (isinstance(left, GEOSGeometry) and isinstance(right, GEOSGeometry)):
                return False
            if left.geom_type != right.geom_type or not left.equals_exact(
                right, GEOMETRY_TOLERANCE_DEG
            ):
                return False
        elif audit.jsonable(left) != audit.jsonable(right):
            return False
    return True


def create_once(
    *, model, client_uuid, author, content: Mapping, stored_content: Callable, create: Callable
):
    """Create a log unless its client UUID is known. Returns (log, created).

    `content` is what the client sent (normalised); `stored_content(log)` gives
    the same dict for a stored log; `create()` writes the new log (called in a
    savepoint). A concurrent retry that loses the race on the unique
    constraint re-reads the winner's row.
    """
    existing = model.objects.filter(client_uuid=client_uuid).first()
    if existing is None:
        try:
            with transaction.atomic():
                log = create()
                audit.record(
                    actor=author,
                    action="create",
                    obj=log,
                    changes=audit.diff({}, stored_content(log)),
                )
            return log, True
        except IntegrityError:
            existing = model.objects.filter(client_uuid=client_uuid).first()
            if existing is None:
                raise
    if existing.author_id != author.pk or not same_content(content, stored_content(existing)):
        raise LogConflict(
            _(
                "A different log was already stored with this client_uuid. "
                "Send a new client_uuid for a new log."
            ),
            code="client_uuid_conflict",
        )
    return existing, False


def check_filing(*, user, village) -> None:
    """Refuse, as a field error on `village`, a log filed for a village the user may not file for."""
    if not roles.can_file_for(user, village):
        raise ValidationError(
            {"village": [_("You may not file logs for %(village)s.") % {"village": village.name}]}
        )


def check_can_edit(*, user, log) -> None:
    refusal = roles.edit_refusal(user, log)
    if refusal is None:
        return
    if refusal[1] == "verified":
        raise LogConflict(
            _("This log has been verified by AMO and can no longer be changed."), code="verified"
        )
    raise PermissionDenied(_("You may change only your own logs of your villages."))


def update_log(*, user, log, before: Mapping, apply: Callable, stored_content: Callable):
    """Apply an edit (the caller validated it), resubmit a rejected log, record the diff."""
    with transaction.atomic():
        apply()
        if log.status == "rejected":
            # Corrected after a rejection: back to AMO's queue.
            log.status = "submitted"
            log.rejection_reason = ""
            log.reviewed_by = None
            log.reviewed_at = None
        log.save()
        after = stored_content(log)
        changes = audit.diff(before, after)
        audit.record(actor=user, action="update", obj=log, changes=changes)
    return log


def delete_log(*, user, log, stored_content: Callable) -> None:
    check_can_edit(user=user, log=log)
    with transaction.atomic():
        audit.record(
            actor=user, action="delete", obj=log, changes=audit.diff(stored_content(log), {})
        )
        log.delete()


class FourEyes(PermissionDenied):
    """Nobody verifies or rejects a log they filed themselves (HTTP 403)."""

    def __init__(self, logs):
        self.logs = list(logs)
        self.message = four_eyes_message(self.logs)
        super().__init__(self.message)


def own_logs(logs: Iterable, *, reviewer) -> list:
    """The logs among these that the reviewer filed (four eyes: not theirs to review)."""
    return [log for log in logs if not roles.may_review_log(reviewer, log)]


def four_eyes_message(logs) -> str:
    return ngettext(
        "You filed %(logs)s yourself: another AMO reviewer must verify or reject it "
        "(four eyes).",
        "You filed %(logs)s yourself: another AMO reviewer must verify or reject them "
        "(four eyes).",
        len(logs),
    ) % {"logs": "; ".join(str(log) for log in logs)}


def review_logs(*, logs: Iterable, reviewer, decision: str, reason: str = "") -> int:
    """Verify or reject submitted logs. Returns how many changed.

    All or nothing: refuses (FourEyes) when any log was filed by the reviewer, and
    (LogConflict) when any is not submitted."""
    if not roles.can_review(reviewer):
        raise PermissionDenied(_("Only AMO reviewers may review logs."))
    reason = (reason or "").strip()
    if decision not in {"verify", "reject"}:
        raise ValidationError({"decision": _("Choose verify or reject.")})
    if decision == "reject" and not reason:
        raise ValidationError(
            {"reason": _("Give a reason for the rejection: the coordinator will read it.")}
        )
    logs = list(logs)
    own = own_logs(logs, reviewer=reviewer)
    if own:
        raise FourEyes(own)
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for log in logs:
            if log.status != "submitted":
                raise LogConflict(
                    _("%(log)s is not waiting for review (it is %(status)s).")
                    % {"log": log, "status": log.get_status_display()},
                    code="not_submitted",
                )
            log.status = "verified" if decision == "verify" else "rejected"
            log.rejection_reason = reason if decision == "reject" else ""
            log.reviewed_by = reviewer
            log.reviewed_at = now
            log.save(
                update_fields=[
                    "status",
                    "rejection_reason",
                    "reviewed_by",
                    "reviewed_at",
                    "updated_at",
                ]
            )
            changes = {"status": ["submitted", log.status]}
            if reason and decision == "reject":
                changes["rejection_reason"] = ["", reason]
            audit.record(actor=reviewer, action=decision, obj=log, changes=changes)
            count += 1
    return count
