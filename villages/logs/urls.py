"""URLs of the log family, for every registered kind (backend/urls.py includes them):
the API under /api/v1/, the coordinator pages under /coordinator/, the review pages under
/review/."""

from django.urls import path

from . import api, coordinator, review

api_patterns = api.router().urls

coordinator_patterns = (
    [
        path("", coordinator.dashboard, name="home"),
        path("<slug:kind>/", coordinator.log_list, name="list"),
        path("<slug:kind>/export.csv", coordinator.log_export, name="export"),
        path("<slug:kind>/new/", coordinator.log_new, name="new"),
        path("<slug:kind>/<int:pk>/", coordinator.log_detail, name="detail"),
        path("<slug:kind>/<int:pk>/edit/", coordinator.log_edit, name="edit"),
        path("<slug:kind>/<int:pk>/delete/", coordinator.log_delete, name="delete"),
    ],
    "coordinator",
)

review_patterns = (
    [
        path("", review.queue, name="queue"),
        path("decide/", review.decide, name="decide"),
        path("import/", review.import_logs, name="import"),
        path("<slug:kind>/<int:pk>/", review.detail, name="detail"),
    ],
    "review",
)
