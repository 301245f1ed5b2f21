from django.urls import path

from . import views_coordinator

app_name = "coordinator"

urlpatterns = [
    path("", views_coordinator.dashboard, name="home"),
]
