from django.urls import path

from . import views

app_name = "recordings"

urlpatterns = [
    path("new/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/process/", views.process_again, name="process"),
]
