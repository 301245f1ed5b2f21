"""Coordinator pages (/coordinator/): my villages' dashboard, forms for each log, lists, CSV export.

Written once for every registered kind (villages.logs.kinds): /coordinator/<slug>/...
Access: signed in, and a coordinator or AMO reviewer (villages.roles); every
object is looked up through `roles.logs_visible_to`, so another village's log
is a 404, and a change goes through the services' own checks.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from leaflet.forms.widgets import LeafletWidget

from villages import geojson, roles
from villages.models import Village

from .filters import filtered_for_page
from .kinds import all_kinds
from .kinds import get as log_type
from .models import LogStatus
from .services import LogConflict

PAGE_SIZE = 100


def my_villages(user):
    ids = roles.coordinated_village_ids(user)
    if not ids and roles.is_reviewer(user):
        return Village.objects.filter(is_sog_site=True).order_by("name")
    return Village.objects.filter(pk__in=ids).order_by("name")


@roles.coordinator_required
def dashboard(request):
    villages = list(my_villages(request.user))
    today = timezone.localdate()
    month_start = today.replace(day=1)
    cards = {v.pk: {"village": v, "counts": {}, "missing": []} for v in villages}
    rejected = []
    without_photo = {}
    for t in all_kinds():
        scoped = t.list_for(request.user).filter(village__in=villages)
        counts = (
            scoped.filter(date__gte=month_start)
            .values("village_id")
            .annotate(n=Count("id"), waiting=Count("id", filter=Q(status=LogStatus.SUBMITTED)))
        )
        by_village = {row["village_id"]: row for row in counts}
        # A kind may be expected only in some villages (guest stays: where there is a homestay).
        expected = t.expected_in(villages)
        for pk, card in cards.items():
            row = by_village.get(pk, {"n": 0, "waiting": 0})
            card["counts"][t.slug] = {"label": t.label, "n": row["n"], "waiting": row["waiting"]}
            if not row["n"] and (expected is None or pk in expected):
                card["missing"].append(t.label)
        rejected += [
            (t, log)
            for log in scoped.filter(status=LogStatus.REJECTED).order_by("-reviewed_at")[:20]
        ]
        if t.photos:
            # A log without a photo is hard for AMO to verify: say so while one can be added.
            no_photo = (
                scoped.filter(date__gte=month_start)
                .exclude(status=LogStatus.VERIFIED)
                .filter(**{f"{t.photos}__isnull": True})
                .values("village_id")
                .annotate(n=Count("id"))
            )
            for row in no_photo:
                village_id = row["village_id"]
                without_photo[village_id] = without_photo.get(village_id, 0) + row["n"]
    for pk, n in without_photo.items():
        cards[pk]["without_photo"] = n
    return render(
        request,
        "coordinator/dashboard.html",
        {
            "cards": list(cards.values()),
            "rejected": rejected,
            "month": month_start,
            "log_types": all_kinds(),
        },
    )


def _filtered(request, t):
    return filtered_for_page(t.filterset, request, t.list_for(request.user))


@roles.coordinator_required
def log_list(request, kind):
    t = log_type(kind)
    form, logs = _filtered(request, t)
    return _list_page(request, t, form, logs)


def _list_page(request, t, form, logs):
    """The list; with the filter form's errors and a 400 when a filter is malformed."""
    status = 400 if form.errors else 200
    page = Paginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordinator/log_list.html",
        {
            "type": t,
            "filter_form": form,
            "logs": page.object_list,
            "page": page,
            "query": query.urlencode(),
            "log_types": all_kinds(),
        },
        status=status,
    )


