"""A village's listings, kept by its coordinators (/coordinator/listings/) and published by
AMO (/review/listings/).

Access is asked of villages.roles: the pages need `may_keep_listings` (coordinators, AMO)
or `can_publish_listing` (AMO); every listing is looked up through
`roles.listings_visible_to`, so another village's listing is a 404 for a coordinator, and
the writes in tourism.editing check again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from leaflet.forms.widgets import LeafletWidget

from villages import roles
from villages.logs import audit

from . import editing
from .editing_forms import FORMS, PublishForm
from .models import Photo


def _rows(user, kind, *, order=(), **filters):
    """The listings of one kind the user may edit, each with `title` and `n_photos`."""
    qs = roles.listings_visible_to(user, kind.model.objects.filter(**filters))
    qs = (
        qs.select_related("village")
        .annotate(n_photos=Count("photos"))
        .order_by(*order, "village__name", kind.title_field, "pk")
    )
    rows = list(qs)
    for row in rows:
        row.title = kind.title(row)
    return rows


def _history(kind, listing):
    """The listing's audit entries as (entry, [(field label, old, new)]), newest first."""
    labels = {
        f.name: f.verbose_name for f in kind.model._meta.get_fields() if hasattr(f, "verbose_name")
    }
    labels["photos"] = _("photos")
    geometry = {kind.geometry}
    rows = []
    for entry in audit.entries_for(listing)[:30]:
        changes = []
        for field, (old, new) in sorted(entry.changes.items()):
            if field in geometry:
                old, new = ("…" if old else ""), _("(a new place on the map)")
            changes.append((labels.get(field, field), old, new))
        rows.append((entry, changes))
    return rows


@roles.listings_required
def home(request):
    """My villages' listings, by kind: drafts first, each with its state and an edit link."""
    sections = []
    for kind in editing.KINDS.values():
        sections.append({"kind": kind, "rows": _rows(request.user, kind, order=["published"])})
    return render(
        request,
        "tourism/editing/home.html",
        {"sections": sections, "can_publish": roles.can_publish_listing(request.user)},
    )


def _get(request, kind, pk):
    return get_object_or_404(roles.listings_visible_to(request.user, kind.model.objects), pk=pk)


def _form_page(request, kind, form, listing, status=200):
    # django-leaflet's map starts with an inline script: give it this response's CSP nonce.
    for field in form.fields.values():
        if isinstance(field.widget, LeafletWidget):
            field.widget.csp_nonce = getattr(request, "csp_nonce", None)
    context = {
        "kind": kind,
        "form": form,
        "listing": listing,
        "can_publish": roles.can_publish_listing(request.user),
    }
    if listing is not None:
        context["photos"] = list(listing.photos.all())
        context["history"] = _history(kind, listing)
        context["title"] = kind.title(listing)
        if listing.published:
            context["public_url"] = (
                reverse(kind.public_url, args=[listing.slug])
                if kind.public_url
                else f"{reverse('tourism:events')}#event-{listing.slug}"
            )
    return render(request, "tourism/editing/form.html", context, status=status)


def _save(request, form, write):
    """Run `write()` and the photo upload in one transaction; a refused photo undoes both."""
    try:
        with transaction.atomic():
            listing = write()
            upload = form.cleaned_data.get("photo")
            if upload is not None:
                try:
                    editing.add_photo(
                        user=request.user,
                        listing=listing,
                        fileobj=upload,
                        caption_id=form.cleaned_data.get("photo_caption_id", ""),
                        caption_en=form.cleaned_data.get("photo_caption_en", ""),
                    )
                except ValidationError as exc:
                    form.add_error("photo", exc)
                    raise
    except ValidationError as exc:
        if not form.has_error("photo"):
            form.add_service_errors(exc)
        return None
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return None
    return listing


@roles.listings_required
def new(request, kind):
    kind = editing.listing_kind(kind)
    form = FORMS[kind.slug](request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            listing = _save(
                request,
                form,
                lambda: editing.create_listing(
                    user=request.user, kind=kind, data=form.listing_data()
                ),
            )
            if listing is not None:
                messages.success(
                    request, _("Saved as a draft. Visitors will see it once AMO publishes it.")
                )
                return redirect("listings:edit", kind=kind.slug, pk=listing.pk)
        return _form_page(request, kind, form, None, status=400)
    return _form_page(request, kind, form, None)


@roles.listings_required
def edit(request, kind, pk):
    kind = editing.listing_kind(kind)
    listing = _get(request, kind, pk)
    form = FORMS[kind.slug](
        request.POST or None, request.FILES or None, user=request.user, instance=listing
    )
    if request.method == "POST":
        if form.is_valid():
            saved = _save(
                request,
                form,
                lambda: editing.update_listing(
                    user=request.user, listing=listing, data=form.listing_data()
                ),
            )
            if saved is not None:
                messages.success(
                    request,
                    _("Saved. Visitors see the change now.")
                    if saved.published
                    else _("Saved (still a draft)."),
                )
                return redirect("listings:edit", kind=kind.slug, pk=saved.pk)
        listing.refresh_from_db()  # the form wrote its values onto the instance
        return _form_page(request, kind, form, listing, status=400)
    return _form_page(request, kind, form, listing)


@roles.listings_required
@require_POST
def photo_delete(request, kind, pk, photo_pk):
    kind = editing.listing_kind(kind)
    listing = _get(request, kind, pk)
    photo = get_object_or_404(
        Photo,
        pk=photo_pk,
        object_id=listing.pk,
        content_type__model=kind.model._meta.model_name,
        content_type__app_label="tourism",
    )
    editing.remove_photo(user=request.user, listing=listing, photo=photo)
    messages.success(request, _("Photo removed."))
    return redirect("listings:edit", kind=kind.slug, pk=listing.pk)


# --- AMO: publish and unpublish (/review/listings/) ---------------------------------------


@roles.publish_listings_required
def review(request):
    """Drafts waiting to be published, then what is published (to unpublish), by kind."""
    state = request.GET.get("state", "drafts")
    if state not in ("drafts", "published"):
        state = "drafts"
    sections = [
        {"kind": kind, "rows": _rows(request.user, kind, published=state == "published")}
        for kind in editing.KINDS.values()
    ]
    counts = {
        s: sum(
            k.model.objects.filter(published=s == "published").count()
            for k in editing.KINDS.values()
        )
        for s in ("drafts", "published")
    }
    return render(
        request,
        "tourism/editing/review.html",
        {"sections": sections, "state": state, "counts": counts, "form": PublishForm()},
    )


@roles.publish_listings_required
@require_POST
def publish(request, kind, pk):
    kind = editing.listing_kind(kind)
    listing = _get(request, kind, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose publish or unpublish."))
        return redirect("listings-review:home")
    published = form.cleaned_data["published"]
    editing.set_published(user=request.user, listing=listing, published=published)
    title = kind.title(listing)
    messages.success(
        request,
        (_("Published: %(title)s") if published else _("Unpublished: %(title)s"))
        % {"title": title},
    )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(
        f"{reverse('listings-review:home')}?state={'drafts' if published else 'published'}"
    )
