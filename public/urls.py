from django.urls import path

from . import map_views, network, views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("cities/", views.city_list, name="city-list"),
    path("cities/<slug:slug>/", views.city_detail, name="city-detail"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
    path("partnerships/", views.partnership_list, name="partnership-list"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership-detail"),
    path("offices/", views.office_list, name="office-list"),
    path("offices/<slug:slug>/", views.office_detail, name="office-detail"),
    path("officials/<slug:slug>/", views.official_detail, name="official-detail"),
    path("search/", views.search, name="search"),
    path("network/", network.network_page, name="network"),
    path("map/world-<slug:version>.json", map_views.world_map_json, name="world-map-data"),
]
