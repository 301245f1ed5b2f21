"""API URLs of the coordinators' action log (included from backend/urls.py under /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api_actions

router = SimpleRouter()
router.register("actions", api_actions.ActionViewSet, basename="api-action")

urlpatterns = [
    path("action-sites/", api_actions.ActionSiteListView.as_view(), name="api-action-sites"),
    path("action-sites/<int:pk>/", api_actions.ActionSiteDetailView.as_view(),
         name="api-action-site"),
    path("species/", api_actions.SpeciesListView.as_view(), name="api-species"),
    *router.urls,
]
