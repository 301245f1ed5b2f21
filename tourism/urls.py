from django.urls import path

from . import views

app_name = "tourism"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("attractions/", views.attraction_list, name="attractions-list"),
    path("homestays/", views.homestay_list, name="homestays-list"),
    path("trails/", views.trail_list, name="trails-list"),
    path("villages/", views.village_list, name="villages-list"),
    path("attractions/<slug:slug>/", views.attraction_detail, name="attraction"),
    path("homestays/<slug:slug>/", views.homestay_detail, name="homestay"),
    path("homestays/<slug:slug>/enquire/", views.homestay_enquiry, name="homestay-enquiry"),
    path("attractions/<slug:slug>/enquire/", views.attraction_enquiry, name="attraction-enquiry"),
    path("events/<slug:slug>.ics", views.event_ics, name="event-ics"),
    path("trails/<slug:slug>/", views.trail_detail, name="trail"),
    path("events/", views.event_list, name="events"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("events.ics", views.events_ics, name="events-ics"),
    path("villages/<slug:slug>/events.ics", views.village_events_ics, name="village-events-ics"),
]
