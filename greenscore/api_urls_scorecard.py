from django.urls import path

from . import api_scorecard

urlpatterns = [
    path("scorecards/", api_scorecard.ScorecardListView.as_view(), name="api-scorecard-list"),
    path("scorecards/<slug:slug>/", api_scorecard.ScorecardDetailView.as_view(),
         name="api-scorecard-detail"),
]
