from django.urls import path

from . import api

urlpatterns = [
    path("villages/", api.VillageListView.as_view(), name="api-village-list"),
    path("villages/<slug:slug>/", api.VillageDetailView.as_view(), name="api-village-detail"),
]
