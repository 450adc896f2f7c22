"""sitemap.xml (Django's sitemaps framework): every public page of a record, in each
language with its hreflang alternates, split into pages of SITEMAP_LIMIT URLs under
one index (/sitemap.xml), as the world's 18,000 cities and 31,000 links need."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from cities.models import City
from partnerships.models import LiaisonOffice, Official, Partnership

#: URLs per sitemap page (the protocol allows 50,000; each record counts once per language).
SITEMAP_LIMIT = 5000


class _RecordSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = SITEMAP_LIMIT


class StaticSitemap(_RecordSitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "city-list", "country-list", "partnership-list", "office-list", "network"]

    def location(self, item):
        return reverse(f"public:{item}")


class CitySitemap(_RecordSitemap):
    def items(self):
        return City.objects.order_by("pk").only("slug", "updated_at")

    def lastmod(self, city):
        return city.updated_at

    def get_latest_lastmod(self):
        # One aggregate, not a walk over every city (the index asks for it).
        return City.objects.aggregate(latest=Max("updated_at"))["latest"]


class PartnershipSitemap(_RecordSitemap):
    def items(self):
        return Partnership.objects.order_by("pk").only("pk", "updated_at")

    def lastmod(self, link):
        return link.updated_at

    def get_latest_lastmod(self):
        return Partnership.objects.aggregate(latest=Max("updated_at"))["latest"]


class OfficeSitemap(_RecordSitemap):
    def items(self):
        return LiaisonOffice.objects.order_by("pk").only("slug")


class OfficialSitemap(_RecordSitemap):
    def items(self):
        return Official.objects.order_by("pk").only("slug")


class CountrySitemap(_RecordSitemap):
    def items(self):
        return list(City.objects.order_by("country").values_list("country", flat=True).distinct())

    def location(self, code):
        return reverse("public:country-detail", kwargs={"code": code.lower()})


SITEMAPS = {
    "pages": StaticSitemap,
    "countries": CountrySitemap,
    "cities": CitySitemap,
    "partnerships": PartnershipSitemap,
    "offices": OfficeSitemap,
    "officials": OfficialSitemap,
}
