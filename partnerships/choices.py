"""Choice sets shared by models, filters, serializers and pages.

Labels are marked for translation so the public pages show them in the reader's
language; the admin and the API run in English and show them as written here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    SCIENCE_PARK = "science_park", _("science park")
    MUNICIPALITY = "municipality", _("municipality")
    GOVERNMENT = "government", _("government body")
    COMPANY = "company", _("company")
    UNIVERSITY = "university", _("university")
    NEWS_OUTLET = "news_outlet", _("news outlet")
    NON_PROFIT = "non_profit", _("non-profit")
    OTHER = "other", _("other")


class FigureComparator(models.TextChoices):
    EXACT = "exact", _("exactly")
    OVER = "over", _("over")
    UNDER = "under", _("under")
    ABOUT = "about", _("about")


class PartnershipKind(models.TextChoices):
    TWIN = "twin", _("twin cities")
    SISTER = "sister", _("sister cities")
    FRIENDSHIP = "friendship", _("friendship cities")
    PARTNERSHIP = "partnership", _("partner cities")
    COOPERATION = "cooperation", _("cooperation agreement")
    # Wikidata's "twinned administrative body" and the lists built on it say two
    # places are twinned, never whether as twin, sister or partner cities.
    UNSTATED = "unstated", _("twinned, kind not stated")


class PartnershipStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    ENDED = "ended", _("ended")
    UNKNOWN = "unknown", _("not recorded")


class LiaisonOfficeStatus(models.TextChoices):
    ANNOUNCED = "announced", _("announced")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class EventKind(models.TextChoices):
    MEETING = "meeting", _("meeting")
    ANNOUNCEMENT = "announcement", _("announcement")
    DELEGATION_VISIT = "delegation_visit", _("delegation visit")
    AGREEMENT = "agreement", _("agreement")
    OFFICE_OPENING = "office_opening", _("office opening")
