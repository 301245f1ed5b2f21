from django.urls import path

from . import api

urlpatterns = [
    path("recordings/", api.RecordingCollectionView.as_view(), name="api-recording-list"),
    path("recordings/<int:pk>/", api.RecordingDetailView.as_view(), name="api-recording-detail"),
    path(
        "recordings/<int:pk>/review/",
        api.RecordingReviewView.as_view(),
        name="api-recording-review",
    ),
    path(
        "recordings/<int:pk>/process/",
        api.RecordingProcessView.as_view(),
        name="api-recording-process",
    ),
]
