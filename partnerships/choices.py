"""Choice sets shared by models, filters, serializers and pages."""

from django.db import models


class OrganizationKind(models.TextChoices):
    SCIENCE_PARK = "science_park", "science park"
    MUNICIPALITY = "municipality", "municipality"
    GOVERNMENT = "government", "government body"
    COMPANY = "company", "company"
    UNIVERSITY = "university", "university"
    NEWS_OUTLET = "news_outlet", "news outlet"
    NON_PROFIT = "non_profit", "non-profit"
    OTHER = "other", "other"


class FigureComparator(models.TextChoices):
    EXACT = "exact", "exactly"
    OVER = "over", "over"
    UNDER = "under", "under"
    ABOUT = "about", "about"


class PartnershipKind(models.TextChoices):
    TWIN = "twin", "twin cities"
    SISTER = "sister", "sister cities"
    FRIENDSHIP = "friendship", "friendship cities"
    PARTNERSHIP = "partnership", "partner cities"
    COOPERATION = "cooperation", "cooperation agreement"
    # Wikidata's "twinned administrative body" and the lists built on it say two
    # places are twinned, never whether as twin, sister or partner cities.
    UNSTATED = "unstated", "twinned, kind not stated"


class PartnershipStatus(models.TextChoices):
    PROPOSED = "proposed", "proposed"
    ACTIVE = "active", "active"
    SUSPENDED = "suspended", "suspended"
    ENDED = "ended", "ended"
    UNKNOWN = "unknown", "not recorded"


class LiaisonOfficeStatus(models.TextChoices):
    ANNOUNCED = "announced", "announced"
    OPEN = "open", "open"
    CLOSED = "closed", "closed"


class EventKind(models.TextChoices):
    MEETING = "meeting", "meeting"
    ANNOUNCEMENT = "announcement", "announcement"
    DELEGATION_VISIT = "delegation_visit", "delegation visit"
    AGREEMENT = "agreement", "agreement"
    OFFICE_OPENING = "office_opening", "office opening"
