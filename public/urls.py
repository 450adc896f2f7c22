from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("cities/<slug:slug>/", views.city_detail, name="city-detail"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership-detail"),
    path("offices/<slug:slug>/", views.office_detail, name="office-detail"),
    path("officials/<slug:slug>/", views.official_detail, name="official-detail"),
]
