"""AMO review pages, under /review/."""

from django.urls import path

from . import views_review as views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("decide/", views.decide, name="decide"),
    path("import/", views.import_actions, name="import"),
    path("<slug:kind>/<int:pk>/", views.detail, name="detail"),
]
