from django.urls import path

from . import views

app_name = "villages"

urlpatterns = [
    path("villages/<slug:slug>/", views.village_detail, name="detail"),
]
