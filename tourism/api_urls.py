from django.urls import path

from . import api

urlpatterns = [
    path("attractions/", api.AttractionListView.as_view(), name="api-attraction-list"),
    path(
        "attractions/<slug:slug>/", api.AttractionDetailView.as_view(), name="api-attraction-detail"
    ),
    path("homestays/", api.HomestayListView.as_view(), name="api-homestay-list"),
    path("homestays/<slug:slug>/", api.HomestayDetailView.as_view(), name="api-homestay-detail"),
    path("events/", api.EventListView.as_view(), name="api-event-list"),
    path("events/<slug:slug>/", api.EventDetailView.as_view(), name="api-event-detail"),
    path("trails/", api.TrailListView.as_view(), name="api-trail-list"),
    path("trails/<slug:slug>/", api.TrailDetailView.as_view(), name="api-trail-detail"),
]
