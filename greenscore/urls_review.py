from django.urls import path

from . import views_review

app_name = "review"

urlpatterns = [
    path("", views_review.queue, name="queue"),
]
