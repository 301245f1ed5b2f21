from django.urls import path

from . import views

app_name = "scorecard"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("compare/", views.compare, name="compare"),
    path("methodology/", views.methodology, name="methodology"),
    path("export.<str:fmt>", views.export_all, name="export-all"),
    path("<slug:slug>/", views.village_scorecard, name="village"),
    path("<slug:slug>/export.<str:fmt>", views.export_village, name="export-village"),
    path("<slug:slug>/publish/", views.publish, name="publish"),
    path("<slug:slug>/stage/", views.confirm_stage, name="confirm-stage"),
    path("<slug:slug>/values/", views.enter_value, name="enter-value"),
]
