"""The one REST router: every resource under /api/v1/ (namespace "api").

Other modules add their endpoints as extra `path()` lines in `urlpatterns` below
(e.g. /api/v1/network/...); the router's resources stay in one place.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from changes.api import ChangeListView
from partnerships.api import views
from partnerships.api.network import NetworkPathView, NetworkStatsView

app_name = "api"

router = DefaultRouter()
router.register("cities", views.CityViewSet, basename="city")
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("liaison-offices", views.LiaisonOfficeViewSet, basename="liaison-office")
router.register("officials", views.OfficialViewSet, basename="official")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("events", views.EventViewSet, basename="event")
router.register("sources", views.SourceViewSet, basename="source")
router.register("areas", views.AreaViewSet, basename="area")

urlpatterns = [
    # OpenAPI 3 schema, and Swagger UI served from drf-spectacular-sidecar's static
    # files (no CDN). The "split" view loads its start-up script from a URL rather
    # than inline, which the Content Security Policy (script-src 'self') requires.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("network/path/", NetworkPathView.as_view(), name="network-path"),
    path("network/stats/", NetworkStatsView.as_view(), name="network-stats"),
    path("changes/", ChangeListView.as_view(), name="change-list"),
    path("", include(router.urls)),
]
