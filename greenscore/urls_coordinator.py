"""Coordinator pages, under /coordinator/."""

from django.urls import path

from . import views_coordinator as views
from . import views_offline

app_name = "coordinator"

urlpatterns = [
    path("", views.dashboard, name="home"),
    # The offline app (before <kind>/, which would read "outbox" as a kind of log).
    path("outbox/", views_offline.outbox, name="outbox"),
    path("offline-data.json", views_offline.reference_data, name="offline-data"),
    path("<slug:kind>/", views.log_list, name="list"),
    path("<slug:kind>/export.csv", views.log_export, name="export"),
    path("<slug:kind>/new/", views.log_new, name="new"),
    path("<slug:kind>/<int:pk>/", views.log_detail, name="detail"),
    path("<slug:kind>/<int:pk>/edit/", views.log_edit, name="edit"),
    path("<slug:kind>/<int:pk>/delete/", views.log_delete, name="delete"),
]
