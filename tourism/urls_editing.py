"""Listing pages: coordinators' under /coordinator/listings/, AMO's under /review/listings/
(included in backend/urls.py before the log pages, whose /<kind>/ would catch them)."""

from django.urls import path

from . import views_editing as views

coordinator_patterns = (
    [
        path("", views.home, name="home"),
        path("<slug:kind>/new/", views.new, name="new"),
        path("<slug:kind>/<int:pk>/", views.edit, name="edit"),
        path(
            "<slug:kind>/<int:pk>/photos/<int:photo_pk>/delete/",
            views.photo_delete,
            name="photo-delete",
        ),
    ],
    "listings",
)

review_patterns = (
    [
        path("", views.review, name="home"),
        path("<slug:kind>/<int:pk>/publish/", views.publish, name="publish"),
    ],
    "listings-review",
)
