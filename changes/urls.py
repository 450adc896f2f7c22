from django.urls import path

from . import views

app_name = "changes"

urlpatterns = [
    path("", views.change_list, name="list"),
    path("feed/", views.ChangeFeed(), name="feed"),
    path("feed/cities/<slug:slug>/", views.CityChangeFeed(), name="city-feed"),
    path("feed/partnerships/<int:pk>/", views.PartnershipChangeFeed(), name="partnership-feed"),
]
