"""Writes shared by every kind of village log (actions, guest stays, event reports, ...).

- `create_log`, `edit_log`: a kind's create and edit (villages.logs.kinds.LogKind calls
  them): who may file, the kind's rules (`kind.validate`), then
- `create_once`: a create keyed by the client's UUID, so a phone's retry is
  stored once (same content: the existing record; different content: a
  conflict), backed by the database's unique constraint.
- `update_log`, `delete_log`: the author's changes until AMO has verified.
- `review_logs`: AMO's verify / reject (with a reason), one or many; never by the
  log's own author (four eyes).
Each write records an audit entry in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from villages import roles
from villages.images import process_upload

from . import audit
from .models import LogStatus

GEOMETRY_TOLERANCE_DEG = 1e-9  # a retry re-sends the same numbers; allow float noise only
PROGRAMME_START = datetime.date(2020, 1, 1)  # no log is dated before the programme began


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
    """Refuse, as a field error on `village`, a log filed for a village the user may not
    file for."""
    if not roles.can_file_for(user, village):
        raise ValidationError(
            {"village": [_("You may not file logs for %(village)s.") % {"village": village.name}]}
        )


def check_can_edit(*, user, log) -> None:
    refusal = roles.edit_refusal(user, log)
    if refusal is None:
        return
    if refusal[1] == roles.VERIFIED:
        raise LogConflict(
            _("This log has been verified by AMO and can no longer be changed."), code="verified"
        )
    raise PermissionDenied(_("You may change only your own logs of your villages."))


def update_log(*, user, log, before: Mapping, apply: Callable, stored_content: Callable):
    """Apply an edit (the caller validated it), resubmit a rejected log, record the diff."""
    with transaction.atomic():
        apply()
        if log.status == LogStatus.REJECTED:
            # Corrected after a rejection: back to AMO's queue.
            log.status = LogStatus.SUBMITTED
            log.rejection_reason = ""
            log.reviewed_by = None
            log.reviewed_at = None
        log.save()
        after = stored_content(log)
        changes = audit.diff(before, after)
        audit.record(actor=user, action="update", obj=log, changes=changes)
    return log


def delete_log(*, user, log, stored_content: Callable, photos: str | None = None) -> None:
    """Delete an unverified log; its photo files (the `photos` relation) go once the
    deletion is committed (a rolled-back deletion must still find them)."""
    check_can_edit(user=user, log=log)
    files = []
    if photos:
        files = [
            (f.storage, f.name)
            for photo in getattr(log, photos).all()
            for f in (photo.image, photo.thumbnail)
            if f
        ]
    with transaction.atomic():
        audit.record(
            actor=user, action="delete", obj=log, changes=audit.diff(stored_content(log), {})
        )
        log.delete()
    if files:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


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
        "You filed %(logs)s yourself: another AMO reviewer must verify or reject it (four eyes).",
        "You filed %(logs)s yourself: another AMO reviewer must verify or reject them (four eyes).",
        len(logs),
    ) % {"logs": "; ".join(str(log) for log in logs)}


def review_logs(*, logs: Iterable, reviewer, decision: str, reason: str = "") -> int:
    """Verify or reject submitted logs. Returns how many changed.

    All or nothing: refuses (FourEyes) when any log was filed by the reviewer, and
    (LogConflict) when any is not submitted or its kind refuses the decision for now
    (LogKind.review_refusal: a recording is verified once it has been processed)."""
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
    from .kinds import for_model  # kinds imports this module

    for log in logs:
        if log.status != LogStatus.SUBMITTED:
            raise LogConflict(
                _("%(log)s is not waiting for review (it is %(status)s).")
                % {"log": log, "status": log.get_status_display()},
                code="not_submitted",
            )
        kind = for_model(type(log))
        refusal = kind.review_refusal(log, decision) if kind is not None else None
        if refusal:
            raise LogConflict(refusal, code="not_ready")
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for log in logs:
            log.status = LogStatus.VERIFIED if decision == "verify" else LogStatus.REJECTED
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
            changes = {"status": [LogStatus.SUBMITTED.value, log.status.value]}
            if reason and decision == "reject":
                changes["rejection_reason"] = ["", reason]
            audit.record(actor=reviewer, action=decision, obj=log, changes=changes)
            count += 1
    return count


# --- a kind's create, edit and photos (villages.logs.kinds.LogKind calls these) -------


def date_problem(day) -> str | None:
    """The rule every log's date follows: not in the future, not before the programme."""
    if day > timezone.localdate():
        return _("The date %(date)s is in the future.") % {"date": day.isoformat()}
    if day < PROGRAMME_START:
        return _("The date is before the programme began (%(start)s).") % {
            "start": PROGRAMME_START.isoformat()
        }
    return None


def validate(*, kind, data: dict) -> None:
    """The date rule and the kind's own rules, all errors in one ValidationError."""
    errors: dict[str, list] = {}
    problem = date_problem(data["date"])
    if problem:
        errors["date"] = [problem]
    try:
        kind.validate(data=data)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def create_log(*, kind, author, data: dict):
    """File a new log of this kind, or return the stored one for a retry: (log, created)."""
    check_filing(user=author, village=data["village"])
    full = {**kind.defaults, **data}
    validate(kind=kind, data=full)

    def create():
        log = kind.model(client_uuid=data["client_uuid"], author=author)
        for name in kind.content_fields:
            setattr(log, name, full[name])
        kind.derive(log)
        log.save()
        kind.save_extra(log, full)
        return log

    return create_once(
        model=kind.model,
        client_uuid=data["client_uuid"],
        author=author,
        content=kind.content(full),
        stored_content=kind.content,
        create=create,
    )


def edit_log(*, kind, user, log, data: dict):
    """Edit a log (fields absent from `data` keep their value); the kind's rules judge
    the result, the audit trail records the difference."""
    check_can_edit(user=user, log=log)
    if "village" in data and data["village"].pk != log.village_id:
        check_filing(user=user, village=data["village"])
    data = {k: v for k, v in data.items() if k != "client_uuid"}
    merged = {name: getattr(log, name) for name in kind.content_fields}
    merged.update(kind.extra_current(log))
    merged.update(data)
    validate(kind=kind, data=merged)
    before = kind.content(log)

    def apply():
        for name in kind.content_fields:
            setattr(log, name, merged[name])
        kind.derive(log)
        kind.save_extra(log, data)

    return update_log(user=user, log=log, before=before, apply=apply, stored_content=kind.content)


def add_photo(*, kind, user, log, fileobj, caption: str = ""):
    """Attach a photo through the shared pipeline (villages.images refuses what is not an
    image). The kind's photo model is the one behind its `photos` relation."""
    check_can_edit(user=user, log=log)
    try:
        image = process_upload(fileobj=fileobj)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None
    if len(caption) > 200:
        raise ValidationError({"caption": [_("At most 200 characters.")]})
    relation = kind.model._meta.get_field(kind.photos)
    with transaction.atomic():
        photo = relation.related_model(
            **{relation.field.name: log},
            caption=caption,
            width=image.width,
            height=image.height,
        )
        # The fields' upload_to (villages.images.PhotoPath) names the files; only the
        # extension of the name given here is kept.
        photo.image.save(f"photo.{image.extension}", ContentFile(image.content), save=False)
        photo.thumbnail.save(f"photo.{image.extension}", ContentFile(image.thumbnail), save=False)
        photo.save()
        audit.record(
            actor=user, action="update", obj=log, changes={"photos": [None, photo.image.name]}
        )
    return photo
