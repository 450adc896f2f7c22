from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    path("cities/<slug:slug>/", views.suggest_city, name="city"),
    path("cities/<slug:slug>/partnership/", views.suggest_partnership_of, name="new-partnership"),
    path("partnerships/<int:pk>/", views.suggest_partnership, name="partnership"),
    path("offices/<slug:slug>/", views.suggest_office, name="office"),
    path("officials/<slug:slug>/", views.suggest_official, name="official"),
    path("thanks/", views.thanks, name="thanks"),
]