def _csv_cell(value):
    """Neutralise spreadsheet formulas in text a user typed (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


@roles.coordinator_required
def log_export(request, kind):
    """CSV of the logs the list shows (same filters), built from database values."""
    t = log_type(kind)
    form, logs = _filtered(request, t)
    if form.errors:  # not the whole list under a filter that could not be read
        return _list_page(request, t, form, logs)
    head = [
        "id",
        "client_uuid",
        "village",
        "date",
        "status",
        "rejection_reason",
        "author",
        *t.csv_columns,
        "notes",
    ]
    columns = [
        "id",
        "client_uuid",
        "village__slug",
        "date",
        "status",
        "rejection_reason",
        "author__username",
        *t.csv_columns,
        "notes",
    ]
    rows = logs.order_by("date", "id").values_list(*columns)
    writer = csv.writer(_Echo())

    def stream():
        yield writer.writerow(head)
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow([_csv_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="sog-{t.slug}-{timezone.localdate():%Y%m%d}.csv"'
    )
    return response


def _get_log(request, t, pk):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(t.list_for(request.user), pk=pk)


def _save_photo(request, t, log, form) -> bool:
    upload = request.FILES.get("photo")
    if not t.photos or upload is None:
        return True
    try:
        t.add_photo(request.user, log, upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    return True


def _form_page(request, t, form, log, status):
    # django-leaflet's map widget starts with an inline script: give it this response's
    # Content-Security-Policy nonce, or the browser refuses to run it.
    for field in form.fields.values():
        if isinstance(field.widget, LeafletWidget):
            field.widget.csp_nonce = getattr(request, "csp_nonce", None)
    return render(
        request, "coordinator/log_form.html", {"type": t, "form": form, "log": log}, status=status
    )


@roles.coordinator_required
def log_new(request, kind):
    t = log_type(kind)
    form = t.form(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                log, created = t.create(request.user, form.service_data())
            except ValidationError as exc:
                form.add_service_errors(exc)
            except LogConflict as exc:
                form.add_error(None, exc.message)
            else:
                _save_photo(request, t, log, form)
                messages.success(
                    request,
                    _("Saved. AMO will review it.")
                    if created
                    else _("This log was already saved."),
                )
                return redirect("coordinator:list", kind=t.slug)
        status = 400
    return _form_page(request, t, form, None, status)


@roles.coordinator_required
def log_detail(request, kind, pk):
    t = log_type(kind)
    log = _get_log(request, t, pk)
    context = {"type": t, "log": log, "can_edit": roles.can_edit(request.user, log)}
    features = t.map_features(t.model.objects.filter(pk=log.pk))
    if features is not None:
        context["map_config"] = {"features": geojson.loads(geojson.collection_text(features))}
    return render(request, "coordinator/log_detail.html", context)


def _refuse_edit(request, t, log):
    refusal = roles.edit_refusal(request.user, log)
    if refusal is None:
        return None
    status, code = refusal
    message = (
        _("This log has been verified by AMO and can no longer be changed.")
        if code == "verified"
        else _("You may change only your own logs of your villages.")
    )
    return render(
        request,
        "coordinator/refused.html",
        {"type": t, "log": log, "message": message},
        status=status,
    )


@roles.coordinator_required
def log_edit(request, kind, pk):
    t = log_type(kind)
    log = _get_log(request, t, pk)
    refused = _refuse_edit(request, t, log)
    if refused:
        return refused
    form = t.form(request.POST or None, request.FILES or None, user=request.user, instance=log)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                t.update(request.user, log, form.service_data())
            except ValidationError as exc:
                form.add_service_errors(exc)
            except (LogConflict, PermissionDenied) as exc:
                form.add_error(None, str(getattr(exc, "message", exc)))
            else:
                _save_photo(request, t, log, form)
                messages.success(request, _("Saved."))
                return redirect("coordinator:detail", kind=t.slug, pk=log.pk)
        status = 400
    return _form_page(request, t, form, log, status)


@roles.coordinator_required
def log_delete(request, kind, pk):
    t = log_type(kind)
    log = _get_log(request, t, pk)
    refused = _refuse_edit(request, t, log)
    if refused:
        return refused
    if request.method == "POST":
        t.delete(request.user, log)
        messages.success(request, _("Deleted."))
        return redirect("coordinator:list", kind=t.slug)
    return render(request, "coordinator/log_delete.html", {"type": t, "log": log})
