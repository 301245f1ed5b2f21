"""Who may do what with village logs: the one place pages, the API and imports ask.

Three roles:
- **coordinator**: a user with a `Membership` in one or more villages. Sees
  and files logs of those villages only; edits and deletes their own logs
  until AMO has verified them.
- **AMO reviewer**: a member of the Django group `REVIEWER_GROUP`. Sees every
  village's logs, verifies or rejects them, imports logs in bulk, reads the
  audit trail. May also file a log for any village (AMO sometimes enters a log
  for a village on the phone), but edits only the logs they wrote themselves,
  and never reviews them: another reviewer must (four eyes).
- **administrator**: a superuser. Everything a reviewer may do, and may edit
  or delete any unverified log.

Tourism listings (attractions, homestays, events, trails) are kept by their
village's coordinators; a new one is a draft until AMO publishes it, and only
AMO publishes or unpublishes (see "tourism listings" below).

"AMO" in the scorecard is the same role as AMO reviewer: reviewers and
administrators see every village's live scorecard, publish scorecards, enter
survey values and confirm tourism stages; a village's coordinators see that
village's live scorecard; everyone else sees published scorecards only.

`is_staff` alone grants nothing here: it opens the Django admin site, where
the model permissions decide what a staff user sees. AMO powers come from the
`REVIEWER_GROUP` group (or being a superuser) only; `grant_reviewer` sets
`is_staff` too so that reviewers can read the audit trail in the admin.

A "log" is any model on `villages.logs.models.VillageLog` (a conservation action, a
guest stay, an event report, any kind registered in villages.logs.kinds). A verified
log is read-only for everyone through the pages and the API (a correction is a new
log or an admin's job): that rule is `edit_refusal` below, which `can_edit`, the
services (`villages.logs.services.check_can_edit`) and the pages all go through.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .logs.models import LogStatus
from .models import Membership, Village

REVIEWER_GROUP = "AMO reviewers"
VERIFIED = LogStatus.VERIFIED


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def is_reviewer(user) -> bool:
    """An AMO reviewer or an administrator."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_sog_is_reviewer", None)
    if cached is None:
        cached = user.groups.filter(name=REVIEWER_GROUP).exists()
        user._sog_is_reviewer = cached
    return cached


def can_review(user) -> bool:
    return is_reviewer(user)


def coordinated_village_ids(user) -> set[int]:
    """Ids of the villages this user coordinates (empty for anonymous users)."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    cached = getattr(user, "_sog_village_ids", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("village_id", flat=True))
        user._sog_village_ids = cached
    return cached


def is_coordinator(user) -> bool:
    return bool(coordinated_village_ids(user))


def coordinates(user, village) -> bool:
    """Whether the user is a coordinator of this village."""
    return village is not None and village.pk in coordinated_village_ids(user)


def may_use_coordinator_pages(user) -> bool:
    return is_coordinator(user) or is_reviewer(user)


def can_import(user) -> bool:
    """Bulk import of logs (review pages): AMO reviewers and administrators."""
    return is_reviewer(user)


def can_view_live_scorecard(user, village) -> bool:
    """Live (unpublished) scorecards: AMO (reviewers, administrators) and the village's
    coordinators."""
    return is_reviewer(user) or coordinates(user, village)


def can_publish_scorecard(user) -> bool:
    """Publishing a scorecard, entering survey values and confirming a tourism stage are
    AMO's decisions (reviewers, administrators), never a coordinator's nor plain staff's."""
    return is_reviewer(user)


def villages_in_reach(user):
    """The villages a user works in, as a queryset: all for AMO, their own for a coordinator.
    Logs and listings alike are filed, read and edited within this reach."""
    if is_reviewer(user):
        return Village.objects.all()
    return Village.objects.filter(pk__in=coordinated_village_ids(user))


def scope_to_reach(user, queryset):
    """Scope a queryset of village-bound rows (logs, listings) to the user's reach."""
    if is_reviewer(user):
        return queryset
    ids = coordinated_village_ids(user)
    if not ids:
        return queryset.none()
    return queryset.filter(village_id__in=ids)


def in_reach(user, village_id) -> bool:
    return is_reviewer(user) or village_id in coordinated_village_ids(user)


def villages_for_filing(user):
    """Villages this user may file a log under, as a queryset."""
    return villages_in_reach(user)


def logs_visible_to(user, queryset):
    """Scope a queryset of logs to what the user may read."""
    return scope_to_reach(user, queryset)


def can_see(user, log) -> bool:
    return in_reach(user, log.village_id)


