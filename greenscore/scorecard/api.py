"""Scorecard API: /api/v1/scorecards/ (all villages) and /api/v1/scorecards/<slug>/.

Anonymous readers get published snapshots only; AMO and a village's coordinators get the
live scorecard (see villages.roles.can_view_live_scorecard)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from villages.api import parse_query
from villages.selectors import village_by_slug

from . import method
from . import services as scorecard
from .periods import Period


@extend_schema_field(OpenApiTypes.STR)
class PeriodField(serializers.Field):
    """`2026`, `2026-Q2` or `2026-05`, parsed into a Period."""

    def to_internal_value(self, data):
        try:
            return Period.parse(data)
        except ValueError as exc:
            raise serializers.ValidationError(
                _("Not a valid period (%(detail)s). Use 2026, 2026-Q2 or 2026-05.")
                % {"detail": exc}
            ) from None

    def to_representation(self, value):
        return value.label


def current_year_period() -> Period:
    return Period("year", timezone.localdate().year)


class ScorecardQuerySerializer(serializers.Serializer):
    period = PeriodField(required=False)
    aggregation = serializers.ChoiceField(choices=method.AGGREGATIONS, default="arithmetic")
    view = serializers.ChoiceField(
        choices=["auto", "live", "published"],
        default="auto",
        help_text="auto: live where allowed, else published",
    )

    def validate(self, attrs):
        attrs.setdefault("period", current_year_period())
        return attrs


class ScorecardListQuerySerializer(ScorecardQuerySerializer):
    page = serializers.IntegerField(
        required=False, default=1, min_value=1, help_text="1 is the first page; follow `next`"
    )
    page_size = serializers.IntegerField(
        required=False, default=100, min_value=1, max_value=500, help_text="1 to 500"
    )


def page_of(rows: list, *, page: int, page_size: int) -> list | None:
    """The page's rows, or None past the last page (page 1 of nothing is an empty page)."""
    start = (page - 1) * page_size
    if start and start >= len(rows):
        return None
    return rows[start : start + page_size]


def village_or_404(slug):
    village = village_by_slug(slug)
    if village is None:
        raise Http404(_("No village with this slug."))
    return village


SCORECARD_RESPONSE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "village, period, status, method_version, aggregation, composite, suggested_stage, "
        "pillars {score, coverage}, indicators [code, pillar, value, baseline, target, weight, "
        "score]"
    ),
)


def conflict(exc: scorecard.ScorecardError) -> Response:
    return Response(
        {
            "detail": _(
                "This scorecard cannot be computed: %(error)s Fix the "
                "indicator's baseline or target."
            )
            % {"error": exc}
        },
        status=status.HTTP_409_CONFLICT,
    )


class ScorecardListView(APIView):
    """Every village's scorecard for a period, ranked by composite, a page at a time
    (`count`, `next`, `previous`, `results`; ranks are over all villages, not the page)."""

    schema_error_statuses = {"get": [404, 409]}  # past the last page; baseline equals target

    @extend_schema(
        operation_id="scorecards_list",
        parameters=[ScorecardListQuerySerializer],
        responses={200: SCORECARD_RESPONSE},
    )
    def get(self, request):
        params = parse_query(ScorecardListQuerySerializer, request)
        page, page_size = params.pop("page"), params.pop("page_size")
        try:
            rows = scorecard.scorecards_for(user=request.user, **params)
        except scorecard.ScorecardError as exc:
            return conflict(exc)
        results = page_of(rows, page=page, page_size=page_size)
        if results is None:
            last = max(1, -(-len(rows) // page_size))
            return Response(
                {"detail": _("No such page: the last is %(last)d.") % {"last": last}},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(
            {
                "period": params["period"].label,
                "aggregation": params["aggregation"],
                "method_version": method.METHOD_VERSION,
                "count": len(rows),
                "page_size": page_size,
                "next": _page_link(request, page + 1) if page * page_size < len(rows) else None,
                "previous": _page_link(request, page - 1) if page > 1 else None,
                "results": results,
            }
        )


def _page_link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class ScorecardDetailView(APIView):
    """One village's scorecard for a period."""

    schema_error_statuses = {"get": [403, 409]}  # view=live without the right; as the list

    @extend_schema(
        operation_id="scorecards_detail",
        parameters=[ScorecardQuerySerializer],
        responses={200: SCORECARD_RESPONSE},
    )
    def get(self, request, slug):
        params = parse_query(ScorecardQuerySerializer, request)
        village = village_or_404(slug)
        try:
            data = scorecard.scorecard_for(user=request.user, village=village, **params)
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        except scorecard.ScorecardError as exc:
            return conflict(exc)
        if data is None:
            from .selectors import latest_published_period

            latest = latest_published_period(
                village=village, aggregation=params["aggregation"], like=params["period"]
            )
            return Response(
                {
                    "detail": _("No published scorecard for this village and period."),
                    "latest_published": latest.label if latest else None,
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(data)


# Included from backend/urls.py under /api/v1/.
urlpatterns = [
    path("scorecards/", ScorecardListView.as_view(), name="api-scorecard-list"),
    path("scorecards/<slug:slug>/", ScorecardDetailView.as_view(), name="api-scorecard-detail"),
]
