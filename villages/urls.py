from django.urls import path

from . import views

app_name = "villages"

urlpatterns = [
    path("", views.home, name="home"),
    path("villages/<slug:slug>/", views.village_detail, name="detail"),
]
