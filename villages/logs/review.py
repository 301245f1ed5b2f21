"""AMO review pages (/review/), written once for every registered kind: the queue of
submitted logs from every village, one log's details and audit trail, verify or reject
(with a reason), one at a time or in bulk; and the bulk import (kinds that are
`importable`). Four eyes: a reviewer's own logs are refused (and reported) in any decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from villages import geojson, roles

from . import audit, kinds
from .forms import ImportForm, ReviewForm
from .kinds import all_kinds
from .kinds import get as log_type
from .services import LogConflict, four_eyes_message, own_logs, review_logs

QUEUE_LIMIT = 200


def _queue_context(request, t, form=None):
    logs = list(t.queue()[:QUEUE_LIMIT])
    for log in logs:  # what keeps a log from being verified yet (a recording in processing)
        log.not_yet = t.review_refusal(log, "verify")
    context = {
        "type": t,
        "logs": logs,
        "log_types": all_kinds(),
        "form": form or ReviewForm(),
        "counts": {lt.slug: lt.queue().count() for lt in all_kinds()},
    }
    features = t.map_features(t.model.objects.filter(pk__in=[log.pk for log in logs]))
    if features is not None:
        context["map_config"] = {"features": geojson.loads(geojson.collection_text(features))}
    return context


@roles.reviewer_required
def queue(request):
    t = log_type(request.GET.get("type") or all_kinds()[0].slug)
    return render(request, "review/queue.html", _queue_context(request, t))


@roles.reviewer_required
def decide(request):
    """POST type, ids (one or many), decision, reason."""
    if request.method != "POST":
        return redirect("review:queue")
    t = log_type(request.POST.get("type", ""))
    form = ReviewForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("ids") if v.isascii() and v.isdigit()]
    error = None
    if not ids:
        error = _("Tick at least one log.")
    elif form.is_valid():
        logs = list(t.model.objects.filter(pk__in=ids).select_for_update().order_by("id"))
        if len(logs) != len(set(ids)):
            error = _("Some of the ticked logs no longer exist; reload the queue.")
    own = []
    status = 400
    if error is None and ids and form.is_valid():
        # Four eyes: the reviewer's own logs are left out of a bulk decision and reported.
        own = own_logs(logs, reviewer=request.user)
        logs = [log for log in logs if log not in own]
        if not logs:
            error, status = four_eyes_message(own), 403
    if error is None and ids and form.is_valid():
        try:
            n = review_logs(
                logs=logs,
                reviewer=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, msgs)
        except LogConflict as exc:
            error = exc.message
        else:
            if form.cleaned_data["decision"] == "verify":
                messages.success(request, _("%(n)d verified.") % {"n": n})
            else:
                messages.success(request, _("%(n)d sent back to the coordinator.") % {"n": n})
            if own:
                messages.warning(request, four_eyes_message(own))
            return redirect(f"{reverse('review:queue')}?type={t.slug}")
    context = _queue_context(request, t, form)
    context["error"] = error
    return render(request, "review/queue.html", context, status=status)


@roles.reviewer_required
def detail(request, kind, pk):
    t = log_type(kind)
    log = get_object_or_404(t.model.objects.select_related("village", "author"), pk=pk)
    context = {
        "type": t,
        "log": log,
        "content": t.content(log),
        "form": ReviewForm(),
        "history": audit.entries_for(log)[:50],
        "not_yet": t.review_refusal(log, "verify"),
    }
    features = t.map_features(t.model.objects.filter(pk=pk))
    if features is not None:
        context["map_config"] = {"features": geojson.loads(geojson.collection_text(features))}
    return render(request, "review/detail.html", context)


@roles.import_required
def import_logs(request):
    """Upload a CSV or GeoJSON file of logs (the first importable kind, or ?type=<slug>);
    see villages.logs.importing."""
    from .importing import import_file

    slug = request.GET.get("type")
    t = log_type(slug) if slug else kinds.first(lambda k: k.importable)
    if t is None or not t.importable:
        raise Http404(_("No such kind of log."))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_file(
                kind=t,
                fileobj=upload,
                filename=upload.name,
                actor=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            # 400 when the file was refused whole or no row could be taken.
            if report.fatal or (report.rejected and not report.created and not report.existing):
                status = 400
        else:
            status = 400
    return render(request, "review/import.html", {"form": form, "report": report}, status=status)
