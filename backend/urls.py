"""Root URLs: pages, the /api/v1/ API, its schema and docs."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from backend import health
from greenscore import tiles as greenscore_tiles
from greenscore.offline import views as views_offline
from recordings import media as media_views
from recordings import tiles as recording_tiles
from recordings import views as recording_views
from tourism import tiles as tourism_tiles
from tourism import urls_editing as tourism_editing_urls
from tourism import views as tourism_views
from villages import tiles as village_tiles
from villages import views as village_views
from villages.logs import urls as log_urls
from villages.logs.api import TokenView
from villages.tile_views import tile_urls

api_v1 = [
    path("", include("villages.api_urls")),
    path("", include("greenscore.scorecard.api")),
    path("", include("tourism.api_urls")),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("", include("greenscore.actions.api")),
    # Recordings' own API (uploads, processing, public GeoJSON; the kind asks the log
    # registry for no derived API).
    path("", include("recordings.api_urls")),
    # Every log kind's API (villages.logs.kinds): actions, guest stays, event reports, ...
    path("", include(log_urls.api_patterns)),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    # Pages name their icons in <head>; pages that do not (admin, API) get it here.
    path("favicon.ico", village_views.favicon),
    # The coordinators' offline app: its service worker lives at the root (scope "/").
    path("sw.js", views_offline.service_worker, name="service-worker"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    # Vector tiles of the public layers (villages/tiles.py).
    *tile_urls(
        [
            village_tiles.village_layer(),
            *tourism_tiles.layers(),
            *greenscore_tiles.layers(),
            *recording_tiles.layers(),
        ]
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from a URL, not inline (CSP).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("scorecard/", include("greenscore.scorecard.urls")),
    path("data/", include("greenscore.opendata.urls")),  # open data downloads
    # The site's home is the tourists' map; "home" names it for every template.
    path("", tourism_views.map_page, name="home"),
    path("", include("tourism.urls")),
    # After sign-in (LOGIN_REDIRECT_URL): reviewers to /review/, coordinators to /coordinator/.
    path("accounts/start/", village_views.landing, name="landing"),
    path("accounts/", include("django.contrib.auth.urls")),
    # A village's listings (tourism), before the log pages' /<kind>/ catch these paths.
    path("coordinator/listings/", include(tourism_editing_urls.coordinator_patterns)),
    path("review/listings/", include(tourism_editing_urls.review_patterns)),
    # A recording is filed by uploading its sound (recordings/views.py), not the generic form.
    path("coordinator/recordings/new/", recording_views.upload, name="recording-upload"),
    # The offline app's outbox and reference data (before the log pages' <kind>/).
    path("coordinator/outbox/", views_offline.outbox, name="offline-outbox"),
    path("coordinator/offline-data.json", views_offline.reference_data, name="offline-data"),
    path("coordinator/", include(log_urls.coordinator_patterns)),
    path("review/", include(log_urls.review_patterns)),
    path("recordings/", include("recordings.urls")),  # coordinators' upload and state
    path("", include("villages.urls")),
]

if settings.SOG_SERVE_MEDIA:
    urlpatterns += [
        # Answers Range requests with 206, so recordings stream (recordings/media.py).
        re_path(r"^media/(?P<path>.*)$", media_views.serve),
    ]

# JSON errors under /api/, Django's pages elsewhere.
handler400 = "villages.error_views.bad_request"
handler403 = "villages.error_views.permission_denied"
handler404 = "villages.error_views.page_not_found"
handler500 = "villages.error_views.server_error"