def may_review_log(user, log) -> bool:
    """Four eyes: a reviewer (or administrator) never verifies or rejects their own log."""
    return can_review(user) and log.author_id != user.pk


def can_file_for(user, village) -> bool:
    return village is not None and (is_reviewer(user) or coordinates(user, village))


def can_edit(user, log) -> bool:
    """Edit or delete: own unverified logs of one's villages; admins any unverified log."""
    if log.status == VERIFIED:
        return False
    if is_admin(user):
        return True
    if not (user and user.is_authenticated and log.author_id == user.pk):
        return False
    return is_reviewer(user) or log.village_id in coordinated_village_ids(user)


def edit_refusal(user, log) -> tuple[int, str] | None:
    """Why this user may not change this log, as (HTTP status, code), or None if allowed."""
    if log.status == VERIFIED:
        return 409, "verified"
    if not can_edit(user, log):
        return 403, "not_yours"
    return None


# --- tourism listings (attractions, homestays, events, trails) ---------------------
# A village keeps its own listings: its coordinators add and edit them; AMO
# (reviewers, administrators) may edit any and alone publishes or unpublishes. A new
# listing is a draft until AMO publishes it; edits to a published one show at once.


def may_keep_listings(user) -> bool:
    """The listing pages (/coordinator/listings/): coordinators and AMO."""
    return is_coordinator(user) or is_reviewer(user)


def villages_for_listings(user):
    """Villages this user may put a listing in (or move one to), as a queryset."""
    return villages_in_reach(user)


def listings_visible_to(user, queryset):
    """Scope a queryset of listings (published or not) to those the user may edit."""
    return scope_to_reach(user, queryset)


def can_edit_listing(user, listing) -> bool:
    """Edit a listing: its village's coordinators and AMO."""
    return in_reach(user, listing.village_id)


def can_list_in(user, village) -> bool:
    """Create a listing in this village, or move one there."""
    return village is not None and (is_reviewer(user) or coordinates(user, village))


def can_publish_listing(user) -> bool:
    """Publish or unpublish a listing: AMO only, never a coordinator nor plain staff."""
    return is_reviewer(user)


# --- pages -------------------------------------------------------------------------


def page_requires(test, message):
    """A view decorator: anonymous users go to sign in; signed-in users failing
    `test(user)` get a 403 with `message`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied(str(message))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


coordinator_required = page_requires(
    may_use_coordinator_pages, _("This page is for village coordinators and AMO staff.")
)
reviewer_required = page_requires(can_review, _("This page is for AMO reviewers."))
import_required = page_requires(can_import, _("This page is for AMO reviewers."))
listings_required = page_requires(
    may_keep_listings, _("This page is for village coordinators and AMO staff.")
)
publish_listings_required = page_requires(can_publish_listing, _("This page is for AMO reviewers."))


# --- granting roles (used by manage.py grant_role and the demo data) ------------


@transaction.atomic
def ensure_user(*, username: str, password: str | None = None, email: str = ""):
    """The user with this name, created when missing. Returns (user, created).

    A new user without a password gets an unusable one: they cannot sign in
    until someone sets it (grant_role --password, or password reset by e-mail).
    A given password replaces the old one.
    """
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user, created


def grant_coordinator(*, user, village: Village) -> bool:
    """Make the user a coordinator of the village; True when newly granted."""
    _, created = Membership.objects.get_or_create(user=user, village=village)
    user.__dict__.pop("_sog_village_ids", None)
    return created


def grant_reviewer(*, user) -> bool:
    """Put the user in the AMO reviewers group; True when newly granted."""
    group = reviewer_group()
    already = user.groups.filter(pk=group.pk).exists()
    user.groups.add(group)
    if not user.is_staff:
        # Staff status opens the admin, where reviewers read the audit trail.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_sog_is_reviewer", None)
    return not already


def reviewer_group() -> Group:
    """The AMO reviewers group, with the permission to read the audit trail in the admin."""
    from django.contrib.auth.models import Permission

    group, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    view_audit = Permission.objects.filter(
        content_type__app_label="villages", codename="view_auditentry"
    ).first()
    if view_audit is not None:
        group.permissions.add(view_audit)
    return group


# --- where a user lands after signing in (villages.views.landing) -----------------


def landing_url_name(user) -> str:
    """The page a user starts from: AMO reviews, coordinators log, everyone else the map."""
    if is_reviewer(user):
        return "review:queue"
    if is_coordinator(user):
        return "coordinator:home"
    return "home"
