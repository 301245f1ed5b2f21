"""Scorecard pages (/scorecard/): overview with ranks and a map, one village's scorecard,
a comparison, the methodology, exports, and AMO's publish and confirm-stage actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from villages import roles
from villages.models import Village
from villages.selectors import village_by_slug

from . import charts, exports, method
from . import selectors as sel
from . import services as scorecard
from .api import current_year_period
from .periods import Period

PILLAR_LABELS = {
    "social": gettext_lazy("social"),
    "economic": gettext_lazy("economic"),
    "environmental": gettext_lazy("environmental"),
}


# Villages per page of the overview table (ranks run over all villages, not the page).
OVERVIEW_PAGE_SIZE = 50


class BadParams(Exception):
    pass


def _params(source) -> tuple[Period, str]:
    raw = (source.get("period") or "").strip()
    try:
        period = Period.parse(raw) if raw else current_year_period()
    except ValueError as exc:
        raise BadParams(
            _("Not a valid period (%(detail)s). Use 2026, 2026-Q2 or 2026-05.") % {"detail": exc}
        ) from None
    aggregation = source.get("aggregation") or "arithmetic"
    if aggregation not in method.AGGREGATIONS:
        raise BadParams(_("Unknown aggregation: use arithmetic or geometric."))
    return period, aggregation


def _bad_request(request, message: str, status: int = 400) -> HttpResponse:
    return render(request, "scorecard/error.html", {"message": message}, status=status)


def handle_scorecard_errors(view):
    """Bad references (a ScorecardError) give a 409 page that says what to fix, not a 500."""
    from functools import wraps

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except scorecard.ScorecardError as exc:
            return _bad_request(
                request,
                _(
                    "This scorecard cannot be computed: %(error)s Fix "
                    "the indicator's baseline or target."
                )
                % {"error": exc},
                status=409,
            )

    return wrapper


def _village(slug) -> Village:
    village = village_by_slug(slug)
    if village is None:
        raise Http404(_("No village with this address."))
    return village


@handle_scorecard_errors
def overview(request):
    try:
        period, aggregation = _params(request.GET)
    except BadParams as exc:
        return _bad_request(request, str(exc))
    rows = scorecard.scorecards_for(user=request.user, period=period, aggregation=aggregation)
    paginator = Paginator(rows, OVERVIEW_PAGE_SIZE)
    raw_page = (request.GET.get("page") or "1").strip()
    if not raw_page.isdigit() or int(raw_page) < 1:
        return _bad_request(request, _("The page is a whole number from 1."))
    try:
        page = paginator.page(int(raw_page))
    except EmptyPage:
        return _bad_request(
            request,
            _("No such page: the last is %(last)d.") % {"last": paginator.num_pages},
            status=404,
        )
    config = {
        "villagesUrl": reverse("api-village-list"),
        "scorecardsUrl": reverse("api-scorecard-list"),
        "period": period.label,
        "aggregation": aggregation,
    }
    latest = None if rows else sel.latest_published_period(aggregation=aggregation, like=period)
    return render(
        request,
        "scorecard/overview.html",
        {
            "rows": page.object_list,
            "page": page,
            "period": period,
            "aggregation": aggregation,
            "map_config": config,
            "pillars": method.PILLARS,
            "is_amo": roles.is_reviewer(request.user),
            "latest": latest if latest != period else None,
        },
    )


@handle_scorecard_errors
def village_scorecard(request, slug):
    village = _village(slug)
    try:
        period, aggregation = _params(request.GET)
    except BadParams as exc:
        return _bad_request(request, str(exc))
    data = scorecard.scorecard_for(
        user=request.user, village=village, period=period, aggregation=aggregation
    )
    live = roles.can_view_live_scorecard(request.user, village)
    from .forms import EnteredValueForm

    context = {
        "village": village,
        "period": period,
        "aggregation": aggregation,
        "data": data,
        "value_form": EnteredValueForm(initial={"period": period.label}),
        "can_publish": roles.can_publish_scorecard(request.user),
        "can_view_live": live,
        "stages": Village.TourismStage.choices,
        "plots": sel.plot_censuses(village=village),
    }
    if data is not None:
        pillar_items = [(_("Green Score"), data["composite"], "composite")] + [
            (PILLAR_LABELS[p], data["pillars"][p]["score"], p) for p in method.PILLARS
        ]
        context["pillar_chart"] = charts.bar_chart(pillar_items, title=_("Pillar scores"))
        points = scorecard.trend(village=village, period=period, live=live, aggregation=aggregation)
        series = {"composite": [p["composite"] for p in points]}
        series.update({k: [p["pillars"][k] for p in points] for k in method.PILLARS})
        context["trend_chart"] = charts.trend_chart(
            [p["period"] for p in points], series, title=_("Trend over periods")
        )
        context["trend"] = points
        context["indicator_groups"] = [
            (
                p,
                PILLAR_LABELS[p],
                data["pillars"][p],
                [i for i in data["indicators"] if i["pillar"] == p],
            )
            for p in method.PILLARS
        ]
    if data is None:
        # Say so and point to the latest published card rather than a bare 404.
        latest = sel.latest_published_period(village=village, aggregation=aggregation, like=period)
        context["latest"] = latest if latest != period else None
    status = 200 if data is not None else 404
    return render(request, "scorecard/village.html", context, status=status)


@handle_scorecard_errors
def compare(request):
    try:
        period, aggregation = _params(request.GET)
    except BadParams as exc:
        return _bad_request(request, str(exc))
    slugs = [s for s in (request.GET.get("villages") or "").split(",") if s.strip()][:6]
    rows = scorecard.scorecards_for(user=request.user, period=period, aggregation=aggregation)
    chosen = [r for r in rows if r["village"] in slugs] if slugs else rows[:4]
    codes = [i["code"] for i in chosen[0]["indicators"]] if chosen else []
    table = []
    for code in codes:
        cells = [next((i for i in r["indicators"] if i["code"] == code), None) for r in chosen]
        first = next(c for c in cells if c is not None)
        table.append(
            {
                "code": code,
                "name": first["name"],
                "unit": first["unit"],
                "pillar": first["pillar"],
                "cells": cells,
            }
        )
    bars = [
        charts.bar_chart(
            [(PILLAR_LABELS[p], r["pillars"][p]["score"], p) for p in method.PILLARS]
            + [(_("Green Score"), r["composite"], "composite")],
            title=r["village_name"],
            width=320,
        )
        for r in chosen
    ]
    return render(
        request,
        "scorecard/compare.html",
        {
            "period": period,
            "aggregation": aggregation,
            "chosen": list(zip(chosen, bars, strict=True)),
            "table": table,
            "all_rows": rows,
            "slugs": slugs,
            "pillars": method.PILLARS,
        },
    )


def methodology(request):
    return render(
        request,
        "scorecard/methodology.html",
        {
            "catalogue": sel.indicator_catalogue(),
            "version": method.METHOD_VERSION,
            "thresholds": method.STAGE_THRESHOLDS,
            "min_coverage": "2/3",
        },
    )


# --- exports -------------------------------------------------------------------------


def _download(body, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@handle_scorecard_errors
def export_all(request, fmt):
    if fmt not in ("csv", "json", "geojson"):
        raise Http404(_("Exports are CSV, JSON or GeoJSON."))
    try:
        period, aggregation = _params(request.GET)
    except BadParams as exc:
        return _bad_request(request, str(exc))
    rows = scorecard.scorecards_for(user=request.user, period=period, aggregation=aggregation)
    name = f"green-score-{period.label}-{aggregation}"
    if fmt == "csv":
        return _download(exports.to_csv(rows), "text/csv; charset=utf-8", f"{name}.csv")
    if fmt == "geojson":
        return _download(exports.to_geojson(rows), "application/geo+json", f"{name}.geojson")
    return _download(
        exports.to_json({"period": period.label, "aggregation": aggregation, "results": rows}),
        "application/json",
        f"{name}.json",
    )


@handle_scorecard_errors
def export_village(request, slug, fmt):
    if fmt not in ("csv", "json", "pdf"):
        raise Http404(_("Exports are CSV, JSON or PDF."))
    village = _village(slug)
    try:
        period, aggregation = _params(request.GET)
    except BadParams as exc:
        return _bad_request(request, str(exc))
    data = scorecard.scorecard_for(
        user=request.user, village=village, period=period, aggregation=aggregation
    )
    if data is None:
        raise Http404(_("No published scorecard for this village and period."))
    name = f"green-score-{village.slug}-{period.label}-{aggregation}"
    if fmt == "csv":
        return _download(exports.to_csv([data]), "text/csv; charset=utf-8", f"{name}.csv")
    if fmt == "json":
        return _download(exports.to_json(data), "application/json", f"{name}.json")
    points = scorecard.trend(
        village=village, period=period, aggregation=aggregation, live=data["status"] == "live"
    )
    return _download(exports.to_pdf(data, trend=points), "application/pdf", f"{name}.pdf")


# --- AMO actions -----------------------------------------------------------------------


@require_POST
@handle_scorecard_errors
def publish(request, slug):
    village = _village(slug)
    if not roles.can_publish_scorecard(request.user):
        raise PermissionDenied(_("Only AMO can publish a scorecard."))
    try:
        period, aggregation = _params(request.POST)
    except BadParams as exc:
        return _bad_request(request, str(exc))
    scorecard.publish(village=village, period=period, aggregation=aggregation, user=request.user)
    messages.success(
        request,
        _("Published the %(period)s scorecard of %(village)s.")
        % {"period": period.label, "village": village.name},
    )
    return redirect(
        f"{reverse('scorecard:village', args=[slug])}?period={period.label}"
        f"&aggregation={aggregation}"
    )


@require_POST
def enter_value(request, slug):
    from .forms import EnteredValueForm

    village = _village(slug)
    if not roles.can_publish_scorecard(request.user):
        raise PermissionDenied(_("Only AMO can enter indicator values."))
    form = EnteredValueForm(request.POST)
    if not form.is_valid():
        return _bad_request(
            request,
            " ".join(
                f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            ),
        )
    data = form.cleaned_data
    try:
        scorecard.enter_value(
            village=village,
            indicator=data["indicator"],
            period=data["period"],
            value=data["value"],
            source=data["source"],
            note=data["note"],
            user=request.user,
        )
    except ValidationError as exc:
        return _bad_request(request, " ".join(exc.messages))
    messages.success(request, _("Value saved."))
    return redirect(f"{reverse('scorecard:village', args=[slug])}?period={data['period'].label}")


@require_POST
def confirm_stage(request, slug):
    village = _village(slug)
    if not roles.can_publish_scorecard(request.user):
        raise PermissionDenied(_("Only AMO can confirm a tourism stage."))
    try:
        scorecard.confirm_stage(
            village=village, stage=request.POST.get("stage", ""), user=request.user
        )
    except ValidationError as exc:
        return _bad_request(request, " ".join(exc.messages))
    messages.success(request, _("Tourism stage confirmed."))
    period = request.POST.get("period", "")
    return redirect(f"{reverse('scorecard:village', args=[slug])}?period={period}")
